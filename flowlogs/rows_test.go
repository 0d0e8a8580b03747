package flowlogs_test

import (
	"errors"
	"io"
	"reflect"
	"slices"
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
	// strings, when set, are the positions given as text whatever their
	// tokens ("-" included), as a Parquet file's string columns give them.
	strings map[int]bool
}

func (s *rowsOf) ReadRow() ([]flowlogs.Value, error) {
	if s.next == len(s.lines) {
		return nil, io.EOF
	}
	s.next++
	var row []flowlogs.Value
	for i, tok := range strings.Fields(s.lines[s.next-1]) {
		if n, err := strconv.ParseInt(tok, 10, 64); err == nil && !s.strings[i] && tok[0] != '-' && tok[0] != '+' && (tok == "0" || tok[0] != '0') {
			row = append(row, flowlogs.IntValue(n))
		} else if tok == "-" && !s.strings[i] {
			row = append(row, flowlogs.Value{})
		} else {
			row = append(row, flowlogs.TextValue([]byte(tok)))
		}
	}
	return row, nil
}

func (s *rowsOf) Close() error { s.closed++; return nil }

// rowLines are lines of the default format, good and malformed (a port,
// a protocol and a version out of range, an end before its start, a zone,
// a lower-case action).
var rowLines = []string{
	"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
	"2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010000 1418530070000 REJECT OK",
	"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
	"2 123456789010 eni-1 10.0.0.1 10.0.0.2 70000 22 6 1 1 1418530010 1418530070 ACCEPT OK",
	"2 unknown eni-2 10.0.0.1 10.0.0.2 1 22 300 1 1 1418530010 1418530070 ACCEPT OK",
	"2 123456789010 eni-3 10.0.0.1 ::ffff:10.0.0.2 1 22 6 1 1 1418530070 1418530010 ACCEPT OK",
	"2 123456789010 eni-4 10.0.0.1 10.0.0.2 1 22 6 1 1 0 1418530010 DROP NODATA",
	"65537 123456789010 eni-5 10.0.0.1 fe80::1%eth0 1 22 6 1 1 1418530010 1418530070 ACCEPT OK",
	"2 00123 eni-6 10.0.0.1 10.0.0.2 01 22 6 01 1 1418530010 1418530070 accept OK",
}

// TestRowReaderMatchesText reads lines as rows and as text, with the same
// options: the same records (every field, symbols, Raw), Stats, malformed
// lines and errors.
func TestRowReaderMatchesText(t *testing.T) {
	format := flowlogs.DefaultFormat
	lines := append(slices.Clip(rowLines), rowLines[0])
	text := strings.Join(lines, "\n") + "\n"
	for k, opts := range [][]flowlogs.Option{
		nil,
		{flowlogs.WithLenient(3), flowlogs.WithSource("x")},
		{flowlogs.WithLenient(10), flowlogs.WithFields(flowlogs.FieldSrcPort, flowlogs.FieldAccountID)},
		{flowlogs.WithLenient(10), flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionAccept})},
		{flowlogs.WithMaxLineLength(100), flowlogs.WithLenient(10)},
	} {
		src := &rowsOf{lines: lines}
		rowsMatchText(t, src, text, format, k, opts)
		if src.closed != 1 {
			t.Errorf("options %d: source closed %d times at the end", k, src.closed)
		}
	}
}

