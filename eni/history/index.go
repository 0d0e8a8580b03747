package history

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/ownership"
	"github.com/ecsnet/ecsnet/netmode"
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
	// runs holds, per instance and protocol, the host ports that
	// hostPortRange bindings cover, cut into runs sorted by port; a lookup
	// of a port in a run answers from the run, else from ports.
	runs map[rangeKey][]portRun
}

// span is one owner's hold on a key, [Start, End) in Unix nanoseconds,
// made disjoint per key by the rule attribution shares (internal/ownership).
type span[T any] = ownership.Span[T]

type portKey struct {
	instance string
	proto    netmode.Protocol
	port     uint16
}

type rangeKey struct {
	instance string
	proto    netmode.Protocol
}

// portBinding is one task's hold on host ports lo..hi (lo == hi for a
// single port) while the index is built.
type portBinding struct {
	lo, hi uint16
	span[Task]
}

// portRun is a run of host ports lo..hi that the same bindings cover
// (hostPortRange ones, and single ports inside a range): every port of it
// has the owners a single-port binding of each would give it.
type portRun struct {
	lo, hi uint16
	owners []span[Task]
}

// NewIndex returns an Index over tasks and container instances given as
// values, for task data that does not come from ECS's API, its events or a
// Watcher's file (those go through a [Builder]). Each task's and instance's
// Valid bounds when it held its keys; a task's ExecutionStoppedAt, when
// set, is its last possible traffic (see [Index]). It copies its input.
// ARNs must be distinct and non-empty, and each address of its field's
// family (an IPv4-mapped IPv6 address is taken as the IPv4 one): the
// error names the first that is not.
func NewIndex(tasks []Task, instances []Instance) (*Index, error) {
	ts := make([]*Task, len(tasks))
	seen := make(map[string]bool, len(tasks)+len(instances))
	for i := range tasks {
		c := tasks[i]
		if c.ARN == "" || seen[c.ARN] {
			return nil, fmt.Errorf("history: task %d: ARN %q is empty or repeated", i, c.ARN)
		}
		seen[c.ARN] = true
		c.Bindings = slices.Clone(c.Bindings)
		c.IPv4, c.IPv6 = c.IPv4.Unmap(), c.IPv6.Unmap()
		if err := addressFamilies(c.IPv4, c.IPv6); err != nil {
			return nil, fmt.Errorf("history: task %d (%s): %w", i, c.ARN, err)
		}
		ts[i] = &c
	}
	clear(seen)
	is := make([]*Instance, len(instances))
	for i := range instances {
		c := instances[i]
		if c.ARN == "" || seen[c.ARN] {
			return nil, fmt.Errorf("history: container instance %d: ARN %q is empty or repeated", i, c.ARN)
		}
		seen[c.ARN] = true
		c.IPv4, c.IPv6 = c.IPv4.Unmap(), c.IPv6.Unmap()
		if err := addressFamilies(c.IPv4, c.IPv6); err != nil {
			return nil, fmt.Errorf("history: container instance %d (%s): %w", i, c.ARN, err)
		}
		is[i] = &c
	}
	return newIndex(ts, is), nil
}

// addressFamilies refuses an IPv6 address in an IPv4 field and the
// reverse (an IPv4-mapped IPv6 address is the IPv4 one): the history's
// files and interval table keep each in its own column, and a row with
// the other family is refused when read back.
func addressFamilies(v4, v6 netip.Addr) error {
	if v4.IsValid() && !v4.Is4() {
		return fmt.Errorf("IPv4 %s is an IPv6 address", v4)
	}
	if v6.IsValid() && !v6.Is6() {
		return fmt.Errorf("IPv6 %s is an IPv4 address", v6)
	}
	return nil
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
		runs:      map[rangeKey][]portRun{},
	}
	bound := map[rangeKey][]portBinding{} // every binding, in task order
	hasRange := map[rangeKey]bool{}
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
		if t.ContainerInstanceARN == "" || t.NetworkMode == netmode.ModeAWSVPC || t.ENI != "" {
			continue
		}
		seen := map[portKey]bool{}
		for _, b := range t.Bindings {
			rk := rangeKey{t.ContainerInstanceARN, b.Proto}
			if b.HostPort < b.HostPortLast {
				hasRange[rk] = true
				bound[rk] = append(bound[rk], portBinding{b.HostPort, b.HostPortLast, s})
				continue
			}
			k := portKey{t.ContainerInstanceARN, b.Proto, b.HostPort}
			if !seen[k] { // the same port bound on 0.0.0.0 and :: is one port
				seen[k] = true
				x.ports[k] = append(x.ports[k], s)
				bound[rk] = append(bound[rk], portBinding{b.HostPort, b.HostPort, s})
			}
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
		return ownership.Nanos(t.lastTraffic())
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
	for k := range hasRange {
		x.runs[k] = portRuns(bound[k], taskCut)
	}
	for k, v := range x.instENI {
		x.instENI[k] = ownership.Disjoint(v, noCut, nil)
	}
	for k, v := range x.instIP {
		x.instIP[k] = ownership.Disjoint(v, noCut, nil)
	}
	return x
}

