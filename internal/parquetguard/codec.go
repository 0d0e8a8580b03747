package parquetguard

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/parquet-go/parquet-go/format"
)

// checkPayload checks what a page's compressed bytes, at off, say of their
// decoded size, for the codecs whose decoders allocate what the bytes
// say: snappy's length header, and zstd's frame content sizes, must not
// pass the page's uncompressed size (zstd allocates a frame's declared
// size, up to 64 GiB, before it decodes a byte). A zstd frame that
// declares no size may hold no more blocks than could decode to what the
// guard allows a page (maxExpansion). Gzip cannot expand past about
// 1,032 times (deflate's longest match from a few bits): about the guard's
// bound (a little past it for pages of over 128 KiB compressed, as
// parquet-go keeps what a page decodes to even past its claimed size), so
// in proportion to the page still; LZ4_RAW and BROTLI are refused by
// CheckChunks.
func (g *PageGuard) checkPayload(codec format.CompressionCodec, h pageHeader, off int64) error {
	if h.uncompressed || codec != format.Snappy && codec != format.Zstd {
		return nil
	}
	off += h.levels()
	n := h.cs - h.levels()
	if codec == format.Snappy {
		n = min(n, binary.MaxVarintLen32)
	}
	if n == 0 {
		return nil
	}
	if int64(cap(g.data)) < n {
		g.data = make([]byte, n)
	}
	b := g.data[:n]
	if _, err := g.r.ReadAt(b, off); err != nil {
		return fmt.Errorf("reading its data: %w", err)
	}
	if codec == format.Snappy {
		size, k := binary.Uvarint(b)
		if k <= 0 {
			return errors.New("snappy: bad length header")
		}
		if size > uint64(h.us) {
			return fmt.Errorf("snappy data of %d bytes in a page of %d", size, h.us)
		}
		return nil
	}
	return zstdSize(b, h.us, maxExpansion*(h.cs+1024))
}

// Zstandard frames (RFC 8878).
const (
	zstdMagic        = 0xFD2FB528
	zstdSkippableMin = 0x184D2A50 // to 0x184D2A5F
	zstdMaxBlock     = 128 << 10
)

// zstdSize walks the zstd frames of b: their declared content sizes may
// add up to at most declared (the page's uncompressed size), and the
// frames without one to at most bound, counting each compressed block at
// the most it can decode to.
func zstdSize(b []byte, declared, bound int64) error {
	var sum, unsized int64
	for len(b) > 0 {
		if len(b) < 4 {
			return errors.New("zstd: truncated frame")
		}
		magic := binary.LittleEndian.Uint32(b)
		if magic&^0xF == zstdSkippableMin {
			if len(b) < 8 {
				return errors.New("zstd: truncated skippable frame")
			}
			size := int64(binary.LittleEndian.Uint32(b[4:]))
			if size > int64(len(b)-8) {
				return errors.New("zstd: skippable frame past the page")
			}
			b = b[8+size:]
			continue
		}
		if magic != zstdMagic {
			return fmt.Errorf("zstd: not a frame (magic %#x)", magic)
		}
		b = b[4:]
		if len(b) < 1 {
			return errors.New("zstd: truncated frame header")
		}
		fhd := b[0]
		single := fhd>>5&1 == 1
		fcsBytes := [4]int{0, 2, 4, 8}[fhd>>6]
		if fhd>>6 == 0 && single {
			fcsBytes = 1
		}
		hlen := 1 + [4]int{0, 1, 2, 4}[fhd&3] + fcsBytes
		if !single {
			hlen++
		}
		if len(b) < hlen {
			return errors.New("zstd: truncated frame header")
		}
		window := int64(0)
		if !single {
			wd := b[1]
			base := int64(1) << (10 + wd>>3)
			window = base + base/8*int64(wd&7)
		}
		blockMax := int64(zstdMaxBlock)
		if fcsBytes > 0 {
			f := b[hlen-fcsBytes : hlen]
			var fcs uint64
			switch fcsBytes {
			case 1:
				fcs = uint64(f[0])
			case 2:
				fcs = uint64(binary.LittleEndian.Uint16(f)) + 256
			case 4:
				fcs = uint64(binary.LittleEndian.Uint32(f))
			case 8:
				fcs = binary.LittleEndian.Uint64(f)
			}
			if fcs > uint64(declared-sum) {
				return fmt.Errorf("zstd frames declare more than the page's %d bytes", declared)
			}
			sum += int64(fcs)
		} else {
			blockMax = min(blockMax, window)
		}
		b = b[hlen:]
		for last := false; !last; {
			if len(b) < 3 {
				return errors.New("zstd: truncated block")
			}
			bh := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
			b = b[3:]
			last = bh&1 == 1
			size := int64(bh >> 3)
			if size > zstdMaxBlock {
				return fmt.Errorf("zstd: block of %d bytes", size)
			}
			// The block's bytes, and the most it decodes to.
			content, decoded := size, size
			switch bh >> 1 & 3 {
			case 1: // RLE: one byte, repeated size times
				content = 1
			case 2: // compressed: at most a block
				decoded = blockMax
			case 3:
				return errors.New("zstd: reserved block type")
			}
			if fcsBytes == 0 {
				unsized += decoded
			}
			if content > int64(len(b)) {
				return errors.New("zstd: block past the page")
			}
			b = b[content:]
			if unsized > bound {
				return fmt.Errorf("zstd frames without a size could decode to more than %d bytes", bound)
			}
		}
		if fhd>>2&1 == 1 {
			if len(b) < 4 {
				return errors.New("zstd: truncated checksum")
			}
			b = b[4:]
		}
	}
	return nil
}
