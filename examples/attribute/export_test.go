package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
)

// -export writes its five files and refuses to write over a directory that
// is not empty, unless told to. That duckdb.sql gives -format json's
// numbers is proved in the nested module sqltest, which runs DuckDB.
func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	_, stderr := runOut(t, "-export", dir, "-format", "json")
	if !strings.Contains(stderr, "exported") {
		t.Errorf("stderr %q does not say what was exported", stderr)
	}
	for _, name := range exportFiles {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	sql, err := os.ReadFile(filepath.Join(dir, "duckdb.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sql, []byte("read_parquet('flowlogs.parquet')")) {
		t.Errorf("duckdb.sql does not read the exported files by relative path")
	}
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"-export", dir}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "not empty") || out.Len() > 0 {
		t.Errorf("a second export into %s: err %v, %d bytes of report", dir, err, out.Len())
	}
	runOut(t, "-export", dir, "-overwrite")
	if err := run(context.Background(), []string{"-overwrite"}, &out, &errOut); err == nil {
		t.Error("-overwrite without -export is accepted")
	}
	matches, err := filepath.Glob(filepath.Join(dir, ".*"))
	if err != nil || len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

// -export writes the records the run read, not the whole input again: with
// a window, the Parquet file holds exactly the run's records (issue 10:
// "for the task data and flow logs of that run").
func TestExportFollowsTheWindow(t *testing.T) {
	for _, args := range [][]string{nil, {"-since", "2026-11-25T10:20:00Z", "-until", "2026-11-25T10:40:00Z"}} {
		dir := filepath.Join(t.TempDir(), "out")
		out, _ := runOut(t, append([]string{"-export", dir, "-format", "json"}, args...)...)
		var doc struct {
			Total struct{ Records int64 } `json:"total"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		pf := openParquet(t, filepath.Join(dir, "flowlogs.parquet"))
		if pf.NumRows() != doc.Total.Records || doc.Total.Records == 0 {
			t.Errorf("%v: %d rows exported, %d records in the run", args, pf.NumRows(), doc.Total.Records)
		}
	}
}

// TestExportedHistoryAsTasks: the history table -export writes is task
// data too: read back with the sample's flow logs it gives the same
// report, byte for byte; mixed with JSON task files it is refused.
func TestExportedHistoryAsTasks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	want, _ := runOut(t, "-export", dir, "-format", "json")
	table := filepath.Join(dir, "history.parquet")
	got, _ := runOut(t, "-tasks", table, "-network", "sample/network/describe-subnets.json,sample/network/describe-vpcs.json,sample/network/describe-network-interfaces.json",
		"-flowlogs", "sample/flowlogs", "-format", "json")
	if got != want {
		t.Errorf("from the exported history:\n%s\nwant\n%s", got, want)
	}
	code, _, stderr := runCode(t, "-tasks", table+",sample/tasks/describe-tasks.json", "-flowlogs", "sample/flowlogs")
	if code != 1 || !strings.Contains(stderr, "give one kind") {
		t.Errorf("mixed task data: exit %d, %s", code, stderr)
	}
	junk := writeFile(t, t.TempDir(), "h.parquet", "not parquet")
	if code, _, stderr := runCode(t, "-tasks", junk, "-flowlogs", "sample/flowlogs"); code != 1 || !strings.Contains(stderr, "h.parquet") {
		t.Errorf("a broken table: exit %d, %s", code, stderr)
	}
}

// openParquet opens a flow-log Parquet file for the test's life.
func openParquet(t *testing.T, name string) *parquetsource.File {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquetsource.Open(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	return pf
}

// TestExportProjectionFromPlacedRecords: a record whose start is "-" is
// placed by its end, and the Athena script's projected partitions begin
// at the first record so placed. Its start was read as second 0, and the
// projection began in 1970.
func TestExportProjectionFromPlacedRecords(t *testing.T) {
	obj := sampleObjectFiles(t)[0]
	lines := strings.Split(strings.TrimSpace(string(gunzipFile(t, obj))), "\n")
	first := strings.Fields(lines[1])
	first[10] = "-"
	lines[1] = strings.Join(first, " ")
	file := writeFile(t, t.TempDir(), strings.TrimSuffix(filepath.Base(obj), ".gz"), strings.Join(lines, "\n")+"\n")
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", file, "-export", dir)...)
	sql, err := os.ReadFile(filepath.Join(dir, "athena.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "'projection.year.range' = '2026,2100'"; !strings.Contains(string(sql), want) {
		t.Errorf("athena.sql does not project from the records' first day (%s):\n%s", want, sql)
	}
}

// TestExportShowsProgress: -export reads every object a second time, as
// long a read as the run's own, and shows it as the run's read does.
func TestExportShowsProgress(t *testing.T) {
	defer cli.AsTerminal()()
	_, stderr := runOut(t, "-export", filepath.Join(t.TempDir(), "out"), "-format", "csv")
	lines := strings.Split(stderr, "\r")
	var last string
	for _, l := range lines {
		if strings.HasPrefix(l, "export: ") {
			last = l
		}
	}
	if !strings.HasPrefix(last, "export: 13/13 objects, 2047 records,") {
		t.Errorf("last export progress line %q; want 13/13 objects and 2047 records (stderr %q)", last, stderr)
	}
}
