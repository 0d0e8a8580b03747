package history

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/heappeak"
)

// loadMemory is what loading files into an Index costs in memory, past
// what the heap held before: live is the
// heap the Index keeps (after a GC, the Builder dropped), peak the most
// HeapInuse seen while loading and indexing (sampled, so a lower bound).
type loadMemory struct {
	live, peak uint64
}

// measureLoad loads files into a new Builder (LoadFiles: read as a
// stream, as the Lambda worker reads an S3 object, so the input is not on
// the heap), takes its Index and drops the Builder, measuring as
// loadMemory says. It returns the Index, so that the caller keeps it
// past the measurement.
func measureLoad(tb testing.TB, files []string, wantTasks int) (*Index, loadMemory) {
	tb.Helper()
	var x *Index
	var m loadMemory
	m.live, m.peak = heappeak.Measure(func() {
		bl := NewBuilder()
		if _, err := bl.LoadFiles(files...); err != nil {
			tb.Fatal(err)
		}
		if bl.Len() != wantTasks {
			tb.Fatalf("%d tasks, want %d", bl.Len(), wantTasks)
		}
		x = bl.Index()
	})
	return x, m
}

// BenchmarkLoadLargeMemory reports the memory of loading a platform-scale
// history (newLargeCluster) into an Index, as the Lambda worker does for
// every object: live-MiB, the heap the Index keeps once the Builder is
// dropped, and peak-MiB, the most heap in use while loading (both past
// the heap before the load; the inputs are read from files). Measurements,
// not limits.
func BenchmarkLoadLargeMemory(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := b.TempDir()
		write := func(name string, data []byte) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o600); err != nil {
				b.Fatal(err)
			}
			return p
		}
		rc := newLargeCluster(b, n)
		inputs := []struct {
			name  string
			files []string
		}{
			{"describe", []string{write("tasks.json", rc.DescribeTasks), write("instances.json", rc.DescribeInstances), write("ec2.json", rc.DescribeEC2)}},
			{"history", []string{write("history.jsonl", rc.history)}},
		}
		tasks := rc.Tasks
		rc = nil // off the heap the measurements start from
		for _, c := range inputs {
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				var live, peak float64
				runs := 0
				for b.Loop() {
					_, m := measureLoad(b, c.files, tasks)
					live += float64(m.live)
					peak += float64(m.peak)
					runs++
				}
				b.ReportMetric(live/float64(runs)/(1<<20), "live-MiB")
				b.ReportMetric(peak/float64(runs)/(1<<20), "peak-MiB")
			})
		}
	}
}
