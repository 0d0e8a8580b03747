package eni_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
	"github.com/ecsnet/ecsnet/netmode"
)

// How many awsvpc tasks an instance type holds, without and with ENI
// trunking.
func ExampleBudgetFor() {
	ctx := context.Background()
	for _, opt := range []eni.BudgetOptions{{}, {Trunking: true}} {
		b, err := eni.BudgetFor(ctx, eni.Builtin(), "c5.large", opt)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("c5.large trunking=%v: %d tasks, %d ENIs on the instance\n", b.Trunking, b.Tasks, b.InstanceENIs)
	}
	// p4d.24xlarge has 60 ENIs over 4 network cards; ECS counts them all.
	b, _ := eni.BudgetFor(ctx, eni.Builtin(), "p4d.24xlarge", eni.BudgetOptions{})
	fmt.Printf("p4d.24xlarge: %d tasks\n", b.Tasks)
	// Output:
	// c5.large trunking=false: 2 tasks, 3 ENIs on the instance
	// c5.large trunking=true: 10 tasks, 12 ENIs on the instance
	// p4d.24xlarge: 59 tasks
}

// ENIs attached by hand take slots ECS doesn't know about.
func ExampleTypeBudget_otherENIs() {
	it, _ := eni.Builtin().Lookup(context.Background(), "m5.large")
	b := eni.TypeBudget(it, eni.BudgetOptions{OtherENIs: 1})
	fmt.Println(b.ECSTasks, b.Tasks)
	fmt.Println(b.Notes[0])
	// Output:
	// 2 1
	// ECS counts only ENIs it attached: it still places 2 awsvpc tasks, but only 1 can get an ENI beside the 1 other ENI; the rest fail to attach and stop
}

// Numbers for a type the built-in table lacks, layered over it.
func ExampleLayer() {
	mine, err := eni.ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\ttasks_with_trunking\nx9.large\t4\t20\n"), "mine.tsv")
	if err != nil {
		log.Fatal(err)
	}
	l := eni.Layer(mine, eni.Builtin())
	b, err := eni.BudgetFor(context.Background(), l, "x9.large", eni.BudgetOptions{Trunking: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b.InstanceType, "with trunking:", b.Tasks, "tasks, from", b.Source)
	// Without the layer, the type is unknown: the error (an
	// *UnknownTypeError) names it and says how to supply its numbers.
	_, err = eni.BudgetFor(context.Background(), eni.Builtin(), "x9.large", eni.BudgetOptions{})
	var unknown *eni.UnknownTypeError
	if errors.As(err, &unknown) {
		fmt.Println("unknown instance type:", unknown.InstanceType)
	}
	// Output:
	// x9.large with trunking: 20 tasks, from mine.tsv
	// unknown instance type: x9.large
}

func loadSample() *eni.Snapshot {
	f, err := os.Open("testdata/sample-snapshot.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	s, err := eni.ReadSnapshot(f, "sample-snapshot.json")
	if err != nil {
		log.Fatal(err)
	}
	return s
}

// A cluster's ENI budget from a saved snapshot.
func ExampleAnalyze() {
	r, err := eni.Analyze(context.Background(), loadSample(), eni.Builtin())
	if err != nil {
		log.Fatal(err)
	}
	for _, ir := range r.Instances[:3] {
		fmt.Printf("%s %s %s budget %d in use %d left %d\n", ir.EC2InstanceID, ir.InstanceType, ir.Status, ir.Budget.ECSTasks, ir.ENIsInUse, ir.ENIsLeft)
	}
	fmt.Printf("cluster: %d ENIs left, %d awsvpc and %d bridge tasks\n", r.Left, r.Tasks.AWSVPC, r.Tasks.Bridge)
	// Output:
	// i-0c5l01 c5.large ACTIVE budget 2 in use 2 left 0
	// i-0m5x02 m5.xlarge ACTIVE budget 20 in use 6 left 14
	// i-0p4d05 p4d.24xlarge DRAINING budget 59 in use 0 left 0
	// cluster: 15 ENIs left, 11 awsvpc and 3 bridge tasks
}

// The bridge → awsvpc migration as a number.
func ExampleWhatIfMode() {
	s := loadSample()
	var td *types.TaskDefinition
	for i := range s.TaskDefinitions {
		if aws.ToString(s.TaskDefinitions[i].Family) == "api" {
			td = &s.TaskDefinitions[i]
		}
	}
	w, err := eni.WhatIfMode(context.Background(), s, eni.Builtin(), td, 10, netmode.ModeAWSVPC)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range []*eni.WhatIfResult{w.Current, w.WithoutTrunking, w.WithTrunking} {
		fmt.Printf("%s trunking %s: %d of %d fit", r.Mode, r.Trunking, r.Placed, r.Requested)
		if r.Short > 0 {
			n := r.ForTheRest[0]
			fmt.Printf("; the rest need %d more %s (%d each, bound by %s)", n.Instances, n.InstanceType, n.PerInstance, n.Binding)
		}
		fmt.Println()
	}
	// Output:
	// bridge trunking as-is: 3 of 10 fit; the rest need 7 more c5.large (1 each, bound by ports)
	// awsvpc trunking off: 1 of 10 fit; the rest need 3 more m5.xlarge (3 each, bound by ENI)
	// awsvpc trunking on: 10 of 10 fit
}

// Reading a live cluster. The fake endpoint stands in for ECS here; in
// your code pass ecs.NewFromConfig(cfg).
func ExampleReadCluster() {
	s := loadSample()
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: s.ContainerInstances, Tasks: s.Tasks}}, s.TaskDefinitions...)
	defer srv.Close()
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })

	snap, err := eni.ReadCluster(context.Background(), client, "prod", ecsread.WithConcurrency(4))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(snap.ContainerInstances), "instances,", len(snap.Tasks), "tasks,", len(snap.Failures), "failures")
	// Save it for offline analysis: snap.WriteJSON(file).

	// Output:
	// 6 instances, 16 tasks, 0 failures
}

