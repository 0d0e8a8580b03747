package attribution

import (
	"slices"
	"testing"
)

// TestGrownCap: capacities grow by half (at least 16), never past the
// limit and never short of what is needed: a summary of 64 takes 16, 32,
// 48, 64; a day's series of 288 buckets, from 64, ends in 324.
func TestGrownCap(t *testing.T) {
	steps := func(c, need, limit int) []int {
		caps := []int{c}
		for c < need {
			c = grownCap(c, c+1, limit)
			caps = append(caps, c)
		}
		return caps
	}
	if got := steps(16, 64, 64); !slices.Equal(got, []int{16, 32, 48, 64}) {
		t.Errorf("summary of 64: %v", got)
	}
	if got := steps(64, 288, 4096); !slices.Equal(got, []int{64, 96, 144, 216, 324}) {
		t.Errorf("a day's series: %v", got)
	}
	if got := grownCap(100, 1000, 4096); got != 1000 {
		t.Errorf("a jump past half more: %d, want 1000", got)
	}
	if got := grownCap(4000, 4001, 4096); got != 4096 {
		t.Errorf("near the limit: %d, want 4096", got)
	}
	if s := withCap([]int{1, 2}, 10); cap(s) != 10 || !slices.Equal(s, []int{1, 2}) {
		t.Errorf("withCap: %v, cap %d", s, cap(s))
	}
}
