package source

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// benchTree writes 16 gzip objects of 25,000 v2 records each (400,000
// records) in the delivery layout and returns the root.
func benchTree(b *testing.B) string {
	root := b.TempDir()
	rng := rand.New(rand.NewPCG(1, 1))
	var id int64
	t0 := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
	for i := 0; i < 16; i++ {
		s := t0.Add(time.Duration(i) * 5 * time.Minute)
		key := dayDir("123456789012", "us-east-1", s) + "/" + fileName("123456789012", "us-east-1", s, fmt.Sprintf("%08x", i))
		g := makeFile(key, s, 25_000, &id, rng, false)
		writeFile(b, filepath.Join(root, filepath.FromSlash(key)), g.raw)
	}
	return root
}

// BenchmarkMap reads a tree of gzip objects and sums bytes per interface
// in each object, then combines the per-object maps in key order: the
// deterministic parallel read. Compare parallel=1 with parallel=GOMAXPROCS.
func BenchmarkMap(b *testing.B) {
	root := benchTree(b)
	for _, p := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("parallel=%d", p), func(b *testing.B) {
			b.ReportAllocs()
			var n, raw atomic.Int64
			for i := 0; i < b.N; i++ {
				per, err := Map(context.Background(), &Dir{Root: root}, func(o Object, r *flowlogs.Reader) (map[string]int64, error) {
					m := map[string]int64{}
					for r.Scan() {
						m[r.Record().InterfaceID] += r.Record().Bytes
						n.Add(1)
					}
					raw.Add(r.Stats().Bytes)
					return m, nil
				}, WithConcurrency(p), WithReaderOptions(flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes)))
				if err != nil {
					b.Fatal(err)
				}
				total := map[string]int64{}
				for _, m := range per {
					for k, v := range m {
						total[k] += v
					}
				}
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(float64(n.Load())/s, "records/s")
			b.ReportMetric(float64(raw.Load())/s/1e6, "MB/s")
		})
	}
}

// BenchmarkRecords streams the same tree through Records, which copies
// every record so that it outlives the loop: allocs/record shows what that
// costs (a few allocations per batch, shared by its records).
func BenchmarkRecords(b *testing.B) {
	root := benchTree(b)
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		total := map[string]int64{}
		for rec, err := range Records(context.Background(), &Dir{Root: root},
			WithReaderOptions(flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes))) {
			if err != nil {
				b.Fatal(err)
			}
			total[rec.InterfaceID] += rec.Bytes
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
