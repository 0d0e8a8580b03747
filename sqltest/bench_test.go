package sqltest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
)

// BenchmarkJoin compares the Go engine with DuckDB over the same Parquet
// export of one generated cluster (AWS's flow-log layout and the interval
// table): Go reads the file with parquetsource and attributes it, DuckDB
// runs the query over views of the files, on one and the same machine. The
// answers are checked equal once.
//
//	go test -run '^$' -bench Join -benchtime 3x
//
// SQLTEST_RECORDS sets the number of records (default 200,000); the
// figures in bench/README.md are for 10,000,000.
func BenchmarkJoin(b *testing.B) {
	n := 200_000
	if v := os.Getenv("SQLTEST_RECORDS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("SQLTEST_RECORDS=%q: want a positive number of records", v)
		}
	}
	c := generateN(42, n)
	fx := c.fixture()
	dir := b.TempDir()
	rows, err := intervals.Build(c.h)
	if err != nil {
		b.Fatal(err)
	}
	var hist bytes.Buffer
	if err := intervals.WriteParquet(&hist, rows); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "history.parquet"), hist.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	// The records stream into the Parquet file both engines read: nothing
	// holds them all in memory.
	flowPath := filepath.Join(dir, "flowlogs.parquet")
	out, err := os.Create(flowPath)
	if err != nil {
		b.Fatal(err)
	}
	fw := sqlattr.NewFlowLogWriter(out)
	records := 0
	if err := fx.records(func(r *flowlogs.Record) error { records++; return fw.Write(r) }); err != nil {
		b.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	c.linesA, c.linesB = nil, nil
	tables := sqlattr.Tables{FlowLogsPath: flowPath, IntervalsPath: filepath.Join(dir, "history.parquet")}
	goRows := func() []row {
		f, err := os.Open(flowPath)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			b.Fatal(err)
		}
		rd, err := parquetsource.NewReader(f, st.Size(), flowlogs.WithFields(attribution.Fields()...))
		if err != nil {
			b.Fatal(err)
		}
		a := attribution.New(c.h, attribution.WithoutPeers())
		if err := a.AddAll(rd.All()); err != nil {
			b.Fatal(err)
		}
		return docRows(report.NewDocument(a.Result(attribution.ByTask)))
	}
	want := goRows()
	got := duck(b, &sqlattr.Builder{Dialect: sqlattr.DuckDB}, tables)
	if len(got) != len(want) {
		b.Fatalf("DuckDB %d rows, Go %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			b.Fatalf("row %d: DuckDB %v, Go %v", i, got[i], want[i])
		}
	}
	b.Run("go", func(b *testing.B) {
		for range b.N {
			goRows()
		}
		b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("duckdb", func(b *testing.B) {
		for range b.N {
			duck(b, &sqlattr.Builder{Dialect: sqlattr.DuckDB}, tables)
		}
		b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
}
