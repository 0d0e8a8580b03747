package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	smithy "github.com/aws/smithy-go"
)

func TestEC2InstancesSubnetsVpcsThroughRealClient(t *testing.T) {
	var rs []ec2types.Reservation
	for i := range 12 {
		rs = append(rs, ec2types.Reservation{ReservationId: aws.String(fmt.Sprintf("r-%02d", i)), Instances: []ec2types.Instance{{
			InstanceId: aws.String(fmt.Sprintf("i-%02d", i)), InstanceType: ec2types.InstanceTypeC5Large,
			PrivateIpAddress: aws.String(fmt.Sprintf("10.0.1.%d", i+10)), VpcId: aws.String("vpc-1"), SubnetId: aws.String("subnet-1"),
			Placement: &ec2types.Placement{AvailabilityZone: aws.String("us-east-1a")},
			NetworkInterfaces: []ec2types.InstanceNetworkInterface{
				{NetworkInterfaceId: aws.String(fmt.Sprintf("eni-task%02d", i)), PrivateIpAddress: aws.String("10.0.9.9"),
					Attachment: &ec2types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(1), NetworkCardIndex: aws.Int32(0)}},
				{NetworkInterfaceId: aws.String(fmt.Sprintf("eni-prim%02d", i)), MacAddress: aws.String("0e:00:00:00:00:01"),
					PrivateIpAddress: aws.String(fmt.Sprintf("10.0.1.%d", i+10)),
					Attachment:       &ec2types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(0), NetworkCardIndex: aws.Int32(0), Status: ec2types.AttachmentStatusAttached},
					Ipv6Addresses:    []ec2types.InstanceIpv6Address{{Ipv6Address: aws.String("2600:1f18::1"), IsPrimaryIpv6: aws.Bool(true)}}},
			},
		}}})
	}
	srv := NewEC2(EC2Data{
		Reservations: rs,
		Subnets: []ec2types.Subnet{
			{SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a"),
				Ipv6CidrBlockAssociationSet: []ec2types.SubnetIpv6CidrBlockAssociation{{Ipv6CidrBlock: aws.String("2600:1f18::/64")}}},
			{SubnetId: aws.String("subnet-2"), VpcId: aws.String("vpc-2"), CidrBlock: aws.String("10.1.1.0/24"), AvailabilityZone: aws.String("us-east-1b")},
		},
		Vpcs: []ec2types.Vpc{
			{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16"), CidrBlockAssociationSet: []ec2types.VpcCidrBlockAssociation{
				{CidrBlock: aws.String("10.0.0.0/16"), CidrBlockState: &ec2types.VpcCidrBlockState{State: ec2types.VpcCidrBlockStateCodeAssociated}},
				{CidrBlock: aws.String("100.64.0.0/16")}}},
			{VpcId: aws.String("vpc-2"), CidrBlock: aws.String("10.1.0.0/16"), IsDefault: aws.Bool(true)},
		},
		PageSize: 5,
	})
	defer srv.Close()
	srv.SetFaults(Faults{ThrottleEvery: 3, ServerErrorEvery: 4, DropEvery: 9})
	c := ec2.NewFromConfig(Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	ctx := context.Background()

	// The instance-id filter, paged by the page size although MaxResults
	// asks for more.
	var got []ec2types.Instance
	pages := 0
	p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000),
		Filters: []ec2types.Filter{{Name: aws.String("instance-id"), Values: []string{"i-00", "i-03", "i-04", "i-05", "i-06", "i-07", "i-11", "i-gone"}}}})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.Reservations {
			got = append(got, r.Instances...)
		}
	}
	if len(got) != 7 || pages != 2 {
		t.Fatalf("%d instances in %d pages", len(got), pages)
	}
	in := got[6]
	n := in.NetworkInterfaces[1]
	if aws.ToString(in.InstanceId) != "i-11" || aws.ToString(in.Placement.AvailabilityZone) != "us-east-1a" || len(in.NetworkInterfaces) != 2 ||
		aws.ToString(n.NetworkInterfaceId) != "eni-prim11" || aws.ToInt32(n.Attachment.DeviceIndex) != 0 || n.Attachment.NetworkCardIndex == nil ||
		aws.ToInt32(in.NetworkInterfaces[0].Attachment.DeviceIndex) != 1 || aws.ToString(n.MacAddress) != "0e:00:00:00:00:01" ||
		len(n.Ipv6Addresses) != 1 || !aws.ToBool(n.Ipv6Addresses[0].IsPrimaryIpv6) || aws.ToString(n.PrivateIpAddress) != "10.0.1.21" {
		t.Fatalf("i-11: %+v", in)
	}

	var ae smithy.APIError
	code := func(err error) string {
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		return fmt.Sprint(err)
	}
	_, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-01"}, MaxResults: aws.Int32(5)})
	if code(err) != "InvalidParameterCombination" {
		t.Errorf("InstanceIds with MaxResults: %v", err)
	}
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-01", "i-gone"}})
	if code(err) != "InvalidInstanceID.NotFound" {
		t.Errorf("unknown instance ID: %v", err)
	}
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("bogus"), Values: []string{"x"}}}})
	if code(err) != "InvalidParameterValue" {
		t.Errorf("unknown filter: %v", err)
	}
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(2)})
	if code(err) != "InvalidParameterValue" {
		t.Errorf("MaxResults 2: %v", err)
	}
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{NextToken: aws.String("bogus")})
	if code(err) != "InvalidNextToken" {
		t.Errorf("bad token: %v", err)
	}

	sub, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{"vpc-1"}}}})
	if err != nil || len(sub.Subnets) != 1 || aws.ToString(sub.Subnets[0].CidrBlock) != "10.0.1.0/24" ||
		aws.ToString(sub.Subnets[0].AvailabilityZone) != "us-east-1a" || len(sub.Subnets[0].Ipv6CidrBlockAssociationSet) != 1 {
		t.Fatalf("subnets: %v %+v", err, sub)
	}
	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-9"}})
	if code(err) != "InvalidSubnetID.NotFound" {
		t.Errorf("unknown subnet: %v", err)
	}
	vp := ec2.NewDescribeVpcsPaginator(c, &ec2.DescribeVpcsInput{})
	var vpcs []ec2types.Vpc
	for vp.HasMorePages() {
		out, err := vp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		vpcs = append(vpcs, out.Vpcs...)
	}
	if len(vpcs) != 2 || len(vpcs[0].CidrBlockAssociationSet) != 2 || aws.ToString(vpcs[0].CidrBlockAssociationSet[1].CidrBlock) != "100.64.0.0/16" ||
		vpcs[0].CidrBlockAssociationSet[0].CidrBlockState.State != ec2types.VpcCidrBlockStateCodeAssociated || !aws.ToBool(vpcs[1].IsDefault) {
		t.Fatalf("vpcs: %+v", vpcs)
	}
	if f := srv.Faulted(); f["ec2:DescribeInstances"] == 0 {
		t.Fatalf("no faults injected: %v", f)
	}
	if c := srv.Calls(); c["ec2:DescribeInstances"] < 2 || c["ec2:DescribeSubnets"] < 2 || c["ec2:DescribeVpcs"] < 1 {
		t.Fatalf("calls %v", c)
	}
}
