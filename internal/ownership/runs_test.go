package ownership

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Runs gives every port the ranges that cover it, in their order, as
// spelling each range out port by port does, and leaves out the ports no
// range covers.
func TestRunsPortByPort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		n := rng.IntN(8)
		first, last := make([]int, n), make([]int, n)
		for i := range n {
			first[i] = rng.IntN(60)
			last[i] = first[i] + rng.IntN(20)
		}
		want := map[int][]int{}
		for i := range n {
			for p := first[i]; p <= last[i]; p++ {
				want[p] = append(want[p], i)
			}
		}
		got := map[int][]int{}
		prev := -1
		Runs(n, func(i int) int { return first[i] }, func(i int) int { return last[i] }, func(lo, hi int, covering []int) {
			if lo <= prev || hi < lo {
				t.Fatalf("run %d-%d after one ending at %d", lo, hi, prev)
			}
			prev = hi
			for p := lo; p <= hi; p++ {
				got[p] = slices.Clone(covering)
			}
		})
		if len(got) != len(want) {
			t.Fatalf("%d ports covered, want %d (ranges %v %v)", len(got), len(want), first, last)
		}
		for p, w := range want {
			if !slices.Equal(got[p], w) {
				t.Fatalf("port %d: %v, want %v (ranges %v %v)", p, got[p], w, first, last)
			}
		}
	}
}
