package parquetguard

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"

	"github.com/klauspost/compress/gzip"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Column is what Check needs to know of a column chunk besides its
// metadata: where it is, for errors, its levels and type, and its row
// group's rows.
type Column struct {
	RowGroup, Index int
	// MaxDefinitionLevel and MaxRepetitionLevel say which level sections
	// a data page has before its values, and their bit width.
	MaxDefinitionLevel, MaxRepetitionLevel int
	// Kind is the column's physical type (an RLE-encoded page is read as
	// booleans or as int32s).
	Kind parquet.Kind
	// Rows is the row group's rows, as CheckChunks checked them: a page
	// of a column that does not repeat holds at most that many values.
	Rows int64
}

// ColumnOf returns the Column of chunk j of row group rg of f, a file
// CheckChunks validated.
func ColumnOf(f *parquet.File, rg, j int) Column {
	c := Column{RowGroup: rg, Index: j, Rows: f.Metadata().RowGroups[rg].NumRows}
	if leaf := leaf(f.Root(), &j); leaf != nil {
		c.MaxDefinitionLevel, c.MaxRepetitionLevel = leaf.MaxDefinitionLevel(), leaf.MaxRepetitionLevel()
		c.Kind = leaf.Type().Kind()
	}
	return c
}

// leaf returns the *j-th leaf under c, depth first, as the chunks of a row
// group are ordered; *j counts down the leaves passed.
func leaf(c *parquet.Column, j *int) *parquet.Column {
	if c.Leaf() {
		if *j == 0 {
			return c
		}
		*j--
		return nil
	}
	for _, x := range c.Columns() {
		if l := leaf(x, j); l != nil {
			return l
		}
	}
	return nil
}

// checkValueCount bounds the values a data page claims, before parquet-go
// allocates for them. parquet-go sizes its buffers by what the page says:
// its num_values (a byte a value for each level section), the runs of its
// RLE sections (levels, dictionary indexes, booleans: up to 2³¹ values a
// run, from two bytes) and the headers of its DELTA streams (up to 2³¹
// values, 4 or 8 bytes each). partials' FuzzRead found both in files of a
// few kilobytes: 1.5 billion lengths in a DELTA header, a run of
// dictionary indexes; parquet-go then keeps the buffer in a pool, and
// clearing or filling it took 30 to 47 s (the fuzzer's "hung" worker,
// testing's 10-second limit), where it did not exhaust the memory first.
//
// A page of a column that does not repeat holds at most its row group's
// rows; its level sections and dictionary indexes at most its values
// (bit-packed runs pad to a multiple of 8); a DELTA stream at most its
// values. A page whose levels or values need reading is decompressed for
// it; pages without levels, in PLAIN or BYTE_STREAM_SPLIT, are not.
func checkValueCount(r io.ReaderAt, s *scratch, codec format.CompressionCodec, h pageHeader, off int64, c Column) error {
	if !h.data {
		return nil
	}
	n := h.numValues
	if c.MaxRepetitionLevel == 0 && n > c.Rows {
		return fmt.Errorf("%d values in a row group of %d rows", n, c.Rows)
	}
	want := valuesRead(h.encoding)
	if want == 0 && c.MaxRepetitionLevel == 0 && c.MaxDefinitionLevel == 0 {
		return nil // nothing to read
	}
	p, ok, err := s.page(r, codec, h, off, c, want)
	if err != nil || !ok {
		return err // !ok: parquet-go fails the page before it allocates
	}
	// Bit-packed runs come in groups of 8 values.
	limit := n + 7
	// Levels are read only where the column has them.
	if c.MaxRepetitionLevel > 0 {
		if err := rleCount(p.rep, levelWidth(c.MaxRepetitionLevel), limit, "repetition levels"); err != nil {
			return err
		}
	}
	if c.MaxDefinitionLevel > 0 {
		if err := rleCount(p.def, levelWidth(c.MaxDefinitionLevel), limit, "definition levels"); err != nil {
			return err
		}
	}
	v := p.values
	switch h.encoding {
	case format.DeltaBinaryPacked, format.DeltaLengthByteArray:
		// The header alone: what follows is not read (a page parquet-go
		// or a snappy or zstd codec gave whole would be walked to its end).
		_, err = deltaCount(v[:min(len(v), deltaHeaderMax)], n)
	case format.DeltaByteArray:
		// Prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
		var rest []byte
		if rest, err = deltaCount(v, n); err == nil {
			_, err = deltaCount(rest, n)
		}
	case format.RLEDictionary, plainDictionary:
		// A byte of bit width, then the indexes (parquet-go refuses a
		// width past 32).
		if len(v) > 0 && v[0] <= 32 {
			err = rleCount(v[1:], uint(v[0]), limit, "dictionary indexes")
		}
	case format.RLE:
		switch c.Kind {
		case parquet.Boolean:
			// After a 4-byte length, as parquet-go reads them.
			if len(v) >= 4 && uint64(binary.LittleEndian.Uint32(v)) <= uint64(len(v)-4) {
				err = rleCount(v[4:4+binary.LittleEndian.Uint32(v)], 1, limit, "booleans")
			}
		case parquet.Int32:
			// parquet-go reads them at its RLE encoding's width, 0.
			err = rleCount(v, 0, limit, "values")
		}
	}
	return err
}

