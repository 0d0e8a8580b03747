package attribution

import (
	"reflect"
	"slices"
	"testing"
)

// TestGroups: Groups yields Result's groups, in order, equal to them, and
// PartialStream Partial's tasks, whatever the options and the grouping,
// summaries that overflowed included; what is kept is copied, since each
// yield reuses memory.
func TestGroups(t *testing.T) {
	for i, e := range engineVariants() {
		head, stream := e.partialStream()
		whole := e.partial()
		var parts []TaskPart
		for tp := range stream {
			c := *tp
			c.Peers, c.Ports, c.Series = nonEmpty(tp.Peers), nonEmpty(tp.Ports), nonEmpty(tp.Series)
			parts = append(parts, c)
		}
		for i := range whole.Tasks {
			tp := &whole.Tasks[i]
			tp.Peers, tp.Ports, tp.Series = nonEmpty(tp.Peers), nonEmpty(tp.Ports), nonEmpty(tp.Series)
		}
		head.Tasks = parts
		if !reflect.DeepEqual(head, whole) {
			t.Fatalf("options %d: PartialStream differs from Partial", i)
		}
		for _, g := range allGroupBys {
			var got []Group
			for grp := range e.groups(g) {
				got = append(got, grp.Clone())
			}
			whole := e.result(g)
			want := whole.Groups
			// ResultStream's head is the Result without its groups.
			if head := e.resultHead(g); head.Groups != nil || !reflect.DeepEqual(*head, Result{By: whole.By,
				Unattributed: whole.Unattributed, Total: whole.Total, Stats: whole.Stats, Step: whole.Step, First: whole.First, Last: whole.Last}) {
				t.Fatalf("options %d, by %v: ResultStream's head differs from Result without its groups", i, g)
			}
			if len(got) != len(want) {
				t.Fatalf("options %d, by %v: %d groups, Result has %d", i, g, len(got), len(want))
			}
			for j := range want {
				if a, b := withoutEmpty(got[j]), withoutEmpty(want[j]); !reflect.DeepEqual(a, b) {
					t.Fatalf("options %d, by %v, group %d (%s):\n got  %+v\n want %+v", i, g, j, want[j].Key, a, b)
				}
			}
		}
	}
}

// withoutEmpty makes g's empty slices nil: a reused slice is empty where
// a Result's new one is nil, which no reader can tell apart by length.
func withoutEmpty(g Group) Group {
	g.Tasks, g.Instances = emptyNil(g.Tasks), emptyNil(g.Instances)
	g.TopPeers, g.TopPorts, g.Series = emptyNil(g.TopPeers), emptyNil(g.TopPorts), emptyNil(g.Series)
	return g
}

// TestGroupsReuse: Groups builds each group into the previous one's
// memory (allocating far less than once per group), and stops when the
// loop does.
func TestGroupsReuse(t *testing.T) {
	e := randomEngine(5, 7, 3000)
	n := len(e.result(ByTask).Groups)
	groups := testing.AllocsPerRun(5, func() {
		for range e.groups(ByTask) {
		}
	})
	result := testing.AllocsPerRun(5, func() { e.result(ByTask) })
	t.Logf("%d groups: Groups allocates %.0f times, Result %.0f", n, groups, result)
	if groups > result-float64(2*n) {
		t.Errorf("Groups(ByTask) allocates %.0f times for %d groups, Result %.0f: not reusing", groups, n, result)
	}
	seen := 0
	for range e.groups(ByTask) {
		seen++
		if seen == 3 {
			break
		}
	}
	if seen != 3 {
		t.Errorf("iterated %d groups after break at 3", seen)
	}
}

// nonEmpty returns a copy of s, nil when s is empty.
func nonEmpty[T any](s []T) []T { return emptyNil(slices.Clone(s)) }

// emptyNil returns s, nil when it is empty.
func emptyNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
