package flowlogs

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// Issue 15: values of 10^18 and more are a range error (as strconv's
// ErrRange), not a syntax error; values that fit an int64 are read.
func TestLargeNumbers(t *testing.T) {
	line := func(bytes string) string {
		return "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 " + bytes + " 1700000000 1700000060 ACCEPT OK"
	}
	for _, tc := range []struct {
		bytes string
		want  int64
		err   error
	}{
		{"999999999999999999", 999999999999999999, nil}, // the reproducer: 18 digits
		{"1000000000000000000", 1e18, nil},
		{"9223372036854775807", 1<<63 - 1, nil},
		{"00000000000000000000000042", 42, nil}, // leading zeros, as strconv.ParseInt
		{"9223372036854775808", 0, ErrRange},
		{"99999999999999999999", 0, ErrRange},
		{strings.Repeat("9", 300), 0, ErrRange},
		{"1e18", 0, ErrSyntax},
		{"+5", 0, ErrSyntax},
		{"12345678901234567890x", 0, ErrSyntax},
	} {
		for _, sel := range []FieldSet{{}, Fields(FieldBytes)} {
			var r Record
			err := NewParser(DefaultFormat, sel).Parse([]byte(line(tc.bytes)), &r)
			if tc.err == nil {
				if err != nil || r.Bytes != tc.want || !r.Has(FieldBytes) {
					t.Errorf("%s: %d, %v", tc.bytes, r.Bytes, err)
				}
				continue
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Field != "bytes" || !errors.Is(err, tc.err) || len(pe.Value) > maxErrValue ||
				!strings.HasPrefix(tc.bytes, pe.Value) {
				t.Errorf("%.30s: %v, want field bytes, %v", tc.bytes, err, tc.err)
			}
		}
	}
	// Every numeric kind tells a number too large from a malformed one.
	for _, tc := range []struct{ line, field string }{
		{"99999999999999999999 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK", "version"},
		{"70000 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK", "version"},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 99999999999999999999 2 6 1 1 1700000000 1700000060 ACCEPT OK", "srcport"},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 99999999999999999999 1 1 1700000000 1700000060 ACCEPT OK", "protocol"},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 99999999999999999999 1700000060 ACCEPT OK", "start"},
	} {
		_, err := ParseLine(DefaultFormat, tc.line)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Field != tc.field || !errors.Is(err, ErrRange) {
			t.Errorf("%q: %v, want a range error in %s", tc.line, err, tc.field)
		}
	}
}

