package intervals

import (
	"bytes"
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

func sampleHistory(t testing.TB) *history.Index {
	t.Helper()
	files, err := filepath.Glob("../../../examples/attribute/sample/tasks/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("sample tasks: %v (%d files)", err, len(files))
	}
	b := history.NewBuilder()
	if _, err := b.LoadFiles(files...); err != nil {
		t.Fatal(err)
	}
	return b.Index()
}

// sampleRows is the interval table of the sample cluster.
func sampleRows(t testing.TB) []Row {
	t.Helper()
	rows, err := Build(sampleHistory(t))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// lookup answers "who owns key at second s" from the rows the way the SQL
// join does, without the late slack.
func lookup(rows []Row, kind, key string, s int64) *Row {
	for i := range rows {
		r := &rows[i]
		if r.Kind != kind || r.Key != key {
			continue
		}
		if r.FirstSecond != nil && s < *r.FirstSecond || r.NextFirstSecond != nil && s >= *r.NextFirstSecond {
			continue
		}
		if r.LastSecond != nil && s > *r.LastSecond {
			return nil
		}
		return r
	}
	return nil
}

func TestRowsAgreeWithHistoryLookups(t *testing.T) {
	h := sampleHistory(t)
	rows, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range rows {
		kinds[r.Kind]++
	}
	for _, k := range []string{KindTask, KindTaskENI, KindTaskAddr, KindInstanceENI, KindInstanceAddr, KindHostPort} {
		if kinds[k] == 0 {
			t.Errorf("no %s rows in the sample (%v)", k, kinds)
		}
	}
	var lo, hi int64 = 1 << 62, 0
	for _, task := range h.Tasks() {
		if s := task.Valid.Start; !s.IsZero() {
			lo = min(lo, s.Unix()-120)
		}
		if e := task.Valid.End; !e.IsZero() {
			hi = max(hi, e.Unix()+120)
		}
	}
	checked := 0
	for _, task := range h.Tasks() {
		if task.ENI == "" {
			continue
		}
		for s := lo; s <= hi; s += 7 {
			want, _ := h.TaskByENI(task.ENI, time.Unix(s, 0))
			got := lookup(rows, KindTaskENI, task.ENI, s)
			switch {
			case want == nil && got == nil:
			case want == nil || got == nil || want.ARN != got.TaskARN:
				t.Fatalf("ENI %s at %d: rows say %v, history %v", task.ENI, s, got, want)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

func TestSameHistorySameBytes(t *testing.T) {
	var a, b, c bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		rows := sampleRows(t)
		if err := WriteParquet(buf, rows); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two Parquet files of the same history differ")
	}
	f, err := parquet.OpenFile(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := f.Lookup(MetadataKey); !ok || v != "1" {
		t.Errorf("metadata %s = %q, %v", MetadataKey, v, ok)
	}
	rows := sampleRows(t)
	got, err := parquet.Read[Row](bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil || len(got) != len(rows) {
		t.Fatalf("read back %d rows (%v), want %d", len(got), err, len(rows))
	}
	if err := WriteCSV(&c, rows); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(c.String(), "\n")
	if !strings.HasPrefix(head, "schema_v1:kind,key,") || strings.Count(c.String(), "\n") != len(rows)+1 {
		t.Errorf("CSV header %q, %d lines for %d rows", head, strings.Count(c.String(), "\n"), len(rows))
	}
}

func TestEmptyHistory(t *testing.T) {
	if _, err := Build(history.NewBuilder().Index()); !errors.Is(err, ErrEmpty) {
		t.Fatalf("err = %v, want ErrEmpty", err)
	}
}

func TestPartitioned(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	files, err := WritePartitioned(dir, rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		rel, _ := filepath.Rel(dir, p)
		if parts := strings.Split(rel, string(filepath.Separator)); len(parts) != 3 ||
			!strings.HasPrefix(parts[0], "cluster=") || !strings.HasPrefix(parts[1], "date=") {
			t.Errorf("file %s is not cluster=/date=/", rel)
		}
	}
	if n := partitionRows(t, files); n != len(rows) {
		t.Errorf("%d rows in the partitions, want %d", n, len(rows))
	}
}

// partitionRows reads the partition files back and counts their rows.
func partitionRows(t *testing.T, files []string) int {
	t.Helper()
	n := 0
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		got, err := parquet.Read[Row](f, st.Size())
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		n += len(got)
	}
	return n
}

// TestPartitionDate: a row is filed by the UTC date of the second its
// start falls in, so a task that starts in the last second of a day (its
// first whole second on the next) is filed, with every row of its keys,
// under the day its records of that second are queried by: a filter
// "date" <= that day keeps them.
func TestPartitionDate(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	late := history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/prod/late", ClusterARN: "arn:aws:ecs:us-east-1:111122223333:cluster/prod",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-late", IPv4: netip.MustParseAddr("10.0.1.1"),
		Valid: history.Interval{Start: day.Add(24*time.Hour - 500*time.Millisecond)}}
	midnight := history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/midnight", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-mid", IPv4: netip.MustParseAddr("10.0.1.2"), Valid: history.Interval{Start: day.Add(24 * time.Hour)}}
	always := history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/prod/always", ClusterARN: late.ClusterARN,
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-always", IPv4: netip.MustParseAddr("10.0.1.3"), Valid: history.Interval{End: day}}
	_, rows := built(t, []history.Task{late, midnight, always}, nil)
	want := map[string]string{late.ARN: "2026-11-25", midnight.ARN: "2026-11-26", always.ARN: "1970-01-01"}
	for _, r := range rows {
		if got := PartitionDate(r); got != want[r.TaskARN] {
			t.Errorf("%s %s of %s: date %s, want %s", r.Kind, r.Key, r.TaskARN, got, want[r.TaskARN])
		}
	}
	dir := t.TempDir()
	files, err := WritePartitioned(dir, rows)
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range files {
		r, _ := filepath.Rel(dir, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	wantFiles := []string{"cluster=" + UnknownCluster + "/date=2026-11-26/" + PartitionFile,
		"cluster=prod/date=1970-01-01/" + PartitionFile, "cluster=prod/date=2026-11-25/" + PartitionFile}
	if !slices.Equal(rel, wantFiles) {
		t.Errorf("files %q, want %q", rel, wantFiles)
	}
}

// TestPartitionedAgain: a second WritePartitioned into the same
// directory (a nightly export, synced to S3) replaces the first. A row
// filed elsewhere now (its cluster learned since) left the earlier
// partition's file in place, and every engine read the row twice;
// files of the directory's own, and temporary files, are not left.
func TestPartitionedAgain(t *testing.T) {
	rows := sampleRows(t)
	dir := filepath.Join(t.TempDir(), "out[1]") // a glob's metacharacters
	mine := filepath.Join(dir, "README")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("not a partition"), 0o644); err != nil {
		t.Fatal(err)
	}
	moved := slices.Clone(rows)
	moved[0].Cluster = ""
	if _, err := WritePartitioned(dir, moved); err != nil {
		t.Fatal(err)
	}
	files, err := WritePartitioned(dir, rows)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			all = append(all, p)
		}
		return err
	})
	if want := append(slices.Clone(files), mine); !slices.Equal(slices.Sorted(slices.Values(all)), slices.Sorted(slices.Values(want))) {
		t.Errorf("files after the second write %q, want %q", all, want)
	}
	if n := partitionRows(t, files); n != len(rows) {
		t.Errorf("%d rows in the partitions, want %d", n, len(rows))
	}
}
