package history

import (
	"cmp"
	"github.com/ecsnet/ecsnet/internal/ownership"
	"net/netip"
	"slices"
	"time"
)

// Index answers "who owned this ENI / IP / host port at time t". It is
// immutable, safe for concurrent use, and its lookups do not allocate: each
// key holds its owners' intervals sorted by start and made disjoint, and a
// lookup is a map access plus a binary search.
//
// When two owners' intervals for the same key overlap (ECS records a task's
// stoppedAt only after its ENI was deleted, while the next task may already
// have been created), the key passes to the later owner at its start, or at
// the earlier task's executionStoppedAt if that is later (its containers, and
// so its traffic, ran until then).
type Index struct {
	tasks     []*Task
	taskByARN map[string]*Task
	instances []*Instance
	instByARN map[string]*Instance

	eni     map[string][]span[Task]
	ip      map[netip.Addr][]span[Task]
	instENI map[string][]span[Instance]
	instIP  map[netip.Addr][]span[Instance]
	ports   map[portKey][]span[Task]
	ranges  map[rangeKey][]rangeSpan
}

// span is one owner's hold on a key, [Start, End) in Unix nanoseconds,
// made disjoint per key by the rule attribution shares (internal/ownership).
type span[T any] = ownership.Span[T]

type portKey struct {
	instance string
	proto    uint8
	port     uint16
}

type rangeKey struct {
	instance string
	proto    uint8
}

type rangeSpan struct {
	lo, hi uint16
	span[Task]
}

func newIndex(tasks []*Task, insts []*Instance) *Index {
	slices.SortFunc(tasks, func(a, b *Task) int {
		return cmp.Or(cmp.Compare(ownership.StartNanos(a.Valid.Start), ownership.StartNanos(b.Valid.Start)), cmp.Compare(a.ARN, b.ARN))
	})
	slices.SortFunc(insts, func(a, b *Instance) int {
		return cmp.Or(cmp.Compare(ownership.StartNanos(a.Valid.Start), ownership.StartNanos(b.Valid.Start)), cmp.Compare(a.ARN, b.ARN))
	})
	x := &Index{
		tasks:     tasks,
		taskByARN: make(map[string]*Task, len(tasks)),
		instances: insts,
		instByARN: make(map[string]*Instance, len(insts)),
		eni:       map[string][]span[Task]{},
		ip:        map[netip.Addr][]span[Task]{},
		instENI:   map[string][]span[Instance]{},
		instIP:    map[netip.Addr][]span[Instance]{},
		ports:     map[portKey][]span[Task]{},
		ranges:    map[rangeKey][]rangeSpan{},
	}
	for _, t := range tasks {
		x.taskByARN[t.ARN] = t
		s := span[Task]{Start: ownership.StartNanos(t.Valid.Start), End: ownership.EndNanos(t.Valid.End), Owner: t}
		if t.ENI != "" {
			x.eni[t.ENI] = append(x.eni[t.ENI], s)
		}
		if t.IPv4.IsValid() {
			x.ip[t.IPv4] = append(x.ip[t.IPv4], s)
		}
		if t.IPv6.IsValid() {
			x.ip[t.IPv6] = append(x.ip[t.IPv6], s)
		}
		// Host ports belong to the instance only outside awsvpc mode (an
		// awsvpc task's ports are on its own ENI).
		if t.ContainerInstanceARN == "" || t.NetworkMode == "awsvpc" || t.ENI != "" {
			continue
		}
		seen := map[portKey]bool{}
		for _, b := range t.Bindings {
			if b.HostPort == b.HostPortLast {
				k := portKey{t.ContainerInstanceARN, b.Proto, b.HostPort}
				if !seen[k] { // the same port bound on 0.0.0.0 and :: is one port
					seen[k] = true
					x.ports[k] = append(x.ports[k], s)
				}
				continue
			}
			k := rangeKey{t.ContainerInstanceARN, b.Proto}
			x.ranges[k] = append(x.ranges[k], rangeSpan{b.HostPort, b.HostPortLast, s})
		}
	}
	for _, in := range insts {
		x.instByARN[in.ARN] = in
		s := span[Instance]{Start: ownership.StartNanos(in.Valid.Start), End: ownership.EndNanos(in.Valid.End), Owner: in}
		for _, e := range []string{in.ENI, in.TrunkENI} {
			if e != "" {
				x.instENI[e] = append(x.instENI[e], s)
			}
		}
		if in.IPv4.IsValid() {
			x.instIP[in.IPv4] = append(x.instIP[in.IPv4], s)
		}
		if in.IPv6.IsValid() {
			x.instIP[in.IPv6] = append(x.instIP[in.IPv6], s)
		}
	}
	taskCut := func(t *Task) int64 {
		if t.lastTraffic().IsZero() {
			return 0
		}
		return t.lastTraffic().UnixNano()
	}
	noCut := func(*Instance) int64 { return 0 }
	for k, v := range x.eni {
		x.eni[k] = ownership.Disjoint(v, taskCut, nil)
	}
	for k, v := range x.ip {
		x.ip[k] = ownership.Disjoint(v, taskCut, nil)
	}
	for k, v := range x.ports {
		x.ports[k] = ownership.Disjoint(v, taskCut, nil)
	}
	for k, v := range x.instENI {
		x.instENI[k] = ownership.Disjoint(v, noCut, nil)
	}
	for k, v := range x.instIP {
		x.instIP[k] = ownership.Disjoint(v, noCut, nil)
	}
	return x
}

