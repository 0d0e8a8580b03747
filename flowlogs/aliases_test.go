package flowlogs

import (
	"errors"
	"testing"
)

// Format.Index finds a field by any spelling, and Record.Raw any field of
// the format by its name: a format read from a Logs Insights export names
// start and end startTime and endTime (LookupField takes them), so those
// names must find their columns.
func TestIndexInsightsAlias(t *testing.T) {
	f, err := ParseHeader("interfaceId startTime endTime bytes")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"startTime": 1, "start_time": 1, "start": 1, "endTime": 2, "endtime": 2, "end": 2, "interfaceId": 0} {
		if got := f.Index(name); got != want {
			t.Errorf("Index(%q) = %d, want %d", name, got, want)
		}
	}
	r, err := ParseLine(f, "eni-1 1700000000 1700000060 5")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := r.Raw("startTime"); !ok || string(v) != "1700000000" {
		t.Errorf(`Raw("startTime") = %q, %v`, v, ok)
	}
	// A format with start of its own keeps startTime as a column of its own.
	g, err := ParseHeader("start end startTime")
	if err != nil {
		t.Fatal(err)
	}
	if g.Index("startTime") != 2 || g.Index("start") != 0 {
		t.Errorf("beside start: Index(startTime) %d, Index(start) %d", g.Index("startTime"), g.Index("start"))
	}
}

// A malformed line of a stream whose format the MultiParser knows (the
// one that parsed its last line) is reported in that format, naming the
// field that is wrong, not as another format of the same field count
// reads it.
func TestMultiParserErrorInStreamFormat(t *testing.T) {
	v5, alt := multiFormats(t)
	m := NewMultiParser([]*Format{v5, alt}, FieldSet{})
	var rec Record
	if err := m.Parse("eni-3", []byte("eni-3 5 10.1.1.1 10.0.0.1 7 1418530010 1418530070 REJECT OK"), &rec); err != nil || m.Format() != alt {
		t.Fatalf("alt: %v %v", err, m.Format())
	}
	err := m.Parse("eni-3", []byte("eni-3 5 10.1.1.1 10.0.0.1 x 1418530010 1418530070 REJECT OK"), &rec)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Field != "packets" || pe.Value != "x" || m.Format() != alt {
		t.Errorf("bad packets in the stream's format: %v (format %v), want field packets", err, m.Format())
	}
	// A stream not seen before: the first format's error, as before.
	err = m.Parse("eni-9", []byte("eni-9 5 10.1.1.1 10.0.0.1 x 1418530010 1418530070 REJECT OK"), &rec)
	if !errors.As(err, &pe) || pe.Field != "version" || m.Format() != v5 {
		t.Errorf("new stream: %v (format %v), want the first format's error", err, m.Format())
	}
}

// The stream's format is used for the error only when it has the line's
// field count: another width's "fewer fields" would be wrong.
func TestMultiParserErrorOtherWidth(t *testing.T) {
	v5, alt := multiFormats(t)
	m := NewMultiParser([]*Format{DefaultFormat, v5, alt}, FieldSet{})
	var rec Record
	if err := m.Parse("eni-1", []byte("2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 100 1418530010 1418530070 ACCEPT OK"), &rec); err != nil {
		t.Fatal(err)
	}
	err := m.Parse("eni-1", []byte("5 eni-1 10.0.0.1 10.1.1.1 x 1418530010 1418530070 egress OK"), &rec)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Field != "bytes" || m.Format() != v5 {
		t.Errorf("%v (format %v), want v5's error on bytes", err, m.Format())
	}
}
