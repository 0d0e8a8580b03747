package parquetsource

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquetpage"
)

// textReader renders rows as text record lines, one field per rendered
// column (all of the file's, or a projection). It works a batch of rows at
// a time, column by column: each column formats the batch's values into
// its own buffer, reading them in place from its page's typed data (int32,
// int64 or byte-array values, or dictionary indexes into them) and
// definition levels (which rows are null), with strconv; then the rows are
// assembled from the columns' buffers. Column by column keeps the memory
// touched small (a batch of each column, not a row across every page), and
// every buffer is reused. Other physical types (boolean, float, double,
// fixed-length byte arrays), rare in flow logs, and the values of DECIMAL
// and TIMESTAMP columns (see column.converted) go through parquet.Value.
//
// Allocation: nothing per row, and in this package nothing per page or row
// group either (columns, batch buffers, guard buffer and lines are reused).
// What remains is parquet-go's (v0.32.0), about seven small objects per
// page and a few per column chunk, measured with -memprofile:
// FilePages.ReadPage allocates a format.PageHeader per page ("instantiate a
// new format.PageHeader for each page", on purpose) and its thrift decoder
// (compactReader.ReadBytes) the page statistics' min and max values;
// Column.decodeDataPage wraps the values, decoded into pooled buffers, in
// new page objects (the typed page or, for dictionary-encoded pages,
// newIndexedType and newIndexedPage, then newOptionalPage and
// newBufferedPage); FileColumnChunk.Pages allocates a FilePages per column
// chunk, and Column.decodeDictionary a dictionary. With pages of thousands
// of values that is a few allocations per thousand records and column read
// (BenchmarkReadRecords: about 17 per thousand records for 29 columns, 6
// for 3, file opening included); TestNoAllocationPerRecord keeps it per
// page.
type textReader struct {
	file   *parquet.File
	groups []parquet.RowGroup
	meta   []format.RowGroup // metadata of groups, in the same order
	ncols  int               // columns in the file
	cols   []column          // the rendered columns, reused from group to group
	guard  parquetguard.PageGuard
	open   bool   // a row group is open
	left   int64  // rows not yet rendered in the open row group
	group  int    // index of the open (or next) row group
	row    int64  // rows rendered
	line   []byte // rendered rows not yet read, from off
	off    int
	err    error // returned once line is read

	pf      *prefetcher // reads the pages ahead, when set (rowReader)
	pfPages []parquet.Pages
}

// batchRows is how many rows are rendered at a time; a column's batch
// buffer starts with room for values of valueSize bytes.
const (
	batchRows = 256
	valueSize = 16
)

// Value modes of a page.
const (
	modeInt32 = iota
	modeInt64
	modeBytes
	modeValue  // anything else, through parquet.Value
	modeUint32 // int32 values of an unsigned column: their bits are a uint32
	modeUint64 // int64 values of an unsigned column: their bits are a uint64
)

type column struct {
	index  int    // in the file
	name   string // as in the file, for errors
	maxDef byte   // definition level of a non-null value
	// unsigned: an integer column annotated unsigned (INT(32, false),
	// UINT_32), whose int32 values are the bits of a uint32.
	unsigned bool
	// decimal: a DECIMAL column, its values scaled integers (value =
	// unscaled × 10^-scale); byte-array ones big-endian two's complement.
	// tsUnit: a TIMESTAMP column's unit in nanoseconds (its values are
	// rendered as the Unix seconds flow-log times are); 0 for others.
	decimal bool
	scale   int32
	tsUnit  int64
	pages   parquet.Pages
	page    parquet.Page // nil when a new page is needed
	checks  *parquetguard.DataPages

	// The page's cursor: rows in the page, next row, next value.
	n, r, v int
	defs    []byte // definition levels, one per row; nil if no row is null
	null    bool   // every row of the page is null
	mode    int
	idx     []int32 // dictionary indexes, one per non-null row; nil if not dictionary-encoded
	nv      int     // values in i32, i64 or offs (the dictionary's when idx != nil)
	i32     []int32
	i64     []int64
	data    []byte
	offs    []uint32 // value k is data[offs[k]:offs[k+1]]
	vals    parquet.ValueReader
	one     [1]parquet.Value

	// dict is the dictionary whose values were all checked for white space
	// (clean), so that its values need no check each time they are used.
	dict  parquet.Dictionary
	clean bool
	// check says whether the byte-array values of the page may hold white
	// space: those of a dictionary that is not clean, or of a plain page
	// whose data holds some.
	check bool

	// hold makes release keep the page in held: the rowReader's batch
	// holds views of its values. The first prev were held before the
	// batch being decoded.
	hold bool
	held []parquet.Page
	prev int

	pf      *prefetcher // when set, load takes pages from it (column pfIndex)
	pfIndex int

	// The batch: row j's text, followed by its separator, ends at
	// out[ends[j]].
	out  []byte
	ends [batchRows]int32
	r0   int32 // start of the next row's text in out, while assembling
	ix   [batchRows]int32
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
		file:   f.f,
		groups: f.f.RowGroups(),
		meta:   f.f.Metadata().RowGroups,
		ncols:  len(fields),
		cols:   make([]column, len(indexes)),
		guard:  parquetguard.NewPageGuard(f.r),
	}
	// One slab for the columns' batch buffers, sized for a batch of
	// typical values (a small file's rows): a longer value makes its
	// column grow its own.
	outSize := int(min(batchRows, max(f.f.NumRows(), 1))) * valueSize
	slab := make([]byte, len(indexes)*outSize)
	for k, i := range indexes {
		t.cols[k] = column{index: i, name: fields[i].Name(), maxDef: byte(leaves[i].MaxDefinitionLevel()),
			unsigned: isUnsigned(leaves[i].Type()),
			out:      slab[k*outSize : k*outSize : (k+1)*outSize]}
		t.cols[k].annotate(leaves[i].Type())
	}
	return t
}

