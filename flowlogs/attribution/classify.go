package attribution

import (
	"fmt"
	"net/netip"
	"slices"
)

// PeerClass classifies the other end of a flow by what drives data-transfer
// cost: traffic inside one AZ is free, across AZs and VPC peerings it is
// charged per GB in each direction (but not between an Application or
// Classic Load Balancer and its targets), to the internet it is charged on
// egress, and to AWS services it depends on the path (gateway endpoint,
// NAT, public). The numbers are kept when classes are added (a new class
// comes last), so that a class's value means the same in every version.
type PeerClass uint8

const (
	// PeerUnknown: the data does not say (a private address that is neither
	// a known task or instance nor inside a subnet or VPC given in Topology,
	// or an address of a VPC of the Topology, routable or not, whose subnet
	// and so AZ is not known).
	PeerUnknown PeerClass = iota
	// PeerSameAZ: a task, instance or subnet in the local task's AZ.
	PeerSameAZ
	// PeerCrossAZ: a task, instance or subnet in another AZ of the region.
	PeerCrossAZ
	// PeerOtherVPC: another VPC (Topology, v11 next-hop-vpc-id, or
	// traffic-path 4/5: VPC peering).
	PeerOtherVPC
	// PeerOtherNetwork: a virtual private gateway or local gateway
	// (traffic-path 3 or 6): on-premises, VPN, Direct Connect, Outposts.
	PeerOtherNetwork
	// PeerInternet: a public address that is not AWS's: the record's format
	// has the pkt-*-aws-service field of the peer's side, and it is empty
	// (AWS fills it for any address in AWS's published ranges, with AMAZON
	// when no narrower subset applies).
	PeerInternet
	// PeerPublic: a public address (or egress through an internet gateway,
	// traffic-path 2 or 8) that may be the internet or an AWS service: the
	// record's format has no pkt-*-aws-service field to tell them apart.
	// The two cost differently (internet egress is charged; S3 or DynamoDB
	// in the same region is free), so a price table leaves this class
	// unpriced: add pkt-src-aws-service and pkt-dst-aws-service to the flow
	// log's format to split it.
	PeerPublic
	// PeerAWSService: the record's pkt-src-aws-service/pkt-dst-aws-service
	// names an AWS ip-ranges subset, or egress went through a gateway
	// endpoint (traffic-path 7).
	PeerAWSService
	// PeerLoadBalancer: an Application or Classic Load Balancer node that
	// the task is a target of: AWS does not bill cross-AZ transfer between
	// a node and its targets. A task that calls the load balancer is its
	// client, and client ↔ node transfer across AZs is billed: the node is
	// then classed by AZ (the task's side is the client when it sent the
	// SYN, or without tcp-flags when its port is ephemeral, 32768 and up,
	// and the node's lower; a bridge task's host port makes it the
	// server). Its
	// addresses come from the Topology (LoadBalancers: the nodes'
	// network interfaces, which ec2topology reads from
	// DescribeNetworkInterfaces); without them a node is classed by its
	// subnet's AZ like any peer, and its traffic across AZs is priced as
	// cross-AZ though it is not billed. A Network or Gateway Load
	// Balancer's node is not of this class: its cross-zone traffic is
	// billed
	// (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html),
	// so it stays classed by AZ.
	PeerLoadBalancer
	numPeerClasses
)

var peerClassNames = [numPeerClasses]string{
	PeerUnknown:      "unknown",
	PeerSameAZ:       "same AZ",
	PeerCrossAZ:      "cross-AZ",
	PeerOtherVPC:     "other VPC",
	PeerOtherNetwork: "on-premises/VPN",
	PeerInternet:     "internet",
	PeerPublic:       "public (internet or AWS)",
	PeerAWSService:   "AWS service",
	PeerLoadBalancer: "load balancer",
}

// String returns the class as it appears in reports.
func (c PeerClass) String() string {
	if c < numPeerClasses {
		return peerClassNames[c]
	}
	return "invalid"
}

var peerClassKeys = [numPeerClasses]string{"unknown", "same_az", "cross_az", "other_vpc", "on_premises", "internet", "public", "aws_service", "load_balancer"}

// Key returns the class's machine name, as JSON, CSV and price tables
// write it: "same_az", "internet", …; "invalid" for a value out of range.
func (c PeerClass) Key() string {
	if c < numPeerClasses {
		return peerClassKeys[c]
	}
	return "invalid"
}

