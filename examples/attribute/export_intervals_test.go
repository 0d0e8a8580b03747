package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history/intervals"
)

// TestExportWritesAthenaLayout: -export writes the history in the layout
// athena.sql's history table reads, cluster=NAME/date=YYYY-MM-DD, holding
// exactly history.parquet's rows, each under its cluster and the date
// PartitionDate files it at; athena.sql says how to copy it. Before, the
// script asked for that layout and only Go code could write it.
func TestExportWritesAthenaLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, "-export", dir, "-format", "json")
	want, err := intervals.ReadParquetFile(filepath.Join(dir, "history.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "intervals", "cluster=*", "date=*", intervals.PartitionFile))
	if err != nil || len(files) == 0 {
		t.Fatalf("no partition files under %s/intervals: %v", dir, err)
	}
	var got []intervals.Row
	for _, f := range files {
		rows, err := intervals.ReadParquetFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// cluster=NAME/date=D/intervals.parquet, NAME escaped as Hive
		// escapes a partition value (percent-encoding).
		rel, _ := filepath.Rel(filepath.Join(dir, "intervals"), f)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		cluster, err := url.PathUnescape(strings.TrimPrefix(parts[0], "cluster="))
		if err != nil {
			t.Fatal(err)
		}
		date := strings.TrimPrefix(parts[1], "date=")
		for _, r := range rows {
			if c, d := cmp.Or(r.Cluster, intervals.UnknownCluster), intervals.PartitionDate(r); c != cluster || d != date {
				t.Errorf("a row of cluster %q filed on %s is in %s", c, d, rel)
			}
		}
		got = append(got, rows...)
	}
	byKey := func(a, b intervals.Row) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) }
	slices.SortFunc(got, byKey)
	slices.SortFunc(want, byKey)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the partitions hold %d rows, history.parquet %d, or other rows", len(got), len(want))
	}
	script, err := os.ReadFile(filepath.Join(dir, "athena.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(script), "aws s3 sync --delete intervals/") {
		t.Error("athena.sql does not say how to copy intervals/ to the history table's location")
	}
}

// TestFailedExportKeepsEarlier: an -export -overwrite that failed part of
// the way (here its partition folder is blocked) had already renamed a
// new history.parquet into place beside the earlier export's flow logs and
// scripts, which the engines then joined without a word. Every file is
// now staged and renamed only once all are written: a failed export
// leaves the earlier one's files as they were, the same files, and no
// temporary file.
func TestFailedExportKeepsEarlier(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, "-export", dir, "-format", "json")
	files, err := filepath.Glob(filepath.Join(dir, "intervals", "cluster=*", "date=*", intervals.PartitionFile))
	if err != nil || len(files) == 0 {
		t.Fatalf("no partition files: %v", err)
	}
	// A folder where a partition file must be renamed to.
	if err := os.Remove(files[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(files[0], "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := map[string]os.FileInfo{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		before[e.Name()] = fi
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-export", dir, "-overwrite", "-format", "json"}, &out, &errOut); err == nil {
		t.Fatal("an export into a blocked partition did not fail")
	}
	entries, _ = os.ReadDir(dir)
	for _, e := range entries {
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := before[e.Name()]; !ok {
			t.Errorf("%s left behind by the failed export", e.Name())
		} else if !os.SameFile(b, fi) {
			t.Errorf("%s was replaced by the failed export, beside the earlier export's other files", e.Name())
		}
	}
}
