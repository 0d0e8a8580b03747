package parquetsource

import (
	"fmt"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
)

// textReader renders rows as text record lines, one field per rendered
// column (all of the file's, or a projection). It walks the columns' pages
// in step, a row at a time, reading each page's values in place: the
// page's definition levels say which rows are null, and its typed data
// (int32, int64 or byte-array values, or dictionary indexes into them) is
// formatted with strconv into a line buffer that is reused. Other physical
// types (boolean, float, double, fixed-length byte arrays), rare in flow
// logs, go through parquet.Value.
//
// Allocation: nothing per row, and in this package nothing per page or row
// group either (columns, guard buffer and line buffer are reused). What
// remains is parquet-go's, a few small objects per page and per column
// chunk: FilePages.ReadPage allocates a format.PageHeader per page
// ("instantiate a new format.PageHeader for each page", by design) and its
// thrift decoder (compactReader.ReadBytes) allocates the page statistics'
// min and max values; Column.decodeDataPage wraps the decoded values in new
// page objects (the typed page, newOptionalPage, newBufferedPage), reading
// the values into pooled buffers; FileColumnChunk.Pages allocates a
// FilePages per column chunk, and a dictionary is decoded per column chunk.
// With AWS's pages of thousands of values, that is well under 0.01
// allocations per record.
type textReader struct {
	groups []parquet.RowGroup
	meta   []format.RowGroup // metadata of groups, in the same order
	ncols  int               // columns in the file
	cols   []column          // the rendered columns, reused from group to group
	guard  pageGuard
	open   bool  // a row group is open
	left   int64 // rows not yet rendered in the open row group
	group  int   // index of the open (or next) row group
	row    int64 // rows rendered
	line   []byte
	off    int
	err    error
}

// Value modes of a page.
const (
	modeInt32 = iota
	modeInt64
	modeBytes
	modeValue // anything else, through parquet.Value
)

type column struct {
	index  int    // in the file
	name   string // as in the file, for errors
	maxDef byte   // definition level of a non-null value
	pages  parquet.Pages
	page   parquet.Page // nil when a new page is needed

	// The page's cursor: rows in the page, next row, next value.
	n, r, v int
	defs    []byte // definition levels, one per row; nil if no row is null
	mode    int
	idx     []int32 // dictionary indexes, one per non-null row; nil if not dictionary-encoded
	nv      int     // values in i32, i64 or offs (the dictionary's when idx != nil)
	i32     []int32
	i64     []int64
	data    []byte
	offs    []uint32 // value k is data[offs[k]:offs[k+1]]
	vals    parquet.ValueReader
	one     [1]parquet.Value
}

// newTextReader renders the columns of f at the given indexes (all when
// nil).
func newTextReader(f *File, indexes []int) *textReader {
	fields := f.f.Schema().Fields()
	leaves := f.f.Root().Columns()
	if indexes == nil {
		indexes = make([]int, len(fields))
		for i := range indexes {
			indexes[i] = i
		}
	}
	t := &textReader{
		groups: f.f.RowGroups(),
		meta:   f.f.Metadata().RowGroups,
		ncols:  len(fields),
		cols:   make([]column, len(indexes)),
		guard:  pageGuard{r: f.r},
	}
	for k, i := range indexes {
		t.cols[k] = column{index: i, name: fields[i].Name(), maxDef: byte(leaves[i].MaxDefinitionLevel())}
	}
	return t
}

func (t *textReader) Read(p []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			t.closeGroup()
			t.err = fmt.Errorf("%w at row %d: %v", errCorrupt, t.row+1, r)
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
	return 0, t.err
}

// next renders the next row into t.line; false at the end (t.err = EOF)
// or on error, with every page reader closed.
func (t *textReader) next() bool {
	for !t.open || t.left == 0 {
		if t.open {
			if err := t.endGroup(); err != nil {
				return t.fail(err)
			}
		}
		if t.group == len(t.groups) {
			t.err = io.EOF
			return false
		}
		if err := t.openGroup(); err != nil {
			return t.fail(err)
		}
	}
	t.line, t.off = t.line[:0], 0
	for k := range t.cols {
		c := &t.cols[k]
		if c.r == c.n {
			if err := c.load(); err != nil {
				if err == io.EOF {
					err = fmt.Errorf("%w: the column ends %d rows before its row group", errCorrupt, t.left)
				}
				return t.fail(fmt.Errorf("parquetsource: row %d column %q: %w", t.row+1, c.name, err))
			}
		}
		if k > 0 {
			t.line = append(t.line, ' ')
		}
		var err error
		if t.line, err = c.appendNext(t.line); err != nil {
			return t.fail(fmt.Errorf("parquetsource: row %d column %q: %w", t.row+1, c.name, err))
		}
	}
	t.line = append(t.line, '\n')
	t.left--
	t.row++
	return true
}

func (t *textReader) fail(err error) bool {
	t.closeGroup()
	t.err = err
	return false
}

