package sqltest

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// TestReduceOneIdentityPerTask: one task in two workers' partials: worker
// A's history does not know it yet (its records name it in ecs-task-arn, so
// A makes it from the record's ecs-* fields: no service, group
// "family:web"), worker B's history does (group "service:web").
// attribution.Merge keeps one observation of the task (newerTask: the
// history's over the made-up one) and reports one group; the reduce query
// grouped every task row by its own dimensions and split the task's bytes
// over two groups.
func TestReduceOneIdentityPerTask(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := rvTask("0000000000000000000000000000000e", "eni-e", "10.0.1.14", t0, time.Time{})
	other := rvTask("0000000000000000000000000000000f", "eni-f", "10.0.1.15", t0, time.Time{})
	hA := rvIndex(t, []history.Task{other}, nil)     // worker A: the task not yet known
	hB := rvIndex(t, []history.Task{tk, other}, nil) // worker B: it is
	ts := t0.Add(time.Minute).Unix()
	head := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"flow-direction ecs-cluster-arn ecs-task-definition-arn ecs-task-arn"
	line := func(bytes string) string {
		return strings.Join([]string{"7", "111122223333", "eni-e", "10.0.1.14", "52.94.1.1", "40000", "443", "6", "3", bytes,
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", rvCluster, tk.TaskDefinitionARN, tk.ARN}, " ")
	}
	dir := t.TempDir()
	var files []string
	for i, c := range []struct {
		h    *history.Index
		line string
	}{{hA, line("100")}, {hB, line("1000")}} {
		a := attribution.New(c.h)
		if err := rvFixture(c.h, head, c.line).records(func(r *flowlogs.Record) error { a.Add(r); return nil }); err != nil {
			t.Fatal(err)
		}
		p := a.Partial()
		p.Inputs = []attribution.Input{{Name: "object-" + itoa(int64(i))}}
		name := filepath.Join(dir, "part-"+itoa(int64(i))+".parquet")
		writeFile(t, name, func(w *bytes.Buffer) error { return partials.Write(w, p) })
		files = append(files, name)
	}
	var ps []*attribution.Partial
	for _, f := range files {
		p, err := partials.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	m, err := attribution.Merge(ps...)
	if err != nil {
		t.Fatal(err)
	}
	compareReduce(t, dir, m, attribution.ByTask, attribution.ByService, attribution.ByFamily)
}

// compareReduce runs the DuckDB reduce of the partial files in dir by
// each grouping and compares its rows with m's, attribution.Merge's.
func compareReduce(t *testing.T, dir string, m *attribution.Partial, bys ...attribution.GroupBy) {
	t.Helper()
	for _, by := range bys {
		want := docRows(report.NewDocument(m.Result(by)))
		r := sqlattr.Reduce{Dialect: sqlattr.DuckDB, By: by}
		script, err := r.Script(sqlattr.ReduceTables{Path: filepath.Join(dir, "*.parquet")})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("by %s", by)
		compare(t, duckScript(t, script), want)
	}
}

// TestReduceFoldsBareTaskID: a task one part knows only by the
// ecs-task-id of its records (a format without ecs-task-arn, or a history
// that did not know it yet) and another by its ARN is one task in one run
// and in attribution.Merge (Merger.folded); the reduce query kept the bare
// ID's rows as a second task, a group of their own by task.
func TestReduceFoldsBareTaskID(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := rvTask("0000000000000000000000000000000e", "eni-e", "10.0.1.14", t0, time.Time{})
	other := rvTask("0000000000000000000000000000000f", "eni-f", "10.0.1.15", t0, time.Time{})
	made := strings.Replace(tk.ARN, "0000000000000000000000000000000e", "00000000000000000000000000000abc", 1)
	ts := t0.Add(time.Minute).Unix()
	line := func(bytes, ref string) string {
		return strings.Join([]string{"7", "111122223333", "eni-x", "10.0.9.14", "52.94.1.1", "40000", "443", "6", "3", bytes,
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", rvCluster, tk.TaskDefinitionARN, ref}, " ")
	}
	const head = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"flow-direction ecs-cluster-arn ecs-task-definition-arn "
	hA := rvIndex(t, []history.Task{other}, nil)     // worker A: the task not yet known
	hB := rvIndex(t, []history.Task{tk, other}, nil) // worker B: it is
	for _, c := range []struct {
		name     string
		hB       *history.Index
		idA, arn string
	}{
		{"a history task", hB, "0000000000000000000000000000000e", tk.ARN},
		{"a made task", hA, "00000000000000000000000000000abc", made},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var ps []*attribution.Partial
			for i, w := range []struct {
				h          *history.Index
				head, line string
			}{{hA, head + "ecs-task-id", line("100", c.idA)}, {c.hB, head + "ecs-task-arn", line("1000", c.arn)}} {
				a := attribution.New(w.h)
				if err := rvFixture(w.h, w.head, w.line).records(func(r *flowlogs.Record) error { a.Add(r); return nil }); err != nil {
					t.Fatal(err)
				}
				p := a.Partial()
				p.Inputs = []attribution.Input{{Name: "object-" + itoa(int64(i))}}
				writeFile(t, filepath.Join(dir, "part-"+itoa(int64(i))+".parquet"), func(w *bytes.Buffer) error { return partials.Write(w, p) })
				ps = append(ps, p)
			}
			m, err := attribution.Merge(ps...)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(m.Tasks); n != 1 || m.Tasks[0].Task.ARN != c.arn {
				t.Fatalf("Merge: %d tasks (first %s), want one, %s", n, m.Tasks[0].Task.ARN, c.arn)
			}
			compareReduce(t, dir, m, attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByCluster)
		})
	}
}
