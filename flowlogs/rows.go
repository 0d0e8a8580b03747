package flowlogs

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net/netip"
	"strconv"
	"unsafe"
)

// RowSource is an input whose records come as rows of typed values, one
// value per position of a Format, instead of text lines: a Parquet file's
// columns, for instance. [NewRowReader] reads it.
type RowSource interface {
	// ReadRow returns the next row's values, one per position of the
	// format, or io.EOF after the last row. The slice, and the text its
	// values hold, must stay unchanged until the next call: Record.Raw
	// returns views of them, as of a text line. Any other error stops the
	// Reader as an I/O error of a text input does: after the rows before
	// it, with the error wrapped.
	//
	// A RowSource that is also an io.Closer is closed by Reader.Close.
	ReadRow() ([]Value, error)
}

// Value is one value of a row of a [RowSource]: an integer, a text or,
// the zero Value, absent.
type Value struct {
	p    *byte // the text's first byte
	n    int64 // the integer, or the text's length
	kind uint8
}

// Kinds of Value.
const (
	valueAbsent = iota
	valueInt
	valueText
)

// IntValue returns the Value of integer v. It is decoded as its decimal
// text in a line would be: a negative value is invalid in a number field,
// one too large for its field out of range, and so on.
func IntValue(v int64) Value { return Value{n: v, kind: valueInt} }

// TextValue returns the Value of text b, decoded as a token of a line
// would be (a string field keeps it, a number field parses it, …). Empty
// text, like "-", is absent. b must hold no white space: a line would
// split it.
func TextValue(b []byte) Value {
	if len(b) == 0 {
		return Value{}
	}
	return Value{p: &b[0], n: int64(len(b)), kind: valueText}
}

// text returns the text of a text Value, "-" for an absent one.
func (v Value) text() []byte {
	if v.kind != valueText {
		return dash
	}
	return unsafe.Slice(v.p, v.n)
}

// NewRowReader returns a Reader over the rows of src, in format f. Each
// row is read as the text line of its values, separated by spaces, would
// be, without writing or splitting that line: the same fields are present,
// values get the same checks and errors (a ParseError's Line is the row's
// number, counting from 1), strings are interned the same way, and the
// options (WithFields, WithFilter, WithLenient, WithSource,
// WithMaxLineLength) and Stats (Bytes counts the bytes of those lines)
// mean what they mean for text. WithFormat and WithFormats are ignored.
//
// What differs: no row is taken for a header line, and a byte-order mark
// at the start of the first row's first value is kept. Record.Raw renders
// a row's text when first asked for it (its views are valid until the next
// Scan, as for text). A row of another length than f stops the Reader as
// a read error does. The Reader's Close closes src if it is an io.Closer,
// after copying the last record's Raw views.
func NewRowReader(src RowSource, f *Format, opts ...Option) *Reader {
	r := NewReader(nil, opts...)
	r.opts.formats = nil
	r.multi = nil
	r.setFormat(f)
	r.rows = src
	r.rw = &rowDecoder{p: r.parser, last: make([]lastValue, f.Len())}
	return r
}

// rowDecoder decodes the rows of a RowSource into a Reader's Record.
type rowDecoder struct {
	p    *Parser
	r    *Record
	err  *ParseError // the first error, by position
	epos int         // its position
	row  []Value     // the row's values, for Raw
	tmp  []byte      // text of integers decoded as text
	line []byte      // the row's text line, when asked for (materialize)

	// Per position, the last value decoded (strings and addresses): a
	// column often repeats a value from row to row (account, VPC, subnet,
	// Region, AZ), and comparing costs less than interning or parsing.
	last []lastValue
}

type lastValue struct {
	str  string // an interned string, with its symbol
	sym  uint32
	raw  []byte // the text of addr
	addr netip.Addr
}

var dash = []byte{'-'}

// decode decodes row into r and returns the length of its text line (its
// values and the spaces between them) and its error.
func (w *rowDecoder) decode(row []Value, r *Record) (n int, err error) {
	w.p.shape(r)
	r.line = nil
	r.row = w
	w.r, w.err, w.row, w.tmp = r, nil, row, w.tmp[:0]
	if n, ok := w.decodeFast(row, r); ok {
		return n, w.p.checkTimes(r)
	}
	n = len(row) - 1
	for _, v := range row {
		if v.kind == valueInt {
			n += decimalLen(v.n)
		} else {
			n += max(int(v.n), 1) // an absent value's "-"
		}
	}
	w.decodeOrdered(row, r)
	if w.err != nil {
		return n, w.err
	}
	return n, w.p.checkTimes(r)
}

