package parquetrows_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquetrows"
	"github.com/ecsnet/ecsnet/internal/parquettest"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

type row struct {
	Key    string     `parquet:"key,dict"`
	Plain  string     `parquet:"plain"`
	N      int64      `parquet:"n,delta"`
	Small  int32      `parquet:"small"`
	Flag   bool       `parquet:"flag"`
	At     *time.Time `parquet:"at,optional,timestamp(millisecond)"`
	Micros *time.Time `parquet:"micros,optional,timestamp(microsecond)"`
	Opt    *int64     `parquet:"opt,optional"`
}

func rows(n int) []row {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	out := make([]row, n)
	for i := range out {
		r := &out[i]
		// Runs of equal keys (a task's rows), a value that changes every
		// row, and nulls on some rows.
		r.Key = fmt.Sprintf("task-%d", i/7)
		r.Plain = fmt.Sprintf("p%d", i%5)
		if i%11 == 0 {
			r.Plain = ""
		}
		r.N, r.Small, r.Flag = int64(i)*1_000_003-5e9, int32(-i), i%3 == 0
		if i%4 != 0 {
			t := t0.Add(time.Duration(i) * time.Minute)
			r.At = &t
		}
		if i%6 != 0 {
			t := t0.Add(time.Duration(i) * 1234 * time.Microsecond)
			r.Micros = &t
		}
		if i%2 == 0 {
			v := int64(i * i)
			r.Opt = &v
		}
	}
	return out
}

