package attribution

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
)

// subnetTopology is nSub subnets (each its own /24 in 10.0.0.0/8), in
// nSub/10 VPCs (a /16 block each, ten subnets a VPC).
func subnetTopology(nSub int) Topology {
	var t Topology
	nVPC := max(1, nSub/10)
	for v := range nVPC {
		t.VPCs = append(t.VPCs, VPC{ID: fmt.Sprintf("vpc-%017x", v+1),
			Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(v % 256), 0, 0}), 16)}})
	}
	for i := range nSub {
		v := i / 10 % nVPC
		t.Subnets = append(t.Subnets, Subnet{ID: fmt.Sprintf("subnet-%017x", i+1),
			Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(v % 256), byte(i % 10), 0}), 24),
			AZ:     "us-east-1a", VPC: t.VPCs[v].ID})
	}
	return t
}

// topoTasks are n tasks each in a random subnet of topo, with its
// SubnetID when withID.
func topoTasks(r *rand.Rand, topo Topology, n int, withID bool) []*taskState {
	out := make([]*taskState, n)
	for i := range out {
		s := topo.Subnets[r.IntN(len(topo.Subnets))]
		a := s.Prefix.Addr().As4()
		a[3] = byte(1 + r.IntN(250))
		info := &history.Task{}
		if withID {
			info.SubnetID = s.ID
		}
		out[i] = &taskState{info: info, addrs: []netip.Addr{netip.AddrFrom4(a)}}
	}
	return out
}

func topoEngine(topo Topology) *engine {
	h, err := history.NewIndex(nil, nil)
	if err != nil {
		panic(err)
	}
	return newEngine(h, config{topo: topo})
}

// BenchmarkTopoVPC is engine.topoVPC over every task (once a task,
// at its first record), with and without the history's SubnetID.
func BenchmarkTopoVPC(b *testing.B) {
	for _, nSub := range []int{200, 2000} {
		for _, nTask := range []int{10000, 100000} {
			for _, withID := range []bool{true, false} {
				b.Run(fmt.Sprintf("subnets=%d/tasks=%d/subnetID=%v", nSub, nTask, withID), func(b *testing.B) {
					topo := subnetTopology(nSub)
					e := topoEngine(topo)
					tasks := topoTasks(rand.New(rand.NewPCG(1, 2)), topo, nTask, withID)
					for b.Loop() {
						for _, st := range tasks {
							st.topoVPC = e.vpcIdx[e.topoVPC(st)]
						}
					}
				})
			}
		}
	}
}

// topoVPCScan is engine.topoVPC as it was: a scan of the subnets by
// ID, then Topology.vpcsOf by a scan (an unindexed Topology).
func topoVPCScan(topo *Topology, st *taskState) string {
	if id := st.info.SubnetID; id != "" {
		for _, s := range topo.Subnets {
			if s.ID == id && s.VPC != "" {
				return s.VPC
			}
		}
	}
	for _, a := range st.addrs {
		if v, n := topo.vpcsOf(a); n == 1 {
			return v
		} else if n > 1 {
			return ""
		}
	}
	return ""
}

// TestTopoVPC checks engine.topoVPC (subnets by ID, VPCs by the
// prefix indexes) and Topology.vpcsOf by the indexes against the scans,
// on random topologies: subnet IDs repeated or empty, subnets without a
// VPC, VPCs without an ID or sharing one, prefixes nested, repeated,
// invalid and unmasked, IPv4 and IPv6; addresses IPv4-mapped and zoned.
func TestTopoVPC(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	v4 := func() netip.Addr {
		return netip.AddrFrom4([4]byte{10, byte(r.IntN(3)), byte(r.IntN(3)), byte(r.IntN(256))})
	}
	v6 := func() netip.Addr {
		var b [16]byte
		b[0], b[7], b[15] = 0xfd, byte(r.IntN(3)), byte(r.IntN(256))
		return netip.AddrFrom16(b)
	}
	prefix := func() netip.Prefix {
		switch r.IntN(8) {
		case 0:
			return netip.Prefix{}
		case 1, 2:
			return netip.PrefixFrom(v6(), 56+r.IntN(73))
		}
		return netip.PrefixFrom(v4(), 8+r.IntN(25))
	}
	id := func(kind string, n int) string {
		if r.IntN(6) == 0 {
			return ""
		}
		return fmt.Sprintf("%s-%d", kind, r.IntN(n))
	}
	addr := func() netip.Addr {
		switch r.IntN(6) {
		case 0:
			return netip.AddrFrom16(v4().As16())
		case 1:
			return v6().WithZone("eth0")
		case 2:
			return v6()
		}
		return v4()
	}
	for iter := range 2000 {
		var topo Topology
		for range r.IntN(10) {
			topo.Subnets = append(topo.Subnets, Subnet{ID: id("subnet", 8), Prefix: prefix(), VPC: id("vpc", 6)})
		}
		for range r.IntN(8) {
			v := VPC{ID: id("vpc", 6)}
			for range r.IntN(4) {
				v.Prefixes = append(v.Prefixes, prefix())
			}
			topo.VPCs = append(topo.VPCs, v)
		}
		if len(topo.Subnets)+len(topo.VPCs) == 0 {
			continue
		}
		scan := topo
		e := topoEngine(topo)
		for range 50 {
			a := addr()
			gv, gn := e.cfg.topo.vpcsOf(a)
			if wv, wn := scan.vpcsOf(a); gv != wv || gn != wn {
				t.Fatalf("iteration %d: vpcsOf(%s) = %q, %d; want %q, %d (topology %+v)", iter, a, gv, gn, wv, wn, topo)
			}
			st := &taskState{info: &history.Task{SubnetID: id("subnet", 10)}}
			for range r.IntN(3) {
				st.addrs = append(st.addrs, addr())
			}
			if got, want := e.topoVPC(st), topoVPCScan(&scan, st); got != want {
				t.Fatalf("iteration %d: topoVPC(%q, %v) = %q, want %q (topology %+v)", iter, st.info.SubnetID, st.addrs, got, want, topo)
			}
		}
	}
}
