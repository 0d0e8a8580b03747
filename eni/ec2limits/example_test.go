package ec2limits_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/eni/ec2limits"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// Live EC2 numbers for the types in use, with ECS's trunking limits from
// the built-in table. The fake endpoint stands in for EC2 here; in your
// code pass ec2.NewFromConfig(cfg).
func ExampleNew() {
	srv := fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: []fakeaws.EC2InstanceType{
		{InstanceType: "c5.large", Hypervisor: "nitro", MaxENIs: 3, IPv4PerENI: 10, IPv6PerENI: 10, IPv6Supported: true},
		{InstanceType: "c8x.large", Hypervisor: "nitro", MaxENIs: 4, IPv4PerENI: 15},
	}})
	defer srv.Close()
	client := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })

	ctx := context.Background()
	limits := ec2limits.New(client)
	if err := limits.Prefetch(ctx, "c5.large", "c8x.large"); err != nil { // one call for both
		log.Fatal(err)
	}
	for _, t := range []string{"c5.large", "c8x.large"} {
		b, err := eni.BudgetFor(ctx, limits, t, eni.BudgetOptions{Trunking: true})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d tasks (trunking %v, %s)\n", t, b.Tasks, b.Trunking, b.TrunkingStatus)
	}
	// Output:
	// c5.large: 10 tasks (trunking true, supported)
	// c8x.large: 3 tasks (trunking false, unknown)
}
