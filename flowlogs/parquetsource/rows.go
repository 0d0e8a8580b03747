package parquetsource

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// rowReader is the flowlogs.RowSource of File.NewReader: it gives each
// row's values to the parser as they are typed (int32 and int64 values as
// integers, byte arrays as text) instead of rendering a text line for the
// parser to split and parse back. It works as textReader does (a batch of
// rows at a time, column by column, reading values in place from each
// page's typed data, dictionary indexes and definition levels, with the
// same checks and errors), but each column stores its batch as typed
// values and views of its pages' byte arrays, and the pages a batch used
// are held until its rows have been read. Values of other physical types
// are rendered as text, as textReader renders them.
type rowReader struct {
	textReader
	j, k int // the next row of the batch, and its rows
}

// Tags of a batch value.
const (
	tagNull = iota
	tagInt
	tagText
)

func newRowReader(f *File, indexes []int) *rowReader {
	t := &rowReader{textReader: *newTextReader(f, indexes)}
	n := int(min(batchRows, max(f.f.NumRows(), 1)))
	for k := range t.cols {
		c := &t.cols[k]
		c.hold = true
		c.tags = make([]uint8, n, batchRows)
	}
	return t
}

// ReadRow implements flowlogs.RowSource.
func (t *rowReader) ReadRow(w *flowlogs.RowWriter) error {
	for t.j == t.k {
		if !t.nextBatch() {
			return t.err
		}
	}
	j := t.j
	t.j++
	for i := range t.cols {
		c := &t.cols[i]
		switch c.tags[j] {
		case tagInt:
			w.Int(i, c.ints[j])
		case tagText:
			w.Text(i, c.views[j])
		default:
			w.Null(i)
		}
	}
	return nil
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
	// The rows of the last batch have been read: its pages can go.
	for j := range t.cols {
		t.cols[j].releaseHeld()
	}
	if t.err != nil {
		t.closeGroup()
		return false
	}
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
	// As in textReader.next: a bad value stops its column and the
	// columns after it at its row.
	k := int(min(batchRows, t.left))
	for j := range t.cols {
		c := &t.cols[j]
		if n, e := c.decode(k); e != nil {
			k = n
			t.err = fmt.Errorf("parquetsource: row %d column %q: %w", t.row+int64(n)+1, c.name, e)
		}
	}
	t.j, t.k = 0, k
	t.left -= int64(k)
	t.row += int64(k)
	return true
}

func (c *column) releaseHeld() {
	for i, p := range c.held {
		parquet.Release(p)
		c.held[i] = nil
	}
	c.held = c.held[:0]
}

// decode stores the next k values in c.tags, c.ints and c.views, loading
// pages as needed. It returns how many were stored before an error.
func (c *column) decode(k int) (int, error) {
	c.out = c.out[:0]
	if len(c.tags) < k {
		c.tags = c.tags[:k]
	}
	for i := 0; i < k; {
		if c.r == c.n {
			if err := c.load(); err != nil {
				if err == io.EOF {
					err = fmt.Errorf("%w: the column ends before its row group", errCorrupt)
				}
				return i, err
			}
		}
		n, err := c.decodePage(i, min(k, i+c.n-c.r))
		i += n
		if err != nil {
			return i, err
		}
	}
	return k, nil
}

// decodePage stores the values of rows i0 to i1 of the batch from the
// current page, as renderPage renders them.
func (c *column) decodePage(i0, i1 int) (int, error) {
	tags := c.tags[i0:i1]
	if c.mode == modeValue {
		// Rendered as text into c.out, as textReader does.
		s := len(c.out)
		n, err := c.renderValues(c.ends[i0:i1], ' ')
		views := c.viewsFor(i1)
		for j := range n {
			e := int(c.ends[i0+j])
			views[i0+j] = c.out[s : e-1 : e-1]
			tags[j] = tagText
			s = e
		}
		return n, err
	}
	ix := c.ix[:len(tags)]
	n, err := c.resolve(ix)
	ix = ix[:n]
	switch c.mode {
	case modeInt32:
		vals, ints := c.i32, c.intsFor(i1)[i0:i1]
		for j, x := range ix {
			if x < 0 {
				tags[j] = tagNull
				continue
			}
			tags[j], ints[j] = tagInt, int64(vals[x])
		}
	case modeInt64:
		vals, ints := c.i64, c.intsFor(i1)[i0:i1]
		for j, x := range ix {
			if x < 0 {
				tags[j] = tagNull
				continue
			}
			tags[j], ints[j] = tagInt, vals[x]
		}
	default:
		data, offs, views := c.data, c.offs, c.viewsFor(i1)[i0:i1]
		check := c.check
		for j, x := range ix {
			if x < 0 {
				tags[j] = tagNull
				continue
			}
			lo, hi := offs[x], offs[x+1]
			if lo > hi || int(hi) > len(data) {
				n, err = j, fmt.Errorf("%w: byte array value at %d:%d of %d bytes", errCorrupt, lo, hi, len(data))
				break
			}
			s := data[lo:hi:hi]
			if check && hasSpace(s) {
				n, err = j, fmt.Errorf("value %q contains white space", truncate(s))
				break
			}
			tags[j], views[j] = tagText, s
		}
	}
	c.r += n
	return n, err
}

// intsFor returns c.ints with room for n rows, keeping its values.
func (c *column) intsFor(n int) []int64 {
	if len(c.ints) < n {
		c.ints = append(c.ints, make([]int64, max(n, len(c.tags))-len(c.ints))...)
	}
	return c.ints
}

// viewsFor returns c.views with room for n rows, keeping its values.
func (c *column) viewsFor(n int) [][]byte {
	if len(c.views) < n {
		c.views = append(c.views, make([][]byte, max(n, len(c.tags))-len(c.views))...)
	}
	return c.views
}