// Issue 15: start and end values that no record carries are range errors
// naming the field (strict), or lines skipped with that reason (lenient).
func TestImplausibleTimes(t *testing.T) {
	const ok = "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 100 1700000000 1700000060 ACCEPT OK\n"
	for _, tc := range []struct {
		line, field string
	}{
		{"2 1 eni-x - - - - - - - 99999999999 99999999999 - NODATA", "start"}, // the reproducer
		{"2 1 eni-x - - - - - - - 0 99999999999 - NODATA", "start"},
		{"2 1 eni-x - - - - - - - 0 1700000000 - NODATA", "start"},
		{"2 1 eni-x - - - - - - - 1700000000 0 - NODATA", "end"},
		{"2 1 eni-x - - - - - - - 1700000060 1700000000 - NODATA", "end"},     // end < start
		{"2 1 eni-x - - - - - - - 1700000000 1700003601 - NODATA", "end"},     // more than an hour
		{"2 1 eni-x - - - - - - - 1700000000 10000000000 - NODATA", "end"},    // year 2286 in seconds
		{"2 1 eni-x - - - - - - - 1700000000 10000000000000 - NODATA", "end"}, // year 2286 in ms
		{"2 1 eni-x - - - - - - - 1700000000000 1700000000 - NODATA", ""},     // ms and s mixed: fine
		{"2 1 eni-x - - - - - - - 1700000000000 1700000060999 - NODATA", ""},  // ms
		{"2 1 eni-x - - - - - - - 1700000000 1700003600 - NODATA", ""},        // an hour exactly
		{"2 1 eni-x - - - - - - - 1 2 - NODATA", ""},                          // tiny, but ordered
		{"2 1 eni-x - - - - - - - - - - NODATA", ""},                          // absent
		{"2 1 eni-x - - - - - - - 1700000060 - - NODATA", ""},                 // one absent
	} {
		for _, opts := range [][]Option{nil, {WithFields(FieldStart, FieldEnd)}, {WithFields(FieldBytes)}, {WithLenient(5)}} {
			r := NewReader(strings.NewReader(ok+tc.line+"\n"+ok), opts...)
			n := 0
			for r.Scan() {
				n++
			}
			lenient := len(opts) == 1 && r.opts.lenient
			selected := r.sel.IsEmpty() || r.sel.Has(FieldStart)
			switch {
			case tc.field == "" || !selected:
				if r.Err() != nil || n != 3 {
					t.Errorf("%q %v: %d records, %v", tc.line, r.sel, n, r.Err())
				}
			case lenient:
				m := r.Malformed()
				if r.Err() != nil || n != 2 || r.Stats().Malformed != 1 || len(m) != 1 || m[0].Field != tc.field || m[0].Line != 2 || !errors.Is(m[0], ErrRange) {
					t.Errorf("%q lenient: %d records, %v, malformed %v", tc.line, n, r.Err(), m)
				}
			default:
				var pe *ParseError
				if n != 1 || !errors.As(r.Err(), &pe) || pe.Field != tc.field || pe.Line != 2 || !errors.Is(pe, ErrRange) {
					t.Errorf("%q %v: %d records, %v, want a range error in %s", tc.line, r.sel, n, r.Err(), tc.field)
				}
			}
		}
	}
}

// Issue 15: a byte-order mark before the header made strict reads fail on
// "\ufeffversion" and lenient ones read a custom format as the default one.
// Every text loader skips it: Reader (stream, in place, gzip), Split.
func TestByteOrderMark(t *testing.T) {
	const custom = "interface-id bytes srcaddr\neni-1 10 10.0.0.1\neni-2 20 10.0.0.2\n"
	const headerless = "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 10 1700000000 1700000060 ACCEPT OK\n"
	for _, tc := range []struct {
		in   string
		opts []Option
	}{
		{custom, nil}, {custom, []Option{WithLenient(5)}}, {custom, []Option{WithFields(FieldBytes)}},
		{headerless + headerless, nil}, {headerless + headerless, []Option{WithFormat(DefaultFormat), WithLenient(5)}},
	} {
		in := "\ufeff" + tc.in
		for name, r := range map[string]*Reader{
			"stream":   NewReader(strings.NewReader(in), tc.opts...),
			"in place": NewReaderBytes([]byte(in), tc.opts...),
			"gzip":     NewReader(bytes.NewReader(gz(t, in)), tc.opts...),
		} {
			var sum int64
			for r.Scan() {
				sum += r.Record().Bytes
			}
			if r.Err() != nil || sum != 30 && sum != 20 || r.Stats().Malformed != 0 || r.Stats().Returned != 2 {
				t.Errorf("%s %q: %d bytes, %v, %+v", name, tc.in[:10], sum, r.Err(), r.Stats())
			}
		}
		parts, f, err := Split(strings.NewReader(in), int64(len(in)), 2)
		if err != nil || tc.in == custom && (f == nil || f.Field(0) != FieldInterfaceID) {
			t.Fatalf("Split: %v %v", f, err)
		}
		var n int64
		for _, p := range parts {
			r := p.NewReader(tc.opts...)
			for r.Scan() {
				n++
			}
			if r.Err() != nil {
				t.Fatal(r.Err())
			}
		}
		if n != 2 {
			t.Errorf("Split %q: %d records", tc.in[:10], n)
		}
	}
	// Only before the first line: elsewhere it is a malformed value.
	r := NewReader(strings.NewReader(headerless + "\ufeff" + headerless))
	for r.Scan() {
	}
	if !errors.Is(r.Err(), ErrSyntax) {
		t.Errorf("BOM on line 2: %v", r.Err())
	}
}

