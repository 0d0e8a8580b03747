package attribution

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// manyVPCTopology is a topology of nVPC VPCs of three CIDR blocks each in
// 10.64.0.0/10 (none holds the benchmark's tasks or peers) and a subnet
// each, plus the tasks' VPC (10.0.0.0/16, vpc-0abc) last.
func manyVPCTopology(nVPC int) Topology {
	var t Topology
	for i := range nVPC {
		id := fmt.Sprintf("vpc-%017x", i+1)
		var ps []netip.Prefix
		for k := range 3 {
			ps = append(ps, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(64 + (3*i+k)/256%64), byte((3*i + k) % 256), 0}), 24))
		}
		t.VPCs = append(t.VPCs, VPC{ID: id, Prefixes: ps})
		t.Subnets = append(t.Subnets, Subnet{ID: fmt.Sprintf("subnet-%x", i), Prefix: ps[0], AZ: "us-east-1a", VPC: id})
	}
	t.VPCs = append(t.VPCs, VPC{ID: "vpc-0abc", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}})
	return t
}

// BenchmarkTopologyVPCs attributes the large input (2,000 tasks,
// 200,000 records) with topologies of 10 and 1,000 VPCs.
func BenchmarkTopologyVPCs(b *testing.B) {
	set := benchInput("large")
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			topo := manyVPCTopology(n)
			for b.Loop() {
				a := New(set.h, append(slices.Clone(benchOpts), WithTopology(topo), WithSyncAddAll())...)
				r := flowlogs.NewReader(bytes.NewReader(set.in), flowlogs.WithFields(Fields()...), flowlogs.WithSyncDecompression())
				if err := a.AddAll(r.All()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestVPCIndexAgrees checks Topology.vpcOf by the index against the scan
// of the VPCs in order, on random topologies (blocks nested, repeated and
// not masked, VPCs without an ID or sharing one, IPv4 and IPv6) and
// addresses (IPv4-mapped and zoned ones among them).
func TestVPCIndexAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	v4 := func() netip.Addr {
		return netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(4)), byte(r.IntN(256))})
	}
	v6 := func() netip.Addr {
		var b [16]byte
		b[0], b[1], b[7], b[15] = 0xfd, 0x00, byte(r.IntN(4)), byte(r.IntN(256))
		return netip.AddrFrom16(b)
	}
	for iter := range 500 {
		var topo Topology
		for range r.IntN(12) {
			v := VPC{ID: fmt.Sprintf("vpc-%d", r.IntN(8))}
			if r.IntN(8) == 0 {
				v.ID = ""
			}
			for range r.IntN(4) {
				var p netip.Prefix
				switch r.IntN(8) {
				case 0:
					// the zero Prefix
				case 1, 2:
					p = netip.PrefixFrom(v6(), 64+r.IntN(65))
				default:
					p = netip.PrefixFrom(v4(), 8+r.IntN(25)) // not masked
				}
				v.Prefixes = append(v.Prefixes, p)
			}
			topo.VPCs = append(topo.VPCs, v)
		}
		scan := topo
		topo.index()
		for range 50 {
			var a netip.Addr
			switch r.IntN(6) {
			case 0:
				a = netip.AddrFrom16(v4().As16()) // IPv4-mapped
			case 1:
				a = v6().WithZone("eth0")
			case 2:
				a = v6()
			default:
				a = v4()
			}
			local := ""
			if r.IntN(2) == 0 {
				local = fmt.Sprintf("vpc-%d", r.IntN(10))
			}
			var sn Subnet
			sok := r.IntN(4) == 0
			if sok {
				sn.VPC = fmt.Sprintf("vpc-%d", r.IntN(10))
			}
			gv, gok := topo.vpcOf(a, local, sn, sok)
			wv, wok := scan.vpcOf(a, local, sn, sok)
			if gv != wv || gok != wok {
				t.Fatalf("iteration %d: vpcOf(%s, %q) = %q, %v; want %q, %v (VPCs %v)", iter, a, local, gv, gok, wv, wok, topo.VPCs)
			}
		}
	}
}
