// Package parquetrows reads the rows of a flat Parquet table of our own
// (a partials file, an intervals file) into structs.
//
// parquet-go's GenericReader assembles each row through reflection, every
// column of it, and allocates each string of each row: for a partials file
// of 66 columns, where most rows use eight, that was three quarters of
// the time `attribute -merge` took. This reader reads a batch of each
// column's values, then writes them into the structs a row at a time
// through field offsets checked once; a string column gives a row the
// string of the row before it when the bytes are the same (a task's rows
// repeat its dimensions), so it allocates nothing per row but what
// changes.
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
	"strings"
	"time"
	"unsafe"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/parquet-go/parquet-go"
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
	page  parquet.Page        // the page vals reads
	vals  parquet.ValueReader // nil when the next page is needed
	held  []parquet.Page      // pages whose values the batch still holds
	buf   []parquet.Value
	last  string      // the string of the last row, reused while the bytes repeat
	times []time.Time // the batch's, which its rows point to
	ints  []int64
}

// batch is how many rows a column is read ahead: its values take 24 bytes
// each, so a partials file's 66 columns hold 792 KiB.
const batch = 512

// Table is what a reader reads: a *parquet.File, or any table of row
// groups.
type Table interface {
	Schema() *parquet.Schema
	RowGroups() []parquet.RowGroup
}

// NewReader returns a reader of f's rows into T, after checking that f has
// every column of T with the type T's schema gives it.
func NewReader[T any](f Table) (*Reader[T], error) {
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
		if !ok {
			return nil, &ColumnError{Column: name, Err: errors.New("missing")}
		}
		if len(got.Path) != 1 || got.MaxRepetitionLevel != 0 || got.Node.Type().String() != w.Node.Type().String() || got.Node.Optional() != w.Node.Optional() {
			return nil, &ColumnError{Column: name, Err: fmt.Errorf("of type %v, want %v", got.Node.Type(), w.Node.Type())}
		}
		c.index = got.ColumnIndex
		c.buf = make([]parquet.Value, batch)
		r.cols = append(r.cols, c)
	}
	return r, nil
}

// Read reads up to len(rows) rows into rows, setting every field, and
// returns how many it read; at the end of the file it returns 0, io.EOF.
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
	for k := range r.cols {
		if err := r.cols[k].read(n); err != nil {
			return 0, err
		}
	}
	// The rows point into slices of their own: a caller may keep them.
	for k := range r.cols {
		c := &r.cols[k]
		switch c.kind {
		case kindTime:
			c.times = make([]time.Time, n)
		case kindOptInt64:
			c.ints = make([]int64, n)
		}
	}
	// Row by row, so that a row's fields are written together.
	base := unsafe.Pointer(unsafe.SliceData(rows))
	size := unsafe.Sizeof(rows[0])
	for i := range n {
		row := unsafe.Add(base, uintptr(i)*size)
		for k := range r.cols {
			c := &r.cols[k]
			v := &c.buf[i]
			// The field's address: its offset in the row, a field of
			// the type NewReader checked.
			p := unsafe.Add(row, c.offset)
			switch c.kind {
			case kindString:
				b := v.ByteArray()
				if string(b) != c.last {
					c.last = string(b)
				}
				*(*string)(p) = c.last
			case kindInt64:
				*(*int64)(p) = v.Int64()
			case kindInt32:
				*(*int32)(p) = v.Int32()
			case kindBool:
				*(*bool)(p) = v.Boolean()
			case kindTime:
				if v.IsNull() {
					*(**time.Time)(p) = nil
				} else {
					c.times[i] = timeOf(v.Int64(), c.unit)
					*(**time.Time)(p) = &c.times[i]
				}
			case kindOptInt64:
				if v.IsNull() {
					*(**int64)(p) = nil
				} else {
					c.ints[i] = v.Int64()
					*(**int64)(p) = &c.ints[i]
				}
			}
		}
	}
	for k := range r.cols {
		c := &r.cols[k]
		c.times, c.ints = nil, nil
		c.release()
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
		c.pages, c.page, c.vals = chunks[c.index].Pages(), nil, nil
	}
	r.open, r.left = true, g.NumRows()
	return nil
}

// read reads the column's next n values into buf, across pages.
func (c *column) read(n int) error {
	for got := 0; got < n; {
		if c.vals == nil {
			p, err := c.pages.ReadPage()
			if err == io.EOF {
				return fmt.Errorf("%w: column %s ends before its row group", parquetguard.ErrCorrupt, c.name)
			}
			if err != nil {
				return fmt.Errorf("column %s: %w", c.name, err)
			}
			c.page, c.vals = p, p.Values()
		}
		k, err := c.vals.ReadValues(c.buf[got:n])
		got += k
		switch {
		case err == io.EOF:
			// The batch may still hold views of the page's values.
			c.held = append(c.held, c.page)
			c.page, c.vals = nil, nil
		case err != nil:
			return fmt.Errorf("column %s: %w", c.name, err)
		case k == 0:
			return fmt.Errorf("%w: column %s: a page gave no values", parquetguard.ErrCorrupt, c.name)
		}
	}
	return nil
}

// release returns the pages the batch no longer needs to parquet-go's pool.
func (c *column) release() {
	for i, p := range c.held {
		parquet.Release(p)
		c.held[i] = nil
	}
	c.held = c.held[:0]
}

// end checks that the column holds no value past its row group, and
// closes it.
func (c *column) end() error {
	defer func() {
		if c.page != nil {
			parquet.Release(c.page)
		}
		c.page, c.vals = nil, nil
		c.pages.Close()
	}()
	for {
		if c.vals != nil {
			k, err := c.vals.ReadValues(c.buf[:1])
			if k > 0 {
				return fmt.Errorf("%w: column %s has more values than its row group has rows", parquetguard.ErrCorrupt, c.name)
			}
			if err != io.EOF {
				if err == nil {
					err = fmt.Errorf("%w: column %s: a page gave no values", parquetguard.ErrCorrupt, c.name)
				}
				return err
			}
			parquet.Release(c.page)
			c.page, c.vals = nil, nil
		}
		p, err := c.pages.ReadPage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		c.page, c.vals = p, p.Values()
	}
}