func (t *textReader) Read(p []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			// The lines copied before (whole rows: next renders into
			// t.line only once it has been read) are returned, the error
			// after them.
			t.err = fmt.Errorf("%w at row %d: %v", errCorrupt, t.row+1, r)
			t.line, t.off = t.line[:0], 0
			if err = t.err; n > 0 {
				err = nil
			}
			t.abandon()
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

// next renders the next batch of rows into t.line; false at the end
// (t.err = EOF) or on error, with every page reader closed. The rows before
// a bad value are rendered, and the error returned after them.
func (t *textReader) next() bool {
	if !t.nextGroup() {
		return false
	}
	// Each column renders up to k rows; a bad value stops its column and
	// the columns after it at its row, so that the error reported is the
	// first in row order, then column order.
	k := int(min(batchRows, t.left))
	var err error
	for j := range t.cols {
		c := &t.cols[j]
		sep := byte(' ')
		if j == len(t.cols)-1 {
			sep = '\n'
		}
		if n, e := c.render(k, sep); e != nil {
			k = n
			err = fmt.Errorf("parquetsource: row %d column %q: %w", t.row+int64(n)+1, c.name, e)
		}
	}
	t.line, t.off = t.line[:0], 0
	if len(t.cols) == 1 {
		// The column's buffer holds the lines.
		t.line, t.cols[0].out = t.cols[0].out, t.line
	} else {
		for j := range t.cols {
			t.cols[j].r0 = 0
		}
		for i := 0; i < k; i++ {
			for j := range t.cols {
				c := &t.cols[j]
				e := c.ends[i]
				t.line = append(t.line, c.out[c.r0:e]...)
				c.r0 = e
			}
		}
	}
	t.left -= int64(k)
	t.row += int64(k)
	if err != nil {
		t.closeGroup()
		t.err = err
		return len(t.line) > 0
	}
	return true
}

// abandon closes the open row group after parquet-go panicked, when its
// page readers may be in any state: a second panic is swallowed, and the
// row group is dropped.
// nextGroup opens row groups until one has rows left to read; false at
// the end (t.err = EOF) or on error, with every page reader closed.
func (t *textReader) nextGroup() bool {
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
	return true
}

func (t *textReader) abandon() {
	defer func() {
		if recover() != nil {
			t.open = false
		}
	}()
	t.closeGroup()
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
	// The page headers now; what each data page claims as it is read,
	// ahead on the prefetcher's goroutine when there is one.
	for k := range t.cols {
		c := &t.cols[k]
		d, err := t.guard.Lazy(&t.meta[g].Columns[c.index].MetaData, parquetguard.ColumnOf(t.file, g, c.index))
		if err != nil {
			return guardErr(err)
		}
		c.checks = d
	}
	t.open, t.left = true, t.groups[g].NumRows()
	for k := range t.cols {
		c := &t.cols[k]
		c.pages, c.page, c.n, c.r = c.checks.Wrap(chunks[c.index].Pages()), nil, 0, 0
	}
	if t.pf != nil {
		t.pfPages = t.pfPages[:0]
		for k := range t.cols {
			t.pfPages = append(t.pfPages, t.cols[k].pages)
			t.cols[k].pf, t.cols[k].pfIndex = t.pf, k
		}
		t.pf.begin(t.pfPages)
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
	if t.pf != nil {
		left := t.pf.pause(nil)
		for _, p := range left {
			parquet.Release(p)
		}
	}
	for k := range t.cols {
		c := &t.cols[k]
		c.release()
		c.pages.Close()
		// The chunk's dictionary goes with it; a later one may reuse its
		// memory, so it is checked afresh.
		c.pages, c.dict, c.clean = nil, nil, false
	}
	t.open = false
}

func (c *column) release() {
	if c.page != nil {
		if c.hold {
			c.held = append(c.held, c.page)
		} else {
			parquet.Release(c.page)
		}
		c.page = nil
	}
	c.n, c.r, c.v = 0, 0, 0
	c.defs, c.idx, c.null, c.i32, c.i64, c.data, c.offs, c.vals = nil, nil, false, nil, nil, nil, nil, nil
}

// load moves to the next page with rows, releasing the previous one. It
// returns io.EOF at the end of the column chunk.
func (c *column) load() error {
	for {
		c.release()
		var p parquet.Page
		var err error
		space := spaceUnknown
		if c.pf != nil {
			p, space, err = c.pf.take(c.pfIndex)
		} else {
			p, err = c.pages.ReadPage()
		}
		if err != nil {
			return err
		}
		c.page = p
		pg, err := parquetpage.Of(p, c.maxDef)
		if err != nil {
			return fmt.Errorf("parquetsource: %w", err)
		}
		c.n = pg.Rows
		if c.n == 0 {
			continue
		}
		c.defs, c.idx = pg.Defs, pg.Idx
		c.classify()
		data, d := pg.Data, pg.Dict
		switch kind := data.Kind(); {
		case c.converted(kind):
			// Rendered through parquet.Value, in the annotation's terms.
			c.mode, c.defs, c.idx, c.null, c.vals = modeValue, nil, nil, false, p.Values()
		case kind == encoding.Int32:
			c.mode, c.i32 = modeInt32, data.Int32()
			c.nv = len(c.i32)
			if c.unsigned {
				c.mode = modeUint32
			}
		case kind == encoding.Int64:
			c.mode, c.i64 = modeInt64, data.Int64()
			c.nv = len(c.i64)
			if c.unsigned {
				c.mode = modeUint64
			}
		case kind == encoding.ByteArray:
			c.mode = modeBytes
			c.data, c.offs = data.ByteArray()
			c.nv = max(len(c.offs)-1, 0)
			if d != nil && d != c.dict {
				c.dict, c.clean = d, !anySpace(c.data, c.offs)
			}
			// A plain page's values lie one after the other in its data:
			// one pass over it (eight bytes at a time) clears them all.
			c.check = d == nil && space != spaceNone && (space == spaceSome || hasSpace(c.data)) || d != nil && !c.clean
		default:
			c.mode, c.defs, c.idx, c.null, c.vals = modeValue, nil, nil, false, p.Values()
		}
		return nil
	}
}

// classify notes a page whose rows are all values (its definition levels
// then go: as a required column's) or all nulls (null): the columns of
// the fields every record has are all values, and those of fields few
// records have (sublocation, the AWS service fields) often all nulls over
// a page. Their rows then need no resolving one by one (see decodePage).
func (c *column) classify() {
	c.null = false
	if c.defs == nil {
		return
	}
	switch bytes.Count(c.defs, []byte{c.maxDef}) {
	case len(c.defs):
		c.defs = nil
	case 0:
		c.null = true
	}
}

// anySpace reports whether a byte-array value holds white space, or the
// offsets are out of order (then each value is checked when used).
func anySpace(data []byte, offs []uint32) bool {
	for k := 1; k < len(offs); k++ {
		lo, hi := offs[k-1], offs[k]
		if lo > hi || int(hi) > len(data) || hasSpace(data[lo:hi]) {
			return true
		}
	}
	return false
}

// ensurePage loads the column's next page when the current one is read: the
// row group's rows are counted, so a column that ends first is corrupt.
func (c *column) ensurePage() error {
	if c.r != c.n {
		return nil
	}
	err := c.load()
	if err == io.EOF {
		err = fmt.Errorf("%w: the column ends before its row group", errCorrupt)
	}
	return err
}

// render formats the next k values, each followed by sep, into c.out and
// c.ends, loading pages as needed. It returns how many were rendered
// before an error.
func (c *column) render(k int, sep byte) (int, error) {
	c.out = c.out[:0]
	for i := 0; i < k; {
		if err := c.ensurePage(); err != nil {
			return i, err
		}
		n, err := c.renderPage(c.ends[i:min(k, i+c.n-c.r)], sep)
		i += n
		if err != nil {
			return i, err
		}
	}
	return k, nil
}

// renderPage renders len(ends) values of the current page: first it
// resolves which value each row shows (null, a position in the page, or a
// dictionary index), checking every bound, then formats them in a loop of
// the page's type.
func (c *column) renderPage(ends []int32, sep byte) (int, error) {
	if c.mode == modeValue {
		return c.renderValues(ends, sep)
	}
	ix := c.ix[:len(ends)]
	n, err := c.resolve(ix)
	ix = ix[:n]
	out := c.out
	switch c.mode {
	case modeInt32:
		vals := c.i32
		for j, x := range ix {
			if x < 0 {
				out = append(out, '-', sep)
			} else {
				out = append(strconv.AppendInt(out, int64(vals[x]), 10), sep)
			}
			ends[j] = int32(len(out))
		}
	case modeUint32:
		vals := c.i32
		for j, x := range ix {
			if x < 0 {
				out = append(out, '-', sep)
			} else {
				out = append(strconv.AppendUint(out, uint64(uint32(vals[x])), 10), sep)
			}
			ends[j] = int32(len(out))
		}
	case modeInt64:
		vals := c.i64
		for j, x := range ix {
			if x < 0 {
				out = append(out, '-', sep)
			} else {
				out = append(strconv.AppendInt(out, vals[x], 10), sep)
			}
			ends[j] = int32(len(out))
		}
	case modeUint64:
		vals := c.i64
		for j, x := range ix {
			if x < 0 {
				out = append(out, '-', sep)
			} else {
				out = append(strconv.AppendUint(out, uint64(vals[x]), 10), sep)
			}
			ends[j] = int32(len(out))
		}
	default:
		data, offs := c.data, c.offs
		check := c.check
		for j, x := range ix {
			if x >= 0 {
				lo, hi := offs[x], offs[x+1]
				if lo > hi || int(hi) > len(data) {
					n, err = j, fmt.Errorf("%w: byte array value at %d:%d of %d bytes", errCorrupt, lo, hi, len(data))
					break
				}
				if s := data[lo:hi]; len(s) > 0 {
					if check && hasSpace(s) {
						n, err = j, fmt.Errorf("value %s contains white space", awswire.Quote(string(s)))
						break
					}
					out = append(append(out, s...), sep)
					ends[j] = int32(len(out))
					continue
				}
			}
			out = append(out, '-', sep)
			ends[j] = int32(len(out))
		}
	}
	c.out = out
	c.r += n
	return n, err
}

// resolve sets ix[j] to the position in c's values of the value of the
// page's next row j, or -1 for null; it stops before a value that is out
// of bounds.
func (c *column) resolve(ix []int32) (int, error) {
	n, v, err := parquetpage.Resolve(ix, c.defs, c.maxDef, c.idx, c.nv, c.r, c.v)
	c.v = v
	if err != nil {
		err = fmt.Errorf("parquetsource: %w", err)
	}
	return n, err
}

// renderValues renders values of physical types other than int32, int64
// and byte arrays, through parquet.Value.
func (c *column) renderValues(ends []int32, sep byte) (int, error) {
	out := c.out
	for j := range ends {
		// The optional page's reader returns nulls itself.
		n, err := c.vals.ReadValues(c.one[:])
		if n == 1 {
			out, err = c.appendValue(out, c.one[0])
		} else if err == nil || err == io.EOF {
			err = fmt.Errorf("%w: page ended after %d of its %d values", errCorrupt, c.r, c.n)
		}
		if err != nil {
			c.out = out
			return j, err
		}
		out = append(out, sep)
		ends[j] = int32(len(out))
		c.r++
	}
	c.out = out
	return len(ends), nil
}

// appendBytes appends a string value; empty is absent, like null.
func appendBytes(b, s []byte) ([]byte, error) {
	if len(s) == 0 {
		return append(b, '-'), nil
	}
	if hasSpace(s) {
		return b, fmt.Errorf("value %s contains white space", awswire.Quote(string(s)))
	}
	return append(b, s...), nil
}

// isUnsigned reports whether a column's type is an unsigned integer, by
// its logical type or its converted type (older writers).
func isUnsigned(t parquet.Type) bool {
	if lt := t.LogicalType(); lt != nil {
		if it, ok := lt.Value.(*format.IntType); ok {
			return !it.IsSigned
		}
	}
	if ct := t.ConvertedType(); ct != nil {
		switch *ct {
		case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32, deprecated.Uint64:
			return true
		}
	}
	return false
}

// annotate notes the logical types whose values are not the integers or
// text they are stored as: DECIMAL and TIMESTAMP (by their logical type,
// or the converted type of older writers, which parquet-go maps to it).
func (c *column) annotate(t parquet.Type) {
	lt := t.LogicalType()
	if lt == nil {
		return
	}
	switch v := lt.Value.(type) {
	case *format.DecimalType:
		c.decimal, c.scale = true, v.Scale
	case *format.TimestampType:
		if v.Unit.Value != nil {
			c.tsUnit = int64(v.Unit.Value.Duration())
		}
	}
}

// converted reports whether the values of a page of kind k are rendered
// through their annotation (appendValue): decimals but those of integers
// with scale 0, and INT64 timestamps (milli-, micro- or nanoseconds).
func (c *column) converted(k encoding.Kind) bool {
	switch {
	case c.decimal:
		return c.scale != 0 || k != encoding.Int32 && k != encoding.Int64
	case c.tsUnit > 0:
		return k == encoding.Int64
	}
	return false
}

// appendValue is the package's appendValue with the column's annotation
// applied: a decimal's exact value (an integer when it is one, as flow-log
// fields are), a timestamp's Unix seconds (rounded down).
func (c *column) appendValue(b []byte, v parquet.Value) ([]byte, error) {
	switch {
	case v.IsNull():
	case c.decimal:
		return appendDecimal(b, v, c.scale)
	case c.tsUnit > 0 && v.Kind() == parquet.Int64:
		d := int64(1e9) / c.tsUnit
		x := v.Int64()
		q := x / d
		if x%d < 0 {
			q--
		}
		return strconv.AppendInt(b, q, 10), nil
	}
	return appendValue(b, v)
}

// maxDecimalBytes bounds a byte-array decimal: 32 bytes hold any of
// precision 76, twice Parquet's usual 38.
const maxDecimalBytes = 32

// appendDecimal appends the exact value of decimal v of the given scale.
// Values that fit an int64 (every INT32 and INT64 one, and byte arrays of
// up to eight significant bytes) are rendered without allocating, as the
// package promises for every record; wider ones go through big.Int.
func appendDecimal(b []byte, v parquet.Value, scale int32) ([]byte, error) {
	if scale < 0 || scale > 2*maxDecimalBytes+12 {
		return b, fmt.Errorf("DECIMAL scale %d", scale)
	}
	var x int64
	switch v.Kind() {
	case parquet.Int32:
		x = int64(v.Int32())
	case parquet.Int64:
		x = v.Int64()
	case parquet.ByteArray, parquet.FixedLenByteArray:
		s := v.ByteArray()
		if len(s) == 0 {
			return append(b, '-'), nil
		}
		if len(s) > maxDecimalBytes {
			return b, fmt.Errorf("DECIMAL value of %d bytes", len(s))
		}
		// Leading bytes that only extend the sign (big-endian two's
		// complement) carry no value.
		for len(s) > 8 && (s[0] == 0 && s[1]&0x80 == 0 || s[0] == 0xff && s[1]&0x80 != 0) {
			s = s[1:]
		}
		if len(s) > 8 {
			var u big.Int
			u.SetBytes(s)
			if s[0]&0x80 != 0 { // two's complement
				u.Sub(&u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(s))))
			}
			neg := u.Sign() < 0
			u.Abs(&u)
			return appendScaled(b, neg, u.Append(nil, 10), int(scale)), nil
		}
		if s[0]&0x80 != 0 {
			x = -1
		}
		for _, c := range s {
			x = x<<8 | int64(c)
		}
	default:
		return b, fmt.Errorf("DECIMAL of Parquet type %v", v.Kind())
	}
	mag := uint64(x)
	if x < 0 {
		mag = -mag
	}
	var buf [20]byte
	return appendScaled(b, x < 0, strconv.AppendUint(buf[:0], mag, 10), int(scale)), nil
}

// appendScaled appends the decimal digits (of a magnitude, negative when
// neg) scaled by 10^-scale: the integer alone when the fraction is zero.
func appendScaled(b []byte, neg bool, digits []byte, scale int) []byte {
	if neg {
		b = append(b, '-')
	}
	n := len(digits)
	if n <= scale {
		b = append(b, '0')
	} else {
		b = append(b, digits[:n-scale]...)
	}
	frac := digits[max(n-scale, 0):]
	if len(bytes.Trim(frac, "0")) == 0 {
		return b
	}
	b = append(b, '.')
	for range scale - len(frac) {
		b = append(b, '0')
	}
	return append(b, frac...)
}
