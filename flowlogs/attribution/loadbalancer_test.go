package attribution

import (
	"net/netip"
	"strings"
	"testing"
)

// lbTopology is the fixture's VPC in two AZs with an Application Load
// Balancer's nodes in both (one also IPv6), a Classic one's node whose VPC
// is not known, an ALB node of a peered VPC, and a Network Load
// Balancer's node (10.0.2.8), which is not listed: its cross-zone traffic
// is billed.
func lbTopology() Topology {
	pfx := netip.MustParsePrefix
	ip := netip.MustParseAddr
	return Topology{
		Subnets: []Subnet{
			{ID: "subnet-a", Prefix: pfx("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"},
			{ID: "subnet-b", Prefix: pfx("10.0.2.0/24"), AZ: "us-east-1b", VPC: "vpc-1"},
			{ID: "subnet-b6", Prefix: pfx("2600:1f18:1:2::/64"), AZ: "us-east-1b", VPC: "vpc-1"},
			{ID: "subnet-peer", Prefix: pfx("10.1.2.0/24"), AZ: "us-east-1b", VPC: "vpc-2"},
		},
		VPCs: []VPC{{ID: "vpc-1", Prefixes: []netip.Prefix{pfx("10.0.0.0/16")}}, {ID: "vpc-2", Prefixes: []netip.Prefix{pfx("10.1.0.0/16")}}},
		LoadBalancers: []LoadBalancerNode{
			{Addr: ip("10.0.1.5"), LoadBalancer: "app/web/1", ENI: "eni-alb-a", VPC: "vpc-1"},
			{Addr: ip("10.0.2.5"), LoadBalancer: "app/web/1", ENI: "eni-alb-b", VPC: "vpc-1"},
			{Addr: ip("2600:1f18:1:2::5"), LoadBalancer: "app/web/1", ENI: "eni-alb-b", VPC: "vpc-1"},
			{Addr: ip("10.0.2.7"), LoadBalancer: "legacy", ENI: "eni-clb"},
			{Addr: ip("10.1.2.5"), LoadBalancer: "app/other/2", ENI: "eni-alb-peer", VPC: "vpc-2"},
			// An address that was a task's: the history's owner at the
			// record's time comes first.
			{Addr: ip("10.0.1.150"), LoadBalancer: "app/web/1", ENI: "eni-alb-a2", VPC: "vpc-1"},
		},
	}
}

// Traffic with an Application or Classic Load Balancer's node is
// PeerLoadBalancer, in both directions and in whichever AZ the node is;
// a Network Load Balancer's node stays cross-AZ; a node of a peered VPC is
// the other VPC; a task that held the address at the record's time is the
// task.
func TestLoadBalancerPeers(t *testing.T) {
	web1 := func(peer string, in bool, bytes uint64, min int) flow {
		if in {
			return fl("eni-web1", peer, "10.0.1.101", 40000, 8080, bytes, min)
		}
		return fl("eni-web1", "10.0.1.101", peer, 8080, 40000, bytes, min)
	}
	for _, c := range []struct {
		name string
		f    flow
		want PeerClass
	}{
		{"ALB node in another AZ, to the task", web1("10.0.2.5", true, 1000, 1), PeerLoadBalancer},
		{"ALB node in another AZ, from the task", web1("10.0.2.5", false, 1000, 1), PeerLoadBalancer},
		{"ALB node in the task's AZ", web1("10.0.1.5", true, 1000, 1), PeerLoadBalancer},
		{"ALB node over IPv6", web1("2600:1f18:1:2::5", true, 1000, 1), PeerLoadBalancer},
		{"Classic LB node, VPC not known", web1("10.0.2.7", true, 1000, 1), PeerLoadBalancer},
		{"NLB node in another AZ", web1("10.0.2.8", true, 1000, 1), PeerCrossAZ},
		{"ALB node of a peered VPC", web1("10.1.2.5", true, 1000, 1), PeerOtherVPC},
		{"a task's address while it had it", web1("10.0.1.150", true, 1000, 1), PeerSameAZ},
		{"the address once the task was gone", web1("10.0.1.150", true, 1000, 15), PeerLoadBalancer},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(WithTopology(lbTopology()))
			e.add(&c.f)
			checkInvariant(t, e)
			g := e.result(ByTask).Groups[0]
			if g.ClassBytes[c.want] != 1000 {
				t.Errorf("class bytes %v, want 1000 as %v", g.ClassBytes, c.want)
			}
			if len(g.TopPeers) != 1 || g.TopPeers[0].Class != c.want {
				t.Errorf("peers %+v", g.TopPeers)
			}
			dir := g.ClassBytesIn[c.want]
			if c.f.src == netip.MustParseAddr("10.0.1.101") {
				dir = g.ClassBytesOut[c.want]
			}
			if dir != 1000 {
				t.Errorf("in %v, out %v", g.ClassBytesIn, g.ClassBytesOut)
			}
		})
	}

	// The record's vpc-id says which VPC is the task's (a node of vpc-2
	// seen from a task of vpc-2 is the load balancer).
	e := newTestEngine(WithTopology(lbTopology()))
	f := web1("10.1.2.5", true, 1000, 1)
	f.vpcID = "vpc-2"
	e.add(&f)
	if g := e.result(ByTask).Groups[0]; g.ClassBytes[PeerLoadBalancer] != 1000 {
		t.Errorf("a node of the task's own VPC, by vpc-id: %v", g.ClassBytes)
	}

	// Peers grouped by /24 are classed by the address of the record that
	// met them first.
	e = newTestEngine(WithTopology(lbTopology()), WithPeerPrefix(24, 64))
	f = web1("10.0.2.5", true, 1000, 1)
	e.add(&f)
	if g := e.result(ByTask).Groups[0]; g.ClassBytes[PeerLoadBalancer] != 1000 || g.TopPeers[0].Prefix != netip.MustParsePrefix("10.0.2.0/24") {
		t.Errorf("by /24: %v, %+v", g.ClassBytes, g.TopPeers)
	}

	// Without the nodes (no DescribeNetworkInterfaces), the same traffic
	// is cross-AZ, as it was before the class.
	topo := lbTopology()
	topo.LoadBalancers = nil
	e = newTestEngine(WithTopology(topo))
	f = web1("10.0.2.5", true, 1000, 1)
	e.add(&f)
	if g := e.result(ByTask).Groups[0]; g.ClassBytes[PeerCrossAZ] != 1000 {
		t.Errorf("without the nodes: %v", g.ClassBytes)
	}
}

