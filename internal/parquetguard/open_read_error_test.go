package parquetguard_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
)

// failingAfter serves the first ok reads of r, then fails every read with
// err: a file on a network that goes away between two reads.
type failingAfter struct {
	r     io.ReaderAt
	ok    int
	calls int
	err   error
}

func (f *failingAfter) ReadAt(p []byte, off int64) (int, error) {
	f.calls++
	if f.calls > f.ok {
		return 0, f.err
	}
	return f.r.ReadAt(p, off)
}

// TestOpenKeepsReadError: Open said an error of parquet.OpenFile
// was corrupt file metadata with %v, which dropped what the error wraps.
// OpenFile reads the footer again, through r: a read that failed there
// (a context cancelled, a connection gone) could no longer be told by
// errors.Is, and was called corruption of a file that was never read.
func TestOpenKeepsReadError(t *testing.T) {
	type row struct {
		A int64 `parquet:"a"`
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []row{{1}, {2}}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if _, err := parquetguard.Open(bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("a good file: %v", err)
	}
	// How many reads CheckFooter makes: OpenFile's are the ones after.
	count := &failingAfter{r: bytes.NewReader(data), ok: 1 << 30}
	if err := parquetguard.CheckFooter(count, int64(len(data))); err != nil {
		t.Fatal(err)
	}
	gone := errors.New("connection gone")
	r := &failingAfter{r: bytes.NewReader(data), ok: count.calls, err: gone}
	_, err := parquetguard.Open(r, int64(len(data)))
	if !errors.Is(err, gone) {
		t.Errorf("Open with reads failing after the footer's: %v, want an error wrapping the read's", err)
	}
	if errors.Is(err, parquetguard.ErrCorrupt) {
		t.Errorf("Open with reads failing after the footer's: %v, a corrupt file, though none of it was read", err)
	}
}