// decodeFast is decode, before checkTimes, for a row whose selected values
// are all valid and typed as a Parquet file's usually are. It takes only
// those ways, in one loop over the row that also sums its text length and
// keeps Present in a register: decodeOrdered's calls and switches for each
// value, and its Present updated in memory, cost about a third more
// instructions a row (BenchmarkRead in parquetsource). At the first value
// it does not take it returns false, having stored nothing after that
// position (at it, only what decodeOrdered stores there too), so that
// decodeOrdered, starting again, leaves r as it alone would.
func (w *rowDecoder) decodeFast(row []Value, r *Record) (n int, ok bool) {
	p := w.p
	steps, last := p.steps[:len(row)], w.last[:len(row)]
	present := p.present
	n = len(row) - 1
	for i := range row {
		v, st := &row[i], &steps[i]
		switch v.kind {
		case valueAbsent:
			n++
			if st.skip {
				continue
			}
			if st.kind == kindString {
				*(*string)(unsafe.Add(unsafe.Pointer(r), st.off)) = ""
				r.syms[st.field] = 0
			} else {
				p.clear(st.field, r)
			}
			present.Remove(st.field)
			continue
		case valueText:
			n += int(v.n)
			if st.skip {
				continue
			}
			b := unsafe.Slice(v.p, v.n)
			if len(b) == 1 && b[0] == '-' {
				return 0, false
			}
			switch st.kind {
			case kindString:
				l := &last[i]
				if len(l.str) != len(b) || l.str != string(b) {
					l.str, l.sym = p.syms.intern(st.field, b)
				}
				*(*string)(unsafe.Add(unsafe.Pointer(r), st.off)) = l.str
				r.syms[st.field] = l.sym
				continue
			case kindAddr:
				l := &last[i]
				if l.addr.IsValid() && string(l.raw) == string(b) {
					*r.addr(st.field) = l.addr
					continue
				}
				a, ok := parseAddr(b)
				if !ok {
					return 0, false
				}
				*r.addr(st.field) = a
				l.raw, l.addr = append(l.raw[:0], b...), a
				continue
			case kindAction, kindStatus, kindType, kindDirection:
				if p.decodeValue(st, b, r) != nil {
					return 0, false
				}
				continue
			}
			return 0, false
		}
		x := v.n
		n += decimalLen(x)
		if st.skip {
			continue
		}
		if x < 0 {
			return 0, false
		}
		switch st.kind {
		case kindInt:
			*(*int64)(unsafe.Add(unsafe.Pointer(r), st.off)) = x
		case kindPort:
			if x > 65535 {
				return 0, false
			}
			if st.field == FieldSrcPort {
				r.SrcPort = uint16(x)
			} else {
				r.DstPort = uint16(x)
			}
		case kindProto, kindTCPFlags, kindTrafficPath, kindEncryption:
			if x > 255 {
				return 0, false
			}
			switch st.kind {
			case kindProto:
				r.Protocol = uint8(x)
			case kindTCPFlags:
				r.TCPFlags = TCPFlags(x)
			case kindTrafficPath:
				r.TrafficPath = TrafficPath(x)
			default:
				r.EncryptionStatus = EncryptionStatus(x)
			}
		case kindTime:
			t, err := unixSeconds(x)
			if err != nil {
				return 0, false
			}
			if st.field == FieldStart {
				r.Start = t
			} else {
				r.End = t
			}
		case kindVersion:
			if x > 1<<16 {
				return 0, false
			}
			r.Version = int(x)
		default:
			return 0, false
		}
	}
	r.Present = present
	return n, true
}

// decodeOrdered decodes row into r value by value, in format order, every
// way a value may come: the path of rows decodeFast does not take.
func (w *rowDecoder) decodeOrdered(row []Value, r *Record) {
	r.Present = FieldSet{}
	for i, v := range row {
		switch v.kind {
		case valueInt:
			w.decodeInt(i, v.n)
		case valueText:
			w.decodeText(i, unsafe.Slice(v.p, v.n))
		default:
			w.decodeText(i, dash)
		}
	}
}

func (w *rowDecoder) decodeText(i int, v []byte) {
	st := &w.p.steps[i]
	if st.skip {
		return // not decoded (not selected, or unknown)
	}
	r := w.r
	if st.kind == kindString {
		// Strings are interned whatever the errors of the row, as
		// parseSplit does before it decodes anything else.
		if len(v) == 1 && v[0] == '-' {
			*(*string)(unsafe.Add(unsafe.Pointer(r), st.off)) = ""
			r.syms[st.field] = 0
			return
		}
		last := &w.last[i]
		if len(last.str) != len(v) || last.str != string(v) {
			last.str, last.sym = w.p.syms.intern(st.field, v)
		}
		*(*string)(unsafe.Add(unsafe.Pointer(r), st.off)) = last.str
		r.syms[st.field] = last.sym
		r.Present.Add(st.field)
		return
	}
	if w.err != nil && w.epos < i {
		return
	}
	if st.kind == kindAddr {
		a := r.addr(st.field)
		last := &w.last[i]
		if last.addr.IsValid() && string(last.raw) == string(v) {
			*a = last.addr
			r.Present.Add(st.field)
			return
		}
		if err := w.p.decode(st, v, r); err != nil {
			w.fail(i, err)
		} else if a.IsValid() {
			last.raw, last.addr = append(last.raw[:0], v...), *a
		}
		return
	}
	if err := w.p.decode(st, v, r); err != nil {
		w.fail(i, err)
	}
}

