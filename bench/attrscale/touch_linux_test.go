package main

import (
	"os"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cputime"
)

// The fault counter and the first-touch measurement agree: measuring
// touches three fresh 32 MiB mappings, so the counter moves by at least
// one mapping's pages.
func TestFirstTouchCountsFaults(t *testing.T) {
	before := cputime.MinorFaults()
	us, err := firstTouchMicros()
	if err != nil {
		t.Fatal(err)
	}
	if us <= 0 {
		t.Errorf("first touch took %v µs per page, want a positive time", us)
	}
	pages := uint64(32 << 20 / os.Getpagesize())
	if got := cputime.MinorFaults() - before; got < pages {
		t.Errorf("minor faults rose by %d while touching 3×32 MiB, want at least %d", got, pages)
	}
}
