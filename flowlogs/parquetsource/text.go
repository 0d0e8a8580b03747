package parquetsource

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// batchRows is how many rows are decoded per column at a time.
const batchRows = 256

// textReader renders rows as text record lines. It reads column by
// column: a batch of values from each column's current page, then the
// batch's rows. For a flat schema each row has exactly one value (or null)
// per column, so the columns stay aligned. Pages are released only when the
// next one is loaded, after every row using their values was rendered.
type textReader struct {
	groups []parquet.RowGroup
	cols   []column // of the current row group; nil between groups
	ncols  int
	k, i   int   // rows in the batch, next row
	row    int64 // rows rendered
	line   []byte
	off    int
	err    error
}

type column struct {
	pages parquet.Pages
	page  parquet.Page
	vals  parquet.ValueReader
	left  int64 // values not yet read from page
	done  bool
	buf   []parquet.Value
}

func (t *textReader) Read(p []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			t.err = fmt.Errorf("parquetsource: corrupt file at row %d: %v", t.row, r)
			n, err = 0, t.err
		}
	}()
	for n < len(p) {
		if t.off < len(t.line) {
			c := copy(p[n:], t.line[t.off:])
			t.off += c
			n += c
			continue
		}
		if t.err != nil || !t.next() {
			break
		}
	}
	if n > 0 {
		return n, nil
	}
	if t.err == io.EOF {
		t.closeGroup()
	}
	return 0, t.err
}

// next renders the next row into t.line; false at the end (t.err = EOF)
// or on error.
func (t *textReader) next() bool {
	for t.i == t.k {
		if !t.batch() {
			return false
		}
	}
	t.line, t.off = t.line[:0], 0
	for c := range t.cols {
		if c > 0 {
			t.line = append(t.line, ' ')
		}
		var err error
		t.line, err = appendValue(t.line, t.cols[c].buf[t.i])
		if err != nil {
			t.err = fmt.Errorf("parquetsource: row %d column %d: %w", t.row+1, c+1, err)
			return false
		}
	}
	t.line = append(t.line, '\n')
	t.i++
	t.row++
	return true
}

// batch decodes the next batch of values of every column.
func (t *textReader) batch() bool {
	t.k, t.i = 0, 0
	for {
		if t.cols == nil {
			if len(t.groups) == 0 {
				t.err = io.EOF
				return false
			}
			chunks := t.groups[0].ColumnChunks()
			t.groups = t.groups[1:]
			if len(chunks) != t.ncols {
				t.err = fmt.Errorf("parquetsource: row group has %d columns, the schema %d", len(chunks), t.ncols)
				return false
			}
			t.cols = make([]column, len(chunks))
			for j, ch := range chunks {
				t.cols[j] = column{pages: ch.Pages(), buf: make([]parquet.Value, batchRows)}
			}
		}
		k, ended := int64(batchRows), 0
		for j := range t.cols {
			c := &t.cols[j]
			if err := c.load(); err != nil {
				t.err = fmt.Errorf("parquetsource: row %d column %d: %w", t.row+1, j+1, err)
				return false
			}
			if c.done {
				ended++
				continue
			}
			k = min(k, c.left)
		}
		if ended == len(t.cols) {
			t.closeGroup()
			continue
		}
		if ended > 0 {
			t.err = fmt.Errorf("%w: columns end at different rows (row %d)", errCorrupt, t.row+1)
			return false
		}
		for j := range t.cols {
			c := &t.cols[j]
			if err := c.read(int(k)); err != nil {
				t.err = fmt.Errorf("parquetsource: row %d column %d: %w", t.row+1, j+1, err)
				return false
			}
		}
		t.k = int(k)
		return true
	}
}

// load makes sure the column has a page with values left, releasing the
// previous page; done is set at the end of the column chunk.
func (c *column) load() error {
	for !c.done && c.left == 0 {
		if c.page != nil {
			parquet.Release(c.page)
			c.page = nil
		}
		p, err := c.pages.ReadPage()
		if err == io.EOF {
			c.done = true
			return nil
		}
		if err != nil {
			return err
		}
		c.page, c.vals, c.left = p, p.Values(), p.NumValues()
		if c.left < 0 {
			return fmt.Errorf("%w: page with %d values", errCorrupt, c.left)
		}
	}
	return nil
}

// read decodes exactly k values of the current page into c.buf[:k].
func (c *column) read(k int) error {
	got := 0
	for got < k {
		n, err := c.vals.ReadValues(c.buf[got:k])
		got += n
		if got == k {
			break
		}
		if err == io.EOF || err == nil && n == 0 {
			return fmt.Errorf("%w: page ended after %d of its values", errCorrupt, got)
		}
		if err != nil {
			return err
		}
	}
	c.left -= int64(k)
	return nil
}

func (t *textReader) closeGroup() {
	for j := range t.cols {
		c := &t.cols[j]
		if c.page != nil {
			parquet.Release(c.page)
		}
		c.pages.Close()
	}
	t.cols = nil
}