// decodeInt decodes integer v at position i.
func (w *rowDecoder) decodeInt(i int, v int64) {
	st := &w.p.steps[i]
	if st.skip || st.kind != kindString && w.err != nil && w.epos < i {
		return
	}
	w.decodeIntAs(i, st, v)
}

func (w *rowDecoder) decodeIntAs(i int, st *step, v int64) {
	r := w.r
	if v < 0 {
		w.decodeIntText(i, v)
		return
	}
	var bad error
	switch st.kind {
	case kindInt:
		*(*int64)(unsafe.Add(unsafe.Pointer(r), st.off)) = v
	case kindPort:
		if v > 65535 {
			bad = ErrRange
		} else if st.field == FieldSrcPort {
			r.SrcPort = uint16(v)
		} else {
			r.DstPort = uint16(v)
		}
	case kindProto, kindTCPFlags, kindTrafficPath, kindEncryption:
		if v > 255 {
			bad = ErrRange
			break
		}
		switch st.kind {
		case kindProto:
			r.Protocol = uint8(v)
		case kindTCPFlags:
			r.TCPFlags = TCPFlags(v)
		case kindTrafficPath:
			r.TrafficPath = TrafficPath(v)
		default:
			r.EncryptionStatus = EncryptionStatus(v)
		}
	case kindTime:
		t, err := unixSeconds(v)
		if err != nil {
			bad = err
		} else if st.field == FieldStart {
			r.Start = t
		} else {
			r.End = t
		}
	case kindVersion:
		if v > 1<<16 {
			bad = ErrRange
		} else {
			r.Version = int(v)
		}
	default: // strings, addresses and names: as their text
		w.decodeIntText(i, v)
		return
	}
	if bad != nil {
		w.p.clear(st.field, r)
		w.fail(i, newParseError(st.field.String(), strconv.AppendInt(nil, v, 10), bad))
		return
	}
	r.Present.Add(st.field)
}

// decodeIntText decodes v through its text.
func (w *rowDecoder) decodeIntText(i int, v int64) {
	s := len(w.tmp)
	w.tmp = strconv.AppendInt(w.tmp, v, 10)
	// A view of its own: later appends may move tmp, not this text.
	w.decodeText(i, w.tmp[s:len(w.tmp):len(w.tmp)])
}

func (w *rowDecoder) fail(i int, err error) {
	if w.err == nil || i < w.epos {
		var pe *ParseError
		if !errors.As(err, &pe) {
			pe = &ParseError{Err: err}
		}
		w.err, w.epos = pe, i
	}
}

// materialize writes r's text line from the row's values, and the spans
// of the positions the parser splits, for Raw.
func (w *rowDecoder) materialize(r *Record) {
	r.row = nil
	b := w.line[:0]
	cut := w.p.cut
	for i, v := range w.row {
		if i > 0 {
			b = append(b, ' ')
		}
		s := len(b)
		if v.kind == valueInt {
			b = strconv.AppendInt(b, v.n, 10)
		} else {
			b = append(b, v.text()...)
		}
		if len(cut) > 0 && cut[0] == i {
			r.spans[i] = span{uint32(s), uint32(len(b))}
			cut = cut[1:]
		} else {
			r.spans[i] = span{}
		}
	}
	w.line = b
	r.line = b
}

// pow10 holds the powers of ten that fit a uint64.
var pow10 = func() (t [20]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// decimalLen returns the length of v in decimal, its sign included.
func decimalLen(v int64) int {
	x, n := uint64(v), 0
	if v < 0 {
		x, n = -x, 1
	}
	// 1233/4096 is about log10(2): t is log10(x) or one more.
	t := bits.Len64(x|1) * 1233 >> 12
	if x|1 < pow10[t] {
		return n + t
	}
	return n + t + 1
}

// scanRow is Scan for a RowSource.
func (r *Reader) scanRow() bool {
	w := r.rw
	for {
		row, err := r.rows.ReadRow()
		if err == nil && len(row) != len(w.p.steps) {
			err = fmt.Errorf("flowlogs: a row of %d values in a format of %d fields", len(row), len(w.p.steps))
		}
		if err != nil {
			if err != io.EOF {
				r.err = r.readError(err)
			}
			r.finish()
			return false
		}
		n, err := w.decode(row, &r.rec)
		if n > r.opts.maxLine {
			r.err = &ParseError{Name: r.opts.source, Line: r.line + 1, Err: ErrLineTooLong}
			r.finish()
			return false
		}
		r.line++
		r.stats.Lines++
		r.stats.Bytes += int64(n) + 1
		if r.record(err) {
			return true
		}
		if r.done {
			return false
		}
	}
}

// addr returns a pointer to the address field f of r.
func (r *Record) addr(f Field) *netip.Addr {
	switch f {
	case FieldSrcAddr:
		return &r.SrcAddr
	case FieldDstAddr:
		return &r.DstAddr
	case FieldPktSrcAddr:
		return &r.PktSrcAddr
	}
	return &r.PktDstAddr
}
