package parquetguard_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/format"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// deltaRow has a column in each DELTA encoding: n and o (optional, so a
// v1 page has definition levels before its values) DELTA_BINARY_PACKED, s
// DELTA_BYTE_ARRAY (two streams: prefix and suffix lengths), l
// DELTA_LENGTH_BYTE_ARRAY: see deltaSchema.
type deltaRow struct {
	N int64  `parquet:"n"`
	O *int32 `parquet:"o,optional"`
	S string `parquet:"s"`
	L string `parquet:"l"`
}

var deltaSchema = parquet.NewSchema("delta", parquet.Group{
	"n": parquet.Encoded(parquet.Leaf(parquet.Int64Type), &parquet.DeltaBinaryPacked),
	"o": parquet.Optional(parquet.Encoded(parquet.Leaf(parquet.Int32Type), &parquet.DeltaBinaryPacked)),
	"s": parquet.Encoded(parquet.String(), &parquet.DeltaByteArray),
	"l": parquet.Encoded(parquet.String(), &parquet.DeltaLengthByteArray),
})

// deltaFile writes 200 rows, one page a column; o is null in 29 of them.
func deltaFile(t *testing.T, codec compress.Codec, pageVersion int) []byte {
	t.Helper()
	rows := make([]deltaRow, 200)
	for i := range rows {
		rows[i] = deltaRow{N: int64(3 * i), S: fmt.Sprintf("eni-%05d", i), L: fmt.Sprintf("x%d", i)}
		if i%7 != 0 {
			v := int32(i)
			rows[i].O = &v
		}
	}
	return parquettest.Write(t, rows, deltaSchema, parquet.Compression(codec), parquet.DataPageVersion(pageVersion))
}

// codecs are the compressions parquet-go writes: the guard decompresses a
// gzip page only as far as the counts it checks, the others whole (see
// checkCodecs).
var codecs = []format.CompressionCodec{format.Gzip, format.Snappy, format.Zstd}

// checkCodecs checks the claims of data, an uncompressed file, with its
// pages compressed in each codec: they must be refused as in data itself,
// with an error containing want, or all pass when want is "".
func checkCodecs(t *testing.T, name string, data []byte, want string) {
	t.Helper()
	for _, codec := range codecs {
		err := parquetguard.CheckCompressed(data, codec)
		if want == "" && err != nil || want != "" && (!errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), want)) {
			t.Errorf("%s, pages in %v: %v", name, codec, err)
		}
	}
}

// TestDeltaValueCount: a DELTA stream whose header claims more values than
// its page holds is refused before parquet-go allocates for them; the
// files as written open and read back, in every codec and page version.
func TestDeltaValueCount(t *testing.T) {
	for _, codec := range []compress.Codec{&parquet.Uncompressed, &parquet.Gzip, &parquet.Snappy, &parquet.Zstd} {
		for _, v := range []int{1, 2} {
			data := deltaFile(t, codec, v)
			if _, err := parquetguard.Open(bytes.NewReader(data), int64(len(data))); err != nil {
				t.Fatalf("%v, pages v%d: %v", codec.CompressionCodec(), v, err)
			}
			rows, err := parquet.Read[deltaRow](bytes.NewReader(data), int64(len(data)), deltaSchema)
			if err != nil || len(rows) != 200 || rows[199].S != "eni-00199" || rows[7].O != nil || *rows[8].O != 8 {
				t.Fatalf("%v, pages v%d: read back %d rows, %v", codec.CompressionCodec(), v, len(rows), err)
			}
		}
	}
	// Uncompressed, the streams' headers are in the file as written:
	// block size 128, 4 mini-blocks, then the values (200, or 171 for o)
	// as two-byte varints, each raised to 16,383 in turn.
	for _, v := range []int{1, 2} {
		data := deltaFile(t, &parquet.Uncompressed, v)
		checkCodecs(t, fmt.Sprintf("pages v%d as written", v), data, "")
		found := 0
		for _, total := range []byte{200, 171} {
			header := []byte{0x80, 0x01, 0x04, total, 0x01}
			for at := 0; ; {
				i := bytes.Index(data[at:], header)
				if i < 0 {
					break
				}
				at += i + len(header)
				found++
				bad := bytes.Clone(data)
				bad[at-2], bad[at-1] = 0xff, 0x7f
				_, err := parquetguard.Open(bytes.NewReader(bad), int64(len(bad)))
				if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), "a DELTA stream of 16383 values in a page of 200") {
					t.Errorf("pages v%d, header %d at %d raised: %v", v, found, at-5, err)
				}
				checkCodecs(t, fmt.Sprintf("pages v%d, header %d raised", v, found), bad, "a DELTA stream of 16383 values in a page of 200")
			}
		}
		if found != 5 { // n, o, s's two streams, l
			t.Errorf("pages v%d: %d DELTA headers found, want 5", v, found)
		}
	}
}