// Read a cluster once, save it, and analyse it later (or in a test) with
// no AWS access: the file holds the raw Describe outputs, so ReadSnapshot
// gives back the same Snapshot. The fake endpoint stands in for ECS here;
// in your code pass ecs.NewFromConfig(cfg), and an *os.File to write to.
func ExampleSnapshot_WriteJSON() {
	s := loadSample()
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: s.ContainerInstances, Tasks: s.Tasks}}, s.TaskDefinitions...)
	defer srv.Close()
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	ctx := context.Background()
	snap, err := eni.ReadCluster(ctx, client, "prod")
	if err != nil {
		log.Fatal(err)
	}
	var file strings.Builder
	if err := snap.WriteJSON(&file); err != nil {
		log.Fatal(err)
	}

	// Later, offline:
	saved, err := eni.ReadSnapshot(strings.NewReader(file.String()), "prod-snapshot.json")
	if err != nil {
		log.Fatal(err)
	}
	rep, err := eni.Analyze(ctx, saved, eni.Builtin())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("cluster %s: %d instances, %d tasks; %d ENIs left for awsvpc tasks\n",
		rep.Cluster, len(saved.ContainerInstances), len(saved.Tasks), rep.Left)
	// Output:
	// cluster prod: 6 instances, 16 tasks; 15 ENIs left for awsvpc tasks
}

