package attribution

import (
	"cmp"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
)

// result builds the snapshot grouped by g.
func (e *engine) result(g GroupBy) *Result {
	r := e.resultHead(g)
	r.Groups = groupTasks(g, e.activeTasks(), &e.cfg, e.instance)
	return r
}

// resultHead is result(g) without its groups.
func (e *engine) resultHead(g GroupBy) *Result {
	e.flush()
	r := &Result{By: g, Total: e.total, Stats: e.stats, Step: e.cfg.step}
	if e.seen {
		r.First, r.Last = time.Unix(e.first, 0).UTC(), time.Unix(e.last, 0).UTC()
	}
	for i := range e.un {
		if u := &e.un[i]; u.t.Records > 0 {
			r.Unattributed = append(r.Unattributed, unattributedResult(Reason(i), u.t, u.ifaces.sorted(strings.Compare)))
		}
	}
	return r
}

// groups yields the groups of result(g).Groups one at a time, into one
// Group whose memory each yield reuses.
func (e *engine) groups(g GroupBy) iter.Seq[*Group] {
	return func(yield func(*Group) bool) {
		e.flush()
		streamGroups(g, e.activeTasks(), &e.cfg, e.instance)(yield)
	}
}

// streamGroups yields groupTasks' groups one at a time, into one Group
// whose memory each yield reuses.
func streamGroups(g GroupBy, tasks []*taskState, cfg *config, inst func(*taskState) *history.Instance) iter.Seq[*Group] {
	return func(yield func(*Group) bool) {
		plans := planGroups(g, tasks)
		gr := newGrouper(cfg, inst)
		var grp Group
		for i := range plans {
			gr.fill(&grp, &plans[i], true)
			if !yield(&grp) {
				return
			}
		}
	}
}

// activeTasks returns the tasks that have records.
func (e *engine) activeTasks() []*taskState {
	tasks := make([]*taskState, 0, len(e.ix.tasks)+len(e.ecsOnly))
	for _, from := range [][]*taskState{e.ix.tasks, e.ecsOnly} {
		for _, st := range from {
			if st.rollup != nil && st.c.Records > 0 {
				tasks = append(tasks, st)
			}
		}
	}
	return tasks
}

// instance returns the container instance the task ran on, as the
// history knows it, or nil.
func (e *engine) instance(st *taskState) *history.Instance {
	if st.inst != nil {
		return st.inst.info
	}
	return nil
}

// unattributedResult renders a reason's totals and its interfaces, sorted.
func unattributedResult(r Reason, t Totals, ifaces []topEntry[string, struct{}]) Unattributed {
	x := Unattributed{Reason: r, Totals: t}
	for _, ie := range ifaces {
		x.TopInterfaces = append(x.TopInterfaces, interfaceOf(ie))
	}
	return x
}

// groupTasks rolls the tasks (those with records) up by g, heaviest group
// first; inst tells a task's container instance.
func groupTasks(g GroupBy, tasks []*taskState, cfg *config, inst func(*taskState) *history.Instance) []Group {
	plans := planGroups(g, tasks)
	gr := newGrouper(cfg, inst)
	out := make([]Group, len(plans))
	for i := range plans {
		gr.fill(&out[i], &plans[i], false)
	}
	return out
}

// groupPlan is a group before its details: its tasks and counters, which
// rank it.
type groupPlan struct {
	key   string
	c     Counters
	tasks []*taskState
}

