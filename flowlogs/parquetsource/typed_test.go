package parquetsource

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// compareReads reads data with opts through File.NewReader (typed values
// given to the parser) and through Text's path (rows rendered as text and
// parsed back), and reports the first difference: in the records returned
// (every field, interned symbols, Raw and String included: the clones are
// compared with reflect.DeepEqual), Line, Stats after each record, the
// malformed lines kept, and the error that ends the read. It returns the
// records read and that error.
func compareReads(data []byte, opts ...flowlogs.Option) (n int, err, diff error) {
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, err, nil
	}
	typed, text := f.NewReader(opts...), f.newTextFlowReader(opts...)
	defer typed.Close()
	defer text.Close()
	if !reflect.DeepEqual(typed.Format(), text.Format()) {
		return 0, nil, fmt.Errorf("format %q, text %q", typed.Format().Header(), text.Format().Header())
	}
	var firstRaw []byte
	if r := f.NewReader(opts...); r.Scan() || r.Line() > 0 {
		firstRaw, _ = r.Record().Raw(r.Format().Name(0))
		r.Close()
	}
	defer func() {
		// What only the text path does: take a row for a header line, or
		// drop a byte-order mark at the start of the first one.
		if diff != nil && (text.Stats().Headers > 0 || bytes.HasPrefix(firstRaw, []byte("\xef\xbb\xbf"))) {
			diff = fmt.Errorf("%w: %v", errTextArtifact, diff)
		}
	}()
	last := 0
	for {
		a, b := typed.Scan(), text.Scan()
		if a != b {
			return n, nil, fmt.Errorf("after %d records: Scan %v, text %v (errors %v, text %v)", n, a, b, typed.Err(), text.Err())
		}
		if !a {
			break
		}
		n++
		last = text.Line()
		ra, rb := typed.Record(), text.Record()
		if n%2 == 0 {
			// Raw rendered for String first, or for Clone.
			if ra.String() != rb.String() {
				return n, nil, fmt.Errorf("record %d: %q, text %q", n, ra.String(), rb.String())
			}
		}
		if ca, cb := ra.Clone(), rb.Clone(); !reflect.DeepEqual(ca, cb) {
			return n, nil, fmt.Errorf("record %d (line %d):\n%+v\ntext:\n%+v", n, typed.Line(), *ca, *cb)
		}
		if typed.Line() != text.Line() || typed.Stats() != text.Stats() {
			return n, nil, fmt.Errorf("record %d: line %d, stats %+v; text: line %d, %+v", n, typed.Line(), typed.Stats(), text.Line(), text.Stats())
		}
	}
	// After a clean end, Record is the last record. (After a malformed
	// line it is partly filled, differently.)
	if n > 0 && text.Err() == nil && last == text.Line() && typed.Record().String() != text.Record().String() {
		return n, nil, fmt.Errorf("after the end: %q, text %q", typed.Record().String(), text.Record().String())
	}
	if typed.Line() != text.Line() || typed.Stats() != text.Stats() {
		return n, nil, fmt.Errorf("at the end: line %d, stats %+v; text: line %d, %+v", typed.Line(), typed.Stats(), text.Line(), text.Stats())
	}
	if !reflect.DeepEqual(typed.Malformed(), text.Malformed()) {
		return n, nil, fmt.Errorf("malformed %v, text %v", typed.Malformed(), text.Malformed())
	}
	ea, eb := typed.Err(), text.Err()
	if fmt.Sprint(ea) != fmt.Sprint(eb) || !reflect.DeepEqual(ea, eb) && !sameWrapped(ea, eb) {
		return n, ea, fmt.Errorf("error %v\ntext error %v", ea, eb)
	}
	return n, ea, nil
}

// errTextArtifact is wrapped by a difference compareReads finds where
// only the text path takes a row for a header or drops a byte-order mark.
var errTextArtifact = errors.New("text path artifact")

// sameWrapped reports whether two errors of the same text are the read
// errors of both paths: wrapped by fmt.Errorf, which DeepEqual compares
// by their wrapped values, equal in text but made apart.
func sameWrapped(a, b error) bool {
	return a != nil && b != nil && a.Error() == b.Error() && !strings.HasPrefix(a.Error(), "flowlogs: line")
}

