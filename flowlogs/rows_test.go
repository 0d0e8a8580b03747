package flowlogs_test

import (
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// rowsOf is a RowSource of text lines split at spaces: tokens of digits
// are given as integers, "-" as absent, the rest as text.
type rowsOf struct {
	lines  []string
	next   int
	closed int
}

func (s *rowsOf) ReadRow() ([]flowlogs.Value, error) {
	if s.next == len(s.lines) {
		return nil, io.EOF
	}
	s.next++
	var row []flowlogs.Value
	for _, tok := range strings.Fields(s.lines[s.next-1]) {
		if n, err := strconv.ParseInt(tok, 10, 64); err == nil && tok[0] != '-' && tok[0] != '+' && (tok == "0" || tok[0] != '0') {
			row = append(row, flowlogs.IntValue(n))
		} else if tok == "-" {
			row = append(row, flowlogs.Value{})
		} else {
			row = append(row, flowlogs.TextValue([]byte(tok)))
		}
	}
	return row, nil
}

func (s *rowsOf) Close() error { s.closed++; return nil }

// TestRowReaderMatchesText reads lines as rows and as text, with the same
// options: the same records (every field, symbols, Raw), Stats, malformed
// lines and errors.
func TestRowReaderMatchesText(t *testing.T) {
	format := flowlogs.DefaultFormat
	lines := []string{
		"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010000 1418530070000 REJECT OK",
		"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
		"2 123456789010 eni-1 10.0.0.1 10.0.0.2 70000 22 6 1 1 1418530010 1418530070 ACCEPT OK",
		"2 unknown eni-2 10.0.0.1 10.0.0.2 1 22 300 1 1 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-3 10.0.0.1 ::ffff:10.0.0.2 1 22 6 1 1 1418530070 1418530010 ACCEPT OK",
		"2 123456789010 eni-4 10.0.0.1 10.0.0.2 1 22 6 1 1 0 1418530010 DROP NODATA",
		"65537 123456789010 eni-5 10.0.0.1 fe80::1%eth0 1 22 6 1 1 1418530010 1418530070 ACCEPT OK",
		"2 00123 eni-6 10.0.0.1 10.0.0.2 01 22 6 01 1 1418530010 1418530070 accept OK",
		"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
	}
	text := strings.Join(lines, "\n") + "\n"
	for k, opts := range [][]flowlogs.Option{
		nil,
		{flowlogs.WithLenient(3), flowlogs.WithSource("x")},
		{flowlogs.WithLenient(10), flowlogs.WithFields(flowlogs.FieldSrcPort, flowlogs.FieldAccountID)},
		{flowlogs.WithLenient(10), flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionAccept})},
		{flowlogs.WithMaxLineLength(100), flowlogs.WithLenient(10)},
	} {
		src := &rowsOf{lines: lines}
		rows := flowlogs.NewRowReader(src, format, opts...)
		txt := flowlogs.NewReader(strings.NewReader(text), append(opts, flowlogs.WithFormat(format))...)
		for {
			a, b := rows.Scan(), txt.Scan()
			if a != b {
				t.Fatalf("options %d: Scan %v, text %v (%v, %v)", k, a, b, rows.Err(), txt.Err())
			}
			if !a {
				break
			}
			if ra, rb := rows.Record().Clone(), txt.Record().Clone(); !reflect.DeepEqual(ra, rb) {
				t.Fatalf("options %d line %d:\n%+v\ntext:\n%+v", k, txt.Line(), *ra, *rb)
			}
			if rows.Stats() != txt.Stats() || rows.Line() != txt.Line() {
				t.Fatalf("options %d: stats %+v line %d, text %+v line %d", k, rows.Stats(), rows.Line(), txt.Stats(), txt.Line())
			}
		}
		if rows.Stats() != txt.Stats() || !reflect.DeepEqual(rows.Malformed(), txt.Malformed()) || !reflect.DeepEqual(rows.Err(), txt.Err()) {
			t.Fatalf("options %d: %+v %v %v\ntext: %+v %v %v", k, rows.Stats(), rows.Malformed(), rows.Err(), txt.Stats(), txt.Malformed(), txt.Err())
		}
		if src.closed != 1 {
			t.Errorf("options %d: source closed %d times at the end", k, src.closed)
		}
	}
}

