package parquetguard_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

type row struct {
	Name  string `parquet:"name"`
	Count int64  `parquet:"count"`
}

// file returns a Parquet file of n rows in pages of about pageSize bytes.
func file(t *testing.T, n, pageSize int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[row](&b, parquet.PageBufferSize(pageSize))
	for i := range n {
		if _, err := w.Write([]row{{fmt.Sprintf("name-%d", i), int64(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func open(t *testing.T, data []byte) *parquet.File {
	t.Helper()
	size := int64(len(data))
	if err := parquetguard.CheckFooter(bytes.NewReader(data), size); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(data), size, parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
	if err != nil {
		t.Fatal(err)
	}
	if err := parquetguard.CheckChunks(f, size); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCheckFooter(t *testing.T) {
	good := file(t, 10, 1024)
	huge := bytes.Clone(good)
	binary.LittleEndian.PutUint32(huge[len(huge)-8:], 0xfffffff0)
	badThrift := bytes.Clone(good)
	n := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
	badThrift[len(good)-8-n] = 0x0f // field type 15: none
	for _, c := range []struct {
		name, data, want string
		corrupt          bool
	}{
		{"short", "PAR1PAR1", "8 bytes is too short for a Parquet file", false},
		{"no magic", string(good[:len(good)-1]) + "X", "not a Parquet file", false},
		{"footer length huge", string(huge), "corrupt file: footer of 4294967280 bytes", true},
		{"footer not thrift", string(badThrift), "corrupt file: file metadata: thrift:", true},
	} {
		err := parquetguard.CheckFooter(strings.NewReader(c.data), int64(len(c.data)))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || errors.Is(err, parquetguard.ErrCorrupt) != c.corrupt {
			t.Errorf("%s: %v, want %q (corrupt %v)", c.name, err, c.want, c.corrupt)
		}
	}
}

// TestPageGuard: the pages of every chunk are counted, and checking costs
// no allocation once the guard's buffer has grown.
func TestPageGuard(t *testing.T) {
	data := file(t, 3000, 1024)
	f := open(t, data)
	g := parquetguard.NewPageGuard(bytes.NewReader(data))
	check := func() int {
		pages := 0
		for i, rg := range f.Metadata().RowGroups {
			for j := range rg.Columns {
				n, err := g.Check(&rg.Columns[j].MetaData, parquetguard.ColumnOf(f, i, j))
				if err != nil {
					t.Fatal(err)
				}
				pages += n
			}
		}
		return pages
	}
	want := 0
	for _, rg := range f.RowGroups() {
		for _, c := range rg.ColumnChunks() {
			pages := c.Pages()
			for {
				p, err := pages.ReadPage()
				if err != nil {
					break
				}
				parquet.Release(p)
				want++
			}
			pages.Close()
		}
	}
	t.Logf("%d data pages", want)
	if got := check(); got < want || got > want+2 { // + a dictionary page per column
		t.Fatalf("%d pages checked, %d data pages read", got, want)
	}
	if a := testing.AllocsPerRun(10, func() { check() }); a != 0 {
		t.Errorf("%.0f allocations per check of the file", a)
	}
}

// TestCheckChunksRows: the row groups must hold the rows the file claims,
// no more and no fewer, their sum must not wrap, and a file may claim at
// most 1,024 rows a byte.
func TestCheckChunksRows(t *testing.T) {
	data := file(t, 30, 1024)
	for _, c := range []struct {
		name string
		edit func(*format.FileMetaData)
		want string
	}{
		{"file claims more", func(md *format.FileMetaData) { md.NumRows += 16 }, "the row groups hold 30 rows, the file claims 46"},
		{"file claims fewer", func(md *format.FileMetaData) { md.NumRows = 3 }, "the row groups hold 30 rows, the file claims 3"},
		{"negative group", func(md *format.FileMetaData) { md.RowGroups[0].NumRows = -1 }, "row group 0 has -1 rows"},
		{"rows past the size", func(md *format.FileMetaData) {
			md.NumRows, md.RowGroups[0].NumRows = 1024*int64(len(data))+1, 1024*int64(len(data))+1
		}, fmt.Sprintf("%d rows in %d bytes, more than 1024 a byte", 1024*len(data)+1, len(data))},
		{"groups wrap", func(md *format.FileMetaData) {
			md.RowGroups = append(md.RowGroups, md.RowGroups[0])
			md.RowGroups[0].NumRows, md.RowGroups[1].NumRows = math.MaxInt64, 2
		}, "row group 1 has 2 rows"},
	} {
		f := open(t, data) // its metadata is its own
		c.edit(f.Metadata())
		err := parquetguard.CheckChunks(f, int64(len(data)))
		if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrCorrupt and %q", c.name, err, c.want)
		}
	}
}

// TestRecover: a panic becomes an error wrapping ErrCorrupt, passed
// through wrap.
func TestRecover(t *testing.T) {
	read := func(wrap func(error) error) (err error) {
		defer parquetguard.Recover(&err, wrap)
		var s []int
		_ = s[3]
		return nil
	}
	err := read(nil)
	if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("%v", err)
	}
	err = read(func(err error) error { return fmt.Errorf("reader: x.parquet: %w", err) })
	if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.HasPrefix(err.Error(), "reader: x.parquet: corrupt file: runtime error") {
		t.Errorf("%v", err)
	}
	ok := func() (err error) {
		defer parquetguard.Recover(&err, nil)
		return nil
	}
	if err := ok(); err != nil {
		t.Errorf("no panic: %v", err)
	}
}

// TestReadFileCheckVersion: ReadFile hands read the file and its size;
// CheckVersion accepts the version it is given and words the others.
func TestReadFileCheckVersion(t *testing.T) {
	errVersion := errors.New("not a test file of schema version 2")
	b := parquettest.Write(t, []row{{"a", 1}}, parquet.KeyValueMetadata("test.schema_version", "2"))
	name := t.TempDir() + "/v2.parquet"
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(key string, version int) func(io.ReaderAt, int64, string) (string, error) {
		return func(r io.ReaderAt, size int64, got string) (string, error) {
			if got != name || size != int64(len(b)) {
				t.Errorf("read given %q, %d bytes; want %q, %d", got, size, name, len(b))
			}
			f, err := parquetguard.Open(r, size)
			if err != nil {
				return "", err
			}
			return "read", parquetguard.CheckVersion(f, key, version, errVersion)
		}
	}
	if s, err := parquetguard.ReadFile(name, check("test.schema_version", 2)); err != nil || s != "read" {
		t.Errorf("version 2: %q, %v", s, err)
	}
	for _, c := range []struct {
		key     string
		version int
		want    string
	}{
		{"test.schema_version", 3, "(its test.schema_version is 2)"},
		{"other.schema_version", 2, "(its other.schema_version is none)"},
	} {
		_, err := parquetguard.ReadFile(name, check(c.key, c.version))
		if !errors.Is(err, errVersion) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %d: %v, want %v … %s", c.key, c.version, err, errVersion, c.want)
		}
	}
	if _, err := parquetguard.ReadFile(name+".missing", check("test.schema_version", 2)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestLZ4Refused: a file whose columns are LZ4_RAW-compressed is refused
// before a page is read (parquet-go's LZ4 decoder grows its buffer without
// bound on a corrupt page); the same rows zstd-compressed open.
func TestLZ4Refused(t *testing.T) {
	type row struct {
		N int64 `parquet:"n"`
	}
	for _, c := range []struct {
		codec parquet.WriterOption
		want  error
	}{{parquet.Compression(&parquet.Lz4Raw), parquetguard.ErrCodec}, {parquet.Compression(&parquet.Zstd), nil}} {
		b := parquettest.Write(t, []row{{1}, {2}, {3}}, c.codec)
		_, err := parquetguard.Open(bytes.NewReader(b), int64(len(b)))
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%v: %v, want %v", c.codec, err, c.want)
		}
	}
}

// TestZstdDeclaredSize: a zstd page whose frame declares 4 GiB (zstd
// allocates that before decoding) is refused by Open as corrupt; snappy's
// length header likewise.
func TestZstdDeclaredSize(t *testing.T) {
	type row struct {
		S string `parquet:"s"`
	}
	rows := make([]row, 2000)
	for i := range rows {
		rows[i].S = fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/prod/%032x", i%7)
	}
	for _, c := range []struct {
		name  string
		codec parquet.WriterOption
		patch func([]byte) bool
	}{
		{"zstd", parquet.Compression(&parquet.Zstd), func(b []byte) bool {
			i := bytes.Index(b, []byte{0x28, 0xb5, 0x2f, 0xfd})
			if i < 0 || b[i+4]>>6 != 2 {
				return false
			}
			binary.LittleEndian.PutUint32(b[i+5:], 0xFFFFFFF0)
			return true
		}},
	} {
		b := parquettest.Write(t, rows, c.codec)
		if _, err := parquetguard.Open(bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatalf("%s: the file as written: %v", c.name, err)
		}
		if !c.patch(b) {
			t.Fatalf("%s: no frame to patch", c.name)
		}
		if _, err := parquetguard.Open(bytes.NewReader(b), int64(len(b))); !errors.Is(err, parquetguard.ErrCorrupt) {
			t.Errorf("%s: a page declaring 4 GiB: %v", c.name, err)
		}
	}
}
