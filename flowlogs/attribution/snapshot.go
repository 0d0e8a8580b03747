package attribution

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
)

// result builds the snapshot grouped by g.
func (e *engine) result(g GroupBy) *Result {
	e.flush()
	r := &Result{By: g, Total: e.total, Stats: e.stats, Step: e.cfg.step}
	if e.seen {
		r.First, r.Last = time.Unix(e.first, 0).UTC(), time.Unix(e.last, 0).UTC()
	}
	for i := range e.un {
		if u := &e.un[i]; u.t.Records > 0 {
			r.Unattributed = append(r.Unattributed, unattributedResult(Reason(i), u.t, u.ifaces))
		}
	}
	tasks := make([]*taskState, 0, len(e.ix.tasks)+len(e.ecsOnly))
	for _, st := range e.ix.tasks {
		if st.c.Records > 0 {
			tasks = append(tasks, st)
		}
	}
	for _, st := range e.ecsOnly {
		if st.c.Records > 0 {
			tasks = append(tasks, st)
		}
	}
	r.Groups = groupTasks(g, tasks, &e.cfg, func(st *taskState) *history.Instance {
		if in := e.ix.instByARN[st.info.ContainerInstanceARN]; in != nil {
			return in.info
		}
		return nil
	})
	return r
}

func unattributedResult(r Reason, t Totals, ifaces *topK[string, struct{}]) Unattributed {
	x := Unattributed{Reason: r, Totals: t}
	for _, ie := range ifaces.sorted(strings.Compare) {
		x.TopInterfaces = append(x.TopInterfaces, interfaceOf(ie))
	}
	return x
}

// groupTasks rolls the tasks (those with records) up by g, heaviest group
// first; inst tells a task's container instance.
func groupTasks(g GroupBy, tasks []*taskState, cfg *config, inst func(*taskState) *history.Instance) []Group {
	// Tasks in a deterministic order: history order is input order, which
	// callers control; sort by start, then ARN.
	slices.SortStableFunc(tasks, func(a, b *taskState) int {
		if c := a.info.Valid.Start.Compare(b.info.Valid.Start); c != 0 {
			return c
		}
		return strings.Compare(a.info.ARN, b.info.ARN)
	})

	step := int64(cfg.step / time.Second)
	type agg struct {
		g     Group
		peers *topK[addrKey, peerVal]
		ports *topK[uint32, struct{}]
		ser   []*series // the group's tasks' series, summed at the end
		pts   [][]Point // and those of tasks restored from a Partial
		// only is the group's task while it has one: its summaries are
		// the group's as they are, so they are merged into new ones only
		// when a second task joins (most groups by task have one).
		only *taskState
	}
	byKey := map[string]*agg{}
	var order []string
	for _, st := range tasks {
		k := groupKey(g, st.info)
		a := byKey[k]
		if a == nil {
			a = &agg{g: Group{Key: k}}
			byKey[k] = a
			order = append(order, k)
		}
		a.g.Tasks = append(a.g.Tasks, st.info)
		// By ARN: tasks restored from partials read apart have instances
		// of their own.
		if in := inst(st); in != nil && !slices.ContainsFunc(a.g.Instances, func(x *history.Instance) bool { return x.ARN == in.ARN }) {
			a.g.Instances = append(a.g.Instances, in)
		}
		if st.fromECSFields {
			a.g.ECSFieldOnlyTasks++
		}
		a.g.Counters.add(st.c)
		a.g.InferredBytes += st.inferredBytes
		a.g.InferredRecords += st.inferredRecords
		all, in, out := st.classBytes(cfg.noPeers)
		for i := range all {
			a.g.ClassBytes[i] += all[i]
			a.g.ClassBytesIn[i] += in[i]
			a.g.ClassBytesOut[i] += out[i]
		}
		st.flushPorts()
		switch {
		case a.only == nil && a.peers == nil:
			a.only = st
		default:
			if a.peers == nil {
				a.peers = newTopK[addrKey, peerVal](cfg.peersKept, hashAddrKey)
				a.ports = newTopK[uint32, struct{}](cfg.portsKept, hashUint32)
				a.peers.merge(&a.only.peers)
				a.ports.merge(&a.only.ports)
				a.only = nil
			}
			a.peers.merge(&st.peers)
			a.ports.merge(&st.ports)
		}
		if len(st.ser.pts) > 0 {
			a.ser = append(a.ser, &st.ser)
		}
		if st.restored != nil && len(st.restored.pts) > 0 {
			a.pts = append(a.pts, st.restored.pts)
		}
	}
	out := make([]Group, 0, len(order))
	for _, k := range order {
		a := byKey[k]
		if a.only != nil {
			a.peers, a.ports = &a.only.peers, &a.only.ports
		}
		for _, pe := range a.peers.sorted(compareAddrKey) {
			a.g.TopPeers = append(a.g.TopPeers, cfg.peer(pe))
		}
		for _, pe := range a.ports.sorted(cmp.Compare[uint32]) {
			a.g.TopPorts = append(a.g.TopPorts, portOf(pe))
		}
		a.g.Series = sumSeries(a.ser, a.pts, step)
		out = append(out, a.g)
	}
	slices.SortStableFunc(out, func(a, b Group) int {
		if a.Bytes() != b.Bytes() {
			return cmp.Compare(b.Bytes(), a.Bytes())
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// sumSeries adds up the series of a group's tasks into its non-empty
// points, in time order. One series is its points already; a group whose
// tasks' buckets span at most denseBuckets, most of them used, is summed in
// one slice (no map, no allocation per bucket: taking a Result of
// thousands of task groups is dominated by this); wider or sparser spans
// (tasks far apart in time, quiet tasks over a week) are summed from their
// used buckets, sorted, and so are the point lists of tasks restored from
// a Partial (pls).
func sumSeries(ss []*series, pls [][]Point, step int64) []Point {
	if len(ss) == 0 && len(pls) == 0 {
		return nil
	}
	point := func(n int64, b bucket) Point {
		return Point{Start: time.Unix(n*step, 0).UTC(),
			BytesIn: b.bytes[dirIngress], BytesOut: b.bytes[dirEgress], BytesUnknown: b.bytes[dirUnknown]}
	}
	if len(ss) == 1 && len(pls) == 0 {
		n := 0
		ss[0].each(func(_ int64, b bucket) {
			if b != (bucket{}) {
				n++
			}
		})
		out := make([]Point, 0, n)
		ss[0].each(func(n int64, b bucket) {
			if b != (bucket{}) {
				out = append(out, point(n, b))
			}
		})
		return out
	}
	var lo, hi int64
	if len(ss) > 0 {
		lo, hi = ss[0].bounds()
	}
	count := 0
	for _, s := range ss {
		l, h := s.bounds()
		lo, hi = min(lo, l), max(hi, h)
		count += len(s.pts)
	}
	const denseBuckets = 1 << 16
	if len(pls) == 0 && hi-lo <= denseBuckets && hi-lo <= 4*int64(count)+sparseMin {
		sum := make([]bucket, hi-lo)
		for _, s := range ss {
			s.each(func(n int64, b bucket) {
				x := &sum[n-lo]
				for d := range b.bytes {
					x.bytes[d] = satAdd(x.bytes[d], b.bytes[d])
				}
			})
		}
		n := 0
		for _, b := range sum {
			if b != (bucket{}) {
				n++
			}
		}
		out := make([]Point, 0, n)
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
	var out []Point
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
