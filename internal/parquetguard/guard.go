// Package parquetguard checks a Parquet file's sizes before
// github.com/parquet-go/parquet-go trusts them. parquet-go allocates what a
// file claims: a corrupt footer length, string length, list size or page
// size makes it allocate that much (gigabytes) before it notices the file
// is too short, and so do its decompressors with the sizes inside a page
// (zstd's frame content size, snappy's length; LZ4_RAW and BROTLI, which
// cannot be bounded, are refused), and its decoders with the counts inside
// a page (its values, an RLE run's, a DELTA stream's). Some corrupt files
// make it panic. Readers of untrusted files that read every column
// (flowlogs/attribution/partials, eni/history/intervals) open them with
// Open; a reader of some columns (flowlogs/parquetsource) calls, in order:
//
//   - CheckFooter before parquet.OpenFile (opened with
//     parquet.SkipBloomFilters and parquet.SkipPageIndex, which are not
//     checked);
//   - CheckChunks after it (sizes, codecs, rows);
//   - PageGuard.Lazy on each column chunk before its pages are read (the
//     page headers, the size headers of zstd and snappy pages), and its
//     Wrap on the chunk's pages, which checks what each data page claims
//     as it is read: at most its row group's rows, its RLE runs and DELTA
//     streams at most the page's values. PageGuard.Check makes both checks
//     at once.
//
// All of them defer Recover, for what the checks cannot see (corrupt values
// inside pages). ReadFile and CheckVersion are what the readers of our own
// versioned tables (partials, intervals) share besides.
//
// A corrupt file then costs memory in proportion to its size and ends in an
// error wrapping ErrCorrupt (but one that does not end with Parquet's
// magic, cut short for instance: see CheckFooter). The errors carry no
// package prefix: callers wrap them with theirs (and the file's name).
package parquetguard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

const (
	// maxFooter bounds the file metadata. AWS's flow-log files have one
	// row group per few hundred thousand records and at most 54 columns,
	// partials files row groups of 75 columns: a few KB to a few tens.
	maxFooter = 8 << 20
	// maxExpansion bounds how much larger than its compressed bytes a page
	// or column chunk may claim to be (plus 1 KB, for tiny pages).
	// Flow-log and partials columns compress well (repeated ENI IDs, ARNs,
	// accounts, actions), but far less than this.
	maxExpansion = 1024
	// maxPageHeader bounds one page header (with its statistics).
	maxPageHeader = 1 << 20
	// maxRowsPerByte bounds the rows a file may claim for its size, and so
	// what a page may claim (PageGuard.Check: at most its row group's
	// rows), which parquet-go allocates for: a byte a value for each level
	// section, 4 or 8 for a DELTA stream. A flow-log record takes tens of
	// bytes even in Parquet (its counters, times and ports differ from
	// record to record), a partials or intervals row about a hundred.
	maxRowsPerByte = 1024
)

// ErrCorrupt is wrapped by the errors about a file whose metadata or page
// headers contradict its size or themselves, and by Recover's.
var ErrCorrupt = errors.New("corrupt file")

// ErrCodec is wrapped by the error about a column chunk compressed with
// LZ4_RAW or BROTLI. parquet-go's LZ4 decoder doubles its buffer for as
// long as a page fails to decode, so a corrupt page took all the memory
// there is (found by partials' FuzzRead); brotli can expand a few bytes
// past any bound, and says nothing of its size first. Our tables are
// written with zstd, and AWS writes flow logs' Parquet with gzip.
var ErrCodec = errors.New("LZ4_RAW and BROTLI compression are not read")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// CheckFooter validates the length and thrift structure of the footer of
// the Parquet file of size bytes in r, reading only the footer. Encrypted
// files (PARE) are refused. A file that does not end with Parquet's magic
// (PAR1), cut short or not Parquet at all, is refused as not a Parquet
// file: it is not said to be corrupt.
func CheckFooter(r io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("%d bytes is too short for a Parquet file", size)
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return fmt.Errorf("reading the footer: %w", err)
	}
	if string(tail[4:]) != "PAR1" {
		return errors.New("not a Parquet file, or one cut short (no PAR1 at the end; encrypted files are not supported)")
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-12 || n > maxFooter {
		return corrupt("footer of %d bytes in a file of %d", n, size)
	}
	footer := make([]byte, n)
	if _, err := r.ReadAt(footer, size-8-n); err != nil {
		return fmt.Errorf("reading the footer: %w", err)
	}
	if _, err := validStruct(footer, 0); err != nil {
		return corrupt("file metadata: %v", err)
	}
	return nil
}

