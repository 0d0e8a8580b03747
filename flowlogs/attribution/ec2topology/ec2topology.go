// Package ec2topology builds the subnets, VPCs and load balancer nodes
// that attribution uses to classify peers (same AZ, cross-AZ, other VPC,
// load balancer, internet) from EC2: live through the aws-sdk-go-v2 ec2
// client (ec2:DescribeSubnets, ec2:DescribeVpcs and
// ec2:DescribeNetworkInterfaces, paginated), or from saved `aws ec2
// describe-subnets` / `describe-vpcs` / `describe-network-interfaces`
// output. It lives apart from attribution so that importers who do not
// call EC2 do not build its client.
//
// # Load balancer nodes
//
// AWS does not bill cross-AZ transfer between an Application Load
// Balancer's nodes and its targets, nor a Classic Load Balancer's; a
// Network or Gateway Load Balancer's cross-zone traffic is billed ("When
// enabling cross-zone load balancing for a Network Load Balancer, EC2 data
// transfer charges apply":
// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html;
// see attribution.LoadBalancerNode for the others). ELB gives a load
// balancer's nodes network interfaces in its subnets (one or more in each),
// and a node forwards to targets from its interface's private addresses,
// so a target's flow log names them as the peer. The interfaces are told apart
// by what ELB writes on them (DescribeNetworkInterfaces): RequesterId
// "amazon-elb", and a Description of "ELB " and the load balancer's name,
// "app/NAME/ID" for an Application Load Balancer, "net/NAME/ID" for a
// Network one, "gwy/NAME/ID" for a Gateway one and the bare NAME (which
// has no slash) for a Classic one; InterfaceType network_load_balancer or
// gateway_load_balancer also marks a Network or Gateway Load Balancer's.
// The addresses of Application and Classic Load Balancer nodes become the
// Topology's LoadBalancers (attribution.PeerLoadBalancer); every other
// interface, Network and Gateway Load Balancers' included, is left out,
// and its peers are classed by subnet as before. An interface that does
// not say it is ELB's is never a node: misreading a peer as one would
// price billed traffic as free.
//
// # AZ names are one account's
//
// attribution tells a same-AZ peer from a cross-AZ one by AZ name: the
// subnet's AvailabilityZone against the local task's (ECS reports names,
// such as us-east-1a). That is right only within one account's naming:
// in the older Regions AZs are mapped to names per account, so "the
// us-east-1a for your AWS account might not be the same physical location
// as the us-east-1a for another AWS account", while an AZ ID such as
// use1-az1 "has the same physical location in every AWS account"
// (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html).
// Read the topology in the account that runs the tasks.
//
// attribution.Subnet holds the name only, so a [Topology] keeps, beside
// it, the AZ ID (AvailabilityZoneId) each name stood for. FromEC2, Load,
// Read and Merge refuse a topology in which one AZ name stands for two AZ
// IDs, or one AZ ID has two names, with an error naming both subnets,
// both IDs and the name: its subnets were listed by accounts whose names
// differ (several accounts' output merged), and attribution would call
// traffic between two physical AZs same-AZ (free) or traffic within one
// cross-AZ. Attribute each account's tasks with that account's subnets.
// What is not caught: subnets without an AZ ID (hand-written files), and
// a topology consistently in the naming of an account other than the
// tasks'.
package ec2topology

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awscall"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Topology is the attribution.Topology read from EC2 (give attribution its
// Topology field) and the AZ ID behind each of its AZ names, which Merge
// checks (see the package documentation). A Topology built by hand from an
// attribution.Topology alone has no AZ IDs and is not checked.
type Topology struct {
	attribution.Topology
	// Interfaces is how many network interfaces were read
	// (DescribeNetworkInterfaces), load balancer nodes or not: a saved
	// describe-network-interfaces output of no Application or Classic
	// Load Balancer still counts its interfaces here.
	Interfaces int
	zones      []zone // one per distinct AZ name and ID pair
}

// zone is an AZ name, its AZ ID, and the first subnet seen in it (for
// errors), with where that subnet was read from ("" when not known).
type zone struct {
	name, id, subnet, source string
}

