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

func TestInstanceTypesEC2ThroughRealClient(t *testing.T) {
	var its []EC2InstanceType
	for i := 0; i < 23; i++ {
		its = append(its, EC2InstanceType{InstanceType: fmt.Sprintf("c9.%02dxlarge", i), Hypervisor: "nitro", VCPUs: 4, MemoryMiB: 8192,
			MaxENIs: 4, IPv4PerENI: 15, IPv6PerENI: 15, IPv6Supported: true})
	}
	its = append(its, EC2InstanceType{InstanceType: "p9.metal", BareMetal: true, MaxENIs: 60, IPv4PerENI: 50,
		Cards: []EC2NetworkCard{{0, 15}, {1, 15}, {2, 15}, {3, 15}}})
	srv := NewEC2(EC2Data{InstanceTypes: its})
	defer srv.Close()
	srv.SetFaults(Faults{ThrottleEvery: 2, ServerErrorEvery: 3, DropEvery: 7})
	c := ec2.NewFromConfig(Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	ctx := context.Background()

	var got []ec2types.InstanceTypeInfo
	p := ec2.NewDescribeInstanceTypesPaginator(c, &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(5)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.InstanceTypes...)
	}
	if len(got) != 24 || pages != 5 {
		t.Fatalf("%d types in %d pages", len(got), pages)
	}
	m := got[23]
	if m.InstanceType != "p9.metal" || !aws.ToBool(m.BareMetal) || m.Hypervisor != "" ||
		aws.ToInt32(m.NetworkInfo.MaximumNetworkInterfaces) != 60 || len(m.NetworkInfo.NetworkCards) != 4 ||
		aws.ToInt32(m.NetworkInfo.NetworkCards[3].MaximumNetworkInterfaces) != 15 || aws.ToInt32(m.NetworkInfo.MaximumNetworkCards) != 4 {
		t.Fatalf("p9.metal: %+v", m)
	}
	if c0 := got[0]; c0.Hypervisor != ec2types.InstanceTypeHypervisorNitro || aws.ToInt32(c0.NetworkInfo.Ipv6AddressesPerInterface) != 15 ||
		aws.ToInt64(c0.MemoryInfo.SizeInMiB) != 8192 || aws.ToInt32(c0.VCpuInfo.DefaultVCpus) != 4 {
		t.Fatalf("c9: %+v", c0)
	}

	out, err := c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []ec2types.InstanceType{"p9.metal", "c9.03xlarge"}})
	if err != nil || len(out.InstanceTypes) != 2 || out.NextToken != nil {
		t.Fatalf("%v %+v", err, out)
	}
	// At most 100 InstanceType.N, as the API takes (ec2limits batches by it).
	many := make([]ec2types.InstanceType, 101)
	for i := range many {
		many[i] = "c9.00xlarge"
	}
	if _, err := c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: many}); err == nil {
		t.Fatal("101 instance types accepted")
	}
	_, err = c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []ec2types.InstanceType{"x99.large"}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidInstanceType" {
		t.Fatalf("unknown type: %v", err)
	}
	_, err = c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(1000)})
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" {
		t.Fatalf("max results: %v", err)
	}
	if srv.Faulted()["ec2:DescribeInstanceTypes"] == 0 {
		t.Fatal("no faults injected")
	}
}
