package ec2primary

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// fakeEC2 describes instances i-0000 … i-NNNN, one per reservation, 50
// reservations a page, each with a task ENI at device index 1 and its
// primary ENI at device index 0.
func fakeEC2(t *testing.T, n int) *fakeaws.EC2 {
	var rs []types.Reservation
	for i := 0; i < n; i++ {
		ip := fmt.Sprintf("10.0.%d.%d", i/250, i%250+1)
		rs = append(rs, types.Reservation{ReservationId: aws.String(fmt.Sprintf("r-%04d", i)), Instances: []types.Instance{{
			InstanceId: aws.String(fmt.Sprintf("i-%04d", i)), PrivateIpAddress: aws.String(ip),
			NetworkInterfaces: []types.InstanceNetworkInterface{
				{NetworkInterfaceId: aws.String(fmt.Sprintf("eni-task%04d", i)), PrivateIpAddress: aws.String("10.9.9.9"),
					Attachment: &types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(1), NetworkCardIndex: aws.Int32(0)}},
				{NetworkInterfaceId: aws.String(fmt.Sprintf("eni-prim%04d", i)), MacAddress: aws.String("0e:00:00:00:00:01"), PrivateIpAddress: aws.String(ip),
					Attachment:    &types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(0), NetworkCardIndex: aws.Int32(0)},
					Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(fmt.Sprintf("2600:1f18::%x", i+1))}}},
			},
		}}})
	}
	srv := fakeaws.NewEC2(fakeaws.EC2Data{Reservations: rs, PageSize: 50})
	t.Cleanup(srv.Close)
	return srv
}

func TestLookupBatchesPagesAndSkipsUnknown(t *testing.T) {
	srv := fakeEC2(t, 300)
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 4, ServerErrorEvery: 7})
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	var ids []string
	for i := 0; i < 300; i++ {
		ids = append(ids, fmt.Sprintf("i-%04d", i))
	}
	ids = append(ids, "i-gone", "i-0001") // unknown and duplicate
	got, err := Lookup(context.Background(), api, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 300 {
		t.Fatalf("%d instances", len(got))
	}
	p := got["i-0251"]
	if p.ENI != "eni-prim0251" || p.IPv4 != netip.MustParseAddr("10.0.1.2") || p.IPv6 != netip.MustParseAddr("2600:1f18::fc") {
		t.Fatalf("i-0251: %+v", p)
	}
	if srv.Calls()["ec2:DescribeInstances"] != 6 { // filter batches of 200 and 101 ids, 50 instances a page: 4 + 2
		t.Fatalf("calls %v", srv.Calls())
	}
	if len(srv.Faulted()) == 0 {
		t.Fatal("no faults injected")
	}
}
