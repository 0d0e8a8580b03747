package source

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// batchesSource serves one object of n records.
type batchesSource struct{ n int }

func (s batchesSource) List(context.Context) ([]Object, error) {
	return []Object{{Name: "f.log", Size: -1}}, nil
}

func (s batchesSource) Open(context.Context, Object) (io.ReadCloser, error) {
	line := "2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1795600800 1795600859 ACCEPT OK\n"
	return io.NopCloser(strings.NewReader(strings.Repeat(line, s.n))), nil
}

// TestRecordsStopsAtCancel: once the caller's context has ended,
// Records yields at most the rest of the batch in hand, then the
// context's error. It chose at random between the batches read ahead
// and the context's end, so a cancelled read went on yielding whole
// batches, as many as were buffered, half the time each.
func TestRecordsStopsAtCancel(t *testing.T) {
	for run := range 20 {
		read := make(chan struct{})
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		var last error
		for r, err := range Records(ctx, batchesSource{n: 5 * batchSize}, WithConcurrency(1),
			WithObjectDone(func(ObjectDone) { close(read) })) {
			if err != nil {
				last = err
				break
			}
			_ = r
			if n++; n == 1 {
				// The object is read: its other batches wait, buffered.
				<-read
				cancel()
			}
		}
		cancel()
		if n > batchSize {
			t.Fatalf("run %d: %d records yielded, %d of them after the cancel: want at most the rest of the batch (%d)", run, n, n-1, batchSize-1)
		}
		if !errors.Is(last, context.Canceled) {
			t.Fatalf("run %d: ended with %v, want context.Canceled", run, last)
		}
	}
}
