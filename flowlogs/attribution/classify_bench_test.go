package attribution

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"unsafe"
)

// BenchmarkClassifyTopology: records of many public peers (none kept
// past the summary, so each is classed) against a Topology of 1,000
// subnets and 100 VPCs, without vpc-id: the task's VPC is worked out once
// a task, not once a record (45 % of a record's time when it was).
func BenchmarkClassifyTopology(b *testing.B) {
	var topo Topology
	for i := 0; i < 1000; i++ {
		topo.Subnets = append(topo.Subnets, Subnet{ID: fmt.Sprintf("subnet-%d", i), Prefix: netip.MustParsePrefix(fmt.Sprintf("10.%d.%d.0/24", 100+i/250, i%250)), AZ: "us-east-1a", VPC: fmt.Sprintf("vpc-%d", i/10)})
	}
	for i := 0; i < 100; i++ {
		topo.VPCs = append(topo.VPCs, VPC{ID: fmt.Sprintf("vpc-%d", i), Prefixes: []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("172.%d.0.0/16", i%16+16))}})
	}
	e := newTestEngine(WithTopology(topo))
	fs := make([]flow, 4096)
	for i := range fs {
		fs[i] = fl("eni-web1", "10.0.1.101", fmt.Sprintf("52.%d.%d.%d", i%7, i/256%256, i%256), 40000, 443, 1000, 1)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.add(&fs[i%len(fs)])
	}
}

// TestTaskStateSize: the task's cached Topology VPC (topoVPC) sits
// in the padding after fromECSFields; taskState stays in its 80-byte size
// class.
func TestTaskStateSize(t *testing.T) {
	if n := unsafe.Sizeof(taskState{}); n > 80 {
		t.Errorf("taskState is %d bytes, want at most 80", n)
	}
}

// TestSubnetIndexAgrees: the index answers subnetOf as reading the list in
// order does, on random topologies of nested and repeated prefixes (IPv4
// and IPv6, some with host bits set, one invalid) across VPCs of the same
// CIDR, for addresses inside and outside them, with and without a local
// VPC.
func TestSubnetIndexAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 20))
	for round := range 200 {
		var topo Topology
		for i := range 1 + r.IntN(40) {
			var p netip.Prefix
			switch r.IntN(5) {
			case 0:
				p = netip.MustParsePrefix(fmt.Sprintf("2600:1f18:%x:%x::%x/%d", r.IntN(4), r.IntN(4), r.IntN(3), 48+r.IntN(17)))
			case 1:
				// the zero Prefix: holds nothing
			default:
				p = netip.MustParsePrefix(fmt.Sprintf("10.%d.%d.%d/%d", r.IntN(2), r.IntN(4), r.IntN(4)*64, 16+r.IntN(13)))
			}
			topo.Subnets = append(topo.Subnets, Subnet{ID: fmt.Sprint("subnet-", i), Prefix: p, AZ: "us-east-1a", VPC: fmt.Sprint("vpc-", r.IntN(3))})
		}
		linear := topo
		topo.index()
		for range 100 {
			var a netip.Addr
			if r.IntN(3) == 0 {
				a = netip.MustParseAddr(fmt.Sprintf("2600:1f18:%x:%x::%x", r.IntN(4), r.IntN(4), r.IntN(5)))
			} else {
				a = netip.MustParseAddr(fmt.Sprintf("10.%d.%d.%d", r.IntN(2), r.IntN(4), r.IntN(256)))
			}
			vpc := []string{"", "vpc-0", "vpc-1", "vpc-9"}[r.IntN(4)]
			want, wok := linear.subnetOf(a, vpc)
			got, ok := topo.subnetOf(a, vpc)
			if got != want || ok != wok {
				t.Fatalf("round %d: subnetOf(%v, %q) = %+v %v, reading the list gives %+v %v", round, a, vpc, got, ok, want, wok)
			}
		}
	}
}