func TestRowReaderShortRow(t *testing.T) {
	src := &rowsOf{lines: []string{"eni-1 5", "eni-2"}}
	format, _ := flowlogs.NewFormat(flowlogs.FieldInterfaceID, flowlogs.FieldBytes)
	r := flowlogs.NewRowReader(src, format, flowlogs.WithSource("s"))
	n := 0
	for r.Scan() {
		n++
	}
	if err := r.Err(); n != 1 || err == nil || !strings.Contains(err.Error(), "s: read error after 1 records (1 lines): flowlogs: a row of 1 values in a format of 2 fields") {
		t.Fatalf("%d records, then %v", n, err)
	}
	var pe *flowlogs.ParseError
	if errors.As(r.Err(), &pe) {
		t.Fatalf("a ParseError: %v", pe)
	}
	if r.Record().InterfaceID != "eni-1" || r.Record().String() != "eni-1 5" {
		t.Fatalf("last record: %v", r.Record())
	}
}

// FuzzRowReaderMatchesText: lines read as rows (rowsOf: digits as
// integers, "-" absent, the rest text) and as text give the same records,
// Stats, malformed lines and errors, with every field and with a few. It
// holds rowDecoder's fast path for typed rows to its ordered path, which
// the text parser is held to by TestRowReaderMatchesText.
func FuzzRowReaderMatchesText(f *testing.F) {
	for _, l := range []string{
		"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010000 1418530070000 REJECT OK",
		"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
		"2 123456789010 eni-1 10.0.0.1 10.0.0.2 70000 22 6 1 1 1418530010 1418530070 ACCEPT OK",
		"2 unknown eni-2 10.0.0.1 10.0.0.2 1 22 300 1 1 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-3 10.0.0.1 ::ffff:10.0.0.2 1 22 6 1 1 1418530070 1418530010 ACCEPT OK",
		"2 123456789010 eni-4 10.0.0.1 10.0.0.2 1 22 6 1 1 0 1418530010 DROP NODATA",
		"65537 123456789010 eni-5 10.0.0.1 fe80::1%eth0 1 22 6 1 1 1418530010 1418530070 ACCEPT OK",
		"2 00123 eni-6 10.0.0.1 10.0.0.2 01 22 6 01 1 1418530010 1418530070 accept OK",
	} {
		f.Add(l + "\n" + l)
	}
	f.Fuzz(func(t *testing.T, text string) {
		format := flowlogs.DefaultFormat
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			// Rows of another length stop a RowReader, where a line is
			// malformed; a row's Stats.Bytes counts one space between
			// values; other white space splits the rows, not the line.
			f := strings.Fields(l)
			if len(f) != format.Len() || strings.Join(f, " ") != l || f[0] == "version" ||
				strings.ContainsFunc(l, func(r rune) bool { return r != ' ' && (r < '!' || r > '~') }) {
				return
			}
			lines = append(lines, l)
		}
		for k, opts := range [][]flowlogs.Option{
			{flowlogs.WithLenient(100)},
			{flowlogs.WithLenient(100), flowlogs.WithFields(flowlogs.FieldSrcAddr, flowlogs.FieldBytes, flowlogs.FieldAction, flowlogs.FieldStart)},
			nil,
		} {
			rows := flowlogs.NewRowReader(&rowsOf{lines: lines}, format, opts...)
			txt := flowlogs.NewReader(strings.NewReader(strings.Join(lines, "\n")+"\n"), append(opts, flowlogs.WithFormat(format))...)
			for {
				a, b := rows.Scan(), txt.Scan()
				if a != b {
					t.Fatalf("options %d: Scan %v, text %v (%v, %v)", k, a, b, rows.Err(), txt.Err())
				}
				if !a {
					break
				}
				if ra, rb := rows.Record().Clone(), txt.Record().Clone(); !reflect.DeepEqual(ra, rb) {
					t.Fatalf("options %d line %d:\n%+v\ntext:\n%+v", k, txt.Line(), *ra, *rb)
				}
			}
			if rows.Stats() != txt.Stats() || !reflect.DeepEqual(rows.Malformed(), txt.Malformed()) || !reflect.DeepEqual(rows.Err(), txt.Err()) {
				t.Fatalf("options %d: %+v %v %v\ntext: %+v %v %v", k, rows.Stats(), rows.Malformed(), rows.Err(), txt.Stats(), txt.Malformed(), txt.Err())
			}
		}
	})
}
