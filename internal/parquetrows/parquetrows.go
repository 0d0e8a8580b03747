// Package parquetrows reads the rows of a flat Parquet table of our own
// (a partials file, an intervals file) into structs.
//
// parquet-go's GenericReader assembles each row through reflection, every
// column of it, and allocates each string of each row: for a partials file
// (66 columns then, 75 now), where most rows use eight, that was three
// quarters of the time `attribute -merge` took. This reader takes each
// page's values as parquet-go decoded them (typed slices, dictionary
// indexes and definition levels: Page.Data, not a parquet.Value a value)
// and writes them into the structs a column at a time, through field
// offsets checked once. A dictionary-encoded string column makes each of
// its dictionary's strings once, when a row first uses it; a plain one
// gives a row the string of the row before it when the bytes are the same
// (a task's rows repeat its dimensions). So it allocates nothing per row
// but what changes.
//
// The struct's fields, each with a parquet tag naming its column, are
// string, int32, int64 and bool columns, and for optional columns (nil
// for null) *int64 and *time.Time, a timestamp. The file's columns must
// have the types the struct's schema (parquet.SchemaOf) gives them: a
// column missing or of another type is an error naming it.
package parquetrows

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquetpage"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
)

// A ColumnError is a column of the file that the struct cannot take.
type ColumnError struct {
	Column string
	Err    error
}

func (e *ColumnError) Error() string { return fmt.Sprintf("column %s: %v", e.Column, e.Err) }
func (e *ColumnError) Unwrap() error { return e.Err }

// Reader reads the rows of a file into structs of type T.
type Reader[T any] struct {
	groups []parquet.RowGroup
	next   int   // the next row group to open
	left   int64 // rows left in the open one
	open   bool
	cols   []column
}

type fieldKind uint8

const (
	kindString fieldKind = iota
	kindInt64
	kindInt32
	kindBool
	kindTime     // *time.Time
	kindOptInt64 // *int64
)

type column struct {
	name   string
	index  int     // in the file
	offset uintptr // of the field in T
	kind   fieldKind
	unit   time.Duration // kindTime: the timestamp's unit

	pages parquet.Pages
	page  parquet.Page // the page being read; nil when the next is needed

	// The page's cursor and values (see load): rows in the page, the next
	// row, the next non-null value.
	n, r, v int
	defs    []byte  // definition levels, one per row; nil for a required column
	idx     []int32 // dictionary indexes, one per non-null row; nil if not dictionary-encoded
	nv      int     // values in i32, i64, bits or offs (the dictionary's when idx != nil)
	i32     []int32
	i64     []int64
	bits    []byte // booleans, one bit each from bit 0
	data    []byte
	offs    []uint32 // value k is data[offs[k]:offs[k+1]]

	// dict is the dictionary of the open column chunk whose strings strs
	// holds, each made when a row first uses it.
	dict parquet.Dictionary
	strs dictStrings
	last string // the string of the last row of a plain page, reused while the bytes repeat

	ix [batch]int32 // the batch's value positions (-1: null), per page
}

// batch is the most rows Read writes at once.
const batch = 512

// Table is what a reader reads: a *parquet.File, or any table of row
// groups.
type Table interface {
	Schema() *parquet.Schema
	RowGroups() []parquet.RowGroup
}