// TestPageValuesRows: a page of a column that does not repeat holds at
// most its row group's rows.
func TestPageValuesRows(t *testing.T) {
	data := deltaFile(t, &parquet.Snappy, 1)
	f, err := parquetguard.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	g := parquetguard.NewPageGuard(bytes.NewReader(data))
	j := slices.IndexFunc(f.Metadata().RowGroups[0].Columns, func(c format.ColumnChunk) bool { return c.MetaData.PathInSchema[0] == "o" })
	c := parquetguard.ColumnOf(f, 0, j)
	if c.MaxDefinitionLevel != 1 || c.MaxRepetitionLevel != 0 || c.Rows != 200 {
		t.Fatalf("column o: %+v", c)
	}
	m := &f.Metadata().RowGroups[0].Columns[j].MetaData
	if _, err := g.Check(m, c); err != nil {
		t.Fatal(err)
	}
	c.Rows = 199
	if _, err := g.Check(m, c); !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), "200 values in a row group of 199 rows") {
		t.Errorf("rows 199: %v", err)
	}
}

// rleRow has a dictionary-encoded column of 4 values (indexes 2 bits wide,
// 200 in one bit-packed run of 25 groups: header 0x33) and an optional
// one null in every 7th row (definition levels 1 bit wide, a run of 25
// groups too).
type rleRow struct {
	D string `parquet:"d,dict"`
	O *int64 `parquet:"o,optional"`
}

func rleFile(t *testing.T, pageVersion int) []byte {
	t.Helper()
	rows := make([]rleRow, 200)
	for i := range rows {
		rows[i].D = fmt.Sprintf("v%d", i%4)
		if i%7 != 0 {
			v := int64(i)
			rows[i].O = &v
		}
	}
	return parquettest.Write(t, rows, parquet.Compression(&parquet.Uncompressed), parquet.DataPageVersion(pageVersion))
}

// TestRLECount: RLE runs (dictionary indexes, definition levels) that
// claim more values than their page holds are refused before parquet-go
// allocates for them; the files as written open.
func TestRLECount(t *testing.T) {
	for _, v := range []int{1, 2} {
		data := rleFile(t, v)
		if _, err := parquetguard.Open(bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatalf("pages v%d: %v", v, err)
		}
		checkCodecs(t, fmt.Sprintf("pages v%d as written", v), data, "")
		cases := []struct {
			name    string
			pattern []byte // ends with the run header raised to 63 groups
			want    string
		}{{"indexes", []byte{0x02, 0x33}, "dictionary indexes claim 504 or more values in a page of 200"}}
		if v == 1 {
			// After the section's 4-byte length: the header and 25 bytes.
			cases = append(cases, struct {
				name    string
				pattern []byte
				want    string
			}{"levels", []byte{26, 0, 0, 0, 0x33}, "definition levels claim 504 or more values in a page of 200"})
		}
		for _, c := range cases {
			i := bytes.Index(data, c.pattern)
			if i < 0 || bytes.Contains(data[i+1:], c.pattern) {
				t.Fatalf("pages v%d, %s: the run header is not in the file once", v, c.name)
			}
			bad := bytes.Clone(data)
			bad[i+len(c.pattern)-1] = 0x7f
			_, err := parquetguard.Open(bytes.NewReader(bad), int64(len(bad)))
			if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("pages v%d, %s raised: %v", v, c.name, err)
			}
			checkCodecs(t, fmt.Sprintf("pages v%d, %s raised", v, c.name), bad, c.want)
		}
	}
}