func write(t testing.TB, rs []row, opts ...parquet.WriterOption) *parquet.File {
	b := parquettest.Write(t, rs, opts...)
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func readAll[T any](t testing.TB, f *parquet.File, size int) []T {
	r, err := parquetrows.NewReader[T](f)
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	buf := make([]T, size)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRead: what parquet-go's GenericReader reads, across row groups and
// pages, in batches of any size, and the rows kept stay as read.
func TestRead(t *testing.T) {
	want := rows(5000)
	for _, c := range []struct {
		name string
		opts []parquet.WriterOption
	}{
		{"one group", nil},
		{"groups and pages", []parquet.WriterOption{parquet.MaxRowsPerRowGroup(777), parquet.PageBufferSize(512)}},
	} {
		f := write(t, want, c.opts...)
		if c.opts != nil && (len(f.RowGroups()) < 2 || f.RowGroups()[0].ColumnChunks()[0].NumValues() == 0) {
			t.Fatalf("%s: %d row groups", c.name, len(f.RowGroups()))
		}
		g := parquet.NewGenericReader[row](f)
		gen := make([]row, len(want))
		if n, err := g.Read(gen); n != len(want) || err != nil && err != io.EOF {
			t.Fatalf("%s: GenericReader read %d rows, %v", c.name, n, err)
		}
		if !reflect.DeepEqual(gen, want) {
			t.Fatalf("%s: GenericReader does not read what was written", c.name)
		}
		for _, size := range []int{1, 100, 512, 4096} {
			if got := readAll[row](t, f, size); !reflect.DeepEqual(got, want) {
				t.Errorf("%s, batches of %d: rows differ", c.name, size)
			}
		}
	}
}

// TestColumns: a file without a column of the struct, or with it of
// another type, is refused naming the column; a struct field of a type the
// reader does not take is refused.
func TestColumns(t *testing.T) {
	f := write(t, rows(10))
	type missing struct {
		Key   string `parquet:"key"`
		Other string `parquet:"other"`
	}
	type wrongType struct {
		N int32 `parquet:"n"`
	}
	type notOptional struct {
		At int64 `parquet:"at"`
	}
	for name, open := range map[string]func() error{
		"missing":      func() error { _, err := parquetrows.NewReader[missing](f); return err },
		"type":         func() error { _, err := parquetrows.NewReader[wrongType](f); return err },
		"not optional": func() error { _, err := parquetrows.NewReader[notOptional](f); return err },
	} {
		var ce *parquetrows.ColumnError
		if err := open(); !errors.As(err, &ce) {
			t.Errorf("%s: %v, want a ColumnError", name, err)
		}
	}
	type float struct {
		F float64 `parquet:"f"`
	}
	if _, err := parquetrows.NewReader[float](f); err == nil {
		t.Error("a float64 field: no error")
	}
}

// drain reads every row of r, 256 at a time.
func drain(b *testing.B, r interface{ Read([]row) (int, error) }) {
	buf := make([]row, 256)
	for {
		_, err := r.Read(buf)
		if err == io.EOF {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	f := write(b, rows(100_000), parquet.MaxRowsPerRowGroup(1<<16))
	b.Run("parquetrows", func(b *testing.B) {
		for b.Loop() {
			r, err := parquetrows.NewReader[row](f)
			if err != nil {
				b.Fatal(err)
			}
			drain(b, r)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/row")
	})
	b.Run("GenericReader", func(b *testing.B) {
		for b.Loop() {
			drain(b, parquet.NewGenericReader[row](f))
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/row")
	})
}

// lying is a table whose row groups claim more (or fewer) rows than their
// columns hold, as a corrupt file's metadata may.
type lying struct {
	*parquet.File
	delta int64
}

func (l lying) RowGroups() []parquet.RowGroup {
	var out []parquet.RowGroup
	for _, g := range l.File.RowGroups() {
		out = append(out, lyingGroup{g, l.delta})
	}
	return out
}

type lyingGroup struct {
	parquet.RowGroup
	delta int64
}

func (g lyingGroup) NumRows() int64 { return g.RowGroup.NumRows() + g.delta }

// TestCorrupt: a column that ends before its row group, or goes on past
// it, is an error wrapping parquetguard.ErrCorrupt that names it, not a
// short or shifted read.
func TestCorrupt(t *testing.T) {
	f := write(t, rows(3000), parquet.MaxRowsPerRowGroup(1000))
	for _, c := range []struct {
		delta int64
		want  string
	}{{+1, "ends before its row group"}, {-1, "more values than its row group"}} {
		r, err := parquetrows.NewReader[row](lying{f, c.delta})
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]row, 100)
		n := 0
		for {
			k, err := r.Read(buf)
			n += k
			if err == io.EOF {
				t.Fatalf("delta %d: read %d rows to the end, no error", c.delta, n)
			}
			if err != nil {
				if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "column key") {
					t.Fatalf("delta %d: %v, want a corrupt-file error naming column key and %q", c.delta, err, c.want)
				}
				break
			}
		}
	}
}

// TestNotATimestamp: a *time.Time field whose tag is not a timestamp is
// refused, not a panic.
func TestNotATimestamp(t *testing.T) {
	type plain struct {
		At *time.Time `parquet:"at,optional"`
	}
	f := write(t, rows(3))
	if _, err := parquetrows.NewReader[plain](f); err == nil {
		t.Error("no error")
	}
}

// TestDictionaryStrings: a dictionary-encoded column makes each of its
// strings once, shared by every row that has it, not only by a run of
// them.
func TestDictionaryStrings(t *testing.T) {
	rs := rows(100)
	for i := range rs {
		rs[i].Key = fmt.Sprintf("task-%d", i%3) // equal keys never adjacent
	}
	got := readAll[row](t, write(t, rs), 512)
	if !reflect.DeepEqual(got, rs) {
		t.Fatal("rows differ")
	}
	for i := 3; i < len(got); i++ {
		if unsafe.StringData(got[i].Key) != unsafe.StringData(got[i%3].Key) {
			t.Fatalf("row %d: key %q is a string of its own", i, got[i].Key)
		}
	}
}

// badPages is a table whose pages of column col give what data returns
// instead of their own values, as a corrupt page may decode.
type badPages struct {
	*parquet.File
	col  int
	data func(parquet.Page) encoding.Values
	// dictionary, when set, gives the pages' dictionary instead.
	dictionary func(parquet.Page) parquet.Dictionary
}

func (b badPages) RowGroups() []parquet.RowGroup {
	var out []parquet.RowGroup
	for _, g := range b.File.RowGroups() {
		out = append(out, badGroup{g, b})
	}
	return out
}

type badGroup struct {
	parquet.RowGroup
	b badPages
}

func (g badGroup) ColumnChunks() []parquet.ColumnChunk {
	cs := slices.Clone(g.RowGroup.ColumnChunks())
	cs[g.b.col] = badChunk{cs[g.b.col], g.b}
	return cs
}

type badChunk struct {
	parquet.ColumnChunk
	b badPages
}

func (c badChunk) Pages() parquet.Pages { return badPageReader{c.ColumnChunk.Pages(), c.b} }

type badPageReader struct {
	parquet.Pages
	b badPages
}

func (r badPageReader) ReadPage() (parquet.Page, error) {
	p, err := r.Pages.ReadPage()
	if err != nil {
		return p, err
	}
	return badPage{p, r.b}, nil
}

type badPage struct {
	parquet.Page
	b badPages
}

func (p badPage) Data() encoding.Values { return p.b.data(p.Page) }

func (p badPage) Dictionary() parquet.Dictionary {
	if p.b.dictionary != nil {
		return p.b.dictionary(p.Page)
	}
	return p.Page.Dictionary()
}

// TestCorruptValues: a page whose values cannot be the rows' (a
// dictionary index past the dictionary, fewer values than rows, values of
// another type, byte-array offsets out of order) is an error wrapping
// parquetguard.ErrCorrupt that names the column, not a panic.
func TestCorruptValues(t *testing.T) {
	f := write(t, rows(300))
	col := func(name string) int {
		c, ok := f.Schema().Lookup(name)
		if !ok {
			t.Fatalf("no column %s", name)
		}
		return c.ColumnIndex
	}
	for _, c := range []struct {
		name, column, want string
		data               func(p parquet.Page) encoding.Values
	}{
		{"dictionary index", "key", "dictionary index 1000", func(p parquet.Page) encoding.Values {
			d := p.Data()
			ix := slices.Clone(d.Int32())
			ix[len(ix)/2] = 1000
			return encoding.Int32Values(ix)
		}},
		{"too few values", "n", "values for more non-null rows", func(p parquet.Page) encoding.Values {
			d := p.Data()
			v := d.Int64()
			return encoding.Int64Values(v[:len(v)-1])
		}},
		{"too few optional values", "opt", "values for more non-null rows", func(p parquet.Page) encoding.Values {
			d := p.Data()
			v := d.Int64()
			return encoding.Int64Values(v[:len(v)-1])
		}},
		{"too few booleans", "flag", "values for more non-null rows", func(p parquet.Page) encoding.Values {
			d := p.Data()
			return encoding.BooleanValues(d.Boolean()[:1])
		}},
		{"type", "small", "not INT32", func(p parquet.Page) encoding.Values {
			return encoding.Int64Values(make([]int64, p.NumValues()))
		}},
		{"offsets", "plain", "offsets out of order", func(p parquet.Page) encoding.Values {
			d := p.Data()
			data, offs := d.ByteArray()
			offs = slices.Clone(offs)
			offs[1], offs[2] = offs[2], offs[1]
			return encoding.ByteArrayValues(data, offs)
		}},
	} {
		r, err := parquetrows.NewReader[row](badPages{File: f, col: col(c.column), data: c.data})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Read(make([]row, 512))
		if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), "column "+c.column) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a corrupt-file error naming column %s and %q", c.name, err, c.column, c.want)
		}
	}
}

