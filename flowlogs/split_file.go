package flowlogs

import (
	"bytes"
	"fmt"
	"io"
	"math/bits"
)

// Part is one line-aligned byte range of a file cut by Split.
type Part struct {
	*io.SectionReader
	Offset int64 // where the range begins in the file

	format *Format // the format Split found, nil if none
	last   bool    // the file's last part: no part after it to misread
}

// NewReader returns a Reader over the part with the format Split found
// (opts may set another with WithFormat, for a file without a header).
// In a part before the last, a header line of any other format stops the
// read, in lenient mode too, with a *ParseError wrapping ErrHeaderInPart:
// the parts after it would be read with the wrong format, and silently so
// when the new header only reorders fields of the same width. Such a file
// (concatenated objects of different formats) must be read in one piece.
// A header line repeating the format is skipped, and the last part (the
// whole file when n is 1) changes format at a header as any Reader does.
func (p Part) NewReader(opts ...Option) *Reader {
	pre := []Option{func(o *options) { o.inPart, o.partOffset = !p.last, p.Offset }}
	if p.format != nil {
		pre = append(pre, WithFormat(p.format))
	}
	// A section of its own: the Part's SectionReader keeps its read
	// offset, so a second Reader over it (a retry) would start at its end.
	ra, off, n := p.Outer()
	return NewReader(io.NewSectionReader(ra, off, n), append(pre, opts...)...)
}

// Split cuts a plain-text flow-log file of size bytes into at most n byte
// ranges that begin at line starts, so that n Readers can read it in
// parallel: one Reader per part, made with Part.NewReader. Reading the
// parts one after the other gives the file's records in order, so results
// merged in part order do not depend on scheduling.
//
// The format is the one of the file's first line when it is a header (the
// first part holds that line, which its Reader skips), nil otherwise: then
// pass the format you know to Part.NewReader, or none for the default one.
// A file with several header lines of different formats (concatenated S3
// objects) must be read in one piece: Split reads only the file's start
// and the cut points, so it cannot see them, but the Reader of the part
// that holds such a header fails with ErrHeaderInPart (see
// Part.NewReader). A gzip file cannot be cut: Split returns it whole, as
// one part, and a nil format.
func Split(r io.ReaderAt, size int64, n int) ([]Part, *Format, error) {
	if size < 0 {
		return nil, nil, fmt.Errorf("flowlogs: Split: negative size %d", size)
	}
	head := make([]byte, min(size, 64<<10))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, nil, err
	}
	whole := []Part{{io.NewSectionReader(r, 0, size), 0, nil, true}}
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		return whole, nil, nil
	}
	var format *Format
	if i := bytes.IndexByte(head, '\n'); i > 0 {
		// The first part's Reader skips a byte-order mark too.
		if line := trimSpace(bytes.TrimPrefix(head[:i], utf8BOM)); len(line) > 0 && isHeader(line) {
			f, err := ParseHeader(string(line))
			if err != nil {
				return nil, nil, err
			}
			format = f
		}
	}
	whole[0].format = format
	if n <= 1 || size == 0 {
		return whole, format, nil
	}
	// No more parts than bytes; and a cut point at or before the last cut
	// found gives that cut again, so the next one tried is the first past
	// it: the loop runs once per part, not n times (n may be math.MaxInt).
	parts64 := min(int64(n), size)
	cuts := []int64{0}
	for i := int64(1); i < parts64; {
		c, err := lineStart(r, mulDiv(size, i, parts64, false), size)
		if err != nil {
			return nil, nil, err
		}
		if c >= size {
			break
		}
		if c > cuts[len(cuts)-1] {
			cuts = append(cuts, c)
		}
		i = max(i+1, mulDiv(c+1, parts64, size, true))
	}
	cuts = append(cuts, size)
	parts := make([]Part, len(cuts)-1)
	for i := range parts {
		parts[i] = Part{io.NewSectionReader(r, cuts[i], cuts[i+1]-cuts[i]), cuts[i], format, i == len(parts)-1}
	}
	return parts, format, nil
}

// mulDiv returns a*b/c for non-negative a, b and c > 0 whose quotient fits
// an int64, rounded up if up, without overflowing the product.
func mulDiv(a, b, c int64, up bool) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if up {
		var carry uint64
		lo, carry = bits.Add64(lo, uint64(c-1), 0)
		hi += carry
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// lineStart returns the offset just after the first '\n' at or after
// off-1 (so off itself when a line starts there), or size.
func lineStart(r io.ReaderAt, off, size int64) (int64, error) {
	if off <= 0 {
		return 0, nil
	}
	buf := make([]byte, 4096)
	for off--; off < size; {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return off + int64(i) + 1, nil
		}
		off += int64(n)
		if err != nil && err != io.EOF {
			return 0, err
		}
		if n == 0 {
			break
		}
	}
	return size, nil
}
