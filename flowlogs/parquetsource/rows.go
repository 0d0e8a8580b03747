package parquetsource

import (
	"fmt"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// rowReader is the flowlogs.RowSource of File.NewReader: it gives each
// row's values to the parser as they are typed (int32 and int64 values as
// integers, byte arrays as text) instead of rendering a text line for the
// parser to split and parse back. It works as textReader does (a batch of
// rows at a time, column by column, reading values in place from each
// page's typed data, dictionary indexes and definition levels, with the
// same checks and errors), but stores the batch as flowlogs.Values, row
// after row, with views of its pages' byte arrays; the pages a batch used
// are held until the next batch has been decoded, or the reader closed
// (so that after the last row, the last record's Raw views stay valid until
// flowlogs.Reader.Close copies them). Values of other physical types are
// rendered as text, as textReader renders them.
//
// Unless WithSyncDecompression or GOMAXPROCS 1, a prefetcher reads the
// pages ahead on a goroutine of its own, as the text Reader decompresses
// gzip. (A goroutine decoding whole batches ahead was tried first: the
// batches' values moving between cores cost more than it saved.)
type rowReader struct {
	textReader
	vals []flowlogs.Value // the batch, row after row
	j, k int              // the next row of the batch, and its rows
}

// prefetchMinRows is the fewest rows a file needs for its pages to be
// read ahead: one batch is read at once anyway. (FuzzNewReader lowers it.)
var prefetchMinRows int64 = batchRows

func newRowReader(f *File, indexes []int, prefetch bool) *rowReader {
	t := &rowReader{textReader: *newTextReader(f, indexes)}
	if prefetch && f.f.NumRows() > prefetchMinRows {
		t.pf = newPrefetcher(len(t.cols))
	}
	n := int(min(batchRows, max(f.f.NumRows(), 1)))
	t.vals = make([]flowlogs.Value, n*len(t.cols), batchRows*len(t.cols))
	for k := range t.cols {
		t.cols[k].hold = true
	}
	return t
}

// ReadRow implements flowlogs.RowSource.
func (t *rowReader) ReadRow() ([]flowlogs.Value, error) {
	for t.j == t.k {
		if !t.nextBatch() {
			return nil, t.err
		}
	}
	n := len(t.cols)
	j := t.j
	t.j++
	return t.vals[j*n : (j+1)*n : (j+1)*n], nil
}

// nextBatch decodes the next batch of rows; false at the end (t.err =
// EOF) or on error, with every page reader closed. The rows before a bad
// value are decoded, and the error returned after them.
func (t *rowReader) nextBatch() (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			t.err = fmt.Errorf("%w at row %d: %v", errCorrupt, t.row+1, r)
			t.abandon()
			ok = false
		}
	}()
	// The rows of the last batch have been read: once the next batch is
	// decoded, the pages they used can go.
	for j := range t.cols {
		t.cols[j].prev = len(t.cols[j].held)
	}
	if t.err != nil {
		t.closeGroup()
		return false
	}
	if !t.nextGroup() {
		return false
	}
	// As in textReader.next: a bad value stops its column and the
	// columns after it at its row.
	k := int(min(batchRows, t.left))
	if len(t.vals) < k*len(t.cols) {
		t.vals = t.vals[:k*len(t.cols)]
	}
	for j := range t.cols {
		c := &t.cols[j]
		if n, e := c.decode(t.vals[j:], len(t.cols), k); e != nil {
			k = n
			t.err = fmt.Errorf("parquetsource: row %d column %q: %w", t.row+int64(n)+1, c.name, e)
		}
	}
	t.j, t.k = 0, k
	t.left -= int64(k)
	t.row += int64(k)
	if k > 0 {
		for j := range t.cols {
			t.cols[j].releaseHeld(t.cols[j].prev)
		}
	}
	return true
}

// Close gives the pages held back to parquet-go, for the next file:
// flowlogs.Reader.Close calls it, after copying the last record's Raw
// views.
func (t *rowReader) Close() error {
	t.abandon() // closeGroup, even after parquet-go panicked
	if t.pf != nil {
		t.pf.close()
	}
	for j := range t.cols {
		t.cols[j].releaseHeld(len(t.cols[j].held))
	}
	return nil
}

// releaseHeld releases the first n pages held.
func (c *column) releaseHeld(n int) {
	for _, p := range c.held[:n] {
		parquet.Release(p)
	}
	k := copy(c.held, c.held[n:])
	clear(c.held[k:])
	c.held = c.held[:k]
}

// decode stores the next k values in vals[0], vals[stride], …, loading
// pages as needed. It returns how many were stored before an error.
func (c *column) decode(vals []flowlogs.Value, stride, k int) (int, error) {
	c.out = c.out[:0]
	for i := 0; i < k; {
		if err := c.ensurePage(); err != nil {
			return i, err
		}
		n, err := c.decodePage(vals[i*stride:], stride, min(k-i, c.n-c.r))
		i += n
		if err != nil {
			return i, err
		}
	}
	return k, nil
}

// decodePage stores the page's next m values in vals[0], vals[stride], …
// as renderPage renders them.
func (c *column) decodePage(vals []flowlogs.Value, stride, m int) (int, error) {
	if c.mode == modeValue {
		// Rendered as text into c.out, as textReader does.
		s := len(c.out)
		n, err := c.renderValues(c.ends[:m], ' ')
		for j := range n {
			e := int(c.ends[j])
			vals[j*stride] = flowlogs.TextValue(c.out[s : e-1])
			s = e
		}
		return n, err
	}
	if c.null {
		clear1(vals, stride, m)
		c.r += m
		return m, nil
	}
	if c.defs == nil && c.idx == nil {
		return c.decodeDense(vals, stride, m)
	}
	return c.decodeResolved(vals, stride, m)
}