// addZone records z in zones, or says which zone it contradicts.
func addZone(zones []zone, z zone) ([]zone, error) {
	if z.name == "" || z.id == "" {
		return zones, nil // nothing to compare
	}
	for _, e := range zones {
		switch {
		case e.name == z.name && e.id == z.id:
			return zones, nil
		case e.name == z.name:
			return zones, fmt.Errorf("AZ name %s is AZ ID %s for %s but %s for %s: %s",
				z.name, e.id, e.where(), z.id, z.where(), mixedNames)
		case e.id == z.id:
			return zones, fmt.Errorf("AZ ID %s is AZ name %s for %s but %s for %s: %s",
				z.id, e.name, e.where(), z.name, z.where(), mixedNames)
		}
	}
	return append(zones, z), nil
}

// mixedNames is what an AZ name or ID contradiction means and what to do.
const mixedNames = "the subnets come from accounts whose AZ names stand for different AZs, " +
	"and attribution compares AZ names; use the subnets of the account that runs the tasks " +
	"(attribute each account's tasks separately)"

func (z zone) where() string {
	if z.source == "" {
		return z.subnet
	}
	return z.subnet + " (" + z.source + ")"
}

// Option narrows what Load reads.
type Option func(*options)

type options struct {
	subnets, vpcs []types.Filter
}

// WithSubnetFilters passes filters to DescribeSubnets only, for example
// Name "vpc-id" (one VPC's subnets) or "availability-zone". One list
// cannot serve both calls: EC2 answers a filter name the action does not
// document with InvalidParameterValue ("The filter 'availability-zone' is
// invalid"), and most subnet filters (availability-zone, subnet-id,
// default-for-az, …) are not among DescribeVpcs'; and names both take mean
// different things (cidr is the subnet's block to DescribeSubnets and the
// VPC's primary block to DescribeVpcs; a tag filter matches the subnets'
// tags or the VPCs'). See the Filter.N lists of DescribeSubnets and
// DescribeVpcs in the Amazon EC2 API Reference.
func WithSubnetFilters(fs ...types.Filter) Option {
	return func(o *options) { o.subnets = append(o.subnets, fs...) }
}

// WithVPCFilters passes filters to DescribeVpcs only (its names, for
// example "vpc-id", "owner-id" or "tag:Name"). A VPC left out is not known
// as another VPC: of its addresses, only those in subnets read are placed.
func WithVPCFilters(fs ...types.Filter) Option {
	return func(o *options) { o.vpcs = append(o.vpcs, fs...) }
}

// API is the part of *ec2.Client that Load calls.
type API interface {
	ec2.DescribeSubnetsAPIClient
	ec2.DescribeVpcsAPIClient
	ec2.DescribeNetworkInterfacesAPIClient
}

// elbRequester is the RequesterId of the network interfaces ELB creates
// for a load balancer's nodes (the requester-id filter of
// DescribeNetworkInterfaces takes it).
const elbRequester = "amazon-elb"