// hugeDict is a dictionary whose page gives values of its own.
type hugeDict struct {
	parquet.Dictionary
	page parquet.Page
}

func (d hugeDict) Page() parquet.Page { return d.page }

type valuesPage struct {
	parquet.Page
	values encoding.Values
}

func (p valuesPage) Data() encoding.Values { return p.values }

// TestHugeDictionary: a dictionary that claims four million values (empty
// strings: a few bytes compressed) costs memory for the values the rows
// use, not a string for each value it claims.
func TestHugeDictionary(t *testing.T) {
	f := write(t, rows(300))
	c, _ := f.Schema().Lookup("key")
	offs := make([]uint32, 4_000_001)
	offs[len(offs)-1] = 3 // the last value is "key": every row names it
	data := []byte("key")
	var huge parquet.Dictionary
	tbl := badPages{File: f, col: c.ColumnIndex, data: func(p parquet.Page) encoding.Values {
		if huge == nil {
			huge = &hugeDict{p.Dictionary(), valuesPage{p.Dictionary().Page(), encoding.ByteArrayValues(data, offs)}}
		}
		ix := make([]int32, p.NumValues())
		for i := range ix {
			ix[i] = int32(len(offs) - 2)
		}
		return encoding.Int32Values(ix)
	}}
	tbl.dictionary = func(parquet.Page) parquet.Dictionary { return huge }
	r, err := parquetrows.NewReader[row](tbl)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := make([]row, 512)
	n, err := r.Read(got)
	runtime.ReadMemStats(&after)
	if err != nil || n != 300 || got[0].Key != "key" || got[299].Key != "key" {
		t.Fatalf("read %d rows, first key %q, %v", n, got[0].Key, err)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 8<<20 {
		t.Errorf("reading 300 rows allocated %d bytes", a)
	}
}
