package attribution

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestPortCache checks that ports aggregated in a task's cache reach its
// summary exactly once: counts exact below capacity, across evictions and
// across Results taken while records keep coming.
func TestPortCache(t *testing.T) {
	e := newTestEngine()
	rng := rand.New(rand.NewPCG(9, 9))
	type count struct{ bytes, packets, records uint64 }
	want := map[uint16]count{}
	for i := range 3000 {
		port := uint16(1000 + rng.IntN(12)) // more ports than the cache holds
		if rng.IntN(2) == 0 {
			port = 443 // and one that dominates
		}
		f := fl("eni-web1", "10.0.1.101", "10.0.9.9", 40000, port, uint64(1+rng.IntN(1000)), 1)
		f.hasFlags, f.tcpFlags = true, 2 // SYN: the destination is the service port
		e.add(&f)
		c := want[port]
		want[port] = count{c.bytes + f.bytes, c.packets + f.packets, c.records + 1}
		if i%1000 == 999 {
			checkInvariant(t, e) // takes Results: flushes mid-stream
		}
	}
	g := e.result(ByTask).Groups[0]
	if len(g.TopPorts) != len(want) {
		t.Fatalf("%d ports, want %d", len(g.TopPorts), len(want))
	}
	for i, p := range g.TopPorts {
		if w := want[p.Port]; p.Protocol != 6 || p.Bytes != w.bytes || p.Packets != w.packets || p.Records != w.records || p.MaxError != 0 {
			t.Errorf("port %d: %+v, want %+v", p.Port, p, w)
		}
		if i > 0 && p.Bytes > g.TopPorts[i-1].Bytes {
			t.Errorf("ports out of order: %+v", g.TopPorts)
		}
	}
	if g.TopPorts[0].Port != 443 {
		t.Errorf("top port %d, want 443", g.TopPorts[0].Port)
	}
}

// TestTopKAddCount checks that a weighted update of n records keeps the
// space-saving bounds and counts records as n adds would.
func TestTopKAddCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	k := newTopK[int, struct{}](8, hashInt)
	truth := map[int]uint64{}
	records := map[int]uint64{}
	var total uint64
	for range 20000 {
		key := rng.IntN(40)
		if rng.IntN(3) == 0 {
			key = rng.IntN(3)
		}
		n := uint64(1 + rng.IntN(5))
		w := n * uint64(1+rng.IntN(100))
		k.addCount(key, hashInt(key), w, n, n)
		truth[key] += w
		records[key] += n
		total += w
	}
	for _, e := range k.entries() {
		if e.bytes < truth[e.key] || e.bytes-e.err > truth[e.key] || e.records < records[e.key] {
			t.Fatalf("key %d: %+v, true bytes %d records %d", e.key, e, truth[e.key], records[e.key])
		}
	}
	for key, w := range truth {
		if w > total/8 {
			if i, _ := k.lookup(key, hashInt(key)); i < 0 {
				t.Fatalf("heavy key %d dropped", key)
			}
		}
	}
}

// TestClassBytesThroughEvictions checks bytes by peer class when most
// peers come and go from a small summary: a kept peer's bytes count
// through its entry, an evicted one's when it leaves, a filtered one's
// record by record; together, exactly the per-record classes.
func TestClassBytesThroughEvictions(t *testing.T) {
	e := newTestEngine(WithTopK(4, 2))
	rng := rand.New(rand.NewPCG(4, 4))
	want := map[PeerClass]uint64{}
	for range 5000 {
		dst, class := "10.0.1.111", PeerSameAZ // api1
		switch r := rng.IntN(10); {
		case r < 2:
			dst, class = "10.0.2.102", PeerCrossAZ // web2
		case r < 9:
			dst, class = netip.AddrFrom4([4]byte{203, 0, 113, byte(rng.IntN(60))}).String(), PeerInternet
		}
		f := fl("eni-web1", "10.0.1.101", dst, 40000, 443, uint64(1+rng.IntN(5000)), 1)
		f.fmtFields = svcDst
		e.add(&f)
		want[class] += f.bytes
	}
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	for _, c := range PeerClasses() {
		if g.ClassBytes[c] != want[c] {
			t.Errorf("%v: %d bytes, want %d", c, g.ClassBytes[c], want[c])
		}
	}
}

// TestPortEntries: a task's port entries read from its cache, without
// writing its summary, are what flushing the cache into the summary
// gives, in the same order, whether the cache holds the task's every port
// or some were evicted, whatever the summary's capacity; and a key cached
// twice (its record count saturated) is added up, as a flush does.
func TestPortEntries(t *testing.T) {
	for round := range 300 {
		rng := rand.New(rand.NewPCG(uint64(round), 17))
		capacity := 1 + rng.IntN(6)
		var a, b rollup
		a.pc.keep, b.pc.keep = uint16(capacity), uint16(capacity)
		ports := 1 + rng.IntN(8) // up to twice what the cache holds
		for range rng.IntN(40) {
			k, bytes, packets := uint32(rng.IntN(ports)), uint64(rng.IntN(5000)), uint64(rng.IntN(9))
			a.addPort(k, bytes, packets)
			b.addPort(k, bytes, packets)
		}
		if round%50 == 0 && a.pc.keys[0] != 0 {
			// The cache's first entry saturated, the same key beside it.
			for _, s := range []*rollup{&a, &b} {
				s.pc.records[0], s.pc.next = ^uint32(0), 1
				s.addPort(s.pc.keys[0]-1, 7, 1)
			}
			if a.pc.keys[1] != a.pc.keys[0] {
				t.Fatalf("round %d: no second entry of the saturated key: %v", round, a.pc.keys)
			}
		}
		cached, bound := a.portEntries(nil)
		b.flushPorts()
		var flushed []topEntry[uint32, struct{}]
		var flushedBound uint64
		if b.ports != nil {
			flushed, flushedBound = b.ports.entries(), b.ports.bound()
		}
		if bound != flushedBound {
			t.Fatalf("round %d: bound %d from the cache, %d flushed", round, bound, flushedBound)
		}
		if len(cached) != len(flushed) {
			t.Fatalf("round %d: %d entries from the cache, %d flushed", round, len(cached), len(flushed))
		}
		for i := range cached {
			if cached[i] != flushed[i] {
				t.Fatalf("round %d, entry %d: %+v from the cache, %+v flushed", round, i, cached[i], flushed[i])
			}
		}
	}
}

// flushPorts moves every cached port into the summary, as evictions do
// one at a time: what a Result or a Partial reads without writing it
// (flushedPorts), and what the tests compare them with.
func (t *rollup) flushPorts() {
	for i := range t.pc.keys {
		t.flushPort(i)
	}
}