// CheckChunks validates every row group's row count and every column
// chunk's offsets, sizes and codec (not LZ4_RAW or BROTLI: ErrCodec) in f,
// a file of size bytes, from the metadata alone. The page headers inside a chunk are checked by a PageGuard when
// the chunk is about to be read, so that columns a caller does not read
// cost nothing.
//
// The row groups must hold the rows the file claims (FileMetaData's
// num_rows, which File.NumRows returns): a reader reads the row groups, so
// a file that claims more would lose rows without a word (found by
// parquetsource's FuzzNewReader: a footer of 19 rows over a row group of 3).
func CheckChunks(f *parquet.File, size int64) error {
	md := f.Metadata()
	var total int64
	for i, rg := range md.RowGroups {
		if rg.NumRows < 0 || rg.NumRows > math.MaxInt64-total {
			return corrupt("row group %d has %d rows", i, rg.NumRows)
		}
		total += rg.NumRows
		for j := range rg.Columns {
			m := &rg.Columns[j].MetaData
			start, end := ChunkRange(m)
			if start < 4 || m.TotalCompressedSize < 0 || end > size || end < start ||
				m.TotalUncompressedSize < 0 || m.TotalUncompressedSize > maxExpansion*(m.TotalCompressedSize+1024) {
				return corrupt("row group %d column %d claims %d bytes (%d compressed) at offset %d of %d",
					i, j, m.TotalUncompressedSize, m.TotalCompressedSize, start, size)
			}
			if m.Codec == format.Lz4Raw || m.Codec == format.Brotli {
				return fmt.Errorf("%w: row group %d column %d", ErrCodec, i, j)
			}
		}
	}
	if total != md.NumRows {
		return corrupt("the row groups hold %d rows, the file claims %d", total, md.NumRows)
	}
	if total > maxRowsPerByte*size {
		return corrupt("%d rows in %d bytes, more than %d a byte", total, size, maxRowsPerByte)
	}
	return nil
}

// ChunkRange returns the byte range of a column chunk: its dictionary
// page, if any, and its data pages.
func ChunkRange(m *format.ColumnMetaData) (start, end int64) {
	start = m.DataPageOffset
	if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
		start = m.DictionaryPageOffset
	}
	return start, start + m.TotalCompressedSize
}

// pageHeaderProbe is how many bytes are read first for a page header: a
// flow-log page header with its statistics (min and max strings) takes
// about a hundred. A longer header is read again, up to maxPageHeader.
const pageHeaderProbe = 1024

// A PageGuard walks the page headers of a column chunk, which drive
// parquet-go's allocations, before parquet-go reads them. Its buffer is
// reused from chunk to chunk, and the headers are walked in place (no
// thrift decoding into structs), so checking costs no allocation once the
// buffer has grown. The zero PageGuard is not usable: see NewPageGuard.
type PageGuard struct {
	r   io.ReaderAt
	buf []byte // a page header
	scratch
}

// scratch is the memory checkPayload and checkValueCount read a page's
// data in, and the latter decompresses it in.
type scratch struct {
	data, plain []byte
	gz          gunzip
}

// NewPageGuard returns a PageGuard reading page headers from r, the file
// CheckChunks validated.
func NewPageGuard(r io.ReaderAt) PageGuard { return PageGuard{r: r} }

// Check validates the page headers of the column chunk described by m
// and c (see ColumnOf), and the values its data pages claim (see
// checkValueCount), and returns how many pages it has. CheckChunks must
// have validated the chunk's range.
func (g *PageGuard) Check(m *format.ColumnMetaData, c Column) (pages int, err error) {
	return g.walk(m, c, func(h pageHeader, off int64) error {
		return checkValueCount(g.r, &g.scratch, m.Codec, h, off, c)
	})
}

