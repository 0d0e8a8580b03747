package sqltest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// writePartials attributes the fixture's records in parts (records i
// goes to part i mod n, so every part holds every kind of record), writes
// each part's partial under dir in the workers' layout
// cluster=/date=/hour=, and returns the Go engine's whole result.
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
		writeFile(t, p, func(w *bytes.Buffer) error { return partials.Write(w, a.Partial()) })
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
					if d == sqlattr.Spark {
						q = strings.ReplaceAll(q, "`", `"`)
					}
					compare(t, duckScript(t, ddl+"\n"+q), want)
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
