// Package ec2topology builds the subnets and VPCs that attribution uses to
// classify peers (same AZ, cross-AZ, other VPC, internet) from EC2: live
// through the aws-sdk-go-v2 ec2 client (ec2:DescribeSubnets and
// ec2:DescribeVpcs, paginated), or from saved `aws ec2 describe-subnets` /
// `describe-vpcs` output. It lives apart from attribution so that
// importers who do not call EC2 do not build its client.
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
	"fmt"
	"io"
	"net/netip"
	"slices"

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
	zones []zone // one per distinct AZ name and ID pair
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
}

// Load reads the subnets and VPCs of the client's region: all of them, or
// those WithSubnetFilters and WithVPCFilters select (each call has its
// own). Errors wrap the SDK's (errors.As finds its smithy.APIError).
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
	t, err := FromEC2(subnets, vpcs)
	if err != nil {
		return Topology{}, fmt.Errorf("ec2topology: %w", err)
	}
	return t, nil
}

// Read reads saved `aws ec2 describe-subnets` or `aws ec2 describe-vpcs`
// output (one document holding Subnets, Vpcs or both). name is used in
// errors, which give the line, column and member path of a bad value.
// Output holding a NextToken is an error: it is one page of several
// (saved with --max-items or --no-paginate), and the subnets of the other
// pages would classify as unknown without a word.
func Read(r io.Reader, name string) (Topology, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	var subnets ec2.DescribeSubnetsOutput
	if err := awswire.Unmarshal(data, &subnets); err != nil {
		return Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	var vpcs ec2.DescribeVpcsOutput
	if err := awswire.Unmarshal(data, &vpcs); err != nil {
		return Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	// Both outputs name their token NextToken, so either struct has it.
	if subnets.NextToken != nil && *subnets.NextToken != "" {
		return Topology{}, fmt.Errorf("%s: has a NextToken: the output is one page of several; "+
			"rerun the command without --max-items or --no-paginate (the CLI then reads every page), "+
			"or merge the Subnets or Vpcs of all its pages into one document", name)
	}
	t, err := FromEC2(subnets.Subnets, vpcs.Vpcs)
	if err != nil {
		return t, fmt.Errorf("%s: %w", name, err)
	}
	for i := range t.zones {
		t.zones[i].source = name
	}
	return t, nil
}

// Merge appends the subnets and VPCs of more to t (for several saved
// files or regions). It refuses topologies whose AZ names disagree (one
// name with two AZ IDs, or one ID with two names; see the package
// documentation), returning t as it was.
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
		Subnets: slices.Clone(t.Subnets),
		VPCs:    slices.Clone(t.VPCs),
	}, zones: zones}
	for _, m := range more {
		out.Subnets = append(out.Subnets, m.Subnets...)
		out.VPCs = append(out.VPCs, m.VPCs...)
	}
	return out, nil
}

// FromEC2 converts the SDK's subnets and VPCs. A subnet gives one entry
// per CIDR (its IPv4 block, absent for an IPv6-only subnet, and each IPv6
// block); a VPC lists its IPv4 and IPv6 blocks. CIDR associations being
// removed or gone (state disassociating, disassociated, failing or
// failed) are left out: the addresses are no longer the VPC's. A subnet's
// AvailabilityZoneId is kept beside its AZ name, and subnets whose AZ
// names disagree are an error (see the package documentation).
func FromEC2(subnets []types.Subnet, vpcs []types.Vpc) (Topology, error) {
	var t Topology
	for i, s := range subnets {
		var err error
		t.zones, err = addZone(t.zones, zone{name: deref(s.AvailabilityZone), id: deref(s.AvailabilityZoneId), subnet: deref(s.SubnetId)})
		if err != nil {
			return t, fmt.Errorf("in Subnets[%d]: %w", i, err)
		}
		add := func(cidr *string) error {
			p, ok, err := prefix(cidr)
			if err != nil {
				return fmt.Errorf("bad CIDR in Subnets[%d] (%s): %w", i, deref(s.SubnetId), err)
			}
			if ok {
				t.Subnets = append(t.Subnets, attribution.Subnet{ID: deref(s.SubnetId), Prefix: p, AZ: deref(s.AvailabilityZone), VPC: deref(s.VpcId)})
			}
			return nil
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
	}
	for i, v := range vpcs {
		vpc := attribution.VPC{ID: deref(v.VpcId)}
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
				return t, fmt.Errorf("bad CIDR in Vpcs[%d] (%s): %w", i, vpc.ID, err)
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
