package attribution

import (
	"cmp"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// TestGroupPeerUnderCount (from review): a group's top peer added up from
// several tasks' summaries is counted, in a task whose summary dropped
// it, at that summary's bound, as Merge counts a part's: so its bytes are
// never under-counted, and its MaxError says how much they may over-count.
func TestGroupPeerUnderCount(t *testing.T) {
	e := newTestEngine(WithTopK(2, 32))
	in := func(eni, dst, peer string, b uint64) {
		f := fl(eni, peer, dst, 443, 40000, b, 1)
		f.dir = dirIngress
		e.add(&f)
	}
	// web1 meets two peers: its summary is exact.
	in("eni-web1", "10.0.1.101", "1.1.1.1", 5000)
	in("eni-web1", "10.0.1.101", "1.1.1.2", 1)
	// web2 meets 1.1.1.1 a little, then heavier peers push it out.
	in("eni-web2", "10.0.2.102", "1.1.1.1", 10)
	in("eni-web2", "10.0.2.102", "2.2.2.2", 1000)
	in("eni-web2", "10.0.2.102", "3.3.3.3", 1000)
	in("eni-web2", "10.0.2.102", "4.4.4.4", 1000)
	const truth = 5010 // 1.1.1.1's bytes in service:web
	for name, r := range map[string]*Result{"Result": e.result(ByService), "Partial().Result": e.partial().Result(ByService)} {
		g := groupOf(t, r, "service:web")
		p := peerOf(t, g, "1.1.1.1")
		if p.Bytes < truth || p.Bytes-p.MaxError > truth {
			t.Errorf("%s: service:web peer 1.1.1.1: Bytes %d, MaxError %d; true bytes %d are not in [Bytes-MaxError, Bytes]", name, p.Bytes, p.MaxError, truth)
		}
		if p.MaxError == 0 {
			t.Errorf("%s: service:web peer 1.1.1.1: MaxError 0, but web2's summary dropped it", name)
		}
	}
	// By task, web1's summary is exact and shown as it is.
	if p := peerOf(t, groupOf(t, e.result(ByTask), arnWeb1), "1.1.1.1"); p.Bytes != 5000 || p.MaxError != 0 || p.Records != 1 {
		t.Errorf("web1's peer 1.1.1.1: %+v, want 5000 bytes exactly", p)
	}
}

func groupOf(t *testing.T, r *Result, key string) *Group {
	t.Helper()
	for i := range r.Groups {
		if r.Groups[i].Key == key {
			return &r.Groups[i]
		}
	}
	t.Fatalf("no group %s", key)
	return nil
}

func peerOf(t *testing.T, g *Group, addr string) Peer {
	t.Helper()
	for _, p := range g.TopPeers {
		if p.Prefix.Addr() == netip.MustParseAddr(addr) {
			return p
		}
	}
	t.Fatalf("%s: peer %s not kept in %+v", g.Key, addr, g.TopPeers)
	return Peer{}
}

// TestPartialRecordsBeyond32Bits (from review): a merged Partial's peer
// and port records, past 2³²−1, are shown as they are in a Result, not
// saturated with MaxError 0; and so are its interfaces'.
func TestPartialRecordsBeyond32Bits(t *testing.T) {
	e := newTestEngine()
	f := fl("eni-web1", "1.1.1.1", "10.0.1.101", 443, 40000, 100, 1)
	f.dir = dirIngress
	e.add(&f)
	u := fl("eni-zzz", "1.1.1.1", "10.9.9.9", 443, 40000, 100, 1)
	e.add(&u)
	p := e.partial()
	const n = 3_000_000_000 // records of one peer in each part (e.g. a day of a busy service)
	p.Total.Records = 2 * n
	p.Stats.ByMethod[ByENI].Records = n
	p.Tasks[0].Records = n
	p.Tasks[0].Peers[0].Records = n
	p.Tasks[0].Ports[0].Records = n
	p.Unattributed[0].Records = n
	p.Unattributed[0].TopInterfaces[0].Records = n
	m, err := Merge(p, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Tasks[0].Peers[0].Records; got != 2*n {
		t.Fatalf("merged partial: peer records %d", got)
	}
	for _, g := range allGroupBys {
		r := m.Result(g)
		grp := r.Groups[0]
		if grp.Records != 2*n {
			t.Fatalf("by %v: group records %d", g, grp.Records)
		}
		if pr := grp.TopPeers[0]; pr.Records != 2*n || pr.MaxError != 0 {
			t.Errorf("by %v: top peer: Records %d, MaxError %d; the partial says %d exactly", g, pr.Records, pr.MaxError, uint64(2*n))
		}
		if po := grp.TopPorts[0]; po.Records != 2*n || po.MaxError != 0 {
			t.Errorf("by %v: top port: Records %d, MaxError %d; the partial says %d exactly", g, po.Records, po.MaxError, uint64(2*n))
		}
		if x := r.Unattributed[0].TopInterfaces[0]; x.Records != 2*n || x.MaxError != 0 {
			t.Errorf("by %v: top interface: Records %d, MaxError %d; the partial says %d exactly", g, x.Records, x.MaxError, uint64(2*n))
		}
	}
}

// TestTopKRecordsSaturate: a task's own entry counts records in 32 bits;
// one that reached 2³²−1 is shown inexact (MaxError at least 1), and
// stays so in a Partial, a merge and a group, while its bytes stay
// exact within that bound.
func TestTopKRecordsSaturate(t *testing.T) {
	k := newTopK[int, struct{}](4, hashInt)
	k.addCount(1, hashInt(1), 1000, 10, math.MaxUint32-1)
	if e := k.entry(0); e.records != math.MaxUint32-1 || e.err != 0 {
		t.Fatalf("below saturation: %+v, want exact", e)
	}
	k.addCount(1, hashInt(1), 1000, 10, 2)
	if e := k.entry(0); e.records != math.MaxUint32 || e.err != 1 || e.bytes != 2000 {
		t.Fatalf("saturated: %+v, want records 2³²−1, err 1", e)
	}
	if es := k.byTag(); es[0] != 2000 {
		t.Fatalf("bytes by tag %d, want 2000: the flag is not an error of the summary's", es[0])
	}
	// Through the engine: a port cache entry's records, flushed twice
	// into the summary.
	e := newTestEngine()
	f := fl("eni-web1", "1.1.1.1", "10.0.1.101", 443, 40000, 100, 1)
	f.dir = dirIngress
	e.add(&f)
	e.flush()
	st := e.activeTasks()[0]
	st.flushPorts()
	st.ports.hot[0].records = math.MaxUint32 - 1
	st.peers.hot[0].records = math.MaxUint32 - 1
	e.add(&f)
	e.add(&f)
	for _, r := range []*Result{e.result(ByTask), e.result(ByService), e.partial().Result(ByService)} {
		g := r.Groups[0]
		if p := g.TopPeers[0]; p.Records != math.MaxUint32 || p.MaxError != 1 {
			t.Errorf("by %v: peer %+v, want Records 2³²−1 shown inexact", r.By, p)
		}
		if p := g.TopPorts[0]; p.Records != math.MaxUint32 || p.MaxError != 1 {
			t.Errorf("by %v: port %+v, want Records 2³²−1 shown inexact", r.By, p)
		}
	}
}

// TestGroupSummaryBounds: under every grouping, every top peer and port of
// every group brackets its key's true bytes, Bytes−MaxError ≤ true ≤
// Bytes, and has its true packets and records when MaxError is 0: for an
// Attributor's Result, its Partial's, and a Merge of random parts'
// partials, with summaries small enough to drop keys. The truth is an
// exact run's per-task figures (summaries with room for every key),
// added up by group here.
func TestGroupSummaryBounds(t *testing.T) {
	variants := [][]Option{
		{WithTopK(1, 1)},
		{WithTopK(2, 1)},
		{WithTopK(3, 2)},
		{WithTopK(5, 3), WithPeerPrefix(28, 64)},
		{WithTopK(8, 4)},
		{WithTopK(4, 2), WithPeerPrefix(26, 64)},
	}
	inexact, multi := 0, 0
	for round := range 24 {
		opts := variants[round%len(variants)]
		next := widePeerFlows(uint64(round))
		rng := rand.New(rand.NewPCG(uint64(round), 3))
		exact := newTestEngine(append(slices.Clip(opts), WithTopK(MaxTopK, MaxTopK))...)
		whole := newTestEngine(opts...)
		parts := make([]*engine, 1+rng.IntN(4))
		for i := range parts {
			parts[i] = newTestEngine(opts...)
		}
		for range 4000 {
			f := next()
			g, h := f, f
			exact.add(&f)
			whole.add(&g)
			parts[rng.IntN(len(parts))].add(&h)
		}
		truth := exactSums(t, exact.partial())
		var ps []*Partial
		for _, p := range parts {
			ps = append(ps, p.partial())
		}
		merged, err := Merge(ps...)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range allGroupBys {
			for name, r := range map[string]*Result{"Result": whole.result(g), "Partial().Result": whole.partial().Result(g), "Merge().Result": merged.Result(g)} {
				for _, grp := range r.Groups {
					if len(grp.Tasks) > 1 {
						multi++
					}
					check := func(what string, key any, got, want Totals, maxErr uint64) {
						if maxErr > 0 {
							inexact++
						}
						if got.Bytes < want.Bytes || got.Bytes-maxErr > want.Bytes {
							t.Fatalf("round %d, by %v, %s, group %s, %s %v: Bytes %d, MaxError %d; true bytes %d not in [Bytes-MaxError, Bytes]",
								round, g, name, grp.Key, what, key, got.Bytes, maxErr, want.Bytes)
						}
						if maxErr == 0 && got != want {
							t.Fatalf("round %d, by %v, %s, group %s, %s %v: %+v with MaxError 0, true %+v",
								round, g, name, grp.Key, what, key, got, want)
						}
					}
					for _, p := range grp.TopPeers {
						var want Totals
						for _, task := range grp.Tasks {
							want.add(truth.peers[task.ARN][p.Prefix])
						}
						check("peer", p.Prefix, Totals{p.Bytes, p.Packets, p.Records}, want, p.MaxError)
					}
					for _, p := range grp.TopPorts {
						var want Totals
						for _, task := range grp.Tasks {
							want.add(truth.ports[task.ARN][portKey(p.Protocol, p.Port)])
						}
						check("port", portKey(p.Protocol, p.Port), Totals{p.Bytes, p.Packets, p.Records}, want, p.MaxError)
					}
				}
			}
		}
	}
	if inexact == 0 || multi == 0 {
		t.Fatalf("%d inexact entries, %d groups of several tasks: the test does not test bounds", inexact, multi)
	}
}

// groupTruth is an exact run's figures by task ARN and peer or port key.
type groupTruth struct {
	peers map[string]map[netip.Prefix]Totals
	ports map[string]map[uint32]Totals
}

// exactSums returns p's tasks' peers and ports, checking that its
// summaries held every key exactly.
func exactSums(t *testing.T, p *Partial) groupTruth {
	t.Helper()
	tr := groupTruth{peers: map[string]map[netip.Prefix]Totals{}, ports: map[string]map[uint32]Totals{}}
	for _, tp := range p.Tasks {
		if tp.PeersBound != 0 || tp.PortsBound != 0 {
			t.Fatalf("task %s: the exact run's summaries dropped keys", tp.Task.ARN)
		}
		peers, ports := map[netip.Prefix]Totals{}, map[uint32]Totals{}
		for _, x := range tp.Peers {
			if x.MaxError != 0 {
				t.Fatalf("task %s: the exact run's peer %v is not exact", tp.Task.ARN, x.Prefix)
			}
			peers[x.Prefix] = Totals{x.Bytes, x.Packets, x.Records}
		}
		for _, x := range tp.Ports {
			if x.MaxError != 0 {
				t.Fatalf("task %s: the exact run's port %d/%d is not exact", tp.Task.ARN, x.Protocol, x.Port)
			}
			ports[portKey(x.Protocol, x.Port)] = Totals{x.Bytes, x.Packets, x.Records}
		}
		tr.peers[tp.Task.ARN], tr.ports[tp.Task.ARN] = peers, ports
	}
	return tr
}

// widePeerFlows is randomFlows with the far side of most flows of known
// direction drawn from 64 addresses, a few of them heavy: enough peers
// for small summaries to drop some. The local side, which attribution
// reads, is left alone.
func widePeerFlows(seed uint64) func() flow {
	next := randomFlows(seed, 41)
	rng := rand.New(rand.NewPCG(seed, 43))
	peer := func() netip.Addr {
		return netip.AddrFrom4([4]byte{203, 0, 113, byte(int(rng.ExpFloat64()*10) % 64)})
	}
	return func() flow {
		f := next()
		if rng.IntN(4) > 0 {
			switch f.dir {
			case dirIngress:
				f.pktSrc = peer()
			case dirEgress:
				f.pktDst = peer()
			}
		}
		return f
	}
}

// TestTopKSumMatchesMerge: adding two summaries up (a group's rule) gives
// what Merge's rule (mergeSummaries) gives for them: entries, errors and
// bound.
func TestTopKSumMatchesMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for n := range 500 {
		k := 1 + rng.IntN(6)
		side := func() ([]Port, uint64) {
			var ps []Port
			seen := map[uint16]bool{}
			for range rng.IntN(k + 1) {
				p := uint16(rng.IntN(12))
				if seen[p] {
					continue
				}
				seen[p] = true
				ps = append(ps, Port{Protocol: 6, Port: p, Bytes: uint64(rng.IntN(50)), Packets: uint64(rng.IntN(5)), Records: uint64(rng.IntN(5)), MaxError: uint64(rng.IntN(3))})
			}
			var b uint64
			if len(ps) == k && rng.IntN(2) == 0 {
				b = uint64(rng.IntN(20))
			}
			return ps, b
		}
		a, ba := side()
		b, bb := side()
		s := newTopSum[uint32, struct{}](k, hashUint32, cmp.Compare[uint32])
		for _, x := range []struct {
			ps []Port
			b  uint64
		}{{a, ba}, {b, bb}} {
			s.begin()
			for i := range x.ps {
				s.put(portEntry(&x.ps[i]))
			}
			s.end(x.b)
		}
		var got []Port
		for _, e := range s.appendSorted(nil) {
			got = append(got, portOf(e))
		}
		want, wb := mergeSummaries(slices.Clone(a), b, ba, bb, k, &portSummary, nil)
		if !slices.Equal(got, want) || s.bound != wb {
			t.Fatalf("case %d (k %d): sum %v bound %d, merge %v bound %d", n, k, got, s.bound, want, wb)
		}
	}
}