// TestWrap: Lazy checks the headers only; the pages Wrap returns check a
// data page's claims when it is read, and refuse it on every call after.
func TestWrap(t *testing.T) {
	good := rleFile(t, 1)
	i := bytes.Index(good, []byte{0x02, 0x33})
	bad := bytes.Clone(good)
	bad[i+1] = 0x7f
	for name, data := range map[string][]byte{"as written": good, "raised": bad} {
		f := open(t, data)
		j := slices.IndexFunc(f.Metadata().RowGroups[0].Columns, func(c format.ColumnChunk) bool { return c.MetaData.PathInSchema[0] == "d" })
		g := parquetguard.NewPageGuard(bytes.NewReader(data))
		d, err := g.Lazy(&f.Metadata().RowGroups[0].Columns[j].MetaData, parquetguard.ColumnOf(f, 0, j))
		if err != nil {
			t.Fatalf("%s: Lazy: %v", name, err)
		}
		pages := d.Wrap(f.RowGroups()[0].ColumnChunks()[j].Pages())
		for k := range 2 {
			p, err := pages.ReadPage()
			switch {
			case name == "as written" && k == 0:
				if err != nil || p.NumValues() != 200 {
					t.Errorf("%s: page of %v values, %v", name, p, err)
				}
			case name == "as written":
				if err != io.EOF {
					t.Errorf("%s: after the page, %v", name, err)
				}
			default:
				if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), "dictionary indexes claim 504") {
					t.Errorf("%s, read %d: %v", name, k+1, err)
				}
			}
		}
		pages.Close()
	}
}

// TestRLEBooleans: booleans in the RLE encoding (after a 4-byte length,
// 1 bit wide: parquet-go writes 200 alternating values as 25 bit-packed
// runs of a group each, header 0x03) may claim at most their page's
// values too.
func TestRLEBooleans(t *testing.T) {
	type row struct {
		B bool `parquet:"b"`
	}
	schema := parquet.NewSchema("b", parquet.Group{"b": parquet.Encoded(parquet.Leaf(parquet.BooleanType), &parquet.RLE)})
	rows := make([]row, 200)
	for i := range rows {
		rows[i].B = i%2 == 0
	}
	for _, v := range []int{1, 2} {
		data := parquettest.Write(t, rows, schema, parquet.Compression(&parquet.Uncompressed), parquet.DataPageVersion(v))
		if _, err := parquetguard.Open(bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatalf("pages v%d: %v", v, err)
		}
		checkCodecs(t, fmt.Sprintf("pages v%d as written", v), data, "")
		run := []byte{50, 0, 0, 0, 0x03}
		i := bytes.Index(data, run)
		if i < 0 || bytes.Contains(data[i+1:], run) {
			t.Fatalf("pages v%d: the run header is not in the file once", v)
		}
		bad := bytes.Clone(data)
		bad[i+4] = 0x7f
		_, err := parquetguard.Open(bytes.NewReader(bad), int64(len(bad)))
		if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), "booleans claim 504 or more values in a page of 200") {
			t.Errorf("pages v%d raised: %v", v, err)
		}
		checkCodecs(t, fmt.Sprintf("pages v%d raised", v), bad, "booleans claim 504 or more values in a page of 200")
	}
}
