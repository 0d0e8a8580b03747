package ec2topology

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func subnet(id, az, vpc, cidr string, v6 ...string) types.Subnet {
	s := types.Subnet{SubnetId: aws.String(id), AvailabilityZone: aws.String(az), VpcId: aws.String(vpc)}
	if cidr != "" {
		s.CidrBlock = aws.String(cidr)
	}
	for _, c := range v6 {
		s.Ipv6CidrBlockAssociationSet = append(s.Ipv6CidrBlockAssociationSet, types.SubnetIpv6CidrBlockAssociation{
			Ipv6CidrBlock: aws.String(c), Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: types.SubnetCidrBlockStateCodeAssociated}})
	}
	return s
}

func vpc(id string, blocks map[string]types.VpcCidrBlockStateCode) types.Vpc {
	v := types.Vpc{VpcId: aws.String(id)}
	for c, st := range blocks {
		v.CidrBlockAssociationSet = append(v.CidrBlockAssociationSet, types.VpcCidrBlockAssociation{
			CidrBlock: aws.String(c), CidrBlockState: &types.VpcCidrBlockState{State: st}})
	}
	return v
}

// Load pages through both calls, retries throttling and 5xx answers, and
// keeps IPv6 blocks, IPv6-only subnets and only the VPC blocks still
// associated.
func TestLoad(t *testing.T) {
	var subnets []types.Subnet
	for i := range 7 {
		subnets = append(subnets, subnet(fmt.Sprintf("subnet-%d", i), "us-east-1a", "vpc-a", fmt.Sprintf("10.0.%d.0/24", i)))
	}
	subnets = append(subnets, subnet("subnet-v6", "us-east-1b", "vpc-a", "", "2600:1f18:1:2::/64"))
	srv := fakeaws.NewEC2(fakeaws.EC2Data{Subnets: subnets, PageSize: 2, Vpcs: []types.Vpc{
		vpc("vpc-a", map[string]types.VpcCidrBlockStateCode{"10.0.0.0/16": types.VpcCidrBlockStateCodeAssociated, "10.9.0.0/16": types.VpcCidrBlockStateCodeDisassociated}),
		vpc("vpc-b", map[string]types.VpcCidrBlockStateCode{"172.16.0.0/12": types.VpcCidrBlockStateCodeAssociated}),
	}})
	defer srv.Close()
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 5})
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	topo, err := Load(context.Background(), api)
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Subnets) != 8 || topo.Subnets[7] != (attribution.Subnet{ID: "subnet-v6", Prefix: netip.MustParsePrefix("2600:1f18:1:2::/64"), AZ: "us-east-1b", VPC: "vpc-a"}) {
		t.Fatalf("subnets %+v", topo.Subnets)
	}
	if len(topo.VPCs) != 2 || fmt.Sprint(topo.VPCs[0].Prefixes) != "[10.0.0.0/16]" || topo.VPCs[1].ID != "vpc-b" {
		t.Fatalf("VPCs %+v", topo.VPCs)
	}
	if c := srv.Calls(); c["ec2:DescribeSubnets"] != 4 || c["ec2:DescribeVpcs"] != 1 {
		t.Fatalf("calls %v", c)
	}
	if len(srv.Faulted()) == 0 {
		t.Fatal("no faults injected")
	}

	// Access denied is the SDK's error, wrapped.
	srv.SetFaults(fakeaws.Faults{})
	srv.Allow("ec2:DescribeSubnets")
	_, err = Load(context.Background(), api)
	var ae smithy.APIError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "DescribeVpcs") {
		t.Fatalf("err %v", err)
	}
}

// Saved CLI output: subnets, VPCs or both in one file; a bad value is
// named by its line, column and member path.
func TestRead(t *testing.T) {
	both := `{
  "Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "VpcId": "vpc-a"}],
  "Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16"}]
}`
	topo, err := Read(strings.NewReader(both), "both.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Subnets) != 1 || len(topo.VPCs) != 1 || fmt.Sprint(topo.VPCs[0].Prefixes) != "[10.0.0.0/16]" {
		t.Fatalf("%+v", topo)
	}
	_, err = Read(strings.NewReader(strings.Replace(both, `"CidrBlock": "10.0.1.0/24"`, `"CidrBlock": 24`, 1)), "bad.json")
	var we *awswire.Error
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "Subnets[0].CidrBlock") || !strings.Contains(err.Error(), "line 2, column 53") {
		t.Fatalf("err %v", err)
	}
	_, err = Read(strings.NewReader(`{"Vpcs": [{"VpcId": "vpc-x", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/33"}]}]}`), "x.json")
	if err == nil || !strings.Contains(err.Error(), "x.json: bad CIDR in Vpcs[0] (vpc-x)") {
		t.Fatalf("err %v", err)
	}
	m := Merge(topo, topo)
	if len(m.Subnets) != 2 || len(m.VPCs) != 2 {
		t.Fatalf("merge %+v", m)
	}
}
