package flowlogs

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// panicAfter returns head on its first Read, then panics: a source whose
// reader (an S3 body, a decoder) has a bug past the first bytes.
type panicAfter struct {
	head []byte
	done bool
}

func (p *panicAfter) Read(b []byte) (int, error) {
	if p.done {
		panic("a source's bug")
	}
	p.done = true
	return copy(b, p.head), nil
}

// TestAsyncDecompressionPanic: a panic reading the source of a gzip
// input, on the goroutine that decompresses it ahead, ended the program
// (no caller can recover a panic in another goroutine), where a
// synchronous read raises it in the caller's Scan. It must be raised in
// the caller's goroutine as well, and Close return.
func TestAsyncDecompressionPanic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	var text strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&text, "2 123456789010 eni-%08x 10.0.%d.1 172.31.9.12 %d 443 6 %d %d 1418530010 1418530070 ACCEPT OK\n", i*7919, i%250, 1024+i, i+1, 100*i)
	}
	z := gz(t, text.String())
	for _, sync := range []bool{true, false} {
		t.Run(fmt.Sprint("sync=", sync), func(t *testing.T) {
			var opts []Option
			if sync {
				opts = append(opts, WithSyncDecompression())
			}
			r := NewReader(&panicAfter{head: bytes.Clone(z[:64])}, opts...)
			defer r.Close()
			got := func() (p any) {
				defer func() { p = recover() }()
				for r.Scan() {
				}
				return nil
			}()
			if got != "a source's bug" {
				t.Fatalf("Scan panicked with %v, want the source's panic", got)
			}
			r.Close() // returns: the decompressing goroutine has ended
		})
	}
}
