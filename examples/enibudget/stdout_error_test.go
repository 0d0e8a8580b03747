package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// failAfter accepts n bytes, then fails every write: stdout redirected
// to a file on a full disk.
type failAfter struct {
	n   int
	buf bytes.Buffer
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.buf.Len()+len(p) > f.n {
		k := max(f.n-f.buf.Len(), 0)
		f.buf.Write(p[:k])
		return k, errors.New("no space left on device")
	}
	return f.buf.Write(p)
}

// TestStdoutWriteErrorFails: only the tables' Flush was checked;
// the lines written after a table (the notes, the sizing of what does
// not fit) failed silently, and run returned nil: exit 0 for a report
// cut short.
func TestStdoutWriteErrorFails(t *testing.T) {
	for _, args := range [][]string{nil, {"-instance-type", "m5.large"}, {"-whatif", "sample", "-count", "40"}} {
		var full, errOut bytes.Buffer
		if err := run(context.Background(), args, &full, &errOut); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		for _, n := range []int{0, full.Len() / 2, full.Len() - 1} {
			err := run(context.Background(), args, &failAfter{n: n}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), "no space left on device") {
				t.Errorf("%q, stdout failing after %d of %d bytes: error %v, want the write's", args, n, full.Len(), err)
			}
		}
	}
}