// NewReader returns a reader of f's rows into T, after checking that f has
// every column of T with the type T's schema gives it, but for the columns
// named in absent, which f may lack (a column added to a table later):
// Read leaves their fields as they are, zero in rows made for it.
func NewReader[T any](f Table, absent ...string) (*Reader[T], error) {
	t := reflect.TypeFor[T]()
	want := parquet.SchemaOf(reflect.New(t).Elem().Interface())
	r := &Reader[T]{groups: f.RowGroups()}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("parquet"), ",")
		if name == "" || name == "-" {
			return nil, fmt.Errorf("parquetrows: field %s of %v has no column", sf.Name, t)
		}
		c := column{name: name, offset: sf.Offset}
		switch sf.Type {
		case reflect.TypeFor[string]():
			c.kind = kindString
		case reflect.TypeFor[int64]():
			c.kind = kindInt64
		case reflect.TypeFor[int32]():
			c.kind = kindInt32
		case reflect.TypeFor[bool]():
			c.kind = kindBool
		case reflect.TypeFor[*time.Time]():
			c.kind = kindTime
		case reflect.TypeFor[*int64]():
			c.kind = kindOptInt64
		default:
			return nil, fmt.Errorf("parquetrows: field %s of %v is a %v, not a type this reader takes", sf.Name, t, sf.Type)
		}
		w, ok := want.Lookup(name)
		if !ok || len(w.Path) != 1 {
			return nil, fmt.Errorf("parquetrows: field %s of %v is not a flat column", sf.Name, t)
		}
		if c.kind == kindTime {
			var ts *format.TimestampType
			if lt := w.Node.Type().LogicalType(); lt != nil {
				ts, _ = lt.Value.(*format.TimestampType)
			}
			if ts == nil || ts.Unit.Value == nil {
				return nil, fmt.Errorf("parquetrows: field %s of %v is a *time.Time but not a timestamp column", sf.Name, t)
			}
			c.unit = ts.Unit.Value.Duration()
		}
		if (sf.Type.Kind() == reflect.Pointer) != w.Node.Optional() {
			return nil, fmt.Errorf("parquetrows: field %s of %v: a column is optional when its field is a pointer, and only then", sf.Name, t)
		}
		got, ok := f.Schema().Lookup(name)
		if !ok && slices.Contains(absent, name) {
			continue
		}
		if !ok {
			return nil, &ColumnError{Column: name, Err: errors.New("missing")}
		}
		if len(got.Path) != 1 || got.MaxRepetitionLevel != 0 || got.Node.Type().String() != w.Node.Type().String() || got.Node.Optional() != w.Node.Optional() {
			return nil, &ColumnError{Column: name, Err: fmt.Errorf("of type %v, want %v", got.Node.Type(), w.Node.Type())}
		}
		c.index = got.ColumnIndex
		r.cols = append(r.cols, c)
	}
	return r, nil
}

// Read reads up to len(rows) rows into rows, setting every field but
// those whose column the file lacks (one of NewReader's absent, left as
// it is), and returns how many it read; at the end of the file it returns 0, io.EOF.
// The rows are the caller's to keep: their strings and pointers do not
// change with later reads.
// A column that holds fewer or more values than its row group has rows is
// an error wrapping parquetguard.ErrCorrupt.
func (r *Reader[T]) Read(rows []T) (int, error) {
	for r.left == 0 {
		if err := r.nextGroup(); err != nil {
			return 0, err
		}
	}
	n := int(min(int64(len(rows)), r.left, batch))
	if n == 0 {
		return 0, nil
	}
	// Column by column, each page's values in order: the field's address
	// is its offset in the row, a field of the type NewReader checked.
	base := unsafe.Pointer(unsafe.SliceData(rows))
	size := unsafe.Sizeof(rows[0])
	for k := range r.cols {
		if err := r.cols[k].read(base, size, n); err != nil {
			return 0, err
		}
	}
	r.left -= int64(n)
	return n, nil
}

// timeOf is the time v units after the Unix epoch, in UTC.
func timeOf(v int64, unit time.Duration) time.Time {
	switch unit {
	case time.Millisecond:
		return time.UnixMilli(v).UTC()
	case time.Microsecond:
		return time.UnixMicro(v).UTC()
	}
	return time.Unix(0, v).UTC()
}

