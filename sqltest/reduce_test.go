package sqltest

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// writePartials attributes the fixture's records in parts (records i
// goes to part i mod n, so every part holds every kind of record), writes
// each part's partial under dir in the workers' layout
// cluster=/date=/hour=, part i named "part-i.parquet" with inputs
// "object-i" and hour i of "shared", and returns the Go engine's whole
// result.
func writePartials(t *testing.T, fx fixture, dir string, n int) *attribution.Attributor {
	t.Helper()
	whole := attribution.New(fx.h)
	parts := make([]*attribution.Attributor, n)
	for i := range parts {
		parts[i] = attribution.New(fx.h)
	}
	i := 0
	if err := fx.records(func(r *flowlogs.Record) error {
		whole.Add(r)
		parts[i%n].Add(r)
		i++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, a := range parts {
		p := filepath.Join(dir, "cluster=demo", "date=2026-11-25", fmt.Sprintf("hour=%02d", 10+i%2), fmt.Sprintf("part-%d.parquet", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		part := a.Partial()
		// Each part names its own object, and every part one hour of a
		// shared one: windows of one object that do not overlap add up.
		hour := time.Date(2026, 11, 25, i, 0, 0, 0, time.UTC)
		part.Inputs = []attribution.Input{{Name: fmt.Sprint("object-", i)}, {Name: "shared", Since: hour, Until: hour.Add(time.Hour)}}
		writeFile(t, p, func(w *bytes.Buffer) error { return partials.Write(w, part) })
	}
	return whole
}

// TestReduce: the reduce SQL over the partials of a split input gives
// the Go engine's rows for the whole input, by every grouping; the Athena
// and Spark texts run in DuckDB give them too.
func TestReduce(t *testing.T) {
	fixtures := map[string]fixture{"sample": sampleFixture(t)}
	for seed := range uint64(3) {
		fixtures[fmt.Sprint("generated", seed+1)] = generate(seed + 1).fixture()
	}
	for name, fx := range fixtures {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			whole := writePartials(t, fx, dir, 5)
			tables := sqlattr.ReduceTables{Path: dir, Partitioned: true}
			for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily,
				attribution.ByInstance, attribution.ByCluster} {
				want := docRows(report.NewDocument(whole.Result(by)))
				r := sqlattr.Reduce{Dialect: sqlattr.DuckDB, By: by}
				script, err := r.Script(tables)
				if err != nil {
					t.Fatal(err)
				}
				compare(t, duckScript(t, script), want)

				ddl, err := r.DDL(tables)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range []sqlattr.Dialect{sqlattr.Athena, sqlattr.Spark} {
					q, err := (&sqlattr.Reduce{Dialect: d, By: by}).Query()
					if err != nil {
						t.Fatal(err)
					}
					compare(t, duckScript(t, ddl+"\n"+inDuckDB(d, q)), want)
				}
			}
			// A filter on the partition columns prunes: one hour only.
			r := sqlattr.Reduce{Dialect: sqlattr.DuckDB, Filter: `"hour" = '10'`}
			script, err := r.Script(tables)
			if err != nil {
				t.Fatal(err)
			}
			got := duckScript(t, script)
			if total := got[len(got)-1]; total.Kind != "total" || total.Records <= 0 ||
				total.Records >= int64(whole.Total().Records) {
				t.Errorf("filtered total %v: want part of %d records", total, whole.Total().Records)
			}
		})
	}
}

// inDuckDB makes an Athena or Spark reduce query run in DuckDB: Spark's
// backticks become double quotes and its string literals DuckDB's
// (sparkInDuckDB), and Trino's fail and Spark's raise_error become macros
// over DuckDB's error.
func inDuckDB(d sqlattr.Dialect, q string) string {
	if d == sqlattr.Spark {
		q = sparkInDuckDB(q)
	}
	return "CREATE MACRO fail(m) AS error(m);\nCREATE MACRO raise_error(m) AS error(m);\n" + q
}

// TestReduceRefuses: the reduce query fails, as attribution.Merge does,
// rather than add up partials that do not add up (parts made with other
// options, files of another schema version) or report zeros for none, in
// each dialect's text.
func TestReduceRefuses(t *testing.T) {
	fx := sampleFixture(t)
	for _, c := range []struct {
		name string
		// edit changes the partials under dir; filter is Reduce.Filter.
		edit   func(t *testing.T, dir string)
		filter string
		says   string
	}{
		{name: "other options", edit: func(t *testing.T, dir string) {
			a := attribution.New(fx.h, attribution.WithLateSlack(5*time.Minute))
			if err := fx.records(func(r *flowlogs.Record) error { a.Add(r); return nil }); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour=10", "slack.parquet"),
				func(w *bytes.Buffer) error { return partials.Write(w, a.Partial()) })
		}, says: "they differ in late_slack_seconds"},
		// A file written by code of another attribution.RuleVersion, whose
		// records may have gone to other tasks.
		{name: "other rule version", edit: func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour=11", "part-1.parquet"),
				fmt.Sprintf("SELECT * REPLACE (CASE WHEN kind = 'meta' THEN %d ELSE rule_version END AS rule_version)", attribution.RuleVersion+1))
		}, says: "they differ in rule_version"},
		// A file whose meta row says another version; and one without the
		// column, as version 2 files are, read by name (NULL).
		{name: "other version", edit: func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour=10", "part-0.parquet"),
				fmt.Sprintf("SELECT * REPLACE (CASE WHEN kind = 'meta' THEN %d END AS schema_version)", partials.SchemaVersion+1))
		}, says: otherVersion},
		{name: "no version column, first", edit: func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour=10", "part-0.parquet"),
				"SELECT * EXCLUDE (schema_version)")
		}, says: otherVersion},
		{name: "no version column, last", edit: func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour=11", "part-1.parquet"),
				"SELECT * EXCLUDE (schema_version)")
		}, says: otherVersion},
		{name: "nothing passes the filter", filter: `"hour" = '23'`, says: "no partials to add up"},
		// A merged file beside its parts: every record twice, and the
		// query said nothing before inputs were recorded.
		{name: "a merge beside its parts", edit: func(t *testing.T, dir string) {
			var ps []*attribution.Partial
			for i, h := range []string{"10", "11"} {
				p, err := partials.ReadFile(filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour="+h, fmt.Sprintf("part-%d.parquet", i)))
				if err != nil {
					t.Fatal(err)
				}
				ps = append(ps, p)
			}
			m, err := attribution.Merge(ps...)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour=11", "merged.parquet"),
				func(w *bytes.Buffer) error { return partials.Write(w, m) })
		}, says: "(attribution.OverlapError): object-0 is an input of two of them"},
		// One object read twice in windows that overlap.
		{name: "overlapping windows", edit: func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(dir, "cluster=demo", "date=2026-11-25", "hour=11", "part-1.parquet"),
				"SELECT * REPLACE (CASE WHEN input_name = 'shared' THEN input_since - INTERVAL 30 MINUTE ELSE input_since END AS input_since)")
		}, says: "shared is an input of two of them"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writePartials(t, fx, dir, 2)
			if c.edit != nil {
				c.edit(t, dir)
			}
			tables := sqlattr.ReduceTables{Path: dir, Partitioned: true}
			for _, d := range []sqlattr.Dialect{sqlattr.DuckDB, sqlattr.Athena, sqlattr.Spark} {
				ddl, err := (&sqlattr.Reduce{Dialect: sqlattr.DuckDB}).DDL(tables)
				if err != nil {
					t.Fatal(err)
				}
				q, err := (&sqlattr.Reduce{Dialect: d, Filter: c.filter}).Query()
				if err != nil {
					t.Fatal(err)
				}
				rows, err := duckQuery(t, ddl+"\n"+inDuckDB(d, q))
				// The message, not the query text duckQuery adds after it.
				if msg := firstLine(err); !strings.Contains(msg, "ecsnet: ") || !strings.Contains(msg, c.says) {
					t.Errorf("%s: got %d rows, error %v; want an error saying %q", d, len(rows), msg, c.says)
				}
			}
		})
	}
}

// otherVersion is what the query says of a file of another schema version.
var otherVersion = fmt.Sprint("another schema version than ", partials.SchemaVersion)

// rewrite replaces the Parquet file name with the rows of a DuckDB query
// over it ("SELECT …" before its FROM).
func rewrite(t *testing.T, name, selectList string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tmp := name + ".tmp"
	if _, err := db.ExecContext(t.Context(), fmt.Sprintf("COPY (%s FROM read_parquet('%s')) TO '%s' (FORMAT parquet)",
		selectList, name, tmp)); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		t.Fatal(err)
	}
}

func firstLine(err error) string {
	if err == nil {
		return "<nil>"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
