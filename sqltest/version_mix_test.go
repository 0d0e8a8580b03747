package sqltest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// TestVersionMixes: the join query's version check over tables
// whose rows carry a mix of schema versions, NULL standing for a file of
// before the column: every dialect (run in DuckDB) answers as the Go
// engine when every row is NULL or 1, and otherwise stops naming the
// greatest version other than 1, whatever the mix, layout or row it is on.
func TestVersionMixes(t *testing.T) {
	fx := sampleFixture(t)
	const null = -1000 // no column: the rows go to a file of before it
	for _, c := range []struct {
		name string
		v    []int // versions dealt round-robin over the rows (by row number)
		want int   // the version named, 0 for none (the answer)
	}{
		{"1", []int{1}, 0},
		{"NULL,1", []int{null, 1}, 0},
		{"NULL,1,1,NULL", []int{null, 1, 1, null}, 0},
		{"1,2", []int{1, 2}, 2},
		{"NULL,2", []int{null, 2}, 2},
		{"NULL,1,3,2", []int{null, 1, 3, 2}, 3},
		{"0,1", []int{0, 1}, 0 - 1}, // 0: named as 0 (want -1 encodes "0")
		{"-5,NULL", []int{-5, null}, -5},
		{"2", []int{2}, 2},
	} {
		for _, partitioned := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/partitioned=%v", c.name, partitioned), func(t *testing.T) {
				a, tables := writeTables(t, fx, partitioned)
				var fs []string
				if partitioned {
					fs, _ = filepath.Glob(filepath.Join(tables.IntervalsPath, "*", "*", intervals.PartitionFile))
				} else {
					fs = []string{tables.IntervalsPath}
				}
				if len(fs) == 0 {
					t.Fatal("no interval files")
				}
				// Each file: its rows numbered; row i gets v[i % len(v)].
				expr := "CASE"
				for i, v := range c.v {
					if v != null {
						expr += fmt.Sprintf(" WHEN rn %% %d = %d THEN %d", len(c.v), i, v)
					}
				}
				expr += " END"
				var nullRem []string
				for i, v := range c.v {
					if v == null {
						nullRem = append(nullRem, fmt.Sprint(i))
					}
				}
				for k, f := range fs {
					src := fmt.Sprintf("(SELECT *, row_number() OVER () - 1 AS rn FROM read_parquet('%s'))", f)
					dir := filepath.Join(filepath.Dir(f), "mix")
					if partitioned {
						// Beside the partition: a file of its own date
						// folder each (the glob is */*/*.parquet).
						dir = filepath.Dir(f)
					}
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					newF := filepath.Join(dir, fmt.Sprintf("new%d.parquet", k))
					oldF := filepath.Join(dir, fmt.Sprintf("old%d.parquet", k))
					inNull := "FALSE"
					if len(nullRem) > 0 {
						inNull = fmt.Sprintf("rn %% %d IN (%s)", len(c.v), strings.Join(nullRem, ","))
					}
					duckExec(t, fmt.Sprintf("COPY (SELECT * EXCLUDE (schema_version, rn), %s AS schema_version FROM %s WHERE NOT (%s)) TO '%s' (FORMAT parquet)",
						"CAST("+expr+" AS INTEGER)", src, inNull, newF+".tmp"))
					if len(nullRem) > 0 {
						duckExec(t, fmt.Sprintf("COPY (SELECT * EXCLUDE (schema_version, rn) FROM %s WHERE %s) TO '%s' (FORMAT parquet)", src, inNull, oldF))
					}
					if err := os.Remove(f); err != nil {
						t.Fatal(err)
					}
					if err := os.Rename(newF+".tmp", newF); err != nil {
						t.Fatal(err)
					}
				}
				if !partitioned {
					tables.IntervalsPath = filepath.Join(filepath.Dir(fs[0]), "mix", "*.parquet")
				}
				want := docRows(report.NewDocument(a.Result(attribution.ByTask)))
				for _, d := range []sqlattr.Dialect{sqlattr.DuckDB, sqlattr.Athena, sqlattr.Spark} {
					script := dialectScript(t, tables, d)
					got, err := duckQuery(t, script)
					if c.want == 0 {
						if err != nil {
							t.Fatalf("%s: %v", d, firstLine(err))
						}
						compare(t, got, want)
						continue
					}
					named := c.want
					if named == -1 {
						named = 0
					}
					msg := firstLine(err)
					if w := fmt.Sprintf("holds rows of schema version %d, and this query reads version %d", named, intervals.SchemaVersion); !strings.Contains(msg, w) {
						t.Errorf("%s: %d rows, error %q; want one saying %q", d, len(got), msg, w)
					}
				}
			})
		}
	}
}

// dialectScript is DuckDB's views over tables and d's join query, run in
// DuckDB (queryInDuckDB) when d is another dialect.
func dialectScript(t *testing.T, tables sqlattr.Tables, d sqlattr.Dialect) string {
	t.Helper()
	ddl, err := (&sqlattr.Builder{Dialect: sqlattr.DuckDB}).DDL(tables)
	if err != nil {
		t.Fatal(err)
	}
	q, err := (&sqlattr.Builder{Dialect: d}).Query()
	if err != nil {
		t.Fatal(err)
	}
	if d != sqlattr.DuckDB {
		q = queryInDuckDB(t, d, q)
	}
	return ddl + "\n" + q
}