// typedOptions are the option sets compareReads is run with.
var typedOptions = [][]flowlogs.Option{
	nil,
	{flowlogs.WithLenient(3), flowlogs.WithSource("x.parquet")},
	{flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldPackets)},
	{flowlogs.WithFields(flowlogs.FieldSrcAddr, flowlogs.FieldStart, flowlogs.FieldEnd, flowlogs.FieldVersion), flowlogs.WithLenient(2)},
	{flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionReject}), flowlogs.WithLenient(10)},
	{flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionAccept}), flowlogs.WithFields(flowlogs.FieldDstPort)},
	{flowlogs.WithMaxLineLength(300), flowlogs.WithLenient(1)},
	{flowlogs.WithSyncDecompression(), flowlogs.WithLenient(4)}, // pages not read ahead
}

// typedFixtures returns every layout and value the package's other tests
// read, and hostile values of every kind.
func typedFixtures(t *testing.T) map[string][]byte {
	var rows []awsRow
	for _, l := range v5Lines {
		rows = append(rows, rowFromLine(t, l))
	}
	m := map[string][]byte{
		"aws examples small pages": parquettest.Write(t, rows, parquet.PageBufferSize(256), parquet.MaxRowsPerRowGroup(3)),
		"aws examples dict":        parquettest.Write(t, toDict(rows)),
	}
	_, files := projectionFiles()
	for name, data := range files {
		m["random "+name] = data
	}
	svc := "web"
	m["ecs"] = parquettest.Write(t, []ecsRow{
		{"123456789012", 1500, "prod", &svc, "0123456789abcdef0123456789abcdef", 1715000060, "eni-0a", "OK", 6, 1715000000, 7, "v1"},
		{"123456789012", 99, "-", nil, "-", 1715000060, "-", "OK", 17, 1715000000, 5, "-"},
	})
	lines, _ := randomV5(t, 600, 5)
	lines = append(lines, v5Lines...)
	var tools []toolRow
	for i, l := range lines {
		tools = append(tools, toolRowFromLine(t, l, i))
	}
	m["tools"] = parquettest.Write(t, tools, parquet.PageBufferSize(900), parquet.MaxRowsPerRowGroup(500))
	x := "4x"
	m["tools bad number"] = parquettest.Write(t, append(tools[:3:3], toolRow{Bytes: &x, LogStatus: tools[0].LogStatus}))

	// Hostile values, each in a row of its own among good rows.
	str := func(s string) *string { return &s }
	i32 := func(v int32) *int32 { return &v }
	i64 := func(v int64) *int64 { return &v }
	var hostile []awsRow
	for k, set := range []func(*awsRow){
		func(r *awsRow) { r.SrcPort = i32(70000) },
		func(r *awsRow) { r.DstPort = i32(-1) },
		func(r *awsRow) { r.Protocol = i32(256) },
		func(r *awsRow) { r.Version = i32(1<<16 + 1) },
		func(r *awsRow) { r.Version = i32(-7) },
		func(r *awsRow) { r.TCPFlags = i32(300) },
		func(r *awsRow) { r.TrafficPath = i32(-2) },
		func(r *awsRow) { r.Bytes = i64(-40) },
		func(r *awsRow) { r.Packets = i64(-1 << 63) },
		func(r *awsRow) { r.Start, r.End = i64(1418530010000), i64(1418530070000) },
		func(r *awsRow) { r.Start, r.End = i64(1418530010000), i64(1418530070) },
		func(r *awsRow) { r.Start = i64(0) },
		func(r *awsRow) { r.End = i64(-5) },
		func(r *awsRow) { r.Start = i64(12345678901) },
		func(r *awsRow) { r.Start, r.End = i64(1418530070), i64(1418530010) },
		func(r *awsRow) { r.End = i64(1418530010 + 3601) },
		func(r *awsRow) { r.Start, r.End = nil, nil },
		func(r *awsRow) { r.Action = str("accept") },
		func(r *awsRow) { r.LogStatus = str("ok") },
		func(r *awsRow) { r.LogStatus = nil },
		func(r *awsRow) { r.Type = str("IPv5") },
		func(r *awsRow) { r.FlowDirection = str("in") },
		func(r *awsRow) { r.SrcAddr = str("10.0.0.256") },
		func(r *awsRow) { r.DstAddr = str("fe80::1%eth0") },
		func(r *awsRow) { r.PktSrcAddr = str("::ffff:10.0.0.1") },
		func(r *awsRow) { r.AccountID = str("-") },
		func(r *awsRow) { r.AccountID = str("") },
		func(r *awsRow) { r.InterfaceID = str("eni-\x00\xff\v") },
		func(r *awsRow) { r.InterfaceID = str("version") },
		func(r *awsRow) { r.Region = str(strings.Repeat("r", 90)) },
		func(r *awsRow) { r.SrcPort, r.Protocol, r.Bytes = i32(-1), i32(999), i64(-3) },
		func(r *awsRow) { r.Action, r.SrcPort = str("DROP"), i32(99999) },
		func(r *awsRow) { *r = awsRow{} },
	} {
		good := rowFromLine(t, v5Lines[k%len(v5Lines)])
		bad := good
		set(&bad)
		hostile = append(hostile, good, bad)
	}
	m["hostile"] = parquettest.Write(t, hostile, parquet.PageBufferSize(300))
	m["hostile dict"] = parquettest.Write(t, toDict(hostile), parquet.PageBufferSize(300), parquet.MaxRowsPerRowGroup(7))
	spaced := append([]awsRow(nil), hostile[:20]...)
	spaced[13].AZID = str("use1 az4")
	m["white space"] = parquettest.Write(t, spaced, parquet.PageBufferSize(300))
	spaced[13].AZID = str("use1\taz4")
	m["tab dict"] = parquettest.Write(t, toDict(spaced), parquet.PageBufferSize(300))

	// Integers where the text path takes text, and the reverse.
	type odd struct {
		AccountID int64   `parquet:"account_id"`
		SrcAddr   int32   `parquet:"srcaddr,optional"`
		Action    *int32  `parquet:"action,optional"`
		LogStatus string  `parquet:"log_status,dict"`
		Start     string  `parquet:"start"`
		End       *int64  `parquet:"end,optional"`
		Future    int64   `parquet:"x_future"`
		Ratio     float64 `parquet:"ratio"`
		Flag      bool    `parquet:"flag"`
		Tag       [3]byte `parquet:"interface_id"`
	}
	var odds []odd
	for i := range 40 {
		o := odd{AccountID: int64(i - 3), LogStatus: "OK", Start: fmt.Sprint(1700000000 + i), End: i64(1700000060 + int64(i)),
			Future: int64(i) * -1e15, Ratio: float64(i) / 4, Flag: i%2 == 0, Tag: [3]byte{'e', 'n', byte('a' + i%26)}}
		switch i % 5 {
		case 1:
			o.Action = i32(int32(i))
		case 2:
			o.LogStatus = "NODATA"
			o.End = nil
		case 3:
			o.Start = "-"
		case 4:
			o.LogStatus, o.Start = "SKIPDATA", "17e8"
		}
		odds = append(odds, o)
	}
	m["odd types"] = parquettest.Write(t, odds, parquet.PageBufferSize(128))
	type small struct {
		Version int32  `parquet:"version"`
		Future  string `parquet:"future"`
	}
	m["no column selected"] = parquettest.Write(t, []small{{5, "a"}, {5, "b"}, {5, "c c"}})
	return m
}