// Reading a snapshot saved by Snapshot.WriteJSON, or assembled by hand from
// `aws ecs describe-container-instances`, `describe-tasks` and
// `describe-task-definition` output.
func ExampleReadSnapshot() {
	f, err := os.Open("testdata/sample-snapshot.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	s, err := eni.ReadSnapshot(f, "sample-snapshot.json")
	if err != nil {
		log.Fatal(err) // names the file, the Describe output and the line
	}
	fmt.Printf("cluster %s at %s: %d instances, %d tasks, %d task definitions\n",
		s.Cluster, s.TakenAt.Format(time.RFC3339), len(s.ContainerInstances), len(s.Tasks), len(s.TaskDefinitions))
	// Output:
	// cluster sample at 2026-11-25T12:00:00Z: 6 instances, 16 tasks, 6 task definitions
}

// Can 8 more copies of a task definition run on the cluster as it is, and
// if not, how many more instances of each type would the rest need? web:3
// names no OS family (runtimePlatform), so ECS may place it on the
// cluster's Windows m5.large too; the result's Notes say so.
func ExampleWhatIf() {
	s := loadSample()
	var td *types.TaskDefinition
	for i := range s.TaskDefinitions {
		if aws.ToString(s.TaskDefinitions[i].Family) == "web" {
			td = &s.TaskDefinitions[i]
		}
	}
	r, err := eni.WhatIf(context.Background(), s, eni.Builtin(), td, 8, eni.WhatIfOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (%s, %d CPU, %d MiB): %d of %d fit\n", r.TaskDefinition, r.Mode, r.CPU, r.Memory, r.Placed, r.Requested)
	for _, in := range r.Instances {
		if in.Placed > 0 {
			fmt.Printf("  %s takes %d (fits %d, bound by %s)\n", in.InstanceType, in.Placed, in.Fits, in.Binding)
		}
	}
	for _, n := range r.ForTheRest {
		fmt.Printf("  or %d more %s (%d each, bound by %s)\n", n.Instances, n.InstanceType, n.PerInstance, n.Binding)
	}
	// Output:
	// web:3 (awsvpc, 256 CPU, 512 MiB): 7 of 8 fit
	//   m5.xlarge takes 6 (fits 6, bound by CPU)
	//   t3.medium takes 1 (fits 1, bound by ENI)
	//   or 1 more c5.large (2 each, bound by ENI)
	//   or 1 more m5.large (2 each, bound by ENI)
	//   or 1 more m5.xlarge (16 each, bound by CPU)
	//   or 1 more t3.medium (2 each, bound by ENI)
}

// Limits for instance types the built-in table lacks, from a TSV file with
// the built-in columns; put the table over the built-in one with Layer.
func ExampleParseLimitsTSV() {
	tsv := "# instance_type and max_enis are required\n" +
		"instance_type\tmax_enis\tipv4_per_eni\ttasks_with_trunking\n" +
		"x9.large\t4\t15\t20\n"
	t, err := eni.ParseLimitsTSV(strings.NewReader(tsv), "mine.tsv")
	if err != nil {
		log.Fatal(err)
	}
	it, _ := t.Lookup(context.Background(), "x9.large")
	fmt.Println(it.Name, it.MaxENIs, it.IPv4PerENI, it.Trunking.Status, it.Trunking.Tasks)

	_, err = eni.ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\nx9.large\tfour\n"), "bad.tsv")
	fmt.Println(err)
	// Output:
	// x9.large 4 15 supported 20
	// eni: bad.tsv:2: column max_enis: "four" is not an integer
}

// The same limits as JSON: an array of objects keyed like the TSV columns.
func ExampleParseLimitsJSON() {
	t, err := eni.ParseLimitsJSON(strings.NewReader(`[{"instance_type": "x9.large", "max_enis": 4, "tasks_with_trunking": 20}]`), "mine.json")
	if err != nil {
		log.Fatal(err)
	}
	b, err := eni.BudgetFor(context.Background(), eni.Layer(t, eni.Builtin()), "x9.large", eni.BudgetOptions{Trunking: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b.Tasks, "tasks with trunking")
	// Output:
	// 20 tasks with trunking
}

// The read-only permissions the live paths (ReadCluster, package ec2limits)
// need; IAMPolicy is the same as a policy document to attach to a role.
func ExampleIAMActions() {
	for _, a := range eni.IAMActions() {
		fmt.Println(a)
	}
	// Output:
	// ec2:DescribeInstanceTypes
	// ecs:DescribeContainerInstances
	// ecs:DescribeTaskDefinition
	// ecs:DescribeTasks
	// ecs:ListContainerInstances
	// ecs:ListTasks
}