// nextGroup closes the open row group, checking that every column ended
// with it, and opens the next, or returns io.EOF.
func (r *Reader[T]) nextGroup() error {
	if r.open {
		for k := range r.cols {
			if err := r.cols[k].end(); err != nil {
				return err
			}
		}
		r.open = false
	}
	if r.next == len(r.groups) {
		return io.EOF
	}
	g := r.groups[r.next]
	r.next++
	chunks := g.ColumnChunks()
	for k := range r.cols {
		c := &r.cols[k]
		if c.index >= len(chunks) {
			return fmt.Errorf("%w: row group %d has %d columns", parquetguard.ErrCorrupt, r.next-1, len(chunks))
		}
		c.pages = chunks[c.index].Pages()
	}
	r.open, r.left = true, g.NumRows()
	return nil
}

// read writes the column's next n values into the fields of the n rows
// from base, size bytes apart, loading pages as needed.
func (c *column) read(base unsafe.Pointer, size uintptr, n int) error {
	// The rows point into slices of their own: a caller may keep them.
	var times []time.Time
	var ints []int64
	switch c.kind {
	case kindTime:
		times = make([]time.Time, n)
	case kindOptInt64:
		ints = make([]int64, n)
	}
	for i := 0; i < n; {
		if c.page == nil || c.r == c.n {
			if err := c.load(); err == io.EOF {
				return fmt.Errorf("%w: column %s ends before its row group", parquetguard.ErrCorrupt, c.name)
			} else if err != nil {
				return err
			}
		}
		m := min(n-i, c.n-c.r)
		ix := c.ix[:m]
		if err := c.resolve(ix); err != nil {
			return err
		}
		// Row i+j's field; never an address past the rows (checkptr,
		// and the collector, take one for a bad pointer).
		field := func(j int) unsafe.Pointer { return unsafe.Add(base, uintptr(i+j)*size+c.offset) }
		switch c.kind {
		case kindString:
			for j, x := range ix {
				*(*string)(field(j)) = c.str(x)
			}
		case kindInt64:
			for j, x := range ix {
				*(*int64)(field(j)) = c.i64[x]
			}
		case kindInt32:
			for j, x := range ix {
				*(*int32)(field(j)) = c.i32[x]
			}
		case kindBool:
			for j, x := range ix {
				*(*bool)(field(j)) = c.bits[x>>3]>>(x&7)&1 != 0
			}
		case kindTime:
			for j, x := range ix {
				if x < 0 {
					*(**time.Time)(field(j)) = nil
				} else {
					times[i+j] = timeOf(c.i64[x], c.unit)
					*(**time.Time)(field(j)) = &times[i+j]
				}
			}
		case kindOptInt64:
			for j, x := range ix {
				if x < 0 {
					*(**int64)(field(j)) = nil
				} else {
					ints[i+j] = c.i64[x]
					*(**int64)(field(j)) = &ints[i+j]
				}
			}
		}
		i += m
	}
	return nil
}

// str returns the string of byte-array value x.
func (c *column) str(x int32) string {
	if c.idx != nil {
		s := c.strs.at(x)
		if *s == "" {
			// Not made yet, or empty (which makes nothing).
			*s = string(c.data[c.offs[x]:c.offs[x+1]])
		}
		return *s
	}
	if b := c.data[c.offs[x]:c.offs[x+1]]; string(b) != c.last {
		c.last = string(b)
	}
	return c.last
}

// resolve sets ix[j] to the position in the page's values of the value of
// its next row j, or -1 for null, and moves the cursor past those rows.
func (c *column) resolve(ix []int32) error {
	// A flat optional column's value is there at level 1 (its maximum).
	n, v, err := parquetpage.Resolve(ix, c.defs, 1, c.idx, c.nv, c.r, c.v)
	c.r, c.v = c.r+n, v
	if err != nil {
		return fmt.Errorf("column %s: %w", c.name, err)
	}
	return nil
}

