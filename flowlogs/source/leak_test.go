package source

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
)

// countingSource serves n copies of a small flow-log file and counts how
// many of the bodies it opened are still open.
type countingSource struct {
	n    int
	open atomic.Int64
}

func (s *countingSource) List(context.Context) ([]Object, error) {
	objs := make([]Object, s.n)
	for i := range objs {
		objs[i] = Object{Name: fmt.Sprintf("f%03d.log", i), Size: -1}
	}
	return objs, nil
}

func (s *countingSource) Open(context.Context, Object) (io.ReadCloser, error) {
	s.open.Add(1)
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		b.WriteString("2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1795600800 1795600859 ACCEPT OK\n")
	}
	return &closer{Reader: strings.NewReader(b.String()), s: s}, nil
}

type closer struct {
	io.Reader
	s      *countingSource
	closed bool
}

func (c *closer) Close() error {
	if !c.closed {
		c.closed = true
		c.s.open.Add(-1)
	}
	return nil
}

// Breaking out of Records early must not leave a producer running with an
// open object: every body is closed by the time the loop statement ends.
func TestRecordsEarlyBreakClosesEveryObject(t *testing.T) {
	for _, parallel := range []int{1, 2, 8} {
		src := &countingSource{n: 32}
		n := 0
		for _, err := range Records(context.Background(), src, WithConcurrency(parallel)) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 300 {
				break
			}
		}
		if open := src.open.Load(); open != 0 {
			t.Fatalf("parallel %d: %d objects still open after the loop ended", parallel, open)
		}
	}
}
