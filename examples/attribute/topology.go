package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// readTopology reads `aws ec2 describe-subnets` and `describe-vpcs` output
// files (a file may hold either or both). They are decoded into the SDK's
// output shapes with awswire, so a bad value is reported with its line,
// column and member path.
func readTopology(open func(string) (io.ReadCloser, error), names ...string) (attribution.Topology, error) {
	var t attribution.Topology
	for _, name := range names {
		f, err := open(name)
		if err != nil {
			return t, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		var subnets ec2.DescribeSubnetsOutput
		if err := awswire.Unmarshal(data, &subnets); err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		var vpcs ec2.DescribeVpcsOutput
		if err := awswire.Unmarshal(data, &vpcs); err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		for i, s := range subnets.Subnets {
			// An IPv6-only subnet has no CidrBlock.
			cidrs := nonEmpty(s.CidrBlock)
			for _, a := range s.Ipv6CidrBlockAssociationSet {
				cidrs = append(cidrs, nonEmpty(a.Ipv6CidrBlock)...)
			}
			for _, c := range cidrs {
				p, err := netip.ParsePrefix(c)
				if err != nil {
					return t, fmt.Errorf("%s: Subnets[%d] (%s): %w", name, i, deref(s.SubnetId), err)
				}
				t.Subnets = append(t.Subnets, attribution.Subnet{ID: deref(s.SubnetId), Prefix: p, AZ: deref(s.AvailabilityZone), VPC: deref(s.VpcId)})
			}
		}
		for i, v := range vpcs.Vpcs {
			vpc := attribution.VPC{ID: deref(v.VpcId)}
			var cidrs []string
			for _, a := range v.Ipv6CidrBlockAssociationSet {
				cidrs = append(cidrs, nonEmpty(a.Ipv6CidrBlock)...)
			}
			for _, a := range v.CidrBlockAssociationSet {
				cidrs = append(cidrs, nonEmpty(a.CidrBlock)...)
			}
			for _, c := range cidrs {
				p, err := netip.ParsePrefix(c)
				if err != nil {
					return t, fmt.Errorf("%s: Vpcs[%d] (%s): %w", name, i, deref(v.VpcId), err)
				}
				vpc.Prefixes = append(vpc.Prefixes, p)
			}
			t.VPCs = append(t.VPCs, vpc)
		}
	}
	return t, nil
}

// nonEmpty is the string s points to, as a list of zero or one.
func nonEmpty(s *string) []string {
	if s == nil || *s == "" {
		return nil
	}
	return []string{*s}
}

func openFile(name string) (io.ReadCloser, error) { return os.Open(name) }

func openSample(name string) (io.ReadCloser, error) { return sample.Open(name) }

func sampleTopology() (attribution.Topology, error) {
	names, err := fs.Glob(sample, "sample/network/*.json")
	if err != nil {
		return attribution.Topology{}, err
	}
	return readTopology(openSample, names...)
}

// liveTopology reads the region's subnets and VPCs
// (ec2:DescribeSubnets, ec2:DescribeVpcs).
func liveTopology(ctx context.Context, api networkAPI) (attribution.Topology, error) {
	var t attribution.Topology
	sp := ec2.NewDescribeSubnetsPaginator(api, &ec2.DescribeSubnetsInput{})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		if err != nil {
			return t, err
		}
		for _, s := range page.Subnets {
			cidrs := []string{deref(s.CidrBlock)}
			for _, a := range s.Ipv6CidrBlockAssociationSet {
				cidrs = append(cidrs, deref(a.Ipv6CidrBlock))
			}
			for _, c := range cidrs {
				if p, err := netip.ParsePrefix(c); err == nil {
					t.Subnets = append(t.Subnets, attribution.Subnet{ID: deref(s.SubnetId), Prefix: p, AZ: deref(s.AvailabilityZone), VPC: deref(s.VpcId)})
				}
			}
		}
	}
	vp := ec2.NewDescribeVpcsPaginator(api, &ec2.DescribeVpcsInput{})
	for vp.HasMorePages() {
		page, err := vp.NextPage(ctx)
		if err != nil {
			return t, err
		}
		for _, v := range page.Vpcs {
			vpc := attribution.VPC{ID: deref(v.VpcId)}
			for _, a := range v.CidrBlockAssociationSet {
				if p, err := netip.ParsePrefix(deref(a.CidrBlock)); err == nil {
					vpc.Prefixes = append(vpc.Prefixes, p)
				}
			}
			for _, a := range v.Ipv6CidrBlockAssociationSet {
				if p, err := netip.ParsePrefix(deref(a.Ipv6CidrBlock)); err == nil {
					vpc.Prefixes = append(vpc.Prefixes, p)
				}
			}
			t.VPCs = append(t.VPCs, vpc)
		}
	}
	return t, nil
}
