package text

import "testing"

// TestPercent: a share that is not all or nothing never reads as either
// once rounded: 1 byte unattributed of 1e6 was "100.0%" attributed.
func TestPercent(t *testing.T) {
	for _, c := range []struct {
		a, b uint64
		want string
	}{
		{0, 0, "0%"}, {0, 10, "0.0%"}, {10, 10, "100.0%"}, {1, 3, "33.3%"},
		{999_999, 1_000_000, ">99.9%"}, {1, 1_000_000, "<0.1%"},
		{999, 1000, "99.9%"}, {1, 1000, "0.1%"},
	} {
		if got := Percent(c.a, c.b); got != c.want {
			t.Errorf("Percent(%d, %d) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}
