package history_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

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

// Read a live cluster once (running tasks, the stopped ones ECS still
// shows, container instances) into a history. The fake endpoint stands in
// for ECS here; in your code pass ecs.NewFromConfig(cfg).
func ExampleCollect() {
	srv, api := fakeProd()
	defer srv.Close()

	b := history.NewBuilder()
	if _, err := history.Collect(context.Background(), api, "prod", b, ecsread.WithConcurrency(4)); err != nil {
		log.Fatal(err)
	}
	// For bridge-mode tasks, add the instances' primary interfaces: see
	// package ec2primary, or b.SetPrimaryInterface from your inventory.
	for _, t := range b.Index().Tasks() {
		fmt.Printf("%s %s %s", t.ID(), t.Service(), t.NetworkMode)
		if t.ENI != "" {
			fmt.Printf(" ENI %s %s", t.ENI, t.IPv4)
		}
		for _, p := range t.Bindings {
			fmt.Printf(" host port %s/%s", netip.AddrPortFrom(p.BindIP, p.HostPort), p.Proto)
		}
		fmt.Println()
	}
	// Output:
	// 0c0c0c0c0c0c worker bridge host port 0.0.0.0:32768/tcp host port [::]:32768/tcp
	// 7f8e9d0c1b2a api awsvpc ENI eni-0b22bb22bb22bb222 10.0.1.23
}

// Observe is Collect without the Builder: one read of the cluster as ECS
// answered it, for a program that keeps or sends the raw shapes. Task
// definitions are described only for the tasks without an ENI, whose
// network mode DescribeTasks does not say.
func ExampleObserve() {
	srv, api := fakeProd() // in your code: ecs.NewFromConfig(cfg)
	defer srv.Close()

	o, err := history.Observe(context.Background(), api, "prod")
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range o.Tasks {
		fmt.Println(aws.ToString(t.TaskArn), aws.ToString(t.LastStatus))
	}
	for _, ci := range o.ContainerInstances {
		fmt.Println(aws.ToString(ci.Ec2InstanceId), aws.ToString(ci.Status))
	}
	fmt.Println(o.NetworkModes, len(o.Failures), "failures")
	// Output:
	// arn:aws:ecs:us-east-1:111122223333:task/prod/0c0c0c0c0c0c RUNNING
	// arn:aws:ecs:us-east-1:111122223333:task/prod/7f8e9d0c1b2a RUNNING
	// i-0123456789abcdef0 ACTIVE
	// map[arn:aws:ecs:us-east-1:111122223333:task-definition/worker:4:bridge] 0 failures
}

// A tool that already calls DescribeTasks (or receives task state change
// events) hands the tasks over as they are; observations may come in any
// order, ECS's per-task version decides which is newer. Then the ENI in a
// flow-log record names the task that held it at the record's time.
func ExampleBuilder_AddTasks() {
	running := ecstypes.Task{
		TaskArn:           aws.String("arn:aws:ecs:us-east-1:111122223333:task/prod/5e6f7a8b9c0d"),
		ClusterArn:        aws.String("arn:aws:ecs:us-east-1:111122223333:cluster/prod"),
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:111122223333:task-definition/api:13"),
		Group:             aws.String("service:api"),
		LastStatus:        aws.String("RUNNING"), DesiredStatus: aws.String("RUNNING"), Version: 3,
		CreatedAt: aws.Time(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)),
		Attachments: []ecstypes.Attachment{{
			Type: aws.String("ElasticNetworkInterface"), Status: aws.String("ATTACHED"),
			Details: []ecstypes.KeyValuePair{
				{Name: aws.String("networkInterfaceId"), Value: aws.String("eni-0c33cc33cc33cc333")},
				{Name: aws.String("privateIPv4Address"), Value: aws.String("10.0.1.42")},
			},
		}},
	}
	stopped := running
	stopped.LastStatus, stopped.DesiredStatus, stopped.Version = aws.String("STOPPED"), aws.String("STOPPED"), 6
	stopped.StoppedAt = aws.Time(time.Date(2026, 11, 25, 10, 20, 0, 0, time.UTC))

	b := history.NewBuilder()
	if _, err := b.AddTasks(stopped, running); err != nil { // the older one last: it changes nothing
		log.Fatal(err)
	}
	idx := b.Index()
	for _, at := range []string{"2026-11-25T10:15:00Z", "2026-11-25T10:25:00Z"} {
		t, _ := time.Parse(time.RFC3339, at)
		if task, ok := idx.TaskByENI("eni-0c33cc33cc33cc333", t); ok {
			fmt.Println(at[11:16], task.ID(), task.Service(), task.Valid)
		} else {
			fmt.Println(at[11:16], "no task")
		}
	}
	// Output:
	// 10:15 5e6f7a8b9c0d api [2026-11-25T10:00:00Z, 2026-11-25T10:20:00Z)
	// 10:25 no task
}