// MarshalText implements encoding.TextMarshaler with Key's names, so that
// a class encoded as text keeps its meaning when classes are added (the
// numbers follow report order, and PeerPublic moved PeerAWSService).
func (c PeerClass) MarshalText() ([]byte, error) {
	if c >= numPeerClasses {
		return nil, fmt.Errorf("attribution: invalid peer class %d", uint8(c))
	}
	return []byte(c.Key()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: the names Key returns.
func (c *PeerClass) UnmarshalText(b []byte) error {
	v, ok := ParsePeerClass(string(b))
	if !ok {
		return fmt.Errorf("attribution: unknown peer class %q", b)
	}
	*c = v
	return nil
}

// ParsePeerClass parses the names Key returns.
func ParsePeerClass(key string) (PeerClass, bool) {
	for i, k := range peerClassKeys {
		if k == key {
			return PeerClass(i), true
		}
	}
	return 0, false
}

// PeerClasses lists every class in report order (their numeric order:
// classes added later, such as PeerLoadBalancer, come last).
func PeerClasses() []PeerClass {
	out := make([]PeerClass, numPeerClasses)
	for i := range out {
		out[i] = PeerClass(i)
	}
	return out
}

// Topology is what flow logs and ECS alone do not say about the network, for
// classifying peers that are not tasks or container instances: which subnet
// (and so which AZ and VPC) an address is in, which address ranges are
// other VPCs, and which addresses are load balancer nodes whose cross-AZ
// transfer AWS does not bill. All of it comes from ec2:DescribeSubnets and
// ec2:DescribeVpcs (CidrBlock, Ipv6CidrBlockAssociationSet,
// AvailabilityZone, VpcId) and ec2:DescribeNetworkInterfaces (the
// load balancers' interfaces: see package ec2topology), or from a
// hand-written list. Without it, peers that are tasks or instances known to
// the history are still classified by AZ, public addresses as internet or
// public (see PeerPublic), and AWS services by the pkt-*-aws-service
// fields.
//
// WithTopology copies it; its slices stay the caller's, which many
// Attributors may share while none changes them.
type Topology struct {
	Subnets []Subnet
	VPCs    []VPC
	// LoadBalancers are the addresses of Application and Classic Load
	// Balancer nodes: a peer at one of them is PeerLoadBalancer (unless
	// the history knows a task or instance there at the record's time,
	// the task is the load balancer's client rather than its target, or
	// the node is in another VPC than the task's: traffic across a VPC
	// peering is the peering's, PeerOtherVPC). List no Network or
	// Gateway Load Balancer node here: their cross-zone traffic is billed.
	LoadBalancers []LoadBalancerNode

	// ix finds Subnets, vix VPCs, by an address: made by the engine
	// (index) before any record, nil otherwise.
	ix, vix *prefixIndex
}

// LoadBalancerNode is one private address of a load balancer node whose
// transfer with its targets AWS does not bill across AZs: a node of an
// Application Load Balancer, whose cross-zone load balancing is always on
// at the load balancer level
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing)
// and whose inter-AZ traffic with its targets in the same VPC is not
// charged (AWS, "Exploring Data Transfer Costs for Classic and
// Application Load Balancers",
// https://aws.amazon.com/blogs/networking-and-content-delivery/exploring-data-transfer-costs-for-classic-and-application-load-balancers/),
// or of a Classic Load Balancer ("When you enable cross-zone load
// balancing, you are not charged for data transfer between the load
// balancer nodes and the instances", and without it a node sends to its
// own AZ only:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html).
// A node forwards requests from the private addresses of its network
// interface, so those are what a target's flow log records as its peer.
type LoadBalancerNode struct {
	Addr netip.Addr
	// LoadBalancer names the load balancer: "app/NAME/ID" for an
	// Application Load Balancer, NAME for a Classic one (the node's
	// interface description without its "ELB " prefix).
	LoadBalancer string
	// ENI is the node's network interface, VPC its VPC ("" when not
	// known: then it is taken to be the task's).
	ENI string
	VPC string
}

// Subnet is one subnet: its CIDR, AZ name (e.g. "us-east-1a", the naming
// ECS uses in a task's availabilityZone) and VPC ID.
type Subnet struct {
	ID     string
	Prefix netip.Prefix
	AZ     string
	VPC    string
}

// VPC is a VPC's ID and its CIDR blocks (IPv4 and IPv6).
type VPC struct {
	ID       string
	Prefixes []netip.Prefix
}

// subnetOf returns the most specific subnet containing a, of VPC vpc
// when one of its subnets does: VPCs of one region may use the same CIDR
// (they can then never be peered), and an address inside the local VPC is
// routed there (its local route), whatever another VPC's subnet holds it
// too or in which order the topology lists them. vpc "" prefers none.
func (t *Topology) subnetOf(a netip.Addr, vpc string) (Subnet, bool) {
	if t.ix != nil {
		return t.subnetOfIndexed(a, vpc)
	}
	best, ok, bestLocal := Subnet{}, false, false
	for _, s := range t.Subnets {
		if !s.Prefix.Contains(a) {
			continue
		}
		local := vpc != "" && s.VPC == vpc
		if !ok || local && !bestLocal || local == bestLocal && s.Prefix.Bits() > best.Prefix.Bits() {
			best, ok, bestLocal = s, true, local
		}
	}
	return best, ok
}

// prefixIndex finds the subnets or VPCs holding an address by prefix
// length, instead of reading every one: classify asks for each record of
// a peer the summary does not keep (most records at ten thousand tasks),
// and an account's topology may hold hundreds of subnets and VPCs (a scan
// of 1,000 VPCs took ten times as long as the rest of attributing). All
// the prefixes of one length that hold an address share its prefix at
// that length, so they are found with one lookup a length.
type prefixIndex struct {
	bits []int                  // the lengths present, longest first
	at   map[netip.Prefix][]int // a masked prefix's subnets or VPCs (indexes), in list order, each once
}

// add files item i under p.
func (ix *prefixIndex) add(p netip.Prefix, i int) {
	if !p.IsValid() {
		return // holds no address
	}
	if ix.at == nil {
		ix.at = map[netip.Prefix][]int{}
	}
	p = p.Masked()
	if !slices.Contains(ix.bits, p.Bits()) {
		ix.bits = append(ix.bits, p.Bits())
		slices.SortFunc(ix.bits, func(a, b int) int { return b - a })
	}
	if at := ix.at[p]; len(at) == 0 || at[len(at)-1] != i {
		ix.at[p] = append(at, i)
	}
}

// holding returns the items filed under a's prefix of length bits, in
// list order: those whose prefix of that length holds a. A zoned address
// is held by none, as netip.Prefix.Contains holds it.
func (ix *prefixIndex) holding(a netip.Addr, bits int) []int {
	if bits > a.BitLen() || a.Zone() != "" {
		return nil
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return nil
	}
	return ix.at[p]
}

// index makes t.ix and t.vix.
func (t *Topology) index() {
	t.ix, t.vix = &prefixIndex{}, &prefixIndex{}
	for i, s := range t.Subnets {
		t.ix.add(s.Prefix, i)
	}
	for i, v := range t.VPCs {
		for _, p := range v.Prefixes {
			t.vix.add(p, i)
		}
	}
}

// subnetOfIndexed is Topology.subnetOf by the index: the first local
// subnet at the longest length that has one, else the first subnet at the
// longest length, as the list read in order chooses.
func (t *Topology) subnetOfIndexed(a netip.Addr, vpc string) (Subnet, bool) {
	first := -1
	for _, bits := range t.ix.bits {
		for _, i := range t.ix.holding(a, bits) {
			if vpc != "" && t.Subnets[i].VPC == vpc {
				return t.Subnets[i], true
			}
			if first < 0 {
				first = i
			}
		}
		if first >= 0 && vpc == "" {
			break
		}
	}
	if first < 0 {
		return Subnet{}, false
	}
	return t.Subnets[first], true
}

// vpcOfIndexed is what a scan of t.VPCs in order finds for a by its CIDR
// blocks: vpc when it is the ID of a VPC with a block holding a, else the
// ID of the first such VPC with an ID, else "".
func (t *Topology) vpcOfIndexed(a netip.Addr, vpc string) string {
	first := -1
	for _, bits := range t.vix.bits {
		for _, i := range t.vix.holding(a, bits) {
			id := t.VPCs[i].ID
			if vpc != "" && id == vpc {
				return id
			}
			if id != "" && (first < 0 || i < first) {
				first = i
			}
		}
	}
	if first < 0 {
		return ""
	}
	return t.VPCs[first].ID
}

// vpcOf returns the ID of the VPC containing a, vpc when it is one of
// those, by a subnet or by a CIDR block; s and sok are subnetOf(a, vpc),
// which the caller has just asked: another VPC's subnet does not win over
// the local VPC's block.
func (t *Topology) vpcOf(a netip.Addr, vpc string, s Subnet, sok bool) (string, bool) {
	if sok && s.VPC != "" && (vpc == "" || s.VPC == vpc) {
		return s.VPC, true
	}
	found := ""
	if t.vix != nil {
		found = t.vpcOfIndexed(a, vpc)
		if vpc != "" && found == vpc {
			return found, true
		}
	} else {
		for _, v := range t.VPCs {
			if slices.ContainsFunc(v.Prefixes, func(p netip.Prefix) bool { return p.Contains(a) }) {
				if vpc != "" && v.ID == vpc {
					return v.ID, true
				}
				if found == "" {
					found = v.ID
				}
			}
		}
	}
	if sok && s.VPC != "" {
		return s.VPC, true
	}
	return found, found != ""
}

// vpcsOf returns how many VPCs of t hold a (by their subnets or CIDRs),
// up to 2, and the first.
func (t *Topology) vpcsOf(a netip.Addr) (string, int) {
	if t.ix != nil {
		return t.vpcsOfIndexed(a)
	}
	first, n := "", 0
	note := func(id string) {
		if id != "" && id != first && n < 2 {
			if n == 0 {
				first = id
			}
			n++
		}
	}
	for _, s := range t.Subnets {
		if s.Prefix.Contains(a) {
			note(s.VPC)
		}
	}
	for _, v := range t.VPCs {
		if slices.ContainsFunc(v.Prefixes, func(p netip.Prefix) bool { return p.Contains(a) }) {
			note(v.ID)
		}
	}
	return first, n
}

// vpcsOfIndexed is Topology.vpcsOf by the indexes: the first is the VPC
// of the first subnet (in list order) holding a that names one, else the
// first VPC with an ID holding a; a second is any other ID among them.
func (t *Topology) vpcsOfIndexed(a netip.Addr) (string, int) {
	sub, vpc := -1, -1
	one, two := "", false // an ID seen, and whether another was
	see := func(id string) {
		if id == "" || two {
			return
		}
		if one == "" {
			one = id
		} else if id != one {
			two = true
		}
	}
	for _, bits := range t.ix.bits {
		for _, i := range t.ix.holding(a, bits) {
			if id := t.Subnets[i].VPC; id != "" {
				see(id)
				if sub < 0 || i < sub {
					sub = i
				}
			}
		}
	}
	for _, bits := range t.vix.bits {
		for _, i := range t.vix.holding(a, bits) {
			if id := t.VPCs[i].ID; id != "" {
				see(id)
				if vpc < 0 || i < vpc {
					vpc = i
				}
			}
		}
	}
	switch {
	case one == "":
		return "", 0
	case sub >= 0 && two:
		return t.Subnets[sub].VPC, 2
	case sub >= 0:
		return t.Subnets[sub].VPC, 1
	case two:
		return t.VPCs[vpc].ID, 2
	}
	return t.VPCs[vpc].ID, 1
}

// cgnat is RFC 6598 shared address space, not internet-routable.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// nat64 is the well-known NAT64 prefix (RFC 6052), which DNS64 gives
// IPv6-only clients for IPv4 destinations, reached through a NAT gateway.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// viaPublicIPv4 reports whether a public address a is reached at a
// public IPv4 address: an IPv4 one, or a NAT64 one (see classify).
func viaPublicIPv4(a netip.Addr) bool {
	a = a.Unmap()
	return a.Is4() || nat64.Contains(a)
}

// isPublic reports whether a is a globally routable unicast address.
func isPublic(a netip.Addr) bool {
	if a.Is4() {
		b := a.As4()
		return isPublic4(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	}
	a = a.Unmap()
	return a.IsValid() && a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a)
}

// isPublic4 is isPublic for an IPv4 address as a number: not 0.0.0.0,
// broadcast, loopback (127/8), multicast (224/4), link-local (169.254/16),
// RFC 1918 (10/8, 172.16/12, 192.168/16) or shared (100.64/10).
func isPublic4(v uint32) bool {
	return v != 0 && v != ^uint32(0) && v>>24 != 127 && v>>28 != 0xe && v>>16 != 0xa9fe &&
		v>>24 != 10 && v>>20 != 0xac1 && v>>16 != 0xc0a8 && v>>22 != 0x191
}

// classByTrafficPath maps the v5 traffic-path codes (egress only) that say
// where the flow went. An internet gateway (2, or 8 on Nitro instances)
// leads to the internet and to AWS's public endpoints alike; 2 is also a
// gateway endpoint: internet only when the pkt-dst-aws-service field is in
// the format (svcKnown) and empty (recordClass took a set one first).
func classByTrafficPath(tp uint8, svcKnown bool) (PeerClass, bool) {
	switch tp {
	case 2, 8:
		if svcKnown {
			return PeerInternet, true
		}
		return PeerPublic, true
	case 3, 6:
		return PeerOtherNetwork, true
	case 4, 5:
		return PeerOtherVPC, true
	case 7:
		return PeerAWSService, true
	}
	return PeerUnknown, false
}

func compareAZ(local, peer string) (PeerClass, bool) {
	if local == "" || peer == "" {
		return PeerUnknown, false
	}
	if local == peer {
		return PeerSameAZ, true
	}
	return PeerCrossAZ, true
}
