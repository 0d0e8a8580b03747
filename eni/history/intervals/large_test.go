package intervals

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/internal/heappeak"
	"github.com/ecsnet/ecsnet/internal/largecluster"
)

// largeHistory is the history of internal/largecluster's cluster of n
// awsvpc tasks, loaded from its describe-* outputs. For n = 10,000 its
// table has 39,500 rows.
func largeHistory(tb testing.TB, n int) *history.Index {
	tb.Helper()
	c, err := largecluster.New(n)
	if err != nil {
		tb.Fatal(err)
	}
	b := history.NewBuilder()
	for _, in := range [][]byte{c.DescribeTasks, c.DescribeInstances, c.DescribeEC2} {
		if _, err := b.Load(bytes.NewReader(in), "describe"); err != nil {
			tb.Fatal(err)
		}
	}
	if b.Len() != c.Tasks {
		tb.Fatalf("%d tasks, want %d", b.Len(), c.Tasks)
	}
	return b.Index()
}

// writeLarge writes the table of largeHistory(n) to a file in dir and
// returns its name and row count.
func writeLarge(tb testing.TB, dir string, n int) (string, int) {
	tb.Helper()
	rows, err := Build(largeHistory(tb, n))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rows); err != nil {
		tb.Fatal(err)
	}
	name := filepath.Join(dir, fmt.Sprintf("history-%d.parquet", n))
	if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return name, len(rows)
}

// TestLargeTableReadsBack checks the benchmark's input: the table of a
// large cluster reads back and rebuilds a history that gives the same rows.
func TestLargeTableReadsBack(t *testing.T) {
	h := largeHistory(t, 400)
	want, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteParquet(&buf, want); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "large.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) || cap(rows) != len(rows) {
		t.Fatalf("%d rows (cap %d), want %d", len(rows), cap(rows), len(want))
	}
	for i := range rows {
		if !sameRow(&rows[i], &want[i]) {
			t.Fatalf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
	x, err := Index(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Tasks()) != len(h.Tasks()) || len(x.Instances()) != len(h.Instances()) {
		t.Fatalf("%d tasks, %d instances; want %d, %d", len(x.Tasks()), len(x.Instances()), len(h.Tasks()), len(h.Instances()))
	}
}

// BenchmarkReadIndex reads the table of a large cluster from its
// file (ReadParquetFile, as `attribute -tasks history.parquet` and the
// Lambda worker read it) and rebuilds its history (Index). Besides time
// and allocations it reports live-MiB, the heap the Index keeps once the
// rows are dropped, and peak-MiB, the most heap in use while reading and
// indexing (sampled, a lower bound), both past the heap before.
// Measurements, not limits.
func BenchmarkReadIndex(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		name, nrows := writeLarge(b, b.TempDir(), n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var live, peak float64
			runs := 0
			for b.Loop() {
				x, l, p := measureReadIndex(b, name, nrows)
				live += float64(l)
				peak += float64(p)
				runs++
				runtime.KeepAlive(x)
			}
			b.ReportMetric(live/float64(runs)/(1<<20), "live-MiB")
			b.ReportMetric(peak/float64(runs)/(1<<20), "peak-MiB")
		})
	}
}

// measureReadIndex reads name and indexes its rows, returning the Index,
// the heap it keeps and the peak heap in use meanwhile.
func measureReadIndex(tb testing.TB, name string, nrows int) (*history.Index, uint64, uint64) {
	var x *history.Index
	live, peak := heappeak.Measure(func() {
		rows, err := ReadParquetFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		if len(rows) != nrows {
			tb.Fatalf("%d rows, want %d", len(rows), nrows)
		}
		if x, err = Index(rows); err != nil {
			tb.Fatal(err)
		}
	})
	return x, live, peak
}

// BenchmarkBuild makes the table of a large cluster from its history, as
// `record -export` and `attribute -export` do.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		h := largeHistory(b, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
