package intervals_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
)

// The task history of the embedded sample cluster as a table: how many
// ownership intervals of each kind, then the Parquet file an engine joins
// against.
func Example() {
	b := history.NewBuilder()
	if _, err := b.LoadFiles("../../../examples/attribute/sample/tasks/describe-tasks.json",
		"../../../examples/attribute/sample/tasks/describe-container-instances.json",
		"../../../examples/attribute/sample/tasks/describe-instances.json"); err != nil {
		log.Fatal(err)
	}
	rows, err := intervals.Build(b.Index())
	if err != nil {
		log.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range rows {
		kinds[r.Kind]++
	}
	for _, k := range []string{intervals.KindTask, intervals.KindTaskENI, intervals.KindTaskAddr,
		intervals.KindInstanceENI, intervals.KindInstanceAddr, intervals.KindHostPort} {
		fmt.Printf("%-13s %d\n", k, kinds[k])
	}
	f, err := os.CreateTemp("", "history-*.parquet")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := intervals.WriteParquet(f, rows); err != nil {
		log.Fatal(err)
	}
	// Output:
	// task          7
	// task_eni      5
	// task_addr     5
	// instance_eni  2
	// instance_addr 2
	// host_port     2
}

// The way back: a history table read from its Parquet file and rebuilt
// into a task history, which answers lookups (and attribution) as the
// history it was built from.
func ExampleIndex() {
	b := history.NewBuilder()
	if _, err := b.LoadFiles("../../../examples/attribute/sample/tasks/describe-tasks.json",
		"../../../examples/attribute/sample/tasks/describe-container-instances.json",
		"../../../examples/attribute/sample/tasks/describe-instances.json"); err != nil {
		log.Fatal(err)
	}
	rows, err := intervals.Build(b.Index())
	if err != nil {
		log.Fatal(err)
	}
	var file bytes.Buffer
	if err := intervals.WriteParquet(&file, rows); err != nil {
		log.Fatal(err)
	}

	read, err := intervals.ReadParquet(bytes.NewReader(file.Bytes()), int64(file.Len()), "history.parquet")
	if err != nil {
		log.Fatal(err)
	}
	h, err := intervals.Index(read)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(h.Tasks()), "tasks,", len(h.Instances()), "container instances")
	t := h.Tasks()[0]
	fmt.Println(t.ID(), t.NetworkMode, t.TaskDefinitionARN)
	owner, _ := h.TaskByENI(t.ENI, t.Valid.Start.Add(time.Minute))
	fmt.Println(t.ENI, "a minute in:", owner.ID())
	// Output:
	// 7 tasks, 2 container instances
	// 3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b awsvpc arn:aws:ecs:us-east-1:123456789012:task-definition/web:7
	// eni-0a1b2c3d4e5f60711 a minute in: 3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b
}
