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
		g      Group
		peers  *topK[addrKey, peerVal]
		ports  *topK[uint32, struct{}]
		series map[int64]*bucket
	}
	byKey := map[string]*agg{}
	var order []string
	for _, st := range tasks {
		k := groupKey(g, st.info)
		a := byKey[k]
		if a == nil {
			a = &agg{
				g:      Group{Key: k},
				peers:  newTopK[addrKey, peerVal](e.cfg.peersKept, hashAddrKey),
				ports:  newTopK[uint32, struct{}](e.cfg.portsKept, hashUint32),
				series: map[int64]*bucket{},
			}
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
		a.peers.merge(&st.peers)
		st.flushPorts()
		a.ports.merge(&st.ports)
		for i, b := range st.ser.pts {
			if b == (bucket{}) {
				continue
			}
			n := st.ser.first + int64(i)
			x := a.series[n]
			if x == nil {
				x = &bucket{}
				a.series[n] = x
			}
			for d := range x.bytes {
				x.bytes[d] += b.bytes[d]
			}
		}
	}
	for _, k := range order {
		a := byKey[k]
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
		ns := make([]int64, 0, len(a.series))
		for n := range a.series {
			ns = append(ns, n)
		}
		slices.Sort(ns)
		for _, n := range ns {
			b := a.series[n]
			a.g.Series = append(a.g.Series, Point{Start: time.Unix(n*step, 0).UTC(),
				BytesIn: b.bytes[dirIngress], BytesOut: b.bytes[dirEgress], BytesUnknown: b.bytes[dirUnknown]})
		}
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
