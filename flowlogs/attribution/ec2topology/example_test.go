package ec2topology_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// Saved `aws ec2 describe-subnets` output: peers in these subnets are
// classified same-AZ or cross-AZ.
func ExampleRead() {
	out := `{"Subnets": [
  {"SubnetId": "subnet-0a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az4", "VpcId": "vpc-1"},
  {"SubnetId": "subnet-0b", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1b", "AvailabilityZoneId": "use1-az6", "VpcId": "vpc-1"}]}`
	topo, err := ec2topology.Read(strings.NewReader(out), "describe-subnets.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range topo.Subnets {
		fmt.Println(s.ID, s.Prefix, s.AZ)
	}
	// Then: attribution.New(index, attribution.WithTopology(topo.Topology)).

	// Output:
	// subnet-0a 10.0.1.0/24 us-east-1a
	// subnet-0b 10.0.2.0/24 us-east-1b
}

// Saved `aws ec2 describe-network-interfaces --filters
// Name=requester-id,Values=amazon-elb` output: the Application Load
// Balancer's node is kept (its traffic is attribution.PeerLoadBalancer,
// whose cross-AZ transfer AWS does not bill), the Network Load Balancer's
// is not (its cross-zone traffic is billed: its peers stay classed by AZ).
func ExampleRead_loadBalancers() {
	out := `{"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-0a", "RequesterId": "amazon-elb", "InterfaceType": "interface",
   "Description": "ELB app/web/50dc6c495c0c9188", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.5",
   "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.5"}]},
  {"NetworkInterfaceId": "eni-0b", "RequesterId": "amazon-elb", "InterfaceType": "network_load_balancer",
   "Description": "ELB net/tcp/3b1f9a1e5d2c4b7a", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.2.8",
   "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.2.8"}]}]}`
	topo, err := ec2topology.Read(strings.NewReader(out), "describe-network-interfaces.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(topo.Interfaces, "interfaces")
	for _, n := range topo.LoadBalancers {
		fmt.Println(n.Addr, n.LoadBalancer, n.ENI)
	}
	// Then: ec2topology.Merge with the subnets' and VPCs' topology, and
	// attribution.New(index, attribution.WithTopology(merged.Topology)).

	// Output:
	// 2 interfaces
	// 10.0.1.5 app/web/50dc6c495c0c9188 eni-0a
}

// The region's subnets and VPCs, live (ec2:DescribeSubnets and
// ec2:DescribeVpcs, every page), and ELB's network interfaces
// (ec2:DescribeNetworkInterfaces; this fake has none). The fake endpoint
// stands in for EC2 here; in your code pass ec2.NewFromConfig(cfg), in the
// account that runs the tasks (AZ names are per account).
func ExampleLoad() {
	srv := fakeaws.NewEC2(fakeaws.EC2Data{
		Subnets: []types.Subnet{
			{SubnetId: aws.String("subnet-0a"), CidrBlock: aws.String("10.0.1.0/24"), VpcId: aws.String("vpc-1"),
				AvailabilityZone: aws.String("us-east-1a"), AvailabilityZoneId: aws.String("use1-az4")},
			{SubnetId: aws.String("subnet-0b"), CidrBlock: aws.String("10.0.2.0/24"), VpcId: aws.String("vpc-1"),
				AvailabilityZone: aws.String("us-east-1b"), AvailabilityZoneId: aws.String("use1-az6")},
		},
		Vpcs: []types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16")}},
	})
	defer srv.Close()
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })

	topo, err := ec2topology.Load(context.Background(), api)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range topo.Subnets {
		fmt.Println(s.ID, s.Prefix, s.AZ, s.VPC)
	}
	for _, v := range topo.VPCs {
		fmt.Println(v.ID, v.Prefixes)
	}
	// Then: attribution.New(index, attribution.WithTopology(topo.Topology)).

	// Output:
	// subnet-0a 10.0.1.0/24 us-east-1a vpc-1
	// subnet-0b 10.0.2.0/24 us-east-1b vpc-1
	// vpc-1 [10.0.0.0/16]
}