// walk validates the page headers of a column chunk and calls data with
// each page's header and the offset of its data.
func (g *PageGuard) walk(m *format.ColumnMetaData, c Column, data func(pageHeader, int64) error) (pages int, err error) {
	rg, col := c.RowGroup, c.Index
	start, end := ChunkRange(m)
	for off := start; off < end; pages++ {
		h, err := g.header(off, end)
		if err != nil {
			return pages, corrupt("row group %d column %d page header at %d: %v", rg, col, off, err)
		}
		us, cs := h.us, h.cs
		if cs < 0 || off+int64(h.n)+cs > end || us < 0 || us > maxExpansion*(cs+1024) {
			return pages, corrupt("row group %d column %d page at %d claims %d bytes (%d compressed)", rg, col, off, us, cs)
		}
		if err := g.checkPayload(m.Codec, h, off+int64(h.n)); err != nil {
			return pages, corrupt("row group %d column %d page at %d: %v", rg, col, off, err)
		}
		// parquet-go sizes a dictionary's offsets and values by its
		// num_values. Its values are PLAIN: a byte each at least, or a
		// bit (booleans).
		if h.dict && (h.dictValues < 0 || h.dictValues > 8*us) {
			return pages, corrupt("row group %d column %d dictionary page at %d: %d values in %d bytes", rg, col, off, h.dictValues, us)
		}
		if err := data(h, off+int64(h.n)); err != nil {
			return pages, corrupt("row group %d column %d page at %d: %v", rg, col, off, err)
		}
		off += int64(h.n) + cs
	}
	return pages, nil
}

