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
)

// BenchmarkJoin compares the Go engine (records already parsed) with
// DuckDB over the Parquet export of the same generated cluster (the
// query alone, tables as views over the files), on one and the same
// machine. The answers are checked equal once.
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
	var recs []*flowlogs.Record
	if err := fx.records(func(r *flowlogs.Record) error { recs = append(recs, r.Clone()); return nil }); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	rows, err := intervals.Build(c.h)
	if err != nil {
		b.Fatal(err)
	}
	var hist, flows bytes.Buffer
	if err := intervals.WriteParquet(&hist, rows); err != nil {
		b.Fatal(err)
	}
	fw := sqlattr.NewFlowLogWriter(&flows)
	for _, r := range recs {
		if err := fw.Write(r); err != nil {
			b.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		b.Fatal(err)
	}
	for name, data := range map[string][]byte{"history.parquet": hist.Bytes(), "flowlogs.parquet": flows.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	tables := sqlattr.Tables{FlowLogsPath: filepath.Join(dir, "flowlogs.parquet"), IntervalsPath: filepath.Join(dir, "history.parquet")}
	goRows := func() []row {
		a := attribution.New(c.h, attribution.WithoutPeers())
		for _, r := range recs {
			a.Add(r)
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
		b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("duckdb", func(b *testing.B) {
		for range b.N {
			duck(b, &sqlattr.Builder{Dialect: sqlattr.DuckDB}, tables)
		}
		b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
}