// Load reads the subnets and VPCs of the client's region: all of them, or
// those WithSubnetFilters and WithVPCFilters select (each call has its
// own); and the network interfaces ELB created (DescribeNetworkInterfaces
// filtered by requester-id amazon-elb), for the Application and Classic
// Load Balancer nodes among them (see the package documentation). Errors
// wrap the SDK's (errors.As finds its smithy.APIError).
func Load(ctx context.Context, api API, opts ...Option) (Topology, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var subnets []types.Subnet
	sp := ec2.NewDescribeSubnetsPaginator(api, &ec2.DescribeSubnetsInput{Filters: o.subnets})
	for sp.HasMorePages() {
		page, err := awscall.Next(ctx, sp.NextPage)
		if err != nil {
			return Topology{}, fmt.Errorf("ec2topology: DescribeSubnets: %w", err)
		}
		subnets = append(subnets, page.Subnets...)
	}
	var vpcs []types.Vpc
	vp := ec2.NewDescribeVpcsPaginator(api, &ec2.DescribeVpcsInput{Filters: o.vpcs})
	for vp.HasMorePages() {
		page, err := awscall.Next(ctx, vp.NextPage)
		if err != nil {
			return Topology{}, fmt.Errorf("ec2topology: DescribeVpcs: %w", err)
		}
		vpcs = append(vpcs, page.Vpcs...)
	}
	// Only ELB's interfaces: an account's others (every awsvpc task has
	// one) would be pages of nothing to keep. MaxResults makes the calls
	// paginated (the paginator sends none of its own): unpaginated, "the
	// operation fails" in an account of many interfaces, requester-id
	// being none of the filters that spare it (see DescribeNetworkInterfaces).
	var nis []types.NetworkInterface
	np := ec2.NewDescribeNetworkInterfacesPaginator(api, &ec2.DescribeNetworkInterfacesInput{
		Filters:    []types.Filter{{Name: aws.String("requester-id"), Values: []string{elbRequester}}},
		MaxResults: aws.Int32(1000)})
	for np.HasMorePages() {
		page, err := awscall.Next(ctx, np.NextPage)
		if err != nil {
			return Topology{}, fmt.Errorf("ec2topology: DescribeNetworkInterfaces: %w", err)
		}
		nis = append(nis, page.NetworkInterfaces...)
	}
	t, err := FromEC2(subnets, vpcs)
	if err != nil {
		return Topology{}, fmt.Errorf("ec2topology: %w", err)
	}
	lbs, err := FromNetworkInterfaces(nis)
	if err != nil {
		return Topology{}, fmt.Errorf("ec2topology: %w", err)
	}
	t.LoadBalancers, t.Interfaces = lbs.LoadBalancers, lbs.Interfaces
	return t, nil
}

// MaxSize is the size of the largest input Read accepts (see there).
const MaxSize = 1 << 30

// maxReadBytes is MaxSize, a variable for tests.
var maxReadBytes int64 = MaxSize