// Lazy is Check for a reader that reads a chunk's pages as it goes: it
// validates the page headers now, and returns the checks of the values
// the data pages claim (see checkValueCount) for Wrap to make as each
// page is read. Those checks decompress, once more, what they read of a
// page (see scratch.page: of a gzip page, its levels and a DELTA header;
// of a dictionary-encoded page, all of it); made as the pages are read,
// they cost the goroutine that reads each page (parquetsource reads them
// ahead on one of its own), not the reader, up front.
func (g *PageGuard) Lazy(m *format.ColumnMetaData, c Column) (*DataPages, error) {
	d := &DataPages{r: g.r, codec: m.Codec, c: c}
	_, err := g.walk(m, c, func(h pageHeader, off int64) error {
		if h.data {
			d.pages = append(d.pages, dataPage{h, off})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// DataPages are the data pages of a column chunk, whose claimed values
// Wrap checks as they are read.
type DataPages struct {
	r     io.ReaderAt
	codec format.CompressionCodec
	c     Column
	pages []dataPage
}

type dataPage struct {
	h   pageHeader
	off int64 // of its data
}

// Wrap returns pages, the chunk's parquet.Pages, checking each data
// page's claimed values before it reads the page: parquet-go's ReadPage
// returns the chunk's data pages in order (it reads the dictionary page
// itself). Its errors wrap ErrCorrupt. It does not seek.
func (d *DataPages) Wrap(pages parquet.Pages) parquet.Pages {
	return &checkedPages{Pages: pages, d: d}
}

type checkedPages struct {
	parquet.Pages
	d    *DataPages
	next int
}

// scratches are the buffers of the checks Wrap makes: the goroutine
// reading ahead and the reader may check pages of two columns at once.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

func (p *checkedPages) ReadPage() (parquet.Page, error) {
	if d := p.d; p.next < len(d.pages) {
		pg := d.pages[p.next]
		s := scratches.Get().(*scratch)
		err := checkValueCount(d.r, s, d.codec, pg.h, pg.off, d.c)
		scratches.Put(s)
		if err != nil {
			// Again on every call: the page is never read.
			return nil, corrupt("row group %d column %d page at %d: %v", d.c.RowGroup, d.c.Index, pg.off-int64(pg.h.n), err)
		}
		p.next++
	}
	return p.Pages.ReadPage()
}

func (p *checkedPages) SeekToRow(int64) error {
	return errors.New("parquetguard: checked pages do not seek")
}

// pageHeader is what Check reads of a page header: its length, the page's
// uncompressed and compressed sizes, and for a data page v2 the bytes of
// levels before its values (which are not compressed) and whether its
// values are; for a data page (v1 or v2), its values' number and encoding.
type pageHeader struct {
	n            int
	us, cs       int64
	uncompressed bool
	v2           bool
	data         bool // a data page: numValues and encoding are set
	numValues    int64
	encoding     format.Encoding
	// A v1 page's level encodings (RLE unless said), a v2 page's level
	// lengths (see levels).
	repEncoding, defEncoding format.Encoding
	repBytes, defBytes       int64
	// A dictionary page's num_values.
	dict       bool
	dictValues int64
}

// levels is how many bytes of a v2 page's levels come before its values
// (not compressed); 0 for other pages.
func (h pageHeader) levels() int64 { return h.repBytes + h.defBytes }

// header reads and walks the page header at off.
func (g *PageGuard) header(off, end int64) (h pageHeader, err error) {
	limit := min(end-off, maxPageHeader)
	size := min(limit, pageHeaderProbe)
	for {
		if int64(cap(g.buf)) < size {
			g.buf = make([]byte, size)
		}
		b := g.buf[:size]
		if _, err := g.r.ReadAt(b, off); err != nil {
			return h, fmt.Errorf("reading: %w", err)
		}
		h, err = pageSizes(b)
		if err == nil || size == limit {
			return h, err
		}
		size = limit
	}
}

// pageSizes walks the thrift PageHeader struct at the start of b (see
// validStruct) and returns its length, its uncompressed_page_size (field
// 2) and compressed_page_size (field 3), both required i32 fields, and
// what the struct of its type (field 1) says: a DATA_PAGE's
// data_page_header (field 5), a DATA_PAGE_V2's data_page_header_v2 (field
// 8: levels and compression), a DICTIONARY_PAGE's dictionary_page_header
// (field 7). parquet-go reads a page by its type, whatever other structs
// its header holds, and so does the guard.
func pageSizes(b []byte) (h pageHeader, err error) {
	h.us, h.cs = -1, -1
	// format.PageType: DATA_PAGE (0) when absent, though parquet-go
	// refuses such a header before reading its page (type is a required
	// field): the guard's checks of it are only stricter than needed.
	var typ int64
	var v1, v2, dict pageHeader
	n, err := fields(b, 0, func(t byte, id int64, v []byte) (int, bool, error) {
		switch {
		case t == tI32 && id == 1:
			x, k, err := i32(v, id)
			typ = x
			return k, true, err
		case t == tI32 && (id == 2 || id == 3):
			x, k, err := i32(v, id)
			if id == 2 {
				h.us = x
			} else {
				h.cs = x
			}
			return k, true, err
		case t == tStruct && id == 8:
			k, err := v2.dataPageV2(v)
			return k, true, err
		case t == tStruct && id == 5:
			k, err := v1.dataPageV1(v)
			return k, true, err
		case t == tStruct && id == 7:
			k, err := dict.dictionaryPage(v)
			return k, true, err
		}
		return 0, false, nil
	})
	if err != nil {
		return h, err
	}
	if h.us < 0 || h.cs < 0 {
		return h, fmt.Errorf("page sizes missing or negative (%d, %d compressed)", h.us, h.cs)
	}
	var of pageHeader // what the page's type reads; nothing for other types (parquet-go fails them)
	switch format.PageType(typ) {
	case format.DataPage:
		of = v1
	case format.DataPageV2:
		of = v2
	case format.DictionaryPage:
		of = dict
	}
	of.us, of.cs = h.us, h.cs
	h = of
	if h.levels() > h.cs {
		return h, fmt.Errorf("levels of %d bytes in a page of %d", h.levels(), h.cs)
	}
	h.n = n
	return h, nil
}

// fields walks the thrift compact struct at the start of b, nested depth
// deep, and returns its length. It calls field with each field's type,
// id, and the bytes from its value on (a bool's value is in its type):
// field returns how many bytes the value takes, or false to have it
// checked and skipped as validValue does.
func fields(b []byte, depth int, field func(typ byte, id int64, v []byte) (n int, ok bool, err error)) (int, error) {
	i, id := 0, int64(0)
	for {
		typ, next, j, end, err := nextField(b, i, id)
		if err != nil {
			return 0, err
		}
		i, id = j, next
		if end {
			return i, nil
		}
		k, ok, err := field(typ, id, b[i:])
		if err != nil {
			return 0, err
		}
		if !ok {
			if typ == tTrue || typ == tFalse {
				continue
			}
			if k, err = validValue(b[i:], typ, depth); err != nil {
				return 0, err
			}
		}
		i += k
	}
}

// dataPageV1 walks a DataPageHeader struct at the start of b, noting its
// num_values (1), encoding (2), definition_level_encoding (3) and
// repetition_level_encoding (4), and returns its length.
func (h *pageHeader) dataPageV1(b []byte) (int, error) {
	h.data, h.numValues = true, -1
	h.defEncoding, h.repEncoding = format.RLE, format.RLE
	n, err := fields(b, 1, func(typ byte, id int64, v []byte) (int, bool, error) {
		if typ != tI32 || id < 1 || id > 4 {
			return 0, false, nil
		}
		x, k, err := i32(v, id)
		switch id {
		case 1:
			h.numValues = x
		case 2:
			h.encoding = format.Encoding(x)
		case 3:
			h.defEncoding = format.Encoding(x)
		case 4:
			h.repEncoding = format.Encoding(x)
		}
		return k, true, err
	})
	if err != nil {
		return 0, err
	}
	return n, h.checkValues()
}

// dictionaryPage walks a DictionaryPageHeader struct at the start of b,
// noting its num_values (1), and returns its length.
func (h *pageHeader) dictionaryPage(b []byte) (int, error) {
	h.dict = true
	return fields(b, 1, func(typ byte, id int64, v []byte) (int, bool, error) {
		if typ != tI32 || id != 1 {
			return 0, false, nil
		}
		x, k, err := i32(v, id)
		h.dictValues = x
		return k, true, err
	})
}

func (h *pageHeader) checkValues() error {
	if h.numValues < 0 {
		return fmt.Errorf("data page of %d values", h.numValues)
	}
	return nil
}

// dataPageV2 walks a DataPageHeaderV2 struct at the start of b, noting its
// num_values (1), encoding (4), definition_levels_byte_length (5),
// repetition_levels_byte_length (6) and is_compressed (7, true when
// absent), and returns its length.
func (h *pageHeader) dataPageV2(b []byte) (int, error) {
	h.data, h.v2, h.numValues = true, true, -1
	var def, rep int64
	n, err := fields(b, 1, func(typ byte, id int64, v []byte) (int, bool, error) {
		switch {
		case (typ == tTrue || typ == tFalse) && id == 7:
			h.uncompressed = typ == tFalse
			return 0, true, nil
		case typ == tI32 && id == 1:
			x, k, err := i32(v, id)
			h.numValues = x
			return k, true, err
		case typ == tI32 && id == 4:
			x, k, err := i32(v, id)
			h.encoding = format.Encoding(x)
			return k, true, err
		case typ == tI32 && (id == 5 || id == 6):
			x, k, err := i32(v, id)
			if err == nil && x < 0 {
				err = fmt.Errorf("levels of %d bytes", x)
			}
			if id == 5 {
				def = x
			} else {
				rep = x
			}
			return k, true, err
		}
		return 0, false, nil
	})
	if err != nil {
		return 0, err
	}
	h.defBytes, h.repBytes = def, rep
	return n, h.checkValues()
}

// nextField reads the thrift compact field header at b[i:], in a struct
// whose last field was id: the field's type and id, and where its value
// starts; end at the struct's stop byte (then j is past it).
func nextField(b []byte, i int, id int64) (typ byte, next int64, j int, end bool, err error) {
	if i >= len(b) {
		return 0, 0, 0, false, io.ErrUnexpectedEOF
	}
	c := b[i]
	i++
	if c == 0 {
		return 0, id, i, true, nil
	}
	typ = c & 0x0f
	if d := c >> 4; d != 0 {
		return typ, id + int64(d), i, false, nil
	}
	v, k, err := varint(b[i:])
	if err != nil {
		return 0, 0, 0, false, err
	}
	return typ, zigzag(v), i + k, false, nil
}

// i32 reads the thrift i32 of field id at the start of b.
func i32(b []byte, id int64) (int64, int, error) {
	v, k, err := varint(b)
	if err != nil {
		return 0, 0, err
	}
	x := zigzag(v)
	if x < math.MinInt32 || x > math.MaxInt32 {
		return 0, 0, fmt.Errorf("thrift: i32 field %d holds %d", id, x)
	}
	return x, k, nil
}

func zigzag(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }

// Thrift compact protocol type codes.
const (
	tTrue, tFalse, tI8, tI16, tI32, tI64, tDouble, tBinary, tList, tSet, tMap, tStruct, tUUID = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
)

const maxDepth = 32

// validStruct walks one thrift compact struct at the start of b and
// returns its length. It fails when a length or element count exceeds the
// bytes that remain (every element takes at least one byte), so decoding
// it cannot allocate more than a small multiple of len(b).
func validStruct(b []byte, depth int) (int, error) {
	if depth > maxDepth {
		return 0, errors.New("thrift: nesting too deep")
	}
	i := 0
	for {
		if i >= len(b) {
			return 0, io.ErrUnexpectedEOF
		}
		h := b[i]
		i++
		if h == 0 {
			return i, nil
		}
		typ := h & 0x0f
		if h>>4 == 0 { // long form: field id follows as a varint
			n, err := skipVarint(b[i:])
			if err != nil {
				return 0, err
			}
			i += n
		}
		if typ == tTrue || typ == tFalse {
			continue // the value is in the type
		}
		n, err := validValue(b[i:], typ, depth)
		if err != nil {
			return 0, err
		}
		i += n
	}
}

func validValue(b []byte, typ byte, depth int) (int, error) {
	switch typ {
	case tTrue, tFalse, tI8:
		if len(b) < 1 {
			return 0, io.ErrUnexpectedEOF
		}
		return 1, nil
	case tI16, tI32, tI64:
		return skipVarint(b)
	case tDouble:
		if len(b) < 8 {
			return 0, io.ErrUnexpectedEOF
		}
		return 8, nil
	case tUUID:
		if len(b) < 16 {
			return 0, io.ErrUnexpectedEOF
		}
		return 16, nil
	case tBinary:
		l, n, err := varint(b)
		if err != nil {
			return 0, err
		}
		if l > uint64(len(b)-n) {
			return 0, fmt.Errorf("thrift: binary of %d bytes with %d left", l, len(b)-n)
		}
		return n + int(l), nil
	case tList, tSet:
		if len(b) < 1 {
			return 0, io.ErrUnexpectedEOF
		}
		size, elem, i := uint64(b[0]>>4), b[0]&0x0f, 1
		if size == 15 {
			s, n, err := varint(b[1:])
			if err != nil {
				return 0, err
			}
			size, i = s, 1+n
		}
		return validElems(b, i, size, 1, elem, elem, depth)
	case tMap:
		size, i, err := varint(b)
		if err != nil {
			return 0, err
		}
		if size == 0 {
			return i, nil
		}
		if i >= len(b) {
			return 0, io.ErrUnexpectedEOF
		}
		kt, vt := b[i]>>4, b[i]&0x0f
		return validElems(b, i+1, size, 2, kt, vt, depth)
	case tStruct:
		return validStruct(b, depth+1)
	default:
		return 0, fmt.Errorf("thrift: unknown type %d", typ)
	}
}

// validElems checks size elements (key/value pairs when per is 2) from
// b[i:].
func validElems(b []byte, i int, size uint64, per int, kt, vt byte, depth int) (int, error) {
	if size > uint64(len(b)-i)/uint64(per) {
		return 0, fmt.Errorf("thrift: %d elements with %d bytes left", size, len(b)-i)
	}
	types := [2]byte{kt, vt}
	for k := uint64(0); k < size; k++ {
		for _, t := range types[:per] {
			n, err := validValue(b[i:], t, depth+1)
			if err != nil {
				return 0, err
			}
			i += n
		}
	}
	return i, nil
}

func skipVarint(b []byte) (int, error) {
	_, n, err := varint(b)
	return n, err
}

func varint(b []byte) (uint64, int, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, 0, errors.New("thrift: bad varint")
	}
	return v, n, nil
}

// Recover turns a panic inside parquet-go, possible on corrupt page
// contents that the checks cannot see, into an error wrapping ErrCorrupt,
// passed through wrap when wrap is not nil, and stores it in *err. Defer it
// directly (defer parquetguard.Recover(&err, wrap)): recover works only
// there. A reader of untrusted files must never panic.
func Recover(err *error, wrap func(error) error) {
	if v := recover(); v != nil {
		e := corrupt("%v", v)
		if wrap != nil {
			e = wrap(e)
		}
		*err = e
	}
}

// OpenFile is parquet.OpenFile as the readers call it, after CheckFooter:
// without bloom filters and page index. Its error wraps ErrCorrupt (the
// footer is valid thrift, but not valid file metadata), unless reading r
// failed, which it wraps instead: a file that could not be read is not
// said to be corrupt.
func OpenFile(r io.ReaderAt, size int64) (*parquet.File, error) {
	or := &openReader{r: r}
	f, err := parquet.OpenFile(or, size, parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
	or.opened = true // before f is shared: later reads need not record
	if err != nil {
		if or.err != nil {
			return nil, fmt.Errorf("reading the file metadata: %w", or.err)
		}
		return nil, corrupt("%w", err)
	}
	return f, nil
}

// openReader notes the first error of reading r while parquet.OpenFile
// runs (io.EOF aside: a read that ends at the file's end).
type openReader struct {
	r      io.ReaderAt
	opened bool
	err    error
}

func (o *openReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.r.ReadAt(p, off)
	if err != nil && err != io.EOF && !o.opened && o.err == nil {
		o.err = err
	}
	return n, err
}

// Open opens a Parquet file that will be read whole, every column: the
// footer checked, opened without bloom filters and page index, the chunks
// and every page header checked. Readers that read only some columns
// check those columns' pages themselves (PageGuard) when they need them.
func Open(r io.ReaderAt, size int64) (*parquet.File, error) {
	if err := CheckFooter(r, size); err != nil {
		return nil, err
	}
	f, err := OpenFile(r, size)
	if err != nil {
		return nil, err
	}
	if err := CheckChunks(f, size); err != nil {
		return nil, err
	}
	g := NewPageGuard(r)
	for i, rg := range f.Metadata().RowGroups {
		for j := range rg.Columns {
			if _, err := g.Check(&rg.Columns[j].MetaData, ColumnOf(f, i, j)); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}

// ReadFile opens the file name and reads it with read, given its size and
// name: the ReadFile of each package whose reader takes an io.ReaderAt.
func ReadFile[T any](name string, read func(r io.ReaderAt, size int64, name string) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(name)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return zero, err
	}
	return read(f, st.Size(), name)
}

// CheckVersion returns an error wrapping errVersion, "… (its KEY is V)",
// unless f's key/value metadata holds version under key ("none" when it
// has no such key): the schema check of each of our versioned tables. A
// V above version says that a newer ecsnet wrote the file, one below
// that an older one did.
func CheckVersion(f *parquet.File, key string, version int, errVersion error) error {
	v, ok := f.Lookup(key)
	if ok && v == strconv.Itoa(version) {
		return nil
	}
	if !ok {
		v = "none"
	}
	var who string
	switch n, err := strconv.Atoi(v); {
	case err != nil || n < 1:
	case n > version:
		who = ": written by a newer ecsnet, which this one cannot read; read it with that one"
	default:
		who = ": written by an older ecsnet; read it with that one, or write it again with this one"
	}
	return fmt.Errorf("%w (its %s is %s)%s", errVersion, key, v, who)
}
