// Package ec2topology builds the subnets and VPCs that attribution uses to
// classify peers (same AZ, cross-AZ, other VPC, internet) from EC2: live
// through the aws-sdk-go-v2 ec2 client (ec2:DescribeSubnets and
// ec2:DescribeVpcs, paginated), or from saved `aws ec2 describe-subnets` /
// `describe-vpcs` output. It lives apart from attribution so that
// importers who do not call EC2 do not build its client.
package ec2topology

import (
	"context"
	"fmt"
	"io"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// API is the part of *ec2.Client that Load calls.
type API interface {
	ec2.DescribeSubnetsAPIClient
	ec2.DescribeVpcsAPIClient
}

// Load reads every subnet and VPC of the client's region. Filters (for
// example one VPC: Name "vpc-id") narrow both calls; with none, all are
// read. Errors wrap the SDK's (errors.As finds its smithy.APIError).
func Load(ctx context.Context, api API, filters ...types.Filter) (attribution.Topology, error) {
	var subnets []types.Subnet
	sp := ec2.NewDescribeSubnetsPaginator(api, &ec2.DescribeSubnetsInput{Filters: filters})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		if err != nil {
			return attribution.Topology{}, fmt.Errorf("ec2topology: DescribeSubnets: %w", err)
		}
		subnets = append(subnets, page.Subnets...)
	}
	var vpcs []types.Vpc
	vp := ec2.NewDescribeVpcsPaginator(api, &ec2.DescribeVpcsInput{Filters: filters})
	for vp.HasMorePages() {
		page, err := vp.NextPage(ctx)
		if err != nil {
			return attribution.Topology{}, fmt.Errorf("ec2topology: DescribeVpcs: %w", err)
		}
		vpcs = append(vpcs, page.Vpcs...)
	}
	return FromEC2(subnets, vpcs)
}

// Read reads saved `aws ec2 describe-subnets` or `aws ec2 describe-vpcs`
// output (one document holding Subnets, Vpcs or both). name is used in
// errors, which give the line, column and member path of a bad value.
func Read(r io.Reader, name string) (attribution.Topology, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return attribution.Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	var subnets ec2.DescribeSubnetsOutput
	if err := awswire.Unmarshal(data, &subnets); err != nil {
		return attribution.Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	var vpcs ec2.DescribeVpcsOutput
	if err := awswire.Unmarshal(data, &vpcs); err != nil {
		return attribution.Topology{}, fmt.Errorf("%s: %w", name, err)
	}
	t, err := FromEC2(subnets.Subnets, vpcs.Vpcs)
	if err != nil {
		return t, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// Merge appends the subnets and VPCs of more to t (for several saved
// files or regions).
func Merge(t attribution.Topology, more ...attribution.Topology) attribution.Topology {
	for _, m := range more {
		t.Subnets = append(t.Subnets, m.Subnets...)
		t.VPCs = append(t.VPCs, m.VPCs...)
	}
	return t
}

// FromEC2 converts the SDK's subnets and VPCs. A subnet gives one entry
// per CIDR (its IPv4 block, absent for an IPv6-only subnet, and each IPv6
// block); a VPC lists its IPv4 and IPv6 blocks. CIDR associations being
// removed or gone (state disassociating, disassociated, failing or
// failed) are left out: the addresses are no longer the VPC's.
func FromEC2(subnets []types.Subnet, vpcs []types.Vpc) (attribution.Topology, error) {
	var t attribution.Topology
	for i, s := range subnets {
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
