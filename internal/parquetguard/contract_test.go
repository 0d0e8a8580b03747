package parquetguard_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
)

// Thrift compact protocol, as much as page headers need.
func tfield(delta, typ byte) byte { return delta<<4 | typ }

func ti32(delta byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	b := []byte{tfield(delta, 5)}
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

// pageHeader is a thrift PageHeader of page type typ and size n (both
// sizes), followed by the given struct fields (already encoded, with their
// field headers), and its stop byte.
func pageHeaderBytes(typ int32, n int, structs ...[]byte) []byte {
	b := ti32(1, int64(typ))
	b = append(b, ti32(1, int64(n))...)
	b = append(b, ti32(1, int64(n))...)
	for _, s := range structs {
		b = append(b, s...)
	}
	return append(b, 0)
}

// The structs of a PageHeader, each after its field header (deltas from
// field 3, compressed_page_size, or from the struct before).
func v1Struct(delta byte, numValues int64) []byte {
	b := []byte{tfield(delta, 12)} // data_page_header
	b = append(b, ti32(1, numValues)...)
	b = append(b, ti32(1, int64(format.Plain))...)
	b = append(b, ti32(1, int64(format.RLE))...)
	b = append(b, ti32(1, int64(format.RLE))...)
	return append(b, 0)
}

func v2Struct(delta byte, numValues int64) []byte {
	b := []byte{tfield(delta, 12)}       // data_page_header_v2
	b = append(b, ti32(1, numValues)...) // num_values
	b = append(b, ti32(1, 0)...)         // num_nulls
	b = append(b, ti32(1, numValues)...) // num_rows
	b = append(b, ti32(1, int64(format.Plain))...)
	b = append(b, ti32(1, 0)...) // definition_levels_byte_length
	b = append(b, ti32(1, 0)...) // repetition_levels_byte_length
	return append(b, 0)
}

func dictStruct(delta byte, numValues int64) []byte {
	b := []byte{tfield(delta, 12)} // dictionary_page_header
	b = append(b, ti32(1, numValues)...)
	b = append(b, ti32(1, int64(format.Plain))...)
	return append(b, 0)
}

// checkChunk runs PageGuard.Check on a column chunk of one page: header,
// then data.
func checkChunk(header, data []byte, c parquetguard.Column) error {
	chunk := append(bytes.Clone(header), data...)
	m := &format.ColumnMetaData{Codec: format.Uncompressed, DataPageOffset: 0, TotalCompressedSize: int64(len(chunk)),
		TotalUncompressedSize: int64(len(chunk))}
	g := parquetguard.NewPageGuard(bytes.NewReader(chunk))
	_, err := g.Check(m, c)
	return err
}

// TestPageTypeDecidesLayout: the package promises that Wrap (and
// Check) check "what each data page claims as it is read", as parquet-go
// reads it. parquet-go reads a page by its header's type (PageHeader field
// 1): a DATA_PAGE by its data_page_header, a DICTIONARY_PAGE by its
// dictionary_page_header, whatever other structs the header holds. The
// guard ignored the type and took whichever structs were there, the last
// one winning:
//
//   - a DATA_PAGE (v1) header that also holds a data_page_header_v2 with
//     no level bytes was checked as a v2 page, its levels not read, so a v1
//     definition-level run claiming 1,000 values in a page of 8 passed;
//   - a DICTIONARY_PAGE header that also holds a data_page_header was
//     checked as a data page (and refused for its claims), and listed by
//     Lazy as one, so that Wrap checked every later data page against the
//     header of the page before it, and the last one not at all.
func TestPageTypeDecidesLayout(t *testing.T) {
	c := parquetguard.Column{MaxDefinitionLevel: 1, Kind: parquet.Int32, Rows: 8}
	// A v1 page of 8 values: definition levels (4-byte length, then an
	// RLE run of 1,000 ones: header 2000 as a varint, value 1), then 8
	// PLAIN int32s.
	data := []byte{3, 0, 0, 0, 0xd0, 0x0f, 1}
	data = append(data, make([]byte, 32)...)
	const want = "definition levels claim 1000 or more values in a page of 8"

	v1 := pageHeaderBytes(0, len(data), v1Struct(2, 8))
	if err := checkChunk(v1, data, c); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("a v1 page: %v, want %q", err, want)
	}
	both := pageHeaderBytes(0, len(data), v1Struct(2, 8), v2Struct(3, 8))
	if err := checkChunk(both, data, c); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a DATA_PAGE header also holding a data_page_header_v2: %v, want %q", err, want)
	}

	// A dictionary page of 2 PLAIN int32s whose header also holds a
	// data_page_header claiming 100 values: parquet-go reads it as the
	// dictionary page it is.
	dict := pageHeaderBytes(2, 8, dictStruct(4, 2))
	if err := checkChunk(dict, make([]byte, 8), c); err != nil {
		t.Fatalf("a dictionary page: %v", err)
	}
	dictAndData := pageHeaderBytes(2, 8, v1Struct(2, 100), dictStruct(2, 2))
	if err := checkChunk(dictAndData, make([]byte, 8), c); err != nil {
		t.Errorf("a DICTIONARY_PAGE header also holding a data_page_header: %v, want it read as a dictionary page", err)
	}
}

// TestCorruptFilesWrapErrCorrupt: the package promises that a
// corrupt file "ends in an error wrapping ErrCorrupt". A file whose footer
// is valid thrift (CheckFooter passes it) but not valid file metadata (an
// empty FileMetaData, one with only its version) ended in parquet-go's
// error, not wrapping ErrCorrupt.
func TestCorruptFilesWrapErrCorrupt(t *testing.T) {
	footer := func(b ...byte) []byte {
		f := append([]byte("PAR1"), b...)
		f = append(f, byte(len(b)), 0, 0, 0)
		return append(f, "PAR1"...)
	}
	for name, data := range map[string][]byte{
		"empty file metadata":    footer(0),
		"file metadata, version": footer(0x15, 0x02, 0),
	} {
		if err := parquetguard.CheckFooter(bytes.NewReader(data), int64(len(data))); err != nil {
			t.Fatalf("%s: CheckFooter: %v", name, err)
		}
		_, err := parquetguard.Open(bytes.NewReader(data), int64(len(data)))
		if !errors.Is(err, parquetguard.ErrCorrupt) {
			t.Errorf("%s: %v, want an error wrapping ErrCorrupt", name, err)
		}
	}
}