// Issue 15: ParseError.Value is cut to 128 bytes on a header-like line
// that is no header (a repeated name) too.
func TestHeaderErrorValueCut(t *testing.T) {
	line := strings.Repeat("version ", 100)
	for _, opts := range [][]Option{nil, {WithLenient(1)}} {
		r := NewReader(strings.NewReader(line+"\n"), opts...)
		for r.Scan() {
		}
		err := r.Err()
		if len(r.Malformed()) > 0 {
			err = r.Malformed()[0]
		}
		var pe *ParseError
		if !errors.As(err, &pe) || len(pe.Value) != maxErrValue || pe.Line != 1 || !strings.HasPrefix(line, pe.Value) {
			t.Errorf("%v: %#v", opts, err)
		}
	}
}

// Issue 15: 8 garbage bytes after the last gzip member were reported as
// truncation, NUL padding as a bad header. Both are named for what they
// are, after every record before them.
func TestGzipTrailingData(t *testing.T) {
	noNewline := strings.TrimSuffix(s3File, "\n")
	for _, tc := range []struct {
		name    string
		in      []byte
		records int64
		want    string // in the error; "" for none
	}{
		{"garbage", append(gz(t, s3File), "garbage!"...), 4, "8 bytes after gzip member 1 that are not a gzip member"},
		{"NUL padding", append(gz(t, s3File), make([]byte, 4096)...), 4, "4096 bytes after gzip member 1 all zero (NUL padding)"},
		{"one NUL", append(gz(t, s3File), 0), 4, "1 bytes after gzip member 1 all zero"},
		{"last line unterminated", append(gz(t, noNewline), "xx"...), 4, "2 bytes after gzip member 1 that"},
		{"two members", append(append(gz(t, s3File), gz(t, s3File)...), "garbage!"...), 8, "after gzip member 2 that"},
		{"huge padding", append(gz(t, s3File), make([]byte, maxTrailing+10)...), 4, "1048576 bytes or more after gzip member 1 all zero"},
		{"second member cut", append(gz(t, s3File), 0x1f, 0x8b, 8), 4, "input truncated"},
		{"two members, clean", append(gz(t, s3File), gz(t, s3File)...), 8, ""},
	} {
		for _, opts := range [][]Option{{WithSyncDecompression()}, nil, {WithLenient(5)}} {
			r := NewReader(bytes.NewReader(tc.in), append(opts, WithSource("f.gz"))...)
			var n int64
			for r.Scan() {
				n++
			}
			err := r.Err()
			if n != tc.records || tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("%s %v: %d records, %v", tc.name, opts, n, err)
			}
			if tc.want != "" && !strings.Contains(tc.want, "truncated") && (!errors.Is(err, ErrTrailingData) || errors.Is(err, io.ErrUnexpectedEOF) ||
				!strings.HasPrefix(err.Error(), "flowlogs: f.gz: stopped after")) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
	}
}

// failAfter returns data, then fails with err: a connection that broke,
// or a resume that failed, where data ends.
type failAfter struct {
	data []byte
	err  error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// A read error right after a gzip member, or among the bytes after it,
// is that error: not the clean end of the input (every later member of
// a concatenated object would be lost with no error), and not trailing
// data.
func TestGzipReadErrorAfterMember(t *testing.T) {
	errReset := errors.New("read tcp: connection reset by peer")
	member := gz(t, s3File)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"at the member's end", member},
		{"one byte of the next", append(slices.Clip(member), 0x1f)},
		{"among trailing bytes", append(slices.Clip(member), "garbage"...)},
	} {
		for _, opts := range [][]Option{{WithSyncDecompression()}, nil} {
			r := NewReader(&failAfter{tc.data, errReset}, append(opts, WithSource("f.gz"))...)
			var n int64
			for r.Scan() {
				n++
			}
			if err := r.Err(); n != 4 || !errors.Is(err, errReset) || errors.Is(err, ErrTrailingData) {
				t.Errorf("%s %v: %d records, %v; want 4 and the read error", tc.name, opts, n, err)
			}
		}
	}
}
