package ec2primary_test

import (
	"context"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/ec2primary"
)

// A Watcher that also records each container instance's primary ENI and
// addresses, which bridge- and host-mode attribution needs.
func ExampleFunc() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	w := history.NewWatcher(ecs.NewFromConfig(cfg), "prod", "prod-history.jsonl")
	w.Interval = time.Minute
	w.Primary = ec2primary.Func(ec2.NewFromConfig(cfg))
	defer w.Close()
	if err := w.Run(ctx); err != nil {
		log.Fatal(err)
	}
}

// Add primary interfaces to a history built some other way.
func ExampleLookup() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	b := history.NewBuilder()
	if _, err := b.LoadFiles("describe-tasks.json", "describe-container-instances.json"); err != nil {
		log.Fatal(err)
	}
	var ids []string
	for _, in := range b.Index().Instances() {
		ids = append(ids, in.EC2InstanceID)
	}
	prim, err := ec2primary.Lookup(ctx, ec2.NewFromConfig(cfg), ids)
	if err != nil {
		log.Fatal(err)
	}
	for id, p := range prim {
		b.SetPrimaryInterface(id, p)
	}
}
