package ec2topology_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
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
	_ = attribution.WithTopology(topo.Topology) // for attribution.New…
	// Output:
	// subnet-0a 10.0.1.0/24 us-east-1a
	// subnet-0b 10.0.2.0/24 us-east-1b
}

// The region's subnets and VPCs, live (ec2:DescribeSubnets and
// ec2:DescribeVpcs).
func ExampleLoad() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	topo, err := ec2topology.Load(context.Background(), ec2.NewFromConfig(cfg))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(topo.Subnets), "subnets,", len(topo.VPCs), "VPCs")
}
