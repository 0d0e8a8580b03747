package history

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// loadMemory is what loading files into an Index costs in memory, past
// what the heap held before: live is the
// heap the Index keeps (after a GC, the Builder dropped), peak the most
// HeapInuse seen while loading and indexing (sampled, so a lower bound).
type loadMemory struct {
	live, peak uint64
}

// heapInuse is runtime.MemStats.HeapInuse, read without stopping the
// world: heap spans in use are the objects in them and the free space
// left in them.
func heapInuse(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}

func heapInuseSamples() []metrics.Sample {
	return []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
}

// measureLoad loads files into a new Builder (LoadFiles: read as a
// stream, as the Lambda worker reads an S3 object, so the input is not on
// the heap), takes its Index and drops the Builder, measuring as
// loadMemory says. It returns the Index, so that the caller keeps it
// past the measurement.
func measureLoad(tb testing.TB, files []string, wantTasks int) (*Index, loadMemory) {
	tb.Helper()
	var ms runtime.MemStats
	// Twice: the first GC only moves sync.Pool's contents (encoding/json's
	// buffers, say) to its victim cache, the second frees them.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	baseAlloc, baseInuse := ms.HeapAlloc, ms.HeapInuse

	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := heapInuseSamples()
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			peak = max(peak, heapInuse(s))
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	x := func() *Index {
		bl := NewBuilder()
		if _, err := bl.LoadFiles(files...); err != nil {
			tb.Fatal(err)
		}
		if bl.Len() != wantTasks {
			tb.Fatalf("%d tasks, want %d", bl.Len(), wantTasks)
		}
		return bl.Index()
	}()
	close(stop)
	wg.Wait()
	peak = max(peak, heapInuse(heapInuseSamples()))

	runtime.GC()
	runtime.ReadMemStats(&ms)
	var m loadMemory
	if ms.HeapAlloc > baseAlloc {
		m.live = ms.HeapAlloc - baseAlloc
	}
	if peak > baseInuse {
		m.peak = peak - baseInuse
	}
	runtime.KeepAlive(x)
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
			{"describe", []string{write("tasks.json", rc.describeTasks), write("instances.json", rc.describeInstances), write("ec2.json", rc.describeEC2)}},
			{"history", []string{write("history.jsonl", rc.history)}},
		}
		tasks := rc.tasks
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
