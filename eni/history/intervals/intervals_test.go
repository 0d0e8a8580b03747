package intervals

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/eni/history"
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
		rows, err := Build(sampleHistory(t))
		if err != nil {
			t.Fatal(err)
		}
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
	rows, _ := Build(sampleHistory(t))
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
	rows, err := Build(sampleHistory(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := WritePartitioned(dir, rows)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range files {
		rel, _ := filepath.Rel(dir, p)
		if parts := strings.Split(rel, string(filepath.Separator)); len(parts) != 3 ||
			!strings.HasPrefix(parts[0], "cluster=") || !strings.HasPrefix(parts[1], "date=") {
			t.Errorf("file %s is not cluster=/date=/", rel)
		}
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
	if n != len(rows) {
		t.Errorf("%d rows in the partitions, want %d", n, len(rows))
	}
}
