package parquetrows_test

import (
	"io"
	"testing"

	"github.com/ecsnet/ecsnet/internal/parquetrows"
)

// TestAbsentColumn: a column named absent that the file lacks is
// left as it was (zero), the others read; one not named is still an error.
func TestAbsentColumn(t *testing.T) {
	f := write(t, rows(10))
	type later struct {
		Key   string `parquet:"key"`
		Added int32  `parquet:"added"`
	}
	if _, err := parquetrows.NewReader[later](f); err == nil {
		t.Fatal("a missing column not named absent: no error")
	}
	r, err := parquetrows.NewReader[later](f, "added")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]later, 20)
	n, err := r.Read(got)
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	want := rows(10)
	if n != len(want) {
		t.Fatalf("%d rows, want %d", n, len(want))
	}
	for i := range n {
		if got[i].Key != want[i].Key || got[i].Added != 0 {
			t.Errorf("row %d: %+v, want key %q and 0", i, got[i], want[i].Key)
		}
	}
}
