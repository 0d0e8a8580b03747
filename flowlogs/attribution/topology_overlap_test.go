package attribution

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestOverlappingVPCSubnet: a region read whole (ec2topology.Load
// reads every subnet) may hold two VPCs with the same CIDR, which can
// never be peered with each other. A peer inside the task's own VPC's
// subnet is that subnet's, whatever subnet of the other VPC has the same
// (or a more specific) prefix, and whichever the topology lists first.
func TestOverlappingVPCSubnet(t *testing.T) {
	pfx := netip.MustParsePrefix
	own := Subnet{ID: "subnet-own-b", Prefix: pfx("10.0.3.0/24"), AZ: "us-east-1b", VPC: "vpc-1"}
	for _, c := range []struct {
		name  string
		other Subnet
	}{
		{"other VPC's subnet listed first, same prefix", Subnet{ID: "subnet-x", Prefix: pfx("10.0.3.0/24"), AZ: "us-east-1a", VPC: "vpc-9"}},
		{"other VPC's subnet more specific", Subnet{ID: "subnet-x", Prefix: pfx("10.0.3.0/26"), AZ: "us-east-1a", VPC: "vpc-9"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			topo := Topology{
				Subnets: []Subnet{c.other, own},
				VPCs: []VPC{{ID: "vpc-9", Prefixes: []netip.Prefix{pfx("10.0.0.0/16")}},
					{ID: "vpc-1", Prefixes: []netip.Prefix{pfx("10.0.0.0/16")}}},
			}
			e := newTestEngine(WithTopology(topo))
			f := fl("eni-web1", "10.0.1.101", "10.0.3.50", 40000, 5432, 1000, 1)
			f.vpcID = "vpc-1" // the record says which VPC is the task's
			g := classesOfOne(t, e, f)
			if g[PeerCrossAZ] != 1000 {
				t.Errorf("class bytes %v: want 1000 cross-AZ (the peer is in the task's VPC, subnet in us-east-1b)", g)
			}
		})
	}
}

// TestOverlappingVPCTaskSubnet: without vpc-id in the format (the
// default v2 one), the task's VPC is the one of its own subnet (the
// history's SubnetID), not the first VPC whose CIDR holds its address.
func TestOverlappingVPCTaskSubnet(t *testing.T) {
	pfx := netip.MustParsePrefix
	topo := Topology{
		Subnets: []Subnet{
			{ID: "subnet-x-a", Prefix: pfx("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-9"},
			{ID: "subnet-own-a", Prefix: pfx("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"},
			{ID: "subnet-own-b", Prefix: pfx("10.0.3.0/24"), AZ: "us-east-1b", VPC: "vpc-1"},
		},
	}
	task := history.Task{ARN: arnWeb1, ClusterARN: cluster, Group: "service:web", Family: "web", Revision: 1,
		NetworkMode: netmode.ModeAWSVPC, AvailabilityZone: "us-east-1a", ENI: "eni-web1", SubnetID: "subnet-own-a",
		IPv4: netip.MustParseAddr("10.0.1.101"), Valid: history.Interval{Start: at(0)}}
	cfg := defaultConfig()
	WithTopology(topo)(&cfg)
	e := newEngine(mustIndex([]history.Task{task}, nil), cfg)
	f := fl("eni-web1", "10.0.1.101", "10.0.3.50", 40000, 5432, 1000, 1)
	g := classesOfOne(t, e, f)
	if g[PeerCrossAZ] != 1000 {
		t.Errorf("class bytes %v: want 1000 cross-AZ (task and peer both in vpc-1)", g)
	}
}

// TestVPCAddressIsNotInternet: an address inside a VPC of the
// Topology is that VPC's, never the internet, even when it is globally
// routable: every IPv6 VPC block is (Amazon's or BYOIP), and a VPC may
// use public IPv4 space. Without a subnet holding it (subnets filtered,
// WithSubnetFilters) its AZ is not known: unknown, as a private IPv4
// address in the VPC is, not internet egress priced at $0.09/GB.
func TestVPCAddressIsNotInternet(t *testing.T) {
	pfx := netip.MustParsePrefix
	topo := Topology{
		Subnets: []Subnet{{ID: "subnet-a", Prefix: pfx("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"}},
		VPCs:    []VPC{{ID: "vpc-1", Prefixes: []netip.Prefix{pfx("10.0.0.0/16"), pfx("2600:1f18:1::/56")}}},
	}
	e := newTestEngine(WithTopology(topo))
	f := fl("eni-web1", "2600:1f18:1:1::101", "2600:1f18:1:9::9", 40000, 5432, 1000, 1)
	f.dir, f.vpcID = dirEgress, "vpc-1"
	f.fmtFields = svcSrc | svcDst // the format has pkt-*-aws-service; empty
	g := classesOfOne(t, e, f)
	if g[PeerInternet] != 0 || g[PeerUnknown] != 1000 {
		t.Errorf("class bytes %v: a peer in the task's own VPC classed as internet", g)
	}
}

// TestLocalVPCBlockWinsOverOtherSubnet: rule version 3 says "a
// subnet or CIDR of the local VPC wins over another VPC's of the same
// addresses". With subnets filtered (WithSubnetFilters) the local VPC may
// have no subnet listed for a peer that another VPC of the same CIDR does
// list; the local VPC's block still holds the peer, which its local route
// delivers in the task's own VPC (the two VPCs can never be peered). It
// must not be classed other_vpc (unpriced), but as an address of the local
// VPC whose subnet, and so AZ, is not known.
func TestLocalVPCBlockWinsOverOtherSubnet(t *testing.T) {
	pfx := netip.MustParsePrefix
	topo := Topology{
		Subnets: []Subnet{{ID: "subnet-x", Prefix: pfx("10.0.3.0/24"), AZ: "us-east-1a", VPC: "vpc-9"}},
		VPCs: []VPC{{ID: "vpc-9", Prefixes: []netip.Prefix{pfx("10.0.0.0/16")}},
			{ID: "vpc-1", Prefixes: []netip.Prefix{pfx("10.0.0.0/16")}}},
	}
	e := newTestEngine(WithTopology(topo))
	f := fl("eni-web1", "10.0.1.101", "10.0.3.50", 40000, 5432, 1000, 1)
	f.vpcID = "vpc-1"
	g := classesOfOne(t, e, f)
	if g[PeerOtherVPC] != 0 || g[PeerUnknown] != 1000 {
		t.Errorf("class bytes %v: want 1000 unknown (the peer is in the task's own VPC's block, subnet not listed), not other_vpc", g)
	}
}

// classesOfOne adds f, a record of one task, and returns the task's bytes
// by peer class.
func classesOfOne(t *testing.T, e *engine, f flow) [numPeerClasses]uint64 {
	t.Helper()
	e.add(&f)
	checkInvariant(t, e)
	gs := e.result(ByTask).Groups
	if len(gs) != 1 {
		t.Fatalf("%d groups, want the record's task", len(gs))
	}
	return gs[0].ClassBytes
}
