package source

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestObjectDoneOnPanic: WithObjectDone promises a call per object
// whose read has ended, "cleanly or not"; a read that panicked ended too.
// A progress display counting objects done must see it (with the panic as
// its error) before the panic is raised again in the caller, whether the
// panic came from the reader (Records, Map), from Map's fn, or from a
// decoder making the object's reader.
func TestObjectDoneOnPanic(t *testing.T) {
	decoderPanics := WithDecoder(func(Object) bool { return true },
		func(context.Context, Object, io.Reader, ...flowlogs.Option) (*flowlogs.Reader, error) {
			panic("a decoder's bug")
		})
	for _, c := range []struct {
		name string
		src  Source
		read func(Source, ...Option)
		opts []Option
	}{
		{"Records, reader panics", panicking{}, func(s Source, o ...Option) {
			for range Records(context.Background(), s, o...) {
			}
		}, nil},
		{"Each, reader panics", panicking{}, func(s Source, o ...Option) {
			Each(context.Background(), s, func(o Object, r *flowlogs.Reader) error {
				for r.Scan() {
				}
				return nil
			}, o...)
		}, nil},
		{"Map, fn panics", goodObject{}, func(s Source, o ...Option) {
			Map(context.Background(), s, func(o Object, r *flowlogs.Reader) (int, error) {
				for r.Scan() {
				}
				panic("fn's bug")
			}, o...)
		}, nil},
		{"Records, decoder panics", goodObject{}, func(s Source, o ...Option) {
			for range Records(context.Background(), s, o...) {
			}
		}, []Option{decoderPanics}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var done []ObjectDone
			opts := append(slices.Clone(c.opts), WithReaderOptions(flowlogs.WithSyncDecompression()),
				WithObjectDone(func(d ObjectDone) {
					mu.Lock()
					done = append(done, d)
					mu.Unlock()
				}))
			var raised *ReadPanic
			func() {
				defer func() { raised, _ = recover().(*ReadPanic) }()
				c.read(c.src, opts...)
			}()
			if raised == nil {
				t.Fatal("no *ReadPanic raised in the caller")
			}
			mu.Lock()
			defer mu.Unlock()
			if len(done) != 1 {
				t.Fatalf("WithObjectDone called %d times for one object whose read ended in a panic, want once", len(done))
			}
			var rp *ReadPanic
			if d := done[0]; d.Object.Name != raised.Name || !errors.As(d.Err, &rp) || rp.Value != raised.Value {
				t.Errorf("reported %+v, want the object %s with the panic (%v) as its error", d, raised.Name, raised.Value)
			}
		})
	}
}

// goodObject is a Source of one small, good flow-log object in memory.
type goodObject struct{}

func (goodObject) List(context.Context) ([]Object, error) {
	return []Object{{Name: "good.log", Size: -1}}, nil
}

func (goodObject) Open(context.Context, Object) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41030 8080 6 17 21279 1795602844 1795602902 ACCEPT OK\n")), nil
}

// TestDirLeavesOutHidden: a directory tree walked as a delivery
// tree must not read what a hidden directory or file holds (a .git, a
// sync tool's temporary folder or file): examples/attribute's other
// directory walks (-tasks, -network, -merge) leave them out, and a copy
// or a half-written file there would be counted with the real ones.
func TestDirLeavesOutHidden(t *testing.T) {
	root := t.TempDir()
	const name = "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1000Z_4c1e82d3.log"
	layout := "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/"
	body := []byte("version account-id interface-id start end log-status\n2 123456789012 eni-0a1b2c3d4e5f60711 1795600800 1795600860 NODATA\n")
	for _, rel := range []string{
		layout + name,                 // the delivery
		".aws-sync/" + layout + name,  // a sync tool's temporary tree
		layout + ".tmp/" + name,       // a hidden folder inside the layout
		".git/objects/" + name,        // anything under .git
		layout + "." + name + ".part", // not a delivery name anyway
	} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		writeFile(t, p, body)
	}
	want := []string{filepath.Join(root, filepath.FromSlash(layout+name))}
	for _, d := range []*Dir{{Root: root}, {Root: root, Match: func(string) bool { return true }}} {
		objs, err := d.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range objs {
			got = append(got, o.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Dir (Match set: %v) listed %q, want %q alone", d.Match != nil, got, want)
		}
	}
	// A Root that is itself hidden (or below a hidden folder) is the
	// user's choice, and read.
	objs, err := (&Dir{Root: filepath.Join(root, ".aws-sync")}).List(context.Background())
	if err != nil || len(objs) != 1 {
		t.Errorf("Root a hidden folder: %d objects, %v; want its one delivery", len(objs), err)
	}
}
