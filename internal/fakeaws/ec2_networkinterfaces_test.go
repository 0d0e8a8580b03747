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

// DescribeNetworkInterfaces through the real client: the requester-id
// filter (ec2topology's), pages under faults, the members ec2topology
// reads, ID lists and EC2's errors.
func TestEC2DescribeNetworkInterfaces(t *testing.T) {
	var nis []ec2types.NetworkInterface
	for i := range 7 {
		nis = append(nis, ec2types.NetworkInterface{NetworkInterfaceId: aws.String(fmt.Sprintf("eni-alb%d", i)),
			RequesterId: aws.String("amazon-elb"), RequesterManaged: aws.Bool(true), InterfaceType: ec2types.NetworkInterfaceTypeInterface,
			Description: aws.String("ELB app/web/50dc6c495c0c9188"), VpcId: aws.String("vpc-1"), SubnetId: aws.String("subnet-1"),
			AvailabilityZone: aws.String("us-east-1a"), Status: ec2types.NetworkInterfaceStatusInUse,
			PrivateIpAddress: aws.String(fmt.Sprintf("10.0.1.%d", i+5)),
			PrivateIpAddresses: []ec2types.NetworkInterfacePrivateIpAddress{
				{PrivateIpAddress: aws.String(fmt.Sprintf("10.0.1.%d", i+5)), Primary: aws.Bool(true)}},
			Ipv6Addresses: []ec2types.NetworkInterfaceIpv6Address{{Ipv6Address: aws.String(fmt.Sprintf("2600:1f18::%d", i+5))}}})
	}
	nis = append(nis, ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-task"), InterfaceType: ec2types.NetworkInterfaceTypeInterface,
		RequesterId: aws.String("578734482556"), VpcId: aws.String("vpc-1"), PrivateIpAddress: aws.String("10.0.1.101")})
	srv := NewEC2(EC2Data{NetworkInterfaces: nis, PageSize: 3})
	defer srv.Close()
	srv.SetFaults(Faults{ThrottleEvery: 2, ServerErrorEvery: 5})
	c := ec2.NewFromConfig(Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	ctx := context.Background()

	var got []ec2types.NetworkInterface
	p := ec2.NewDescribeNetworkInterfacesPaginator(c, &ec2.DescribeNetworkInterfacesInput{
		Filters: []ec2types.Filter{{Name: aws.String("requester-id"), Values: []string{"amazon-elb"}}}})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.NetworkInterfaces...)
	}
	if len(got) != 7 || srv.Calls()["ec2:DescribeNetworkInterfaces"] != 3 || len(srv.Faulted()) == 0 {
		t.Fatalf("%d interfaces in %v calls (faults %v)", len(got), srv.Calls(), srv.Faulted())
	}
	g := got[6]
	if aws.ToString(g.NetworkInterfaceId) != "eni-alb6" || aws.ToString(g.RequesterId) != "amazon-elb" || !aws.ToBool(g.RequesterManaged) ||
		aws.ToString(g.Description) != "ELB app/web/50dc6c495c0c9188" || g.InterfaceType != ec2types.NetworkInterfaceTypeInterface ||
		aws.ToString(g.VpcId) != "vpc-1" || g.Status != ec2types.NetworkInterfaceStatusInUse ||
		len(g.PrivateIpAddresses) != 1 || aws.ToString(g.PrivateIpAddresses[0].PrivateIpAddress) != "10.0.1.11" ||
		!aws.ToBool(g.PrivateIpAddresses[0].Primary) || len(g.Ipv6Addresses) != 1 || aws.ToString(g.Ipv6Addresses[0].Ipv6Address) != "2600:1f18::11" {
		t.Fatalf("last interface %+v", g)
	}
	srv.SetFaults(Faults{})

	// IDs, and what EC2 refuses.
	out, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-task"}})
	if err != nil || len(out.NetworkInterfaces) != 1 || aws.ToString(out.NetworkInterfaces[0].RequesterId) != "578734482556" {
		t.Fatalf("by ID: %+v, %v", out, err)
	}
	for _, c2 := range []struct {
		in   *ec2.DescribeNetworkInterfacesInput
		code string
	}{
		{&ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-gone"}}, "InvalidNetworkInterfaceID.NotFound"},
		{&ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-task"}, MaxResults: aws.Int32(5)}, "InvalidParameterCombination"},
		{&ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(2)}, "InvalidParameterValue"},
		{&ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{{Name: aws.String("cidr"), Values: []string{"x"}}}}, "InvalidParameterValue"},
	} {
		_, err := c.DescribeNetworkInterfaces(ctx, c2.in)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != c2.code {
			t.Errorf("%+v: %v, want %s", c2.in, err, c2.code)
		}
	}
}
