package parquetguard

import (
	"encoding/binary"
	"fmt"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Column is what Check needs to know of a column chunk besides its
// metadata: where it is, for errors, its levels, and its row group's rows.
type Column struct {
	RowGroup, Index int
	// MaxDefinitionLevel and MaxRepetitionLevel say which level sections
	// a data page v1 has before its values.
	MaxDefinitionLevel, MaxRepetitionLevel int
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
// allocates for them. It allocates a byte a value for each level section,
// and for the DELTA encodings 4 or 8 bytes a value the stream's own header
// claims, up to 2³¹, from a few bytes: a 14 KB file claimed 1.5 billion
// (partials' FuzzRead), and parquet-go keeps such a buffer in a pool,
// where clearing it for the next file took half a minute (the fuzzer's
// "hung" worker). A page of a column that does not repeat holds at most
// its row group's rows, and a DELTA stream at most the page's values
// (its nulls are not in it).
func (g *PageGuard) checkValueCount(codec format.CompressionCodec, h pageHeader, off int64, c Column) error {
	if !h.data {
		return nil
	}
	if c.MaxRepetitionLevel == 0 && h.numValues > c.Rows {
		return fmt.Errorf("%d values in a row group of %d rows", h.numValues, c.Rows)
	}
	switch h.encoding {
	case format.DeltaBinaryPacked, format.DeltaLengthByteArray, format.DeltaByteArray:
	default:
		return nil
	}
	values, err := g.pageValues(codec, h, off, c)
	if err != nil || values == nil {
		return err // nil: parquet-go fails the page before its values
	}
	rest, err := deltaCount(values, h.numValues)
	if err == nil && h.encoding == format.DeltaByteArray {
		// Prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
		_, err = deltaCount(rest, h.numValues)
	}
	return err
}

// pageValues returns the bytes of the data page's values, decompressed: a
// v2 page's levels are apart, a v1 page's are before its values, each
// section after its 4-byte length as parquet-go reads them. It returns nil
// when the page is too short to hold the levels it must.
func (g *PageGuard) pageValues(codec format.CompressionCodec, h pageHeader, off int64, c Column) ([]byte, error) {
	if int64(cap(g.data)) < h.cs {
		g.data = make([]byte, h.cs)
	}
	b := g.data[:h.cs]
	if _, err := g.r.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("reading its data: %w", err)
	}
	if h.v2 {
		b = b[h.levels:] // pageSizes checked levels <= cs
	}
	if codec != format.Uncompressed && !(h.v2 && h.uncompressed) {
		// Bounded: checkPayload checked what snappy and zstd declare, and
		// Check the page's uncompressed size.
		out, err := parquet.LookupCompressionCodec(codec).Decode(g.plain[:0], b)
		if err != nil {
			return nil, nil // parquet-go fails to decompress it too
		}
		g.plain, b = out, out
	}
	if h.v2 {
		return b, nil
	}
	for _, present := range []bool{c.MaxRepetitionLevel > 0, c.MaxDefinitionLevel > 0} {
		if !present {
			continue
		}
		if len(b) < 4 || uint64(binary.LittleEndian.Uint32(b)) > uint64(len(b)-4) {
			return nil, nil
		}
		b = b[4+binary.LittleEndian.Uint32(b):]
	}
	return b, nil
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
	if miniBlocks <= 0 || blockSize <= 0 || blockSize%128 != 0 || (blockSize/miniBlocks)%32 != 0 {
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
