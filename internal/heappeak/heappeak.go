// Package heappeak measures what a step costs in heap, for the benchmarks
// that report memory at scale besides time.
package heappeak

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// Measure runs f and returns, past what the heap held before it, live:
// the heap still in use after f (after a GC: what f's result keeps, when
// the caller keeps it), and peak: the most heap in use while f ran
// (HeapInuse, sampled every 100 µs, so a lower bound).
func Measure(f func()) (live, peak uint64) {
	var ms runtime.MemStats
	// Twice: the first GC only moves sync.Pool's contents (encoding/json's
	// buffers, say) to its victim cache, the second frees them.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	baseAlloc, baseInuse := ms.HeapAlloc, ms.HeapInuse

	var most uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := samples()
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			most = max(most, inuse(s))
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	most = max(most, inuse(samples()))

	runtime.GC()
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > baseAlloc {
		live = ms.HeapAlloc - baseAlloc
	}
	if most > baseInuse {
		peak = most - baseInuse
	}
	return live, peak
}

// inuse is runtime.MemStats.HeapInuse, read without stopping the world:
// heap spans in use are the objects in them and the free space left in
// them.
func inuse(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}

func samples() []metrics.Sample {
	return []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
}