// Keep a cluster's history in a file, so that tasks which live for
// minutes are still known when their flow logs arrive. Each poll appends
// only what changed; the file is the history, for this program or another.
// Here two polls stand for Run's, with a task stopping in between (see
// ExampleWatcher_Run for the long-running form). The fake endpoint stands
// in for ECS; in your code pass ecs.NewFromConfig(cfg).
func ExampleWatcher() {
	srv, api := fakeProd()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "history")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "prod-history.jsonl")

	w := history.NewWatcher(api, "prod", path)
	defer w.Close()
	ctx := context.Background()
	st, err := w.Poll(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("first poll:", st.Tasks, "tasks,", st.Instances, "instance,", st.Appended, "lines")

	stopTask(srv, "7f8e9d0c1b2a", time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)) // the api task stops
	if st, err = w.Poll(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("second poll:", st.Appended, "line")

	// Later, or from another program: the file is the history.
	b := history.NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		log.Fatal(err)
	}
	t, _ := b.Index().Task("arn:aws:ecs:us-east-1:111122223333:task/prod/7f8e9d0c1b2a")
	fmt.Println(t.ID(), t.LastStatus, t.Valid)
	// Output:
	// first poll: 2 tasks, 1 instance, 4 lines
	// second poll: 1 line
	// 7f8e9d0c1b2a STOPPED [2026-11-25T10:06:45.12Z, 2026-11-25T11:00:00Z)
}

// The long-running form: poll every 30 seconds until interrupted. Stop it
// and start it again at will: it reads the file back and goes on.
func ExampleWatcher_Run() {
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
}

// Task data from elsewhere (a CMDB, another tool's export) as values: an
// awsvpc task owns its ENI and address for its lifetime only, and an
// address reused by a later task is that task's afterwards.
func ExampleNewIndex() {
	at := func(hm string) time.Time {
		t, _ := time.Parse(time.RFC3339, "2026-11-25T"+hm+":00Z")
		return t
	}
	ip := netip.MustParseAddr("10.0.1.23")
	idx, err := history.NewIndex([]history.Task{
		{
			ARN: "arn:aws:ecs:us-east-1:123456789012:task/prod/0a0a0a0a0a0a", Group: "service:api", NetworkMode: netmode.ModeAWSVPC,
			ENI: "eni-0a11aa11aa11aa111", IPv4: ip, Valid: history.Interval{Start: at("10:00"), End: at("10:07")},
		},
		{
			ARN: "arn:aws:ecs:us-east-1:123456789012:task/prod/0b0b0b0b0b0b", Group: "service:api", NetworkMode: netmode.ModeAWSVPC,
			ENI: "eni-0b22bb22bb22bb222", IPv4: ip, Valid: history.Interval{Start: at("10:07")},
		},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, hm := range []string{"10:03", "10:30"} {
		if task, ok := idx.TaskByENI("eni-0a11aa11aa11aa111", at(hm)); ok {
			fmt.Println(hm, "eni-0a11aa11aa11aa111 →", task.ID())
		} else {
			fmt.Println(hm, "eni-0a11aa11aa11aa111 → no task")
		}
		if task, ok := idx.TaskByIP(ip, at(hm)); ok {
			fmt.Println(hm, ip, "→", task.ID())
		}
	}
	// Output:
	// 10:03 eni-0a11aa11aa11aa111 → 0a0a0a0a0a0a
	// 10:03 10.0.1.23 → 0a0a0a0a0a0a
	// 10:30 eni-0a11aa11aa11aa111 → no task
	// 10:30 10.0.1.23 → 0b0b0b0b0b0b
}
