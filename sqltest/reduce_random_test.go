package sqltest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/internal/ecsfieldgen"
)

// TestReduceRandom: the reduce SQL (DuckDB) over the partials of
// attribution's TestMergeEqualsOneRun (random histories, records
// with and without ecs-* fields in several formats, 1–4 parts, one part
// possibly read with an older history) gives attribution.Merge's rows, by
// every grouping: group totals, unattributed and the total. The records
// are ecsfieldgen's, that test's (a made task's ecs-* values are fixed,
// see there).
//
// ECSNET_REDUCE_SEEDS sets the number of seeds (default 3; each is
// five DuckDB runs).
func TestReduceRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("DuckDB runs")
	}
	seeds := 3
	if s := os.Getenv("ECSNET_REDUCE_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		seeds = n
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			c, err := ecsfieldgen.Generate(ecsfieldgen.NewRand(seed), rt0)
			if err != nil {
				t.Fatal(err)
			}
			parts, olderPart := c.Parts, c.OlderPart
			dir := t.TempDir()
			var ps []*attribution.Partial
			for i, recs := range parts {
				h := c.Full
				if i == olderPart {
					h = c.Older
				}
				p := propRun(t, h, recs).Partial()
				p.Inputs = []attribution.Input{{Name: fmt.Sprint("part", i)}}
				ps = append(ps, p)
				writeFile(t, filepath.Join(dir, fmt.Sprintf("part-%d.parquet", i)), func(w *bytes.Buffer) error { return partials.Write(w, p) })
			}
			m, err := attribution.Merge(ps...)
			if err != nil {
				t.Fatal(err)
			}
			for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily,
				attribution.ByInstance, attribution.ByCluster} {
				want := docRows(report.NewDocument(m.Result(by)))
				script, err := (&sqlattr.Reduce{Dialect: sqlattr.DuckDB, By: by}).Script(sqlattr.ReduceTables{Path: filepath.Join(dir, "*.parquet")})
				if err != nil {
					t.Fatal(err)
				}
				if got := duckScript(t, script); !slices.Equal(got, want) {
					t.Logf("by %v, older part %d, parts:", by, olderPart)
					for i, p := range parts {
						for _, r := range p {
							t.Logf("  %d [%s] %s", i, strings.Join(r.ECS, " "), r.Line())
						}
					}
					compare(t, got, want)
				}
			}
		})
	}
}

// rt0 is the start of the generated histories and records.
var rt0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// propRun reads recs, in order, into an Attributor over h.
func propRun(t *testing.T, h *history.Index, recs []*ecsfieldgen.Record) *attribution.Attributor {
	t.Helper()
	a := attribution.New(h, attribution.WithSyncAddAll())
	for _, in := range ecsfieldgen.Texts(recs) {
		if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in), flowlogs.WithFields(attribution.Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
	}
	return a
}