// TestTypedMatchesText reads every fixture with every option set through
// both paths: the same records, statistics, malformed lines and errors.
func TestTypedMatchesText(t *testing.T) {
	for name, data := range typedFixtures(t) {
		for k, opts := range typedOptions {
			n, err, diff := compareReads(data, opts...)
			if diff != nil { // artifacts included: no fixture has any
				t.Errorf("%s, options %d: %v", name, k, diff)
			} else if testing.Verbose() {
				t.Logf("%s, options %d: %d records, %v", name, k, n, err)
			}
		}
	}
	data := benchFile()
	if _, err, diff := compareReads(data); diff != nil || err != nil {
		t.Errorf("benchmark file: %v, %v", diff, err)
	}
}

// TestTypedRawAfterClose: the Raw views of the last record survive the end
// of the read and an early Close, which give the pages back to
// parquet-go, as the text path's survive them.
func TestTypedRawAfterClose(t *testing.T) {
	lines, rows := randomV5(t, 3000, 9)
	data := parquettest.Write(t, rows, parquet.PageBufferSize(512))
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	r := f.NewReader()
	for range 700 {
		r.Scan()
	}
	r.Close()
	// Another reader takes the pages given back.
	for r2 := f.NewReader(); r2.Scan(); {
	}
	if got := r.Record().String(); got != lines[699] {
		t.Errorf("after Close: %q, want %q", got, lines[699])
	}
	r = f.NewReader()
	for r.Scan() {
	}
	for r2 := f.NewReader(); r2.Scan(); {
	}
	if got := r.Record().String(); got != lines[len(lines)-1] {
		t.Errorf("after the end: %q, want %q", got, lines[len(lines)-1])
	}
}
