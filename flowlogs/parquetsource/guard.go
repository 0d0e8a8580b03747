package parquetsource

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// parquet-go trusts the sizes written in a file: a corrupt footer length,
// string length, list size or page size makes it allocate that much
// (gigabytes) before noticing the file is too short. These checks run
// before it does, so a corrupt file costs memory in proportion to its
// size and ends in an error.

const (
	// maxFooter bounds the file metadata. AWS's flow-log files have one
	// row group per few hundred thousand records and at most 54 columns:
	// a few KB.
	maxFooter = 8 << 20
	// maxExpansion bounds how much larger than its compressed bytes a page
	// or column chunk may claim to be. Flow-log columns compress well
	// (repeated ENI IDs, accounts, actions), but far less than this.
	maxExpansion = 1024
	// maxPageHeader bounds one page header (with its statistics).
	maxPageHeader = 1 << 20
)

var errCorrupt = errors.New("parquetsource: corrupt file")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errCorrupt}, args...)...)
}

// checkFooter validates the footer's length and thrift structure.
func checkFooter(r io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("parquetsource: %d bytes is too short for a Parquet file", size)
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return fmt.Errorf("parquetsource: reading the footer: %w", err)
	}
	if string(tail[4:]) != "PAR1" {
		return errors.New("parquetsource: not a Parquet file (no PAR1 at the end; encrypted files are not supported)")
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-12 || n > maxFooter {
		return corrupt("footer of %d bytes in a file of %d", n, size)
	}
	footer := make([]byte, n)
	if _, err := r.ReadAt(footer, size-8-n); err != nil {
		return fmt.Errorf("parquetsource: reading the footer: %w", err)
	}
	if _, err := validStruct(footer, 0); err != nil {
		return corrupt("file metadata: %v", err)
	}
	return nil
}

// checkChunks validates every column chunk's offsets and sizes and every
// page header in it, which drive parquet-go's allocations.
func checkChunks(f *parquet.File, r io.ReaderAt, size int64) error {
	var proto thrift.CompactProtocol
	for i, rg := range f.Metadata().RowGroups {
		if rg.NumRows < 0 {
			return corrupt("row group %d has %d rows", i, rg.NumRows)
		}
		for j, c := range rg.Columns {
			m := c.MetaData
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			end := start + m.TotalCompressedSize
			if start < 4 || m.TotalCompressedSize < 0 || end > size || end < start ||
				m.TotalUncompressedSize < 0 || m.TotalUncompressedSize > maxExpansion*(m.TotalCompressedSize+1024) {
				return corrupt("row group %d column %d claims %d bytes (%d compressed) at offset %d of %d",
					i, j, m.TotalUncompressedSize, m.TotalCompressedSize, start, size)
			}
			for off := start; off < end; {
				hdr := make([]byte, min(end-off, maxPageHeader))
				if _, err := r.ReadAt(hdr, off); err != nil {
					return fmt.Errorf("parquetsource: reading a page header: %w", err)
				}
				n, err := validStruct(hdr, 0)
				if err != nil {
					return corrupt("row group %d column %d page header at %d: %v", i, j, off, err)
				}
				var h format.PageHeader
				if err := thrift.NewDecoder(proto.NewReader(&limitedBytes{b: hdr[:n]})).Decode(&h); err != nil {
					return corrupt("row group %d column %d page header at %d: %v", i, j, off, err)
				}
				cs, us := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
				if cs < 0 || off+int64(n)+cs > end || us < 0 || us > maxExpansion*(cs+1024) {
					return corrupt("row group %d column %d page at %d claims %d bytes (%d compressed)", i, j, off, us, cs)
				}
				off += int64(n) + cs
			}
		}
	}
	return nil
}

type limitedBytes struct {
	b []byte
}

func (l *limitedBytes) Read(p []byte) (int, error) {
	if len(l.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, l.b)
	l.b = l.b[n:]
	return n, nil
}

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
