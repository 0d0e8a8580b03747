package attribution

import (
	"cmp"
	"net/netip"
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
		u := &e.un[i]
		if u.t.Records == 0 {
			continue
		}
		x := Unattributed{Reason: Reason(i), Totals: u.t}
		for _, ie := range u.ifaces.sorted(strings.Compare) {
			x.TopInterfaces = append(x.TopInterfaces, Interface{ID: ie.key, Bytes: ie.bytes, Records: ie.records, MaxError: ie.err})
		}
		r.Unattributed = append(r.Unattributed, x)
	}

	// Tasks in a deterministic order: history order is input order, which
	// callers control; sort by start, then ARN.
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
	slices.SortStableFunc(tasks, func(a, b *taskState) int {
		if c := a.info.Valid.Start.Compare(b.info.Valid.Start); c != 0 {
			return c
		}
		return strings.Compare(a.info.ARN, b.info.ARN)
	})

	step := int64(e.cfg.step / time.Second)
	type agg struct {
		g     Group
		peers *topK[addrKey, peerVal]
		ports *topK[uint32, struct{}]
		ser   []*series // the group's tasks' series, summed at the end
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
		if in := e.ix.instByARN[st.info.ContainerInstanceARN]; in != nil && !slices.Contains(a.g.Instances, in.info) {
			a.g.Instances = append(a.g.Instances, in.info)
		}
		if st.fromECSFields {
			a.g.ECSFieldOnlyTasks++
		}
		a.g.Counters.add(st.c)
		a.g.InferredBytes += st.inferredBytes
		a.g.InferredRecords += st.inferredRecords
		for i, b := range st.classBytes(e.cfg.noPeers) {
			a.g.ClassBytes[i] += b
		}
		st.flushPorts()
		switch {
		case a.only == nil && a.peers == nil:
			a.only = st
		default:
			if a.peers == nil {
				a.peers = newTopK[addrKey, peerVal](e.cfg.peersKept, hashAddrKey)
				a.ports = newTopK[uint32, struct{}](e.cfg.portsKept, hashUint32)
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
	}
	for _, k := range order {
		a := byKey[k]
		if a.only != nil {
			a.peers, a.ports = &a.only.peers, &a.only.ports
		}
		for _, pe := range a.peers.sorted(compareAddrKey) {
			addr := pe.key.addr()
			bits := e.cfg.v6Bits
			if addr.Is4() {
				bits = e.cfg.v4Bits
			}
			pfx := netip.PrefixFrom(addr, min(bits, addr.BitLen()))
			a.g.TopPeers = append(a.g.TopPeers, Peer{Prefix: pfx, Service: pe.val.service, Class: PeerClass(pe.tag),
				Bytes: pe.bytes, Packets: pe.packets, Records: pe.records, MaxError: pe.err})
		}
		for _, pe := range a.ports.sorted(cmp.Compare[uint32]) {
			a.g.TopPorts = append(a.g.TopPorts, Port{Protocol: uint8(pe.key >> 16), Port: uint16(pe.key),
				Bytes: pe.bytes, Packets: pe.packets, Records: pe.records, MaxError: pe.err})
		}
		a.g.Series = sumSeries(a.ser, step)
		r.Groups = append(r.Groups, a.g)
	}
	slices.SortStableFunc(r.Groups, func(a, b Group) int {
		if a.Bytes() != b.Bytes() {
			return cmp.Compare(b.Bytes(), a.Bytes())
		}
		return strings.Compare(a.Key, b.Key)
	})
	return r
}

// sumSeries adds up the series of a group's tasks into its non-empty
// points, in time order. A group whose tasks' buckets span at most
// denseBuckets is summed in one slice (no map, no allocation per bucket:
// taking a Result of thousands of task groups is dominated by this);
// wider spans (tasks far apart in time) go through a map.
func sumSeries(ss []*series, step int64) []Point {
	if len(ss) == 0 {
		return nil
	}
	lo, hi := ss[0].first, ss[0].first+int64(len(ss[0].pts))
	for _, s := range ss[1:] {
		lo, hi = min(lo, s.first), max(hi, s.first+int64(len(s.pts)))
	}
	point := func(n int64, b bucket) Point {
		return Point{Start: time.Unix(n*step, 0).UTC(),
			BytesIn: b.bytes[dirIngress], BytesOut: b.bytes[dirEgress], BytesUnknown: b.bytes[dirUnknown]}
	}
	var out []Point
	const denseBuckets = 1 << 16
	if hi-lo <= denseBuckets {
		sum := ss[0].pts
		if len(ss) > 1 {
			sum = make([]bucket, hi-lo)
			for _, s := range ss {
				off := s.first - lo
				for i, b := range s.pts {
					for d := range b.bytes {
						sum[off+int64(i)].bytes[d] = satAdd(sum[off+int64(i)].bytes[d], b.bytes[d])
					}
				}
			}
		}
		n := 0
		for _, b := range sum {
			if b != (bucket{}) {
				n++
			}
		}
		out = make([]Point, 0, n)
		for i, b := range sum {
			if b != (bucket{}) {
				out = append(out, point(lo+int64(i), b))
			}
		}
		return out
	}
	m := map[int64]*bucket{}
	for _, s := range ss {
		for i, b := range s.pts {
			if b == (bucket{}) {
				continue
			}
			n := s.first + int64(i)
			x := m[n]
			if x == nil {
				x = &bucket{}
				m[n] = x
			}
			for d := range x.bytes {
				x.bytes[d] = satAdd(x.bytes[d], b.bytes[d])
			}
		}
	}
	ns := make([]int64, 0, len(m))
	for n := range m {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	out = make([]Point, 0, len(ns))
	for _, n := range ns {
		out = append(out, point(n, *m[n]))
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
