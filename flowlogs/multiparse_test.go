package flowlogs

import (
	"errors"
	"strings"
	"testing"
)

// Three flow logs into one header-less stream: two of them with the same
// field count, told apart by trying.
func multiFormats(t *testing.T) (v5, alt *Format) {
	t.Helper()
	v5, err := ParseLogFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${start} ${end} ${flow-direction} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	alt, err = ParseLogFormat("${interface-id} ${version} ${dstaddr} ${srcaddr} ${packets} ${start} ${end} ${action} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	return v5, alt
}

const multiLines = `2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 100 1418530010 1418530070 ACCEPT OK
5 eni-2 10.0.0.1 10.1.1.1 200 1418530010 1418530070 egress OK
eni-3 5 10.1.1.1 10.0.0.1 7 1418530010 1418530070 REJECT OK
5 eni-2 10.0.0.1 10.1.1.1 300 1418530010 1418530070 ingress OK
`

func TestReaderWithFormats(t *testing.T) {
	v5, alt := multiFormats(t)
	r := NewReader(strings.NewReader(multiLines), WithFormats(DefaultFormat, v5, alt))
	recs := readAll(t, r)
	if r.Err() != nil || len(recs) != 4 {
		t.Fatalf("%d records, %v", len(recs), r.Err())
	}
	if recs[0].Bytes != 100 || !recs[0].Has(FieldAccountID) ||
		recs[1].Bytes != 200 || recs[1].FlowDirection != DirectionEgress ||
		recs[2].Packets != 7 || recs[2].Action != ActionReject || recs[2].InterfaceID != "eni-3" ||
		recs[3].Bytes != 300 {
		t.Fatalf("records %v", recs)
	}
	if r.Format() != v5 {
		t.Errorf("Format after the last line: %v", r.Format())
	}

	// A header takes precedence from where it appears.
	r = NewReader(strings.NewReader(multiLines+"interface-id bytes\neni-9 42\n"), WithFormats(DefaultFormat, v5, alt))
	if recs := readAll(t, r); r.Err() != nil || len(recs) != 5 || recs[4].Bytes != 42 {
		t.Fatalf("after a header: %d records, %v", len(recs), r.Err())
	}

	// No format with the line's field count: the first format's error.
	r = NewReader(strings.NewReader("eni-1 10\n"), WithFormats(v5, alt))
	readAll(t, r)
	var pe *ParseError
	if !errors.As(r.Err(), &pe) || !errors.Is(pe, ErrMissingFields) || pe.Line != 1 {
		t.Fatalf("field count no format has: %v", r.Err())
	}

	// WithFormats() and nil formats leave the default format.
	r = NewReader(strings.NewReader(multiLines[:strings.IndexByte(multiLines, '\n')+1]), WithFormats(), WithFormats(nil))
	if recs := readAll(t, r); r.Err() != nil || len(recs) != 1 {
		t.Fatalf("no formats: %d records, %v", len(recs), r.Err())
	}
}

func TestMultiParserRemembersPerKey(t *testing.T) {
	v5, alt := multiFormats(t)
	m := NewMultiParser([]*Format{v5, alt}, Fields(FieldBytes, FieldPackets))
	var rec Record
	for range 3 {
		if err := m.Parse("eni-3", []byte("eni-3 5 10.1.1.1 10.0.0.1 7 1418530010 1418530070 REJECT OK"), &rec); err != nil || m.Format() != alt || rec.Packets != 7 {
			t.Fatalf("alt: %v %v %+v", err, m.Format(), rec)
		}
		if err := m.Parse("eni-2", []byte("5 eni-2 10.0.0.1 10.1.1.1 200 1418530010 1418530070 egress OK"), &rec); err != nil || m.Format() != v5 || rec.Bytes != 200 {
			t.Fatalf("v5: %v %v %+v", err, m.Format(), rec)
		}
	}
	if err := m.Parse("eni-2", []byte("5 eni-2 10.0.0.1 10.1.1.1 x 1418530010 1418530070 egress OK"), &rec); err == nil || m.Format() != v5 {
		t.Fatalf("bad bytes: %v, format %v", err, m.Format())
	}
}

func TestResolveOptions(t *testing.T) {
	v5, _ := multiFormats(t)
	f := Filter{Action: ActionAccept}
	s := ResolveOptions(WithFormat(v5), WithFields(FieldBytes), WithSource("x"), WithLenient(3),
		WithFilter(f), WithMaxLineLength(1000), WithSyncDecompression())
	if len(s.Formats) != 1 || s.Formats[0] != v5 || !s.Selection.Has(FieldBytes) || !s.Selection.Has(FieldLogStatus) ||
		!s.Selection.Has(FieldAction) || s.Source != "x" || !s.Lenient || s.Keep != 3 || s.Filter.Action != ActionAccept ||
		s.MaxLineLength != 1000 || !s.SyncDecompression {
		t.Fatalf("%+v", s)
	}
	if s := ResolveOptions(); len(s.Formats) != 0 || !s.Selection.IsEmpty() || s.Lenient || !s.Filter.IsZero() || s.MaxLineLength != 0 {
		t.Fatalf("zero: %+v", s)
	}
}
