package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// describeSubnets is the part of `aws ec2 describe-subnets` (and
// describe-vpcs) output that classifies peers by AZ and VPC.
type describeSubnets struct {
	Subnets []struct {
		SubnetID                    string `json:"SubnetId"`
		CidrBlock                   string
		AvailabilityZone            string
		VpcID                       string `json:"VpcId"`
		Ipv6CidrBlockAssociationSet []struct{ Ipv6CidrBlock string }
	}
	Vpcs []struct {
		VpcID                       string `json:"VpcId"`
		CidrBlockAssociationSet     []struct{ CidrBlock string }
		Ipv6CidrBlockAssociationSet []struct{ Ipv6CidrBlock string }
	}
}

// readTopology reads describe-subnets / describe-vpcs output files.
func readTopology(open func(string) (io.ReadCloser, error), names ...string) (attribution.Topology, error) {
	var t attribution.Topology
	for _, name := range names {
		f, err := open(name)
		if err != nil {
			return t, err
		}
		var d describeSubnets
		err = json.NewDecoder(f).Decode(&d)
		f.Close()
		if err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		for _, s := range d.Subnets {
			for _, c := range append([]string{s.CidrBlock}, v6(s.Ipv6CidrBlockAssociationSet)...) {
				p, err := netip.ParsePrefix(c)
				if err != nil {
					return t, fmt.Errorf("%s: subnet %s: %w", name, s.SubnetID, err)
				}
				t.Subnets = append(t.Subnets, attribution.Subnet{ID: s.SubnetID, Prefix: p, AZ: s.AvailabilityZone, VPC: s.VpcID})
			}
		}
		for _, v := range d.Vpcs {
			vpc := attribution.VPC{ID: v.VpcID}
			cidrs := v6(v.Ipv6CidrBlockAssociationSet)
			for _, c := range v.CidrBlockAssociationSet {
				cidrs = append(cidrs, c.CidrBlock)
			}
			for _, c := range cidrs {
				p, err := netip.ParsePrefix(c)
				if err != nil {
					return t, fmt.Errorf("%s: vpc %s: %w", name, v.VpcID, err)
				}
				vpc.Prefixes = append(vpc.Prefixes, p)
			}
			t.VPCs = append(t.VPCs, vpc)
		}
	}
	return t, nil
}

func v6(s []struct{ Ipv6CidrBlock string }) []string {
	var out []string
	for _, x := range s {
		if x.Ipv6CidrBlock != "" {
			out = append(out, x.Ipv6CidrBlock)
		}
	}
	return out
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