func find[T any](v []span[T], n int64) *T {
	lo, hi := 0, len(v)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v[m].Start <= n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 || n >= v[lo-1].End {
		return nil
	}
	return v[lo-1].Owner
}

// TaskByENI returns the task whose ENI (awsvpc networkInterfaceId) was eni
// at time t.
func (x *Index) TaskByENI(eni string, t time.Time) (*Task, bool) {
	r := find(x.eni[eni], t.UnixNano())
	return r, r != nil
}

// TaskByIP returns the task that held private address a (IPv4 or IPv6) at
// time t. IPv4-mapped IPv6 addresses are treated as IPv4.
func (x *Index) TaskByIP(a netip.Addr, t time.Time) (*Task, bool) {
	r := find(x.ip[a.Unmap()], t.UnixNano())
	return r, r != nil
}

// InstanceByENI returns the container instance whose primary (or trunk) ENI
// was eni at time t.
func (x *Index) InstanceByENI(eni string, t time.Time) (*Instance, bool) {
	r := find(x.instENI[eni], t.UnixNano())
	return r, r != nil
}

// InstanceByIP returns the container instance whose primary ENI held address
// a at time t.
func (x *Index) InstanceByIP(a netip.Addr, t time.Time) (*Instance, bool) {
	r := find(x.instIP[a.Unmap()], t.UnixNano())
	return r, r != nil
}

// TaskByHostPort returns the bridge- or host-mode task that held hostPort
// (proto 6 TCP or 17 UDP, as in flow logs) on container instance
// instanceARN at time t, from its containers' networkBindings.
func (x *Index) TaskByHostPort(instanceARN string, hostPort uint16, proto uint8, t time.Time) (*Task, bool) {
	n := t.UnixNano()
	if r := find(x.ports[portKey{instanceARN, proto, hostPort}], n); r != nil {
		return r, true
	}
	for _, rs := range x.ranges[rangeKey{instanceARN, proto}] {
		if rs.lo <= hostPort && hostPort <= rs.hi && rs.Start <= n && n < rs.End {
			return rs.Owner, true
		}
	}
	return nil, false
}

// Task returns the task with the given ARN.
func (x *Index) Task(arn string) (*Task, bool) {
	t, ok := x.taskByARN[arn]
	return t, ok
}

// Instance returns the container instance with the given ARN.
func (x *Index) Instance(arn string) (*Instance, bool) {
	in, ok := x.instByARN[arn]
	return in, ok
}

// Tasks returns every task, ordered by start of validity then ARN. The
// slice is shared: do not modify it.
func (x *Index) Tasks() []*Task { return x.tasks }

// Instances returns every container instance, ordered by registration then
// ARN. The slice is shared: do not modify it.
func (x *Index) Instances() []*Instance { return x.instances }