// Saved describe-subnets, describe-vpcs and describe-network-interfaces
// outputs, one file each, merged into the one topology attribution takes.
// AZ names are per account: a file in which us-east-1a is another AZ (its
// AZ ID differs) is refused, not merged.
func ExampleMerge() {
	read := func(name, out string) ec2topology.Topology {
		t, err := ec2topology.Read(strings.NewReader(out), name)
		if err != nil {
			log.Fatal(err)
		}
		return t
	}
	subnets := read("describe-subnets.json", `{"Subnets": [
  {"SubnetId": "subnet-0a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az4", "VpcId": "vpc-1"}]}`)
	vpcs := read("describe-vpcs.json", `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`)
	enis := read("describe-network-interfaces.json", `{"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-0a", "RequesterId": "amazon-elb", "InterfaceType": "interface",
   "Description": "ELB app/web/50dc6c495c0c9188", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.5",
   "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.5"}]}]}`)

	topo, err := ec2topology.Merge(subnets, vpcs, enis)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(topo.Subnets), "subnet,", len(topo.VPCs), "VPC,", len(topo.LoadBalancers), "load balancer node")

	other := read("other-account-subnets.json", `{"Subnets": [
  {"SubnetId": "subnet-0c", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1", "VpcId": "vpc-2"}]}`)
	if _, err := ec2topology.Merge(topo, other); err != nil {
		fmt.Println("refused:", err)
	}
	// Then: attribution.New(index, attribution.WithTopology(topo.Topology)).

	// Output:
	// 1 subnet, 1 VPC, 1 load balancer node
	// refused: ec2topology: AZ name us-east-1a is AZ ID use1-az4 for subnet-0a (describe-subnets.json) but use1-az1 for subnet-0c (other-account-subnets.json): the subnets come from accounts whose AZ names stand for different AZs, and attribution compares AZ names; use the subnets of the account that runs the tasks (attribute each account's tasks separately)
}

// Subnets and VPCs a program already holds as SDK values (from its own
// DescribeSubnets and DescribeVpcs calls, or an inventory): a dual-stack
// subnet gives one entry per CIDR block, and an IPv6 block being removed
// is left out, as its addresses are no longer the VPC's.
func ExampleFromEC2() {
	subnets := []types.Subnet{{
		SubnetId: aws.String("subnet-0a"), VpcId: aws.String("vpc-1"),
		AvailabilityZone: aws.String("us-east-1a"), AvailabilityZoneId: aws.String("use1-az4"),
		CidrBlock: aws.String("10.0.1.0/24"),
		Ipv6CidrBlockAssociationSet: []types.SubnetIpv6CidrBlockAssociation{
			{Ipv6CidrBlock: aws.String("2600:1f18:1234:5601::/64"), Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: types.SubnetCidrBlockStateCodeAssociated}},
			{Ipv6CidrBlock: aws.String("2600:1f18:1234:5699::/64"), Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: types.SubnetCidrBlockStateCodeDisassociating}},
		},
	}}
	vpcs := []types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16")}}
	topo, err := ec2topology.FromEC2(subnets, vpcs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range topo.Subnets {
		fmt.Println(s.ID, s.Prefix, s.AZ)
	}
	for _, v := range topo.VPCs {
		fmt.Println(v.ID, v.Prefixes)
	}

	// A subnet without its AZ is refused, named.
	_, err = ec2topology.FromEC2([]types.Subnet{{SubnetId: aws.String("subnet-0c"), CidrBlock: aws.String("10.0.3.0/24")}}, nil)
	fmt.Println(err)
	// Output:
	// subnet-0a 10.0.1.0/24 us-east-1a
	// subnet-0a 2600:1f18:1234:5601::/64 us-east-1a
	// vpc-1 [10.0.0.0/16]
	// no AvailabilityZone in Subnets[0] (subnet-0c): want the subnet's AZ name (us-east-1a), which classes its peers same-AZ or cross-AZ
}
