package flowlogs

import (
	"errors"
	"io"
	"testing"
)

// closingRows is a RowSource of one row that counts its Close calls.
type closingRows struct {
	rows   [][]Value
	closes int
	err    error
}

func (c *closingRows) ReadRow() ([]Value, error) {
	if len(c.rows) == 0 {
		return nil, io.EOF
	}
	row := c.rows[0]
	c.rows = c.rows[1:]
	return row, nil
}

func (c *closingRows) Close() error { c.closes++; return c.err }

// TestRowReaderClosesSourceOnce: Scan closes the Reader at the end, and
// the documented `defer r.Close()` closes it again: the source was closed
// twice (a pool's buffers given back twice), and its error was dropped.
func TestRowReaderClosesSourceOnce(t *testing.T) {
	f, err := ParseHeader("version interface-id log-status")
	if err != nil {
		t.Fatal(err)
	}
	src := &closingRows{rows: [][]Value{{IntValue(2), TextValue([]byte("eni-1")), TextValue([]byte("OK"))}}, err: errors.New("close failed")}
	r := NewRowReader(src, f)
	n := 0
	for r.Scan() {
		n++
	}
	if n != 1 || r.Err() != nil {
		t.Fatalf("%d records, err %v", n, r.Err())
	}
	if err := r.Close(); !errors.Is(err, src.err) {
		t.Errorf("Close = %v, want the source's error", err)
	}
	if err := r.Close(); !errors.Is(err, src.err) {
		t.Errorf("second Close = %v, want the source's error again", err)
	}
	if src.closes != 1 {
		t.Errorf("source closed %d times, want 1", src.closes)
	}
}