// planGroups groups the tasks (those with records) by g, heaviest
// (Counters.Bytes: in + out + unknown) first, ties by key; a group's tasks
// by start, then ARN.
func planGroups(g GroupBy, tasks []*taskState) []groupPlan {
	// Tasks in a deterministic order: history order is input order, which
	// callers control; sort by start, then ARN, then input order (as a
	// stable sort would). At 10,000 tasks the sorts were a quarter of
	// taking the groups: they read each task's history record, scattered
	// in memory, at every comparison, and moved 112-byte plans. Both now
	// sort small copies of their keys.
	type taskKey struct {
		sec  int64
		nsec int32
		i    int32
		arn  string
	}
	keys := make([]taskKey, len(tasks))
	for i, st := range tasks {
		s := st.info.Valid.Start
		keys[i] = taskKey{s.Unix(), int32(s.Nanosecond()), int32(i), st.info.ARN}
	}
	slices.SortFunc(keys, func(a, b taskKey) int {
		if a.sec != b.sec {
			return cmp.Compare(a.sec, b.sec)
		}
		if a.nsec != b.nsec {
			return cmp.Compare(a.nsec, b.nsec)
		}
		if c := strings.Compare(a.arn, b.arn); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	sorted := make([]*taskState, len(tasks))
	for i, k := range keys {
		sorted[i] = tasks[k.i]
	}
	copy(tasks, sorted)

	byKey := make(map[string]int, len(tasks))
	var plans []groupPlan
	if g == ByTask {
		plans = make([]groupPlan, 0, len(tasks))
	}
	for i, st := range tasks {
		k := groupKey(g, st.info)
		j, ok := byKey[k]
		if !ok {
			j = len(plans)
			byKey[k] = j
			plans = append(plans, groupPlan{key: k, tasks: tasks[i : i+1 : i+1]})
		} else {
			plans[j].tasks = append(plans[j].tasks, st)
		}
		plans[j].c.add(st.c)
	}
	// Heaviest first, ties by key: keys are unique, so the order is total.
	type planKey struct {
		bytes uint64
		key   string
		i     int
	}
	order := make([]planKey, len(plans))
	for i := range plans {
		order[i] = planKey{plans[i].c.Bytes(), plans[i].key, i}
	}
	slices.SortFunc(order, func(a, b planKey) int {
		if a.bytes != b.bytes {
			return cmp.Compare(b.bytes, a.bytes)
		}
		return strings.Compare(a.key, b.key)
	})
	out := make([]groupPlan, len(plans))
	for r, k := range order {
		out[r] = plans[k.i]
	}
	return out
}

// grouper builds groups from their plans, keeping what one group needs
// only while it is built (the summed summaries of a group of several
// tasks, the sorted entries) to reuse for the next.
type grouper struct {
	cfg    *config
	inst   func(*taskState) *history.Instance
	step   int64
	peers  *topSum[addrKey, peerVal] // a group's tasks' summaries added up
	ports  *topSum[uint32, struct{}]
	peerEs []topEntry[addrKey, peerVal]
	portEs []topEntry[uint32, struct{}]
	taskEs []topEntry[uint32, struct{}] // a task's port entries
	ord    []uint64                     // a one-task group's peer entries, in order (appendOrder)
	ser    []*series                    // the group's tasks' series
	pts    [][]Point                    // and those of tasks restored from a Partial
	// instSeen holds the ARNs of the instances of a group of more than
	// manyInstances tasks found so far.
	instSeen map[string]bool
}

// manyInstances is the most tasks of a group whose instances are
// collected by a scan of those found so far; a larger group's are
// collected through instSeen (a cluster's group of 100,000 tasks over
// 5,000 instances took seconds to scan).
const manyInstances = 16

func newGrouper(cfg *config, inst func(*taskState) *history.Instance) *grouper {
	return &grouper{cfg: cfg, inst: inst, step: int64(cfg.step / time.Second),
		peers: newTopSum[addrKey, peerVal](cfg.peersKept, hashAddrKey, compareAddrKey),
		ports: newTopSum[uint32, struct{}](cfg.portsKept, hashUint32, cmp.Compare[uint32])}
}

// addTask adds the task's peer and port summaries, with their bounds, to
// the group's.
func (gr *grouper) addTask(st *taskState) {
	if r := st.restored; r != nil {
		gr.peers.begin()
		for i := range r.part.Peers {
			gr.peers.put(peerEntry(&r.part.Peers[i], r.svc))
		}
		gr.peers.end(r.part.PeersBound)
		gr.ports.begin()
		for i := range r.part.Ports {
			gr.ports.put(portEntry(&r.part.Ports[i]))
		}
		gr.ports.end(r.part.PortsBound)
		return
	}
	gr.peers.add(&st.peers)
	var bound uint64
	gr.taskEs, bound = st.portEntries(gr.taskEs[:0])
	gr.ports.begin()
	for _, e := range gr.taskEs {
		gr.ports.put(e)
	}
	gr.ports.end(bound)
}

// fill sets *dst to p's group. With reuse its slices are reused, else
// they are new and no longer than needed (a Result keeps them all).
func (gr *grouper) fill(dst *Group, p *groupPlan, reuse bool) {
	var tasks []*history.Task
	var insts []*history.Instance
	var peers []Peer
	var ports []Port
	var pts []Point
	if reuse {
		tasks, insts, peers, ports, pts = dst.Tasks[:0], dst.Instances[:0], dst.TopPeers[:0], dst.TopPorts[:0], dst.Series[:0]
	} else {
		tasks = make([]*history.Task, 0, len(p.tasks))
	}
	*dst = Group{Key: p.key, Counters: p.c}
	gr.ser, gr.pts = gr.ser[:0], gr.pts[:0]
	many := len(p.tasks) > manyInstances
	if many {
		if gr.instSeen == nil {
			gr.instSeen = map[string]bool{}
		}
		clear(gr.instSeen)
	}
	for _, st := range p.tasks {
		tasks = append(tasks, st.info)
		// By ARN: tasks restored from partials read apart have instances
		// of their own.
		switch inst := gr.inst(st); {
		case inst == nil:
		case many:
			if !gr.instSeen[inst.ARN] {
				gr.instSeen[inst.ARN] = true
				insts = append(insts, inst)
			}
		case !slices.ContainsFunc(insts, func(x *history.Instance) bool { return x.ARN == inst.ARN }):
			insts = append(insts, inst)
		}
		if st.fromECSFields {
			dst.ECSFieldOnlyTasks++
		}
		ib, ir := st.inferred()
		dst.InferredBytes += ib
		dst.InferredRecords += ir
		all, in, out := st.classBytes(gr.cfg.noPeers)
		for i := range all {
			dst.ClassBytes[i] += all[i]
			dst.ClassBytesIn[i] += in[i]
			dst.ClassBytesOut[i] += out[i]
		}
		if len(st.ser.cells) > 0 {
			gr.ser = append(gr.ser, &st.ser)
		}
		if st.restored != nil && len(st.restored.pts) > 0 {
			gr.pts = append(gr.pts, st.restored.pts)
		}
	}
	dst.Tasks, dst.Instances = tasks, insts

	// A group of one task (most groups by task) ranks its task's
	// summaries as they are; several, or one restored from a Partial
	// (whose counts are 64-bit, where a task's own entries count records
	// in 32), are added up in task order by Merge's rule (topSum).
	if st := p.tasks[0]; len(p.tasks) == 1 && st.restored == nil {
		// The task's entries are rendered where they are, in the
		// order appendSorted would copy them out.
		gr.ord = st.peers.appendOrder(gr.ord[:0], compareAddrKey)
		if !reuse && len(gr.ord) > 0 {
			peers = make([]Peer, 0, len(gr.ord))
		}
		peers = gr.cfg.appendTaskPeers(peers, &st.peers, gr.ord)
		gr.portEs, _ = st.portEntries(gr.portEs[:0])
		sortEntries(gr.portEs, cmp.Compare[uint32])
	} else {
		gr.peers.reset()
		gr.ports.reset()
		for _, st := range p.tasks {
			gr.addTask(st)
		}
		gr.peerEs = gr.peers.appendSorted(gr.peerEs[:0])
		gr.portEs = gr.ports.appendSorted(gr.portEs[:0])
		if !reuse && len(gr.peerEs) > 0 {
			peers = make([]Peer, 0, len(gr.peerEs))
		}
		peers = gr.cfg.appendPeers(peers, gr.peerEs)
	}
	if !reuse && len(gr.portEs) > 0 {
		ports = make([]Port, 0, len(gr.portEs))
	}
	for _, pe := range gr.portEs {
		ports = append(ports, portOf(pe))
	}
	dst.TopPeers, dst.TopPorts = peers, ports
	dst.Series = sumSeries(pts, gr.ser, gr.pts, gr.step)
}

// sumSeries adds up the series of a group's tasks into its non-empty
// points, in time order. One series is its points already; a group whose
// tasks' buckets span at most denseBuckets, most of them used, is summed in
// one slice (no map, no allocation per bucket: taking a Result of
// thousands of task groups is dominated by this); wider or sparser spans
// (tasks far apart in time, quiet tasks over a week) are summed from their
// used buckets, sorted, and so are the point lists of tasks restored from
// a Partial (pls). The points are appended to dst; a nil dst gets a
// slice no longer than needed.
func sumSeries(dst []Point, ss []*series, pls [][]Point, step int64) []Point {
	if len(ss) == 0 && len(pls) == 0 {
		return dst
	}
	point := func(n int64, b bucket) Point {
		return Point{Start: time.Unix(n*step, 0).UTC(),
			BytesIn: b.bytes[dirIngress], BytesOut: b.bytes[dirEgress], BytesUnknown: b.bytes[dirUnknown]}
	}
	if len(ss) == 1 && len(pls) == 0 {
		return ss[0].appendPoints(dst, step)
	}
	var lo, hi int64
	if len(ss) > 0 {
		lo, hi = ss[0].bounds()
	}
	count := 0
	for _, s := range ss {
		l, h := s.bounds()
		lo, hi = min(lo, l), max(hi, h)
		count += s.buckets()
	}
	const denseBuckets = 1 << 16
	// The span as uint64: hi-lo wraps an int64 for tasks far apart in
	// time (one-second buckets of any int64 start).
	if span := uint64(hi) - uint64(lo); len(pls) == 0 && span <= denseBuckets && span <= 4*uint64(count)+sparseMin {
		sum := make([]bucket, hi-lo)
		for _, s := range ss {
			s.each(func(n int64, b bucket) {
				x := &sum[n-lo]
				for d := range b.bytes {
					x.bytes[d] = satAdd(x.bytes[d], b.bytes[d])
				}
			})
		}
		out := dst
		if out == nil {
			n := 0
			for _, b := range sum {
				if b != (bucket{}) {
					n++
				}
			}
			out = make([]Point, 0, n)
		}
		for i, b := range sum {
			if b != (bucket{}) {
				out = append(out, point(lo+int64(i), b))
			}
		}
		return out
	}
	// Tasks far apart in time, sparse, or restored from a Partial (point
	// lists): the used buckets, sorted by number and added up where they
	// meet.
	type numbered struct {
		n int64
		b bucket
	}
	all := make([]numbered, 0, count)
	for _, s := range ss {
		s.each(func(n int64, b bucket) {
			if b != (bucket{}) {
				all = append(all, numbered{n, b})
			}
		})
	}
	for _, pl := range pls {
		for _, p := range pl {
			var b bucket
			b.bytes[dirIngress], b.bytes[dirEgress], b.bytes[dirUnknown] = p.BytesIn, p.BytesOut, p.BytesUnknown
			all = append(all, numbered{p.Start.Unix() / step, b})
		}
	}
	slices.SortStableFunc(all, func(a, b numbered) int { return cmp.Compare(a.n, b.n) })
	out := dst
	for i := 0; i < len(all); {
		x := all[i]
		for i++; i < len(all) && all[i].n == x.n; i++ {
			for d := range x.b.bytes {
				x.b.bytes[d] = satAdd(x.b.bytes[d], all[i].b.bytes[d])
			}
		}
		out = append(out, point(x.n, x.b))
	}
	return out
}

func compareAddrKey(a, b addrKey) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}

// groupKey returns the task's key under g. Tasks without a value for g
// (standalone tasks have no service; Fargate tasks no container instance)
// share the key "".
func groupKey(g GroupBy, t *history.Task) string {
	switch g {
	case ByService:
		return t.Group
	case ByFamily:
		return t.Family
	case ByInstance:
		return t.ContainerInstanceARN
	case ByCluster:
		return cmp.Or(t.ClusterARN, t.Cluster())
	}
	return t.ARN
}
