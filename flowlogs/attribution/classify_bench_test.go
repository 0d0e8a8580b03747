package attribution

import (
	"fmt"
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
