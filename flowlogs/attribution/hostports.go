package attribution

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/ownership"
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
// is written to inline into the join (nil rather than comma-ok; the search
// out of line), at Go 1.26's cost of exactly the budget, 80: check an edit
// with go build -gcflags=-m=2. A map key is never also in wide, and its
// spans are never nil.
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
// wide, resolving each run of ports the same bindings cover once
// (ownership.Runs: the owners per-port expansion would give each port).
func (in *instanceState) indexHostPorts(cut func(*taskState) int64, order func(a, b *taskState) int) {
	bs := in.held
	in.held = nil
	if len(bs) == 0 {
		return
	}
	ownership.Runs(len(bs), func(i int) int { return int(bs[i].first) }, func(i int) int { return int(bs[i].last) },
		func(first, last int, covering []int) {
			v := make(spans[taskState], len(covering))
			for k, j := range covering {
				v[k] = bs[j].sp
			}
			v = resolveSpans(v, cut, order)
			if last-first < narrowPorts {
				for k := first; k <= last; k++ {
					in.bindings[uint32(k)] = v // shared: read-only from here on
				}
				return
			}
			in.wide = append(in.wide, portRun{uint32(first), uint32(last), v})
		})
	in.wide = slices.Clip(in.wide)
}
