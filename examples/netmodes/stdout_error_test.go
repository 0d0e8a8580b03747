package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// failAfter accepts n bytes, then fails every write, as a full disk
// does for `netmodes > out.txt` (EPIPE kills the program with SIGPIPE
// instead; ENOSPC and EBADF are returned).
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

// TestStdoutWriteErrorFails: a report cut short by a failed write
// to stdout was reported as success, exit 0, with no word on stderr.
func TestStdoutWriteErrorFails(t *testing.T) {
	for _, args := range [][]string{nil, {"-table=false"}, {"-format", "json"}} {
		var full, errOut bytes.Buffer
		if status := run(args, &full, &errOut); status != 0 {
			t.Fatalf("%q: exit %d: %s", args, status, errOut.String())
		}
		for _, n := range []int{0, full.Len() / 2, full.Len() - 1} {
			errOut.Reset()
			status := run(args, &failAfter{n: n}, &errOut)
			if status != 2 || !strings.Contains(errOut.String(), "no space left on device") {
				t.Errorf("%q, stdout failing after %d of %d bytes: exit %d, stderr %q; want 2 and the error", args, n, full.Len(), status, errOut.String())
			}
		}
	}
}