// rowsMatchText reads src's rows and text, in format with opts (the k-th
// set tried), and fails t at the first record, Stats, line number,
// malformed line or error where they differ.
func rowsMatchText(t *testing.T, src *rowsOf, text string, format *flowlogs.Format, k int, opts []flowlogs.Option) {
	t.Helper()
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
	for _, l := range append(slices.Clip(rowLines),
		// Each bound, on it and past it.
		"65536 123456789010 eni-7 10.0.0.1 10.0.0.2 65535 65536 255 9223372036854775807 0 9999999999 9999999999 ACCEPT OK",
		"65537 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 6 1 1 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 65536 1 6 1 1 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 256 1 1 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 6 9223372036854775808 1 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 6 1 1 1000000000000 1000000003600 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 6 1 1 10000000000 10000000000 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 6 1 1 999999999999 9999999999999 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 6 1 1 1418530010 1418533610 ACCEPT OK",
		"2 123456789010 eni-7 10.0.0.1 10.0.0.2 1 1 6 1 1 1418530010 1418533611 ACCEPT OK",
	) {
		f.Add(l + "\n" + l)
	}
	// Every field, in AWS's order (a first line naming fields is the
	// format).
	const v5 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path"
	for _, l := range []string{
		"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 19 IPv4 172.31.16.139 172.31.16.21 us-east-1 use1-az4 - - - - ingress -",
		"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA - - - - - - - - - - - - - - -",
		"2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 3 IPv6 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 us-east-1 use1-az4 - - - - egress 1",
		"5 123456789010 eni-1235b8ca123456789 10.0.0.220 10.0.1.5 80 39812 6 5 512 1563108188 1563108308 ACCEPT OK vpc-abcdefab012345678 subnet-aaaaaaaa012345678 - 19 EFA 203.0.113.5 10.0.1.5 us-east-1 use1-az4 outpost op-0123456789abcdef0 S3 - ingress 300",
		"5 123456789010 eni-1 10.0.0.220 10.0.1.5 80 39812 6 5 512 1563108188 1563108308 ACCEPT OK vpc-a subnet-a - 255 IPv4 10.0.0.220 10.0.1.5 us-east-1 use1-az4 - - - - egress 255",
		"5 123456789010 eni-1 10.0.0.220 10.0.1.5 80 39812 6 5 512 1563108188 1563108308 ACCEPT OK vpc-a subnet-a - 256 IPv4 10.0.0.220 10.0.1.5 us-east-1 use1-az4 - - - - egress 256",
	} {
		f.Add(v5 + "\n" + l + "\n" + l)
	}
	f.Fuzz(func(t *testing.T, text string) {
		format := flowlogs.DefaultFormat
		all := strings.Split(text, "\n")
		if strings.HasPrefix(all[0], "version ") {
			var err error
			if format, err = flowlogs.ParseFormat(all[0]); err != nil {
				return
			}
			all = all[1:]
		}
		var lines []string
		for _, l := range all {
			// Rows of another length stop a RowReader, where a line is
			// malformed; a row's Stats.Bytes counts one space between
			// values; other white space splits the rows, not the line; a
			// line of names may be a header, which rows never are.
			f := strings.Fields(l)
			names := !slices.ContainsFunc(f, func(tok string) bool { return tok[0] < 'a' || tok[0] > 'z' })
			if len(f) != format.Len() || strings.Join(f, " ") != l || names ||
				strings.ContainsFunc(l, func(r rune) bool { return r != ' ' && (r < '!' || r > '~') }) {
				return
			}
			lines = append(lines, l)
		}
		if len(lines) == 0 {
			return // text's one empty line, and rows' none
		}
		// Rows typed as AWS's Parquet schema types them, which the
		// fast path takes (digits of a string field, account-id, as
		// text), and as rowsOf types them alone (as integers).
		typed := map[int]bool{}
		for i := range format.Len() {
			switch format.Field(i) {
			case flowlogs.FieldAccountID, flowlogs.FieldInterfaceID, flowlogs.FieldVPCID, flowlogs.FieldSubnetID, flowlogs.FieldInstanceID,
				flowlogs.FieldRegion, flowlogs.FieldAZID, flowlogs.FieldSublocationType, flowlogs.FieldSublocationID,
				flowlogs.FieldPktSrcAWSService, flowlogs.FieldPktDstAWSService:
				typed[i] = true
			}
		}
		for k, opts := range [][]flowlogs.Option{
			{flowlogs.WithLenient(100)},
			{flowlogs.WithLenient(100), flowlogs.WithFields(flowlogs.FieldSrcAddr, flowlogs.FieldBytes, flowlogs.FieldAction, flowlogs.FieldStart)},
			nil,
		} {
			for _, strs := range []map[int]bool{typed, nil} {
				rowsMatchText(t, &rowsOf{lines: lines, strings: strs}, strings.Join(lines, "\n")+"\n", format, k, opts)
			}
		}
	})
}
