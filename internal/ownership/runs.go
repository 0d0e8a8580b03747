package ownership

import (
	"cmp"
	"slices"
)

// Runs cuts n ranges, range i being the ports first(i) to last(i)
// inclusive, where any of them starts or ends, and calls fn for each run
// that some range covers, in port order, with the indexes of the ranges
// covering it in ascending order (covering is reused: fn must not keep
// it). Every range covers a run whole or not at all, so each port of a run
// is claimed by the same ranges, in the same order, as spelling every range
// out port by port would give it: one resolution of the run's claims gives
// every port's owners, in memory by ranges, not ports (ECS allows a
// hostPortRange of all 65,535 ports). The sweep does work in proportion to
// the result, not runs times ranges.
//
// eni/history, flowlogs/attribution and eni/history/intervals own host
// ports this way, so the three give every port the same owners.
func Runs(n int, first, last func(i int) int, fn func(first, last int, covering []int)) {
	cuts := make([]int, 0, 2*n)
	for i := range n {
		cuts = append(cuts, first(i), last(i)+1)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	byFirst := make([]int, n)
	for i := range byFirst {
		byFirst[i] = i
	}
	slices.SortStableFunc(byFirst, func(a, b int) int { return cmp.Compare(first(a), first(b)) })
	var active []int // ascending
	next := 0
	for i := 0; i+1 < len(cuts); i++ {
		lo, hi := cuts[i], cuts[i+1]-1
		active = slices.DeleteFunc(active, func(j int) bool { return last(j) < lo })
		if next < n && first(byFirst[next]) <= lo {
			for next < n && first(byFirst[next]) <= lo {
				active = append(active, byFirst[next])
				next++
			}
			slices.Sort(active)
		}
		if len(active) > 0 { // else a gap between ranges
			fn(lo, hi, active)
		}
	}
}
