package ec2primary_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/ec2primary"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// A Watcher that also records each container instance's primary ENI and
// addresses, which bridge- and host-mode attribution needs: ECS does not
// report them, so the Watcher asks Func for the instances it has not seen
// yet, and writes the answer to its file with the rest of the history.
// The fake endpoints stand in for ECS and EC2 here; in your code pass
// ecs.NewFromConfig(cfg) and ec2.NewFromConfig(cfg).
func ExampleFunc() {
	ecsAPI, ec2API, stop := fakeCluster()
	defer stop()
	dir, err := os.MkdirTemp("", "history")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "prod-history.jsonl")

	w := history.NewWatcher(ecsAPI, "prod", path)
	w.Primary = ec2primary.Func(ec2API)
	defer w.Close()
	// One poll; a long-running program calls w.Run(ctx), which polls
	// every w.Interval.
	if _, err := w.Poll(context.Background()); err != nil {
		log.Fatal(err)
	}

	b := history.NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		log.Fatal(err)
	}
	in, ok := b.Index().InstanceByIP(netip.MustParseAddr("10.0.1.10"), time.Now())
	fmt.Println(ok, in.EC2InstanceID, in.ENI)
	// Output:
	// true i-0123456789abcdef0 eni-0aaa
}

// Add primary interfaces to a history built some other way, so that a
// bridge-mode task's traffic, which carries its container instance's
// address, finds the instance. The fake endpoint stands in for EC2 here;
// in your code pass ec2.NewFromConfig(cfg).
func ExampleLookup() {
	srv := fakeaws.NewEC2(fakeaws.EC2Data{Reservations: []ec2types.Reservation{{Instances: []ec2types.Instance{{
		InstanceId: aws.String("i-0123456789abcdef0"), PrivateIpAddress: aws.String("10.0.1.10"),
		NetworkInterfaces: []ec2types.InstanceNetworkInterface{{
			NetworkInterfaceId: aws.String("eni-0aaa"), PrivateIpAddress: aws.String("10.0.1.10"),
			Attachment: &ec2types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(0), NetworkCardIndex: aws.Int32(0)},
		}},
	}}}}})
	defer srv.Close()
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })

	b := history.NewBuilder() // e.g. filled by b.LoadFiles("describe-container-instances.json", …)
	if err := b.AddContainerInstances("arn:aws:ecs:us-east-1:123456789012:cluster/prod", ecstypes.ContainerInstance{
		ContainerInstanceArn: aws.String("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/abc"),
		Ec2InstanceId:        aws.String("i-0123456789abcdef0"), Status: aws.String("ACTIVE"),
	}); err != nil {
		log.Fatal(err)
	}
	var ids []string
	for _, in := range b.Index().Instances() {
		ids = append(ids, in.EC2InstanceID)
	}
	prim, err := ec2primary.Lookup(context.Background(), api, ids)
	if err != nil {
		log.Fatal(err)
	}
	for id, p := range prim {
		b.SetPrimaryInterface(id, p)
	}
	in, ok := b.Index().InstanceByIP(netip.MustParseAddr("10.0.1.10"), time.Now())
	fmt.Println(ok, in.EC2InstanceID, in.ENI)
	// Output:
	// true i-0123456789abcdef0 eni-0aaa
}

// Instances you already have, from your own DescribeInstances call or an
// inventory saved as JSON, need no second call: FromInstance takes the
// primary interface of each, for Builder.SetPrimaryInterface. An instance
// described without its interfaces gives its private address alone; one
// without even that gives nothing to record.
func ExampleFromInstance() {
	instances := []ec2types.Instance{
		{
			InstanceId: aws.String("i-0123456789abcdef0"), PrivateIpAddress: aws.String("10.0.1.10"),
			NetworkInterfaces: []ec2types.InstanceNetworkInterface{
				{ // a second ENI, attached by the ECS agent for an awsvpc task
					NetworkInterfaceId: aws.String("eni-0bbb"), PrivateIpAddress: aws.String("10.0.1.77"),
					Attachment: &ec2types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(1), NetworkCardIndex: aws.Int32(0)},
				},
				{
					NetworkInterfaceId: aws.String("eni-0aaa"), MacAddress: aws.String("02:1a:2b:3c:4d:5e"), PrivateIpAddress: aws.String("10.0.1.10"),
					Ipv6Addresses: []ec2types.InstanceIpv6Address{{Ipv6Address: aws.String("2600:1f18:1234:5601::a"), IsPrimaryIpv6: aws.Bool(true)}},
					Attachment:    &ec2types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(0), NetworkCardIndex: aws.Int32(0)},
				},
			},
		},
		{InstanceId: aws.String("i-0fedcba9876543210"), PrivateIpAddress: aws.String("10.0.2.20")},
		{InstanceId: aws.String("i-00000000000000001")}, // terminated: no address left
	}
	for i := range instances {
		p, ok := ec2primary.FromInstance(&instances[i])
		if !ok {
			fmt.Println(*instances[i].InstanceId, "no primary interface")
			continue
		}
		fmt.Printf("%s ENI %q MAC %q IPv4 %v", *instances[i].InstanceId, p.ENI, p.MAC, p.IPv4)
		if p.IPv6.IsValid() {
			fmt.Print(" IPv6 ", p.IPv6)
		}
		fmt.Println()
	}
	// Output:
	// i-0123456789abcdef0 ENI "eni-0aaa" MAC "02:1a:2b:3c:4d:5e" IPv4 10.0.1.10 IPv6 2600:1f18:1234:5601::a
	// i-0fedcba9876543210 ENI "" MAC "" IPv4 10.0.2.20
	// i-00000000000000001 no primary interface
}