// plainDictionary marks a dictionary-encoded data page in files of legacy
// writers; parquet-go reads it as RLE_DICTIONARY, and so does the guard.
//
//lint:ignore SA1019 deprecated for writers, still met by readers
const plainDictionary = format.PlainDictionary

// levelWidth is the bit width of levels up to max.
func levelWidth(max int) uint { return uint(bits.Len(uint(max))) }

// valuesRead is how many bytes of a data page's values, decompressed,
// checkValueCount reads for encoding enc: all of them (allValues), a
// DELTA stream's header at most, or none.
func valuesRead(enc format.Encoding) int64 {
	switch enc {
	case format.DeltaBinaryPacked, format.DeltaLengthByteArray:
		return deltaHeaderMax
	case format.DeltaByteArray, format.RLEDictionary, plainDictionary, format.RLE:
		return allValues
	}
	return 0
}

const (
	allValues = -1
	// deltaHeaderMax is the longest a DELTA_BINARY_PACKED header can be:
	// four varints.
	deltaHeaderMax = 4 * binary.MaxVarintLen64
)

// pageParts are a data page's level sections and values, decompressed:
// the values as far as the check reads them (see valuesRead).
type pageParts struct{ rep, def, values []byte }

// page returns the parts of the data page at off, decompressed: a v2
// page's levels are apart (and never compressed), a v1 page's come before
// its values, each after a 4-byte length as parquet-go reads them. Of the
// values it decompresses at least want bytes, or all of them (allValues).
// ok is false when parquet-go would fail the page before reading what it
// claims (it does not decompress, or its levels overrun it).
//
// A gzip page is decompressed only as far as the check reads: its levels
// and a DELTA header are the first bytes of a page of thousands of
// values, and inflating all of it a second time, besides parquet-go's
// own, was most of what the check cost on gzip flow-log Parquet
// (parquetsource's BenchmarkRead). Snappy and zstd pages, cheaper to
// decompress, are decompressed whole.
func (s *scratch) page(r io.ReaderAt, codec format.CompressionCodec, h pageHeader, off int64, c Column, want int64) (p pageParts, ok bool, err error) {
	size := h.cs
	if h.v2 && want == 0 {
		size = h.levels() // the values are not read
	}
	if int64(cap(s.data)) < size {
		s.data = make([]byte, size)
	}
	b := s.data[:size]
	if _, err := r.ReadAt(b, off); err != nil {
		return p, false, fmt.Errorf("reading its data: %w", err)
	}
	if h.v2 {
		// pageSizes checked that the levels fit the page.
		p.rep, p.def, b = b[:h.repBytes], b[h.repBytes:h.levels()], b[h.levels():]
		if want == 0 {
			return p, true, nil
		}
	}
	// pl gives the decompressed bytes up to n.
	pl := func(n int64) ([]byte, bool) { return b, true }
	switch {
	case codec == format.Uncompressed || h.v2 && h.uncompressed:
	case codec == format.Gzip && want != allValues:
		if !s.gz.reset(b) {
			return p, false, nil
		}
		pl = s.gz.upTo
	default:
		// Bounded: checkPayload checked what snappy and zstd declare,
		// and gzip cannot expand past about 1,032 times its bytes.
		out, err := parquet.LookupCompressionCodec(codec).Decode(s.plain[:0], b)
		if err != nil {
			return p, false, nil
		}
		s.plain, b = out, out
	}
	var at int64 // where the values start
	if !h.v2 {
		for _, l := range []struct {
			max int
			enc format.Encoding
			dst *[]byte
		}{{c.MaxRepetitionLevel, h.repEncoding, &p.rep}, {c.MaxDefinitionLevel, h.defEncoding, &p.def}} {
			if l.max == 0 {
				continue
			}
			b, ok := pl(at + 4)
			if !ok || int64(len(b)) < at+4 {
				return p, false, nil
			}
			k := at + 4 + int64(binary.LittleEndian.Uint32(b[at:]))
			if b, ok = pl(k); !ok || int64(len(b)) < k {
				return p, false, nil
			}
			if l.enc == format.RLE { // BIT_PACKED levels are as many as their bytes
				*l.dst = b[at+4 : k]
			}
			at = k
		}
	}
	n := at + want
	if want == allValues {
		n = math.MaxInt64
	}
	b, ok = pl(n)
	if !ok {
		return p, false, nil
	}
	p.values = b[at:]
	return p, true, nil
}