// load moves to the next page with rows, releasing the one read: the
// rows hold copies of its values, not views. It returns io.EOF at the end
// of the column chunk.
func (c *column) load() error {
	for {
		c.release()
		p, err := c.pages.ReadPage()
		if err == io.EOF {
			return err
		}
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		c.page = p
		var maxDef byte
		if c.kind == kindTime || c.kind == kindOptInt64 {
			maxDef = 1
		}
		pg, err := parquetpage.Of(p, maxDef)
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		c.n = pg.Rows
		if c.n == 0 {
			continue
		}
		c.defs, c.idx = pg.Defs, pg.Idx
		data, d := pg.Data, pg.Dict
		want := encoding.Int64
		switch c.kind {
		case kindString:
			want = encoding.ByteArray
		case kindInt32:
			want = encoding.Int32
		case kindBool:
			want = encoding.Boolean
		}
		if data.Kind() != want {
			return fmt.Errorf("%w: column %s: a page of %v values, not %v", parquetguard.ErrCorrupt, c.name, data.Kind(), want)
		}
		switch want {
		case encoding.Int64:
			c.i64 = data.Int64()
			c.nv = len(c.i64)
		case encoding.Int32:
			c.i32 = data.Int32()
			c.nv = len(c.i32)
		case encoding.Boolean:
			// A page read from a file starts at its first bit.
			c.bits = data.Boolean()
			c.nv = min(len(c.bits)*8, c.n)
		case encoding.ByteArray:
			c.data, c.offs = data.ByteArray()
			c.nv = max(len(c.offs)-1, 0)
			// A dictionary's values are checked once, with the first
			// page that uses it.
			if d == nil || d != c.dict {
				if !ordered(c.data, c.offs) {
					return fmt.Errorf("%w: column %s: byte array offsets out of order", parquetguard.ErrCorrupt, c.name)
				}
			}
			if d != nil && d != c.dict {
				c.dict = d
				c.strs.reset(c.nv)
			}
		}
		return nil
	}
}

// dictStrings holds a dictionary's strings, in blocks made when a row
// first uses one of theirs: memory in proportion to the rows read, not to
// the entries a dictionary claims (a corrupt page can claim millions of
// empty ones in a few bytes).
type dictStrings struct {
	blocks []*[dictBlock]string
}

const dictBlock = 256

// reset makes room for the strings of a dictionary of n values.
func (d *dictStrings) reset(n int) {
	clear(d.blocks[:cap(d.blocks)]) // no string of the last dictionary is kept
	k := (n + dictBlock - 1) / dictBlock
	d.blocks = slices.Grow(d.blocks[:0], k)[:k]
}

// at returns where value x's string is kept.
func (d *dictStrings) at(x int32) *string {
	b := d.blocks[x/dictBlock]
	if b == nil {
		b = new([dictBlock]string)
		d.blocks[x/dictBlock] = b
	}
	return &b[x%dictBlock]
}

// ordered reports whether every value's offsets lie in data, in order.
func ordered(data []byte, offs []uint32) bool {
	for k := 1; k < len(offs); k++ {
		if offs[k-1] > offs[k] {
			return false
		}
	}
	return len(offs) == 0 || int(offs[len(offs)-1]) <= len(data)
}

// release returns the page read to parquet-go's pool.
func (c *column) release() {
	if c.page != nil {
		parquet.Release(c.page)
	}
	c.page = nil
	c.n, c.r, c.v, c.nv = 0, 0, 0, 0
	c.defs, c.idx, c.i32, c.i64, c.bits, c.data, c.offs = nil, nil, nil, nil, nil, nil, nil
}

// end checks that the column holds no value past its row group, and
// closes it.
func (c *column) end() error {
	defer func() {
		c.release()
		c.dict = nil
		c.strs.reset(0)
		c.pages.Close()
	}()
	for {
		if c.page != nil && c.r < c.n {
			return fmt.Errorf("%w: column %s has more values than its row group has rows", parquetguard.ErrCorrupt, c.name)
		}
		if err := c.load(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
