package flowlogs

import (
	"errors"
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
		for _, opts := range [][]Option{nil, {WithFields(FieldStart, FieldEnd)}, {WithFields(FieldBytes)}, {Lenient(5)}} {
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