// gunzip decompresses a gzip page as far as asked.
type gunzip struct {
	zr   *gzip.Reader // reused from page to page
	src  bytes.Reader
	out  []byte
	end  bool // out is all the page holds
	fail bool // the page does not decompress
}

// reset starts on page b, and reports whether its gzip header is valid.
func (g *gunzip) reset(b []byte) bool {
	g.src.Reset(b)
	g.out, g.end, g.fail = g.out[:0], false, false
	var err error
	if g.zr == nil {
		g.zr, err = gzip.NewReader(&g.src)
	} else {
		err = g.zr.Reset(&g.src)
	}
	return err == nil
}

// upTo decompresses the page's bytes up to n, or to its end, and returns
// them, or false if the page does not decompress as far (parquet-go's
// codec is the same decoder, and fails the page before it decodes it).
// The buffer grows with what is decompressed, not with n: a level
// section's length is what the page says, and gzip bounds the rest.
func (g *gunzip) upTo(n int64) ([]byte, bool) {
	for int64(len(g.out)) < n && !g.end {
		if len(g.out) == cap(g.out) {
			g.out = slices.Grow(g.out, max(4096, len(g.out)))
		}
		m, err := g.zr.Read(g.out[len(g.out):min(int64(cap(g.out)), n)])
		g.out = g.out[:len(g.out)+m]
		switch {
		case err == io.EOF:
			g.end = true
		case err != nil || m == 0:
			// No progress: klauspost's Read never returns it for room
			// to write (it decodes until it has bytes or an error);
			// this only keeps the loop finite.
			g.end, g.fail = true, true
		}
	}
	return g.out, !g.fail
}

// rleCount walks the runs of an RLE/bit-packed hybrid section of values
// width bits wide, as parquet-go decodes them, and returns an error if
// they claim more than limit values in all. It stops where parquet-go
// would fail before allocating for a run; a run parquet-go allocates for
// before it checks the run's bytes is counted.
func rleCount(b []byte, width uint, limit int64, what string) error {
	var sum int64
	for i := 0; i < len(b); {
		u, n := binary.Uvarint(b[i:])
		if n <= 0 {
			return nil
		}
		i += n
		count := int64(u >> 1)
		if count == 0 {
			continue // parquet-go skips it, reading nothing more
		}
		if count > math.MaxInt32 {
			return nil // parquet-go refuses the run
		}
		if u&1 != 0 {
			count *= 8 // bit-packed: groups of 8
			i += int(min(count*int64(width)/8, int64(len(b))))
		} else {
			i += int((width + 7) / 8)
		}
		if sum += count; sum > limit {
			return fmt.Errorf("%s claim %d or more values in a page of %d", what, sum, limit-7)
		}
	}
	return nil
}

// deltaCount reads the DELTA_BINARY_PACKED stream at the start of b as
// parquet-go decodes it and returns what follows it, or an error if its
// header claims more than limit values. A header parquet-go refuses ends
// the check: it allocates nothing for it.
func deltaCount(b []byte, limit int64) (rest []byte, err error) {
	var hdr [4]int64 // block size, mini-blocks, total values, first value
	for i := range hdr {
		var n int
		if i == 3 {
			hdr[i], n = binary.Varint(b)
		} else {
			var u uint64
			u, n = binary.Uvarint(b)
			hdr[i] = int64(u)
			if u > 1<<62 {
				return nil, nil
			}
		}
		if n <= 0 {
			return nil, nil
		}
		b = b[n:]
	}
	blockSize, miniBlocks, total := hdr[0], hdr[1], hdr[2]
	// As parquet-go's checks (its largest block is 65,536 values), which
	// also keep the sizes below from overflowing.
	if miniBlocks <= 0 || blockSize <= 0 || blockSize%128 != 0 || blockSize > 65536 || (blockSize/miniBlocks)%32 != 0 {
		return nil, nil
	}
	if total > limit {
		return nil, fmt.Errorf("a DELTA stream of %d values in a page of %d", total, limit)
	}
	// Skip the blocks as parquet-go reads them: the first value is in the
	// header; then per block a min delta and the mini-blocks' bit widths,
	// and the values of each mini-block that has any left, packed at its
	// width (a short last block takes what there is).
	perMini := blockSize / miniBlocks
	for left := total - 1; left > 0 && len(b) > 0; {
		_, n := binary.Varint(b)
		if n <= 0 {
			return nil, nil
		}
		b = b[n:]
		widths := b[:min(int64(len(b)), miniBlocks)]
		b = b[len(widths):]
		for _, w := range widths {
			if w != 0 {
				size := perMini * int64(w) / 8
				b = b[min(size, int64(len(b))):]
			}
			left -= min(perMini, left)
			if left == 0 {
				break
			}
		}
	}
	return b, nil
}