// A load balancer node among peers the summary does not keep is still
// counted in its class, record by record (rollupCold.class), and the
// classes still add up to the bytes by direction.
func TestLoadBalancerPeerNotKept(t *testing.T) {
	e := newTestEngine(WithTopology(lbTopology()), WithTopK(1, 1))
	heavy := fl("eni-web1", "93.184.216.34", "10.0.1.101", 443, 40000, 1<<20, 1)
	e.add(&heavy)
	var lb, nlb uint64
	for i := range 20 {
		f := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 100, 1+i%5)
		if i%2 == 1 {
			f = fl("eni-web1", "10.0.1.101", "10.0.2.5", 8080, 40000, 100, 1+i%5)
		}
		e.add(&f)
		lb += 100
		g := fl("eni-web1", "10.0.2.8", "10.0.1.101", 40000, 8080, 10, 2)
		e.add(&g)
		nlb += 10
	}
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	if len(g.TopPeers) != 1 || g.TopPeers[0].Class == PeerLoadBalancer {
		t.Fatalf("kept %+v: the node should not be", g.TopPeers)
	}
	if g.ClassBytes[PeerLoadBalancer] != lb || g.ClassBytesOut[PeerLoadBalancer] != lb/2 || g.ClassBytes[PeerCrossAZ] != nlb {
		t.Errorf("classes %v (out %v), want load balancer %d (out %d), cross-AZ %d", g.ClassBytes, g.ClassBytesOut, lb, lb/2, nlb)
	}
}

// The nodes are part of the topology's digest, so that partials made
// with and without them do not merge; a topology without nodes keeps the
// digest it had before there were any.
func TestLoadBalancerDigest(t *testing.T) {
	with := lbTopology()
	without := lbTopology()
	without.LoadBalancers = nil
	if TopologyDigest(with) == TopologyDigest(without) {
		t.Error("the digest ignores the load balancer nodes")
	}
	// The digest of the subnets and VPCs alone, as the code before
	// LoadBalancers computed it (partials written then still merge).
	if d := TopologyDigest(without); d != "0e12df5c4f4d313f" {
		t.Errorf("digest without nodes %s, was 0e12df5c4f4d313f", d)
	}
	_, err := Merge(newTestEngine(WithTopology(with)).partial(), newTestEngine(WithTopology(without)).partial())
	if err == nil || !strings.Contains(err.Error(), "topology") {
		t.Errorf("merge of partials with and without the nodes: %v", err)
	}
	if PeerLoadBalancer.Key() != "load_balancer" || PeerLoadBalancer.String() != "load balancer" || PeerLoadBalancer != PeerAWSService+1 {
		t.Errorf("class %d %q %q", PeerLoadBalancer, PeerLoadBalancer.Key(), PeerLoadBalancer)
	}
}
