package intervals_test

import (
	"fmt"
	"log"
	"os"

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