// Read reads saved `aws ec2 describe-subnets`, `aws ec2 describe-vpcs` or
// `aws ec2 describe-network-interfaces` output (one document holding
// Subnets, Vpcs, NetworkInterfaces or several of them); which it is, is
// told by those members, as the CLI names them; a document with none of
// them (another describe output) is an error. Of the network interfaces
// it keeps the Application and Classic Load Balancer nodes' addresses (see
// the package documentation), counting every interface in Interfaces; save
// them with `aws ec2 describe-network-interfaces --filters
// Name=requester-id,Values=amazon-elb` (ELB's interfaces only) or without
// a filter. name is used in errors, which give the line, column and member
// path of a bad value. Output holding a NextToken is an error: it is one
// page of several (saved with --max-items or --no-paginate), and the
// subnets of the other pages would classify as unknown without a word.
// Read reads r whole, and refuses more than 1 GiB: describe-network-interfaces
// output takes some 3 KB an interface, so this is over 300,000 of them,
// far past a region's quota.
func Read(r io.Reader, name string) (Topology, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReadBytes+1))
	if err != nil {
		return Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > maxReadBytes {
		return Topology{}, fmt.Errorf("%s: larger than %d bytes, more than describe output of a region's subnets, VPCs and network interfaces", name, maxReadBytes)
	}
	// The three outputs in one decode: a document may hold several, and
	// each names its token NextToken.
	var doc struct {
		Subnets           []types.Subnet
		Vpcs              []types.Vpc
		NetworkInterfaces []types.NetworkInterface
		NextToken         *string
	}
	if err := awswire.Unmarshal(data, &doc); err != nil {
		return Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Subnets == nil && doc.Vpcs == nil && doc.NetworkInterfaces == nil {
		return Topology{}, fmt.Errorf("%s: no Subnets, Vpcs or NetworkInterfaces member: want aws ec2 describe-subnets, describe-vpcs or describe-network-interfaces output", name)
	}
	if doc.NextToken != nil && *doc.NextToken != "" {
		return Topology{}, fmt.Errorf("%s: has a NextToken: the output is one page of several; "+
			"rerun the command without --max-items or --no-paginate (the CLI then reads every page), "+
			"or merge the Subnets, Vpcs or NetworkInterfaces of all its pages into one document", name)
	}
	t, err := FromEC2(doc.Subnets, doc.Vpcs)
	if err != nil {
		return t, fmt.Errorf("%s: %w", name, placed(data, err))
	}
	lbs, err := FromNetworkInterfaces(doc.NetworkInterfaces)
	if err != nil {
		return t, fmt.Errorf("%s: %w", name, placed(data, err))
	}
	t.LoadBalancers, t.Interfaces = lbs.LoadBalancers, lbs.Interfaces
	for i := range t.zones {
		t.zones[i].source = name
	}
	return t, nil
}

// An entryError is an error of one entry of a list (Subnets[3]), which
// Read places at the entry in its file.
type entryError struct {
	list  string
	index int
	error
}

func (e *entryError) Unwrap() error { return e.error }

// placed gives an entryError the line and column of its entry in data,
// as the decoder's errors have theirs.
func placed(data []byte, err error) error {
	var ee *entryError
	if !errors.As(err, &ee) {
		return err
	}
	at, ok := awswire.ElementStart(data, ee.list, ee.index)
	if !ok {
		return err
	}
	pos := awswire.PosOf(data, at)
	return &awswire.Error{Line: pos.Line, Column: pos.Column, Offset: pos.Offset, Msg: err.Error()}
}

// Merge appends the subnets, VPCs and load balancer nodes of more to t
// (for several saved files or regions), and adds up their Interfaces. It
// refuses topologies whose AZ names disagree (one name with two AZ IDs, or
// one ID with two names; see the package documentation), returning t as
// it was.
func Merge(t Topology, more ...Topology) (Topology, error) {
	zones := slices.Clone(t.zones)
	for _, m := range more {
		for _, z := range m.zones {
			var err error
			if zones, err = addZone(zones, z); err != nil {
				return t, fmt.Errorf("ec2topology: %w", err)
			}
		}
	}
	out := Topology{Topology: attribution.Topology{
		Subnets:       slices.Clone(t.Subnets),
		VPCs:          slices.Clone(t.VPCs),
		LoadBalancers: slices.Clone(t.LoadBalancers),
	}, Interfaces: t.Interfaces, zones: zones}
	for _, m := range more {
		out.Subnets = append(out.Subnets, m.Subnets...)
		out.VPCs = append(out.VPCs, m.VPCs...)
		out.LoadBalancers = append(out.LoadBalancers, m.LoadBalancers...)
		out.Interfaces += m.Interfaces
	}
	return out, nil
}

// FromNetworkInterfaces converts the SDK's network interfaces: the
// private addresses (IPv4 and IPv6) of those that are Application or
// Classic Load Balancer nodes become LoadBalancers, one entry an address;
// the others are counted in Interfaces only (see the package
// documentation). An address that is not one is an error naming the
// interface.
func FromNetworkInterfaces(nis []types.NetworkInterface) (Topology, error) {
	t := Topology{Interfaces: len(nis)}
	for i := range nis {
		ni := &nis[i]
		kind, lb := loadBalancerOf(ni)
		if kind != albNode && kind != clbNode {
			continue
		}
		var addrs []netip.Addr
		add := func(s *string, member string) error {
			if s == nil || *s == "" {
				return nil
			}
			a, err := netip.ParseAddr(*s)
			if err != nil {
				return &entryError{"NetworkInterfaces", i, fmt.Errorf("bad address in NetworkInterfaces[%d].%s (%s): %w", i, member, deref(ni.NetworkInterfaceId), err)}
			}
			if a = a.Unmap(); !slices.Contains(addrs, a) {
				addrs = append(addrs, a)
			}
			return nil
		}
		if err := add(ni.PrivateIpAddress, "PrivateIpAddress"); err != nil {
			return t, err
		}
		for j, p := range ni.PrivateIpAddresses {
			if err := add(p.PrivateIpAddress, fmt.Sprintf("PrivateIpAddresses[%d].PrivateIpAddress", j)); err != nil {
				return t, err
			}
		}
		for j, p := range ni.Ipv6Addresses {
			if err := add(p.Ipv6Address, fmt.Sprintf("Ipv6Addresses[%d].Ipv6Address", j)); err != nil {
				return t, err
			}
		}
		for _, a := range addrs {
			t.LoadBalancers = append(t.LoadBalancers, attribution.LoadBalancerNode{Addr: a, LoadBalancer: lb,
				ENI: deref(ni.NetworkInterfaceId), VPC: deref(ni.VpcId)})
		}
	}
	return t, nil
}

// nodeKind is the kind of load balancer a network interface is a node of.
type nodeKind uint8

const (
	notNode   nodeKind = iota // not ELB's
	albNode                   // an Application Load Balancer's
	clbNode                   // a Classic Load Balancer's
	nlbNode                   // a Network Load Balancer's
	gwlbNode                  // a Gateway Load Balancer's
	otherNode                 // ELB's, of a type not known here
)

// loadBalancerOf says which kind of load balancer ni is a node of, and
// the load balancer's name as its description gives it ("app/NAME/ID",
// or a Classic one's NAME), from what ELB writes on the interfaces it
// creates (see the package documentation).
func loadBalancerOf(ni *types.NetworkInterface) (nodeKind, string) {
	if deref(ni.RequesterId) != elbRequester {
		return notNode, ""
	}
	name, ok := strings.CutPrefix(deref(ni.Description), "ELB ")
	switch {
	case ni.InterfaceType == types.NetworkInterfaceTypeNetworkLoadBalancer:
		return nlbNode, name
	case ni.InterfaceType == types.NetworkInterfaceTypeGatewayLoadBalancer:
		return gwlbNode, name
	case !ok || name == "":
		return otherNode, name
	}
	typ, _, slash := strings.Cut(name, "/")
	switch {
	case !slash:
		return clbNode, name // a Classic Load Balancer's name has no slash
	case typ == "app":
		return albNode, name
	case typ == "net":
		return nlbNode, name
	case typ == "gwy":
		return gwlbNode, name
	}
	return otherNode, name
}

// FromEC2 converts the SDK's subnets and VPCs. A subnet gives one entry
// per CIDR (its IPv4 block, absent for an IPv6-only subnet, and each IPv6
// block); a VPC lists its IPv4 and IPv6 blocks. A subnet or VPC that lists
// no block at all is an error naming it, and so is a subnet without a
// SubnetId or an AvailabilityZone, which EC2 lists for every subnet (its
// AvailabilityZoneId may be absent). CIDR associations being removed or
// gone (state disassociating, disassociated, failing or failed) are left
// out: the addresses are no longer the VPC's. A subnet's
// AvailabilityZoneId is kept beside its AZ name, and subnets whose AZ
// names disagree are an error (see the package documentation).
func FromEC2(subnets []types.Subnet, vpcs []types.Vpc) (Topology, error) {
	var t Topology
	for i, s := range subnets {
		var err error
		t.zones, err = addZone(t.zones, zone{name: deref(s.AvailabilityZone), id: deref(s.AvailabilityZoneId), subnet: deref(s.SubnetId)})
		if err != nil {
			return t, &entryError{"Subnets", i, fmt.Errorf("in Subnets[%d]: %w", i, err)}
		}
		add := func(cidr *string) error {
			p, ok, err := prefix(cidr)
			if err != nil {
				return &entryError{"Subnets", i, fmt.Errorf("bad CIDR in Subnets[%d] (%s): %w", i, deref(s.SubnetId), err)}
			}
			if ok {
				t.Subnets = append(t.Subnets, attribution.Subnet{ID: deref(s.SubnetId), Prefix: p, AZ: deref(s.AvailabilityZone), VPC: deref(s.VpcId)})
			}
			return nil
		}
		// EC2 lists every subnet with a block (its IPv4 one, or an
		// IPv6-only subnet's IPv6 one): an entry with none is not EC2's
		// (a misspelt member, other output), and dropping it would leave
		// its addresses unknown without a word.
		if deref(s.CidrBlock) == "" && len(s.Ipv6CidrBlockAssociationSet) == 0 {
			return t, &entryError{"Subnets", i, fmt.Errorf("no CIDR block in Subnets[%d] (%s): want CidrBlock or Ipv6CidrBlockAssociationSet", i, deref(s.SubnetId))}
		}
		if err := add(s.CidrBlock); err != nil {
			return t, err
		}
		for _, a := range s.Ipv6CidrBlockAssociationSet {
			if a.Ipv6CidrBlockState != nil && gone(string(a.Ipv6CidrBlockState.State)) {
				continue
			}
			if err := add(a.Ipv6CidrBlock); err != nil {
				return t, err
			}
		}
		// EC2 lists a SubnetId and an AvailabilityZone for every subnet,
		// and attribution needs both. The AZ name classes its peers
		// same-AZ or cross-AZ, which prices their bytes (without it they
		// are unknown, unpriced); by the ID a task's subnet finds its VPC,
		// and errors name the subnet. The AZ ID is not needed: attribution
		// compares names (output saved before EC2 reported AvailabilityZoneId
		// lacks it).
		if deref(s.SubnetId) == "" {
			cidr := deref(s.CidrBlock) // named by its block, which it has (above)
			if cidr == "" {
				cidr = deref(s.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock)
			}
			return t, &entryError{"Subnets", i, fmt.Errorf("no SubnetId in Subnets[%d] (%s): want the subnet's ID, as EC2 lists it", i, cidr)}
		}
		if deref(s.AvailabilityZone) == "" {
			return t, &entryError{"Subnets", i, fmt.Errorf("no AvailabilityZone in Subnets[%d] (%s): want the subnet's AZ name (us-east-1a), "+
				"which classes its peers same-AZ or cross-AZ", i, deref(s.SubnetId))}
		}
	}
	for i, v := range vpcs {
		vpc := attribution.VPC{ID: deref(v.VpcId)}
		// Every VPC has a primary IPv4 block (see the subnets above).
		if deref(v.CidrBlock) == "" && len(v.CidrBlockAssociationSet) == 0 && len(v.Ipv6CidrBlockAssociationSet) == 0 {
			return t, &entryError{"Vpcs", i, fmt.Errorf("no CIDR block in Vpcs[%d] (%s): want CidrBlock or CidrBlockAssociationSet", i, vpc.ID)}
		}
		var cidrs []*string
		for _, a := range v.CidrBlockAssociationSet {
			if a.CidrBlockState == nil || !gone(string(a.CidrBlockState.State)) {
				cidrs = append(cidrs, a.CidrBlock)
			}
		}
		if len(v.CidrBlockAssociationSet) == 0 {
			cidrs = append(cidrs, v.CidrBlock) // the primary block, when associations are not listed
		}
		for _, a := range v.Ipv6CidrBlockAssociationSet {
			if a.Ipv6CidrBlockState == nil || !gone(string(a.Ipv6CidrBlockState.State)) {
				cidrs = append(cidrs, a.Ipv6CidrBlock)
			}
		}
		for _, c := range cidrs {
			p, ok, err := prefix(c)
			if err != nil {
				return t, &entryError{"Vpcs", i, fmt.Errorf("bad CIDR in Vpcs[%d] (%s): %w", i, vpc.ID, err)}
			}
			if ok {
				vpc.Prefixes = append(vpc.Prefixes, p)
			}
		}
		t.VPCs = append(t.VPCs, vpc)
	}
	return t, nil
}

// gone reports whether a CIDR association state (types.VpcCidrBlockStateCode
// or types.SubnetCidrBlockStateCode: both have the same values) means the
// block is not, or no longer, the VPC's or subnet's.
func gone(state string) bool {
	switch state {
	case "disassociating", "disassociated", "failing", "failed":
		return true
	}
	return false
}

// prefix parses an optional CIDR: absent or empty is not an error.
func prefix(cidr *string) (netip.Prefix, bool, error) {
	if cidr == nil || *cidr == "" {
		return netip.Prefix{}, false, nil
	}
	p, err := netip.ParsePrefix(*cidr)
	if err != nil {
		return netip.Prefix{}, false, err
	}
	return p.Masked(), true, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
