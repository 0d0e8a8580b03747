package intervals_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/netmode"
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

// The first step on Athena: the history in the Hive layout its table reads
// (cluster=NAME/date=YYYY-MM-DD/intervals.parquet), ready to copy to S3.
// A row is filed by the day its interval starts, so that a query of a
// window can skip the days after it (see sqlattr.Builder.IntervalFilter).
func ExampleWritePartitioned() {
	task := func(cluster, id, eni, ip string, start time.Time) history.Task {
		return history.Task{
			ARN:        "arn:aws:ecs:us-east-1:123456789012:task/" + cluster + "/" + id,
			ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/" + cluster,
			Group:      "service:web", NetworkMode: netmode.ModeAWSVPC,
			ENI: eni, IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: start},
		}
	}
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	h, err := history.NewIndex([]history.Task{
		task("prod", "a1", "eni-0a", "10.0.1.10", day.Add(9*time.Hour)),
		task("prod", "a2", "eni-0b", "10.0.1.11", day.Add(33*time.Hour)), // the next day
		task("batch", "b1", "eni-0c", "10.0.2.10", day.Add(34*time.Hour)),
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	rows, err := intervals.Build(h)
	if err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "intervals")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	files, err := intervals.WritePartitioned(dir, rows) // then: aws s3 sync DIR s3://BUCKET/PREFIX/
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		part, err := intervals.ReadParquetFile(f)
		if err != nil {
			log.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		fmt.Println(filepath.ToSlash(rel), len(part), "rows")
	}
	// Output:
	// cluster=batch/date=2026-11-25/intervals.parquet 3 rows
	// cluster=prod/date=2026-11-24/intervals.parquet 3 rows
	// cluster=prod/date=2026-11-25/intervals.parquet 3 rows
}

// The table as CSV, for engines and tools that read text: a header line of
// Columns whose first field carries the schema version, then one line per
// interval. An awsvpc task that ran for an hour owns three keys: itself
// (for records that name it), its ENI and its address.
func ExampleWriteCSV() {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	h, err := history.NewIndex([]history.Task{{
		ARN:        "arn:aws:ecs:us-east-1:123456789012:task/prod/a1",
		ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
		Group:      "service:web", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-0a", IPv4: netip.MustParseAddr("10.0.1.10"),
		Valid: history.Interval{Start: start, End: start.Add(time.Hour)},
	}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	rows, err := intervals.Build(h)
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	if err := intervals.WriteCSV(&out, rows); err != nil {
		log.Fatal(err)
	}
	// Print five of each line's columns: kind, key, the first and last
	// second owned, and the next owner's first second (none here: empty).
	lines, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range lines {
		fmt.Println(strings.Join([]string{l[0], l[1], l[5], l[6], l[7]}, ","))
	}
	// Output:
	// schema_v1:kind,key,first_second,last_second,next_first_second
	// task,arn:aws:ecs:us-east-1:123456789012:task/prod/a1,1795510800,1795514399,
	// task_addr,10.0.1.10,1795510800,1795514399,
	// task_eni,eni-0a,1795510800,1795514399,
}

// ExamplePartitionDate shows which date= directory WritePartitioned files
// a row in: the UTC day of the second its start falls in, and 1970-01-01
// for a row open since always.
func ExamplePartitionDate() {
	start := time.Date(2026, 11, 24, 23, 59, 59, 500_000_000, time.UTC)
	fmt.Println(intervals.PartitionDate(intervals.Row{Start: &start}))
	fmt.Println(intervals.PartitionDate(intervals.Row{}))
	// Output:
	// 2026-11-24
	// 1970-01-01
}
