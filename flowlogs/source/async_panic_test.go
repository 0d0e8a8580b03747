package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// gzipPanicking is a Source of one gzip object whose body panics after
// its first bytes: the panic happens where the object is decompressed,
// on the Reader's helper goroutine when it has one.
type gzipPanicking struct{ z []byte }

func (s gzipPanicking) List(context.Context) ([]Object, error) {
	return []Object{{Name: "boom.log.gz", Size: int64(len(s.z))}}, nil
}

func (s gzipPanicking) Open(context.Context, Object) (io.ReadCloser, error) {
	return io.NopCloser(&panicAfterHead{head: s.z[:64]}), nil
}

type panicAfterHead struct {
	head []byte
	done bool
}

func (p *panicAfterHead) Read(b []byte) (int, error) {
	if p.done {
		panic("a body's bug")
	}
	p.done = true
	return copy(b, p.head), nil
}

func bigGzip(t *testing.T) []byte {
	var text strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&text, "2 123456789010 eni-%08x 10.0.%d.1 172.31.9.12 %d 443 6 %d %d 1418530010 1418530070 ACCEPT OK\n", i*7919, i%250, 1024+i, i+1, 100*i)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(text.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRecordsAsyncGzipPanic: Records of a single gzip object reads it
// with the Reader's decompressing goroutine (no WithSyncDecompression); a
// panic reading the object there ended the program, where Records
// documents a *ReadPanic raised in the caller's goroutine, after
// WithObjectDone has been told.
func TestRecordsAsyncGzipPanic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	src := gzipPanicking{bigGzip(t)}
	var reported atomic.Int32
	got := func() (p any) {
		defer func() { p = recover() }()
		for range Records(context.Background(), src, WithObjectDone(func(d ObjectDone) {
			if _, ok := d.Err.(*ReadPanic); ok {
				reported.Add(1)
			}
		})) {
		}
		return nil
	}()
	rp, ok := got.(*ReadPanic)
	if !ok || rp.Name != "boom.log.gz" || rp.Value != "a body's bug" {
		t.Fatalf("recovered %#v, want a *ReadPanic of boom.log.gz", got)
	}
	if reported.Load() != 1 {
		t.Errorf("WithObjectDone told of the panic %d times, want once", reported.Load())
	}
	// Map too (one object: the Reader decompresses on its own goroutine).
	got = func() (p any) {
		defer func() { p = recover() }()
		Each(context.Background(), src, func(o Object, r *flowlogs.Reader) error {
			for r.Scan() {
			}
			return nil
		})
		return nil
	}()
	if rp, ok := got.(*ReadPanic); !ok || rp.Value != "a body's bug" {
		t.Fatalf("Each: recovered %#v, want a *ReadPanic", got)
	}
}
