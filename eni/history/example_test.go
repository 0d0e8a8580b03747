package history_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/eni/history"

	"github.com/ecsnet/ecsnet/netmode"
)

// Saved EventBridge task events and `aws ecs describe-tasks` output merge
// into one history; an IP reused by a replacement task maps to the task
// that held it at the time asked.
func ExampleBuilder_LoadFiles() {
	b := history.NewBuilder()
	if _, err := b.LoadFiles("testdata/events.jsonl", "testdata/describe-tasks.json"); err != nil {
		log.Fatal(err)
	}
	idx := b.Index()
	ip := netip.MustParseAddr("10.0.1.23")
	for _, at := range []string{"2026-11-25T10:03:00Z", "2026-11-25T10:30:00Z"} {
		t, _ := time.Parse(time.RFC3339, at)
		if task, ok := idx.TaskByIP(ip, t); ok {
			fmt.Printf("%s at %s: task %s of %s, ENI %s, %v\n", ip, at[11:16], task.ID(), task.Service(), task.ENI, task.Valid)
		}
	}
	// Output:
	// 10.0.1.23 at 10:03: task 9a1b2c3d4e5f of api, ENI eni-0a11aa11aa11aa111, [2026-11-25T10:00:00.25Z, 2026-11-25T10:07:11.8Z)
	// 10.0.1.23 at 10:30: task 7f8e9d0c1b2a of api, ENI eni-0b22bb22bb22bb222, [2026-11-25T10:06:45.12Z, open)
}

// Bridge-mode tasks share their instance's ENI; a flow to a host port on
// that instance belongs to the task whose container bound it.
func ExampleIndex_TaskByHostPort() {
	b := history.NewBuilder()
	if _, err := b.LoadFiles("testdata/events.jsonl", "testdata/describe-tasks.json", "testdata/describe-instances.json"); err != nil {
		log.Fatal(err)
	}
	idx := b.Index()
	t, _ := time.Parse(time.RFC3339, "2026-11-25T10:30:00Z")
	inst, ok := idx.InstanceByENI("eni-0prim0000000000a", t)
	if !ok {
		log.Fatal("unknown ENI")
	}
	task, ok := idx.TaskByHostPort(inst.ARN, 32768, netmode.TCP, t)
	if !ok {
		log.Fatal("no task on that port")
	}
	fmt.Println(inst.EC2InstanceID, inst.InstanceType, "port 32768 →", task.ID(), task.Group)
	// Output: i-0123456789abcdef0 m5.large port 32768 → 0c0c0c0c0c0c service:worker
}

// A Decoder reads task events whatever delivered them: here the output of
// `aws sqs receive-message` for a queue that an EventBridge rule feeds.
func ExampleDecoder() {
	body := `{\"detail-type\":\"ECS Task State Change\",\"source\":\"aws.ecs\",\"detail\":{\"taskArn\":\"arn:aws:ecs:us-east-1:111122223333:task/prod/abc\",\"lastStatus\":\"PROVISIONING\",\"version\":1,\"attachments\":[{\"id\":\"a1\",\"type\":\"eni\",\"status\":\"PRECREATED\",\"details\":[{\"name\":\"subnetId\",\"value\":\"subnet-1\"}]}]}}`
	d := history.NewDecoder(strings.NewReader(`{"Messages":[{"MessageId":"m1","Body":"` + body + `"}]}`))
	for {
		rec, err := d.Next()
		if err != nil {
			break
		}
		b := history.NewBuilder()
		b.Add(rec)
		task, _ := b.Index().Task(*rec.Task.TaskArn)
		fmt.Printf("%s %s mode=%s subnet=%s eni=%q\n", task.ID(), task.LastStatus, task.NetworkMode, task.SubnetID, task.ENI)
	}
	// Output: abc PROVISIONING mode=awsvpc subnet=subnet-1 eni=""
}

// Read a live cluster once (RUNNING and STOPPED tasks, container
// instances) into a history.
func ExampleCollect() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	b := history.NewBuilder()
	if _, err := history.Collect(ctx, ecs.NewFromConfig(cfg), "prod", b, ecsread.WithConcurrency(4)); err != nil {
		log.Fatal(err)
	}
	// For bridge-mode tasks, add the instances' primary interfaces: see
	// package ec2primary, or b.SetPrimaryInterface from your inventory.
	fmt.Println(len(b.Index().Tasks()), "tasks")
}

// Keep a cluster's history in a file, polling every 30 seconds, so tasks
// that live for minutes are still known when their flow logs arrive. Stop
// it and start it again at will: it reads the file back and goes on.
func ExampleWatcher() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	w := history.NewWatcher(ecs.NewFromConfig(cfg), "prod", "prod-history.jsonl")
	w.Interval = 30 * time.Second
	// w.Primary = ec2primary.Func(ec2.NewFromConfig(cfg)) adds the
	// instances' primary interfaces (package ec2primary).
	w.OnPollError = func(err error) { log.Print(err) }
	defer w.Close()
	if rec, err := w.Open(); err != nil {
		log.Fatal(err)
	} else if rec.Dropped > 0 || rec.Completed {
		log.Printf("history repaired: %v", rec)
	}
	if err := w.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
	// Later, or from another program: the file is the history.
	b := history.NewBuilder()
	if _, err := b.LoadFiles("prod-history.jsonl"); err != nil {
		log.Fatal(err)
	}
}
