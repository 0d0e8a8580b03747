package flowlogs

import (
	"math"
	"strings"
	"testing"
)

// TestMaxLineLengthNoBoundDoesNotPanic: WithMaxLineLength(math.MaxInt), "no bound",, overflowed the size of the
// grown read buffer (maxLine+1) and panicked in makeslice on the first
// line longer than the buffer.
func TestMaxLineLengthNoBoundDoesNotPanic(t *testing.T) {
	in := "interface-id x-note\neni-1 " + strings.Repeat("a", 40000) + "\neni-2 b\n"
	for _, n := range []int{math.MaxInt, math.MaxInt - 1, math.MaxInt - 64} {
		r := NewReader(strings.NewReader(in), WithMaxLineLength(n))
		var got []string
		for r.Scan() {
			got = append(got, r.Record().InterfaceID)
		}
		if r.Err() != nil || len(got) != 2 || got[0] != "eni-1" || got[1] != "eni-2" {
			t.Fatalf("WithMaxLineLength(%d): records %q, err %v", n, got, r.Err())
		}
	}
}
