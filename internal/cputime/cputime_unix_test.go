//go:build unix

package cputime

import (
	"os"
	"testing"
)

// Touching fresh memory is counted: 64 MiB newly allocated (the test
// process has no freed heap to reuse) faults in page by page.
func TestMinorFaults(t *testing.T) {
	page := os.Getpagesize()
	before := MinorFaults()
	b := make([]byte, 64<<20)
	for i := 0; i < len(b); i += page {
		b[i] = 1
	}
	if got, want := MinorFaults()-before, uint64(len(b)/page/2); got < want {
		t.Errorf("minor faults rose by %d while touching %d fresh pages, want at least %d", got, len(b)/page, want)
	}
}