// portRuns cuts the ports that one instance's and protocol's range bindings
// cover into runs with the same bindings, and resolves each run's owners
// with the rule of single ports: a range is, port by port, the same claim
// as a single-port binding, so an owner of any port is the one it would be
// if every range were written out port by port. bs is in task order (the
// order ties keep in x.ports).
func portRuns(bs []portBinding, cut func(*Task) int64) []portRun {
	var runs []portRun
	ownership.Runs(len(bs), func(i int) int { return int(bs[i].lo) }, func(i int) int { return int(bs[i].hi) },
		func(lo, hi int, covering []int) {
			// Ports no range covers stay in x.ports alone.
			if !slices.ContainsFunc(covering, func(j int) bool { return bs[j].lo < bs[j].hi }) {
				return
			}
			owners := make([]span[Task], len(covering))
			for k, j := range covering {
				owners[k] = bs[j].span
			}
			runs = append(runs, portRun{uint16(lo), uint16(hi), ownership.Disjoint(owners, cut, nil)})
		})
	return runs
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
	r := find(x.eni[eni], ownership.Nanos(t))
	return r, r != nil
}

// TaskByIP returns the task that held private address a (IPv4 or IPv6) at
// time t. IPv4-mapped IPv6 addresses are treated as IPv4.
func (x *Index) TaskByIP(a netip.Addr, t time.Time) (*Task, bool) {
	r := find(x.ip[a.Unmap()], ownership.Nanos(t))
	return r, r != nil
}

// InstanceByENI returns the container instance whose primary (or trunk) ENI
// was eni at time t.
func (x *Index) InstanceByENI(eni string, t time.Time) (*Instance, bool) {
	r := find(x.instENI[eni], ownership.Nanos(t))
	return r, r != nil
}

// InstanceByIP returns the container instance whose primary ENI held address
// a at time t.
func (x *Index) InstanceByIP(a netip.Addr, t time.Time) (*Instance, bool) {
	r := find(x.instIP[a.Unmap()], ownership.Nanos(t))
	return r, r != nil
}

// TaskByHostPort returns the bridge- or host-mode task that held hostPort
// (proto netmode.TCP or netmode.UDP) on container instance
// instanceARN at time t, from its containers' networkBindings.
//
// A hostPortRange binding holds each of its ports exactly as a single
// hostPort binding of that port would: when owners overlap in time on a
// port (ranges that overlap each other, a range and a single port, a
// replacement task reusing the range before the old one's stoppedAt), the
// port passes by the rule of the Index type, never by which binding was
// listed first.
func (x *Index) TaskByHostPort(instanceARN string, hostPort uint16, proto netmode.Protocol, t time.Time) (*Task, bool) {
	n := ownership.Nanos(t)
	if runs := x.runs[rangeKey{instanceARN, proto}]; len(runs) > 0 {
		lo, hi := 0, len(runs)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if runs[m].hi < hostPort {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < len(runs) && runs[lo].lo <= hostPort {
			r := find(runs[lo].owners, n)
			return r, r != nil
		}
	}
	r := find(x.ports[portKey{instanceARN, proto, hostPort}], n)
	return r, r != nil
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
