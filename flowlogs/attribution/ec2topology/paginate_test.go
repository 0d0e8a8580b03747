package ec2topology

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// largeAccountEC2 answers DescribeNetworkInterfaces as EC2 documents it
// for an account with many network interfaces (every awsvpc task has
// one): "If you have a large number of network interfaces, the operation
// fails unless you use pagination or one of the following filters:
// group-id, mac-address, private-dns-name, private-ip-address, subnet-id,
// or vpc-id" (DescribeNetworkInterfaces, Amazon EC2 API Reference; the
// SDK's doc comment). requester-id is not among them. (The error code
// is illustrative: not one awscall retries.)
type largeAccountEC2 struct {
	nis []*ec2.DescribeNetworkInterfacesInput
}

func (*largeAccountEC2) DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	return &ec2.DescribeSubnetsOutput{}, nil
}

func (*largeAccountEC2) DescribeVpcs(context.Context, *ec2.DescribeVpcsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	return &ec2.DescribeVpcsOutput{}, nil
}

func (f *largeAccountEC2) DescribeNetworkInterfaces(_ context.Context, in *ec2.DescribeNetworkInterfacesInput, _ ...func(*ec2.Options)) (*ec2.DescribeNetworkInterfacesOutput, error) {
	f.nis = append(f.nis, in)
	exempt := slices.ContainsFunc(in.Filters, func(x types.Filter) bool {
		return slices.Contains([]string{"group-id", "mac-address", "private-dns-name", "private-ip-address", "subnet-id", "vpc-id"}, aws.ToString(x.Name))
	})
	if in.MaxResults == nil && !exempt {
		return nil, &smithy.GenericAPIError{Code: "InvalidRequest", Message: "unpaginated DescribeNetworkInterfaces over a large number of network interfaces"}
	}
	return &ec2.DescribeNetworkInterfacesOutput{}, nil
}

// Load pages DescribeNetworkInterfaces (MaxResults set): its requester-id
// filter does not spare an account of many interfaces the paginated call.
func TestLoadPaginatesNetworkInterfaces(t *testing.T) {
	api := &largeAccountEC2{}
	if _, err := Load(context.Background(), api); err != nil {
		t.Fatalf("Load in an account of many interfaces: %v", err)
	}
	for _, in := range api.nis {
		if in.MaxResults == nil {
			t.Errorf("DescribeNetworkInterfaces without MaxResults: %+v", in)
		}
	}
}