// decodeResolved is decodePage for any page of int32, int64 or byte-array
// values: each row's value is found first (Resolve, or dictIndexes for a
// dictionary page without nulls), then stored.
func (c *column) decodeResolved(vals []flowlogs.Value, stride, m int) (int, error) {
	var ix []int32
	var n int
	var err error
	if c.defs == nil && c.idx != nil {
		ix, err = c.dictIndexes(m)
		n = len(ix)
	} else {
		ix = c.ix[:m]
		n, err = c.resolve(ix)
		ix = ix[:n]
	}
	switch c.mode {
	case modeInt32:
		src := c.i32
		for j, x := range ix {
			v := flowlogs.Value{}
			if x >= 0 {
				v = flowlogs.IntValue(int64(src[x]))
			}
			vals[j*stride] = v
		}
	case modeUint32:
		src := c.i32
		for j, x := range ix {
			v := flowlogs.Value{}
			if x >= 0 {
				v = flowlogs.IntValue(int64(uint32(src[x])))
			}
			vals[j*stride] = v
		}
	case modeInt64:
		src := c.i64
		for j, x := range ix {
			v := flowlogs.Value{}
			if x >= 0 {
				v = flowlogs.IntValue(src[x])
			}
			vals[j*stride] = v
		}
	case modeUint64:
		src := c.i64
		for j, x := range ix {
			v := flowlogs.Value{}
			if x >= 0 {
				v = c.uint64Value(src[x])
			}
			vals[j*stride] = v
		}
	default:
		data, offs := c.data, c.offs
		check := c.check
		for j, x := range ix {
			if x < 0 {
				vals[j*stride] = flowlogs.Value{}
				continue
			}
			lo, hi := offs[x], offs[x+1]
			if lo > hi || int(hi) > len(data) || check && hasSpace(data[lo:hi]) {
				n, err = j, byteError(data, lo, hi)
				break
			}
			vals[j*stride] = flowlogs.TextValue(data[lo:hi:hi])
		}
	}
	c.r += n
	return n, err
}

// byteError is the error of byte-array value data[lo:hi], refused: its
// offsets out of order or past data, or white space in it.
func byteError(data []byte, lo, hi uint32) error {
	if lo > hi || int(hi) > len(data) {
		return fmt.Errorf("%w: byte array value at %d:%d of %d bytes", errCorrupt, lo, hi, len(data))
	}
	return fmt.Errorf("value %s contains white space", awswire.Quote(string(data[lo:hi])))
}

// dictIndexes is resolve for the next m rows of a dictionary-encoded
// page without nulls: their values are the page's next indexes, checked
// against the dictionary and taken in place, with Resolve's errors.
func (c *column) dictIndexes(m int) ([]int32, error) {
	idx := c.idx[c.v:]
	n := min(m, len(idx))
	var err error
	if n < m {
		err = fmt.Errorf("%w: page has %d values for more non-null rows", errCorrupt, len(c.idx))
	}
	for j, x := range idx[:n] {
		if uint(x) >= uint(c.nv) {
			n, err = j, fmt.Errorf("%w: dictionary index %d of %d", errCorrupt, x, c.nv)
			break
		}
	}
	c.v += n
	return idx[:n], err
}

// decodeDense is decodePage for a page whose rows all have their value,
// in order (no nulls, no dictionary): the cursor's row c.r+j holds value
// c.v+j, which Resolve would find one row at a time.
func (c *column) decodeDense(vals []flowlogs.Value, stride, m int) (n int, err error) {
	n, v := min(m, c.nv-c.v), c.v
	if n < m {
		err = fmt.Errorf("%w: page has %d values for more non-null rows", errCorrupt, c.nv)
	}
	switch c.mode {
	case modeInt32:
		for j, x := range c.i32[v : v+n] {
			vals[j*stride] = flowlogs.IntValue(int64(x))
		}
	case modeUint32:
		for j, x := range c.i32[v : v+n] {
			vals[j*stride] = flowlogs.IntValue(int64(uint32(x)))
		}
	case modeInt64:
		for j, x := range c.i64[v : v+n] {
			vals[j*stride] = flowlogs.IntValue(x)
		}
	case modeUint64:
		for j, x := range c.i64[v : v+n] {
			vals[j*stride] = c.uint64Value(x)
		}
	default:
		if n == 0 {
			break // offs may be empty
		}
		data, offs, check := c.data, c.offs[v:v+n+1], c.check
		for j := range n {
			lo, hi := offs[j], offs[j+1]
			if lo > hi || int(hi) > len(data) || check && hasSpace(data[lo:hi]) {
				n, err = j, byteError(data, lo, hi)
				break
			}
			vals[j*stride] = flowlogs.TextValue(data[lo:hi:hi])
		}
	}
	c.v += n
	c.r += n
	return n, err
}

// clear1 sets vals[0], vals[stride], … vals[(m-1)*stride] to absent.
func clear1(vals []flowlogs.Value, stride, m int) {
	for j := range m {
		vals[j*stride] = flowlogs.Value{}
	}
}

// uint64Value is the Value of the bits x of a uint64: an integer, or past
// an int64 its decimal text (in c.out, kept until the next batch), which
// the parser then refuses as it would in a line.
func (c *column) uint64Value(x int64) flowlogs.Value {
	if x >= 0 {
		return flowlogs.IntValue(x)
	}
	s := len(c.out)
	c.out = strconv.AppendUint(c.out, uint64(x), 10)
	return flowlogs.TextValue(c.out[s:len(c.out):len(c.out)])
}
