package attribution

import (
	"cmp"
	"slices"
)

// narrowPorts is the widest run of host ports whose ports are each a key of
// instanceState.bindings. Single ports and small ranges, nearly every
// binding, keep the one-map-lookup path; a wider run is one entry of
// instanceState.wide, so an index costs memory by bindings, not by ports
// (ECS allows a hostPortRange of all 65,535 ports).
const narrowPorts = 64

// portBinding is one task's hold on host ports first..last (portKey
// values, so of one protocol) while the index is built.
type portBinding struct {
	first, last uint32
	sp          span[taskState]
}

// portRun is a run of host ports first..last (portKey values) that the
// same bindings cover, with the owners every port of it has.
type portRun struct {
	first, last uint32
	owners      spans[taskState]
}

// hostPort returns the owners of host port k (portKey) on the instance, nil
// when no binding covers it. It is on the path of every record on an
// instance's ENI, most of them on no binding (ephemeral ports): the map
// answers first, and only an instance with wide runs pays for a search. It
// is kept small enough to inline (nil rather than comma-ok; the search out
// of line): a map key is never also in wide, and its spans are never nil.
func (in *instanceState) hostPort(k uint32) spans[taskState] {
	if s := in.bindings[k]; s != nil || in.wide == nil {
		return s
	}
	return in.wideHostPort(k)
}

// wideHostPort is hostPort's search of wide.
//
//go:noinline
func (in *instanceState) wideHostPort(k uint32) spans[taskState] {
	w := in.wide
	lo, hi := 0, len(w)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if w[m].last < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(w) && w[lo].first <= k {
		return w[lo].owners
	}
	return nil
}

// indexHostPorts turns the bindings collected in in.held into bindings and
// wide. The ranges are cut where any of them starts or ends, so every
// binding covers a run whole or not at all and every port of a run has the
// same list of spans, in the same order, that expanding each range port by
// port would give it: resolving the run once gives each port's owners
// exactly (the hand-off rule works on that list alone).
func (in *instanceState) indexHostPorts(cut func(*taskState) int64, order func(a, b *taskState) int) {
	bs := in.held
	in.held = nil
	if len(bs) == 0 {
		return
	}
	cuts := make([]uint32, 0, 2*len(bs))
	for _, b := range bs {
		cuts = append(cuts, b.first, b.last+1) // a portKey's port is 16 bits: no overflow
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	byFirst := make([]int, len(bs))
	for i := range byFirst {
		byFirst[i] = i
	}
	slices.SortStableFunc(byFirst, func(a, b int) int { return cmp.Compare(bs[a].first, bs[b].first) })
	// Sweep in port order, keeping the bindings covering the current run in
	// the order they were collected (ix.tasks' order, as per-port appends
	// had them), so the work is the size of the result, not runs times
	// bindings.
	var active []int
	next := 0
	for i := 0; i+1 < len(cuts); i++ {
		first, last := cuts[i], cuts[i+1]-1
		active = slices.DeleteFunc(active, func(j int) bool { return bs[j].last < first })
		if next < len(byFirst) && bs[byFirst[next]].first <= first {
			for next < len(byFirst) && bs[byFirst[next]].first <= first {
				active = append(active, byFirst[next])
				next++
			}
			slices.Sort(active)
		}
		if len(active) == 0 {
			continue // a gap between ranges
		}
		v := make(spans[taskState], len(active))
		for k, j := range active {
			v[k] = bs[j].sp
		}
		v = resolveSpans(v, cut, order)
		if last-first < narrowPorts {
			for k := first; k <= last; k++ {
				in.bindings[k] = v // shared: read-only from here on
			}
			continue
		}
		in.wide = append(in.wide, portRun{first, last, v})
	}
	in.wide = slices.Clip(in.wide)
}