// openGroup opens the rendered columns' chunks of the next row group,
// after checking their page headers.
func (t *textReader) openGroup() error {
	g := t.group
	t.group++
	chunks := t.groups[g].ColumnChunks()
	if len(chunks) != t.ncols || len(t.meta[g].Columns) != t.ncols {
		return fmt.Errorf("parquetsource: row group %d has %d columns, the schema %d", g, len(chunks), t.ncols)
	}
	for k := range t.cols {
		c := &t.cols[k]
		if err := t.guard.check(&t.meta[g].Columns[c.index].MetaData, g, c.index); err != nil {
			return err
		}
	}
	t.open, t.left = true, t.groups[g].NumRows()
	for k := range t.cols {
		c := &t.cols[k]
		c.pages, c.page, c.n, c.r = chunks[c.index].Pages(), nil, 0, 0
	}
	return nil
}

// endGroup checks that every column ends with the row group, and closes
// it.
func (t *textReader) endGroup() error {
	for k := range t.cols {
		c := &t.cols[k]
		if c.r < c.n {
			return fmt.Errorf("%w: column %q has more values than row group %d has rows", errCorrupt, c.name, t.group-1)
		}
		if err := c.load(); err != io.EOF {
			if err == nil {
				err = fmt.Errorf("%w: column %q has more values than row group %d has rows", errCorrupt, c.name, t.group-1)
			}
			return err
		}
	}
	t.closeGroup()
	return nil
}

func (t *textReader) closeGroup() {
	if !t.open {
		return
	}
	for k := range t.cols {
		c := &t.cols[k]
		c.release()
		c.pages.Close()
		c.pages = nil
	}
	t.open = false
}

func (c *column) release() {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	c.n, c.r, c.v = 0, 0, 0
	c.defs, c.idx, c.i32, c.i64, c.data, c.offs, c.vals = nil, nil, nil, nil, nil, nil, nil
}

// load moves to the next page with rows, releasing the previous one. It
// returns io.EOF at the end of the column chunk.
func (c *column) load() error {
	for {
		c.release()
		p, err := c.pages.ReadPage()
		if err != nil {
			return err
		}
		c.page = p
		if n := p.NumRows(); n < 0 || n != p.NumValues() {
			return fmt.Errorf("%w: page with %d rows and %d values in a flat column", errCorrupt, n, p.NumValues())
		}
		c.n = int(p.NumRows())
		if c.n == 0 {
			continue
		}
		if c.maxDef > 0 {
			c.defs = p.DefinitionLevels()
			if len(c.defs) != c.n {
				return fmt.Errorf("%w: page with %d rows and %d definition levels", errCorrupt, c.n, len(c.defs))
			}
		}
		data := p.Data()
		if d := p.Dictionary(); d != nil {
			if data.Kind() != encoding.Int32 {
				return fmt.Errorf("%w: dictionary-encoded page without indexes", errCorrupt)
			}
			c.idx = data.Int32()
			data = d.Page().Data()
		}
		switch data.Kind() {
		case encoding.Int32:
			c.mode, c.i32 = modeInt32, data.Int32()
			c.nv = len(c.i32)
		case encoding.Int64:
			c.mode, c.i64 = modeInt64, data.Int64()
			c.nv = len(c.i64)
		case encoding.ByteArray:
			c.mode = modeBytes
			c.data, c.offs = data.ByteArray()
			c.nv = max(len(c.offs)-1, 0)
		default:
			c.mode, c.idx, c.vals = modeValue, nil, p.Values()
		}
		return nil
	}
}

// appendNext appends the text of the column's next value to b.
func (c *column) appendNext(b []byte) ([]byte, error) {
	r := c.r
	c.r++
	if c.mode == modeValue {
		// The optional page's reader returns nulls itself.
		if n, err := c.vals.ReadValues(c.one[:]); n != 1 {
			if err == nil || err == io.EOF {
				err = fmt.Errorf("%w: page ended after %d of its %d values", errCorrupt, r, c.n)
			}
			return b, err
		}
		return appendValue(b, c.one[0])
	}
	if c.defs != nil && c.defs[r] != c.maxDef {
		return append(b, '-'), nil
	}
	k := c.v
	c.v++
	if c.idx != nil {
		if k >= len(c.idx) {
			return b, fmt.Errorf("%w: page has %d values for more non-null rows", errCorrupt, len(c.idx))
		}
		k = int(c.idx[k])
		if uint(k) >= uint(c.nv) {
			return b, fmt.Errorf("%w: dictionary index %d of %d", errCorrupt, k, c.nv)
		}
	} else if k >= c.nv {
		return b, fmt.Errorf("%w: page has %d values for more non-null rows", errCorrupt, c.nv)
	}
	switch c.mode {
	case modeInt32:
		return strconv.AppendInt(b, int64(c.i32[k]), 10), nil
	case modeInt64:
		return strconv.AppendInt(b, c.i64[k], 10), nil
	default:
		lo, hi := c.offs[k], c.offs[k+1]
		if lo > hi || int(hi) > len(c.data) {
			return b, fmt.Errorf("%w: byte array value at %d:%d of %d bytes", errCorrupt, lo, hi, len(c.data))
		}
		return appendBytes(b, c.data[lo:hi])
	}
}

// appendBytes appends a string value; empty is absent, like null.
func appendBytes(b, s []byte) ([]byte, error) {
	if len(s) == 0 {
		return append(b, '-'), nil
	}
	if hasSpace(s) {
		return b, fmt.Errorf("value %q contains white space", truncate(s))
	}
	return append(b, s...), nil
}
