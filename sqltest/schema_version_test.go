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

// TestJoinRefusesOtherVersion: an interval table holding a row of
// another schema version (a file written by another ecsnet, in a table the
// engine reads without looking at its metadata) stops the join query of
// every dialect with a message naming the version found and the one the
// query reads; rows of files written before the schema_version column
// (NULL) are version 1 and attribute as the Go engine does.
func TestJoinRefusesOtherVersion(t *testing.T) {
	fx := sampleFixture(t)
	rows, err := intervals.Build(fx.h)
	if err != nil {
		t.Fatal(err)
	}
	var taskKey string
	for _, r := range rows {
		if r.Kind == intervals.KindTask {
			taskKey = r.Key
			break
		}
	}
	// files are the interval files of a table, one file or partitioned.
	files := func(t *testing.T, tables sqlattr.Tables) []string {
		if !tables.IntervalsPartitioned {
			return []string{tables.IntervalsPath}
		}
		fs, err := filepath.Glob(filepath.Join(tables.IntervalsPath, "*", "*", intervals.PartitionFile))
		if err != nil || len(fs) == 0 {
			t.Fatalf("partitions: %v, %v", fs, err)
		}
		return fs
	}
	other := intervals.SchemaVersion + 1
	for _, partitioned := range []bool{false, true} {
		t.Run(fmt.Sprint("partitioned=", partitioned), func(t *testing.T) {
			t.Run("a row of another version", func(t *testing.T) {
				_, tables := writeTables(t, fx, partitioned)
				for _, f := range files(t, tables) {
					rewrite(t, f, fmt.Sprintf("SELECT * REPLACE (CASE WHEN kind = 'task' AND key = '%s' THEN %d ELSE schema_version END AS schema_version)", taskKey, other))
				}
				for _, d := range []sqlattr.Dialect{sqlattr.DuckDB, sqlattr.Athena, sqlattr.Spark} {
					script := dialectScript(t, tables, d)
					got, err := duckQuery(t, script)
					msg := firstLine(err)
					for _, want := range []string{"ecsnet: ", fmt.Sprint("schema version ", other), fmt.Sprint("reads version ", intervals.SchemaVersion)} {
						if !strings.Contains(msg, want) {
							t.Errorf("%s: got %d rows, error %q; want an error saying %q", d, len(got), msg, want)
						}
					}
				}
			})
			// Files of before the column beside files with it (one
			// partition, one file of two given as a list): NULL, read as
			// version 1, the Go engine's answer.
			t.Run("files without the column", func(t *testing.T) {
				a, tables := writeTables(t, fx, partitioned)
				// The table's one file split in two, the task rows in a
				// new one, the others in one of before.
				fs := files(t, tables)
				if len(fs) != 1 {
					t.Fatalf("%d interval files, want 1", len(fs))
				}
				newFile, oldFile := filepath.Join(filepath.Dir(fs[0]), "hist", "new.parquet"), filepath.Join(filepath.Dir(fs[0]), "hist", "old.parquet")
				tables.IntervalsPath = filepath.Join(filepath.Dir(fs[0]), "hist", "*.parquet")
				if partitioned {
					// A partition of another day.
					newFile = fs[0]
					oldFile = filepath.Join(filepath.Dir(filepath.Dir(fs[0])), "date=2026-11-24", intervals.PartitionFile)
					tables.IntervalsPath = filepath.Dir(filepath.Dir(filepath.Dir(fs[0])))
				}
				if err := os.MkdirAll(filepath.Dir(oldFile), 0o755); err != nil {
					t.Fatal(err)
				}
				duckExec(t, fmt.Sprintf("COPY (SELECT * EXCLUDE (schema_version) FROM read_parquet('%s') WHERE kind <> 'task') TO '%s' (FORMAT parquet)",
					fs[0], oldFile))
				duckExec(t, fmt.Sprintf("COPY (SELECT * FROM read_parquet('%s') WHERE kind = 'task') TO '%s' (FORMAT parquet)",
					fs[0], newFile+".tmp"))
				if err := os.Rename(newFile+".tmp", newFile); err != nil {
					t.Fatal(err)
				}
				if !partitioned {
					if err := os.Remove(fs[0]); err != nil {
						t.Fatal(err)
					}
				}
				want := docRows(report.NewDocument(a.Result(attribution.ByTask)))
				for _, d := range []sqlattr.Dialect{sqlattr.DuckDB, sqlattr.Athena, sqlattr.Spark} {
					script := dialectScript(t, tables, d)
					t.Logf("%s query", d)
					compare(t, duckScript(t, script), want)
				}
			})
		})
	}
}
