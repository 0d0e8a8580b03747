package flowlogs

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/klauspost/compress/gzip"
)

const s3File = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA
`

func gz(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readAll(t *testing.T, r *Reader) []*Record {
	t.Helper()
	var recs []*Record
	for r.Scan() {
		recs = append(recs, r.Record().Clone())
	}
	return recs
}

func TestReaderS3File(t *testing.T) {
	for name, input := range map[string][]byte{
		"plain":       []byte(s3File),
		"gzip":        gz(t, s3File),
		"gzip-sync":   gz(t, s3File),
		"crlf":        []byte(strings.ReplaceAll(s3File, "\n", "\r\n")),
		"no-final-nl": []byte(strings.TrimSuffix(s3File, "\n")),
		"one-byte":    gz(t, s3File),
	} {
		t.Run(name, func(t *testing.T) {
			var src io.Reader = bytes.NewReader(input)
			opts := []Option{WithSource("f.log.gz")}
			switch name {
			case "one-byte":
				src = iotest.OneByteReader(src)
			case "gzip-sync":
				opts = append(opts, WithSyncDecompression())
			}
			r := NewReader(src, opts...)
			recs := readAll(t, r)
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if len(recs) != 4 {
				t.Fatalf("%d records", len(recs))
			}
			if recs[1].Action != ActionReject || recs[3].LogStatus != StatusSkipData {
				t.Errorf("records: %v %v", recs[1], recs[3])
			}
			st := r.Stats()
			if st.Headers != 1 || st.Records != 4 || st.NoData != 1 || st.SkipData != 1 || !st.Incomplete() || st.Lines != 5 {
				t.Errorf("stats %+v", st)
			}
			if !r.Format().Equal(DefaultFormat) {
				t.Errorf("format %v", r.Format())
			}
		})
	}
}

func TestReaderConcatenatedObjects(t *testing.T) {
	// Two gzip members with different headers, as when S3 objects of two
	// flow logs are concatenated: the header switches the format mid-stream.
	second := "interface-id bytes srcaddr\neni-2 100 10.0.0.1\neni-2 50 10.0.0.2\n"
	input := append(gz(t, s3File), gz(t, second)...)
	r := NewReader(bytes.NewReader(input))
	recs := readAll(t, r)
	if r.Err() != nil || len(recs) != 6 {
		t.Fatalf("%d records, err %v", len(recs), r.Err())
	}
	if recs[4].InterfaceID != "eni-2" || recs[4].Bytes != 100 || recs[4].Has(FieldVersion) {
		t.Errorf("after second header: %+v", recs[4])
	}
	if r.Stats().Headers != 2 {
		t.Errorf("headers %d", r.Stats().Headers)
	}
	// The same header repeated is just skipped.
	r = NewReader(strings.NewReader(s3File + s3File))
	if recs := readAll(t, r); len(recs) != 8 || r.Err() != nil {
		t.Errorf("repeated header: %d %v", len(recs), r.Err())
	}
}

func TestReaderHeaderless(t *testing.T) {
	lines := strings.SplitN(s3File, "\n", 2)[1]
	r := NewReader(strings.NewReader(lines)) // default format
	if recs := readAll(t, r); len(recs) != 4 || r.Err() != nil {
		t.Errorf("default: %d %v", len(recs), r.Err())
	}
	f, _ := ParseLogFormat("${interface-id} ${bytes}")
	r = NewReader(strings.NewReader("eni-1 10\neni-2 20\n"), WithFormat(f))
	recs := readAll(t, r)
	if len(recs) != 2 || recs[1].Bytes != 20 || r.Err() != nil {
		t.Errorf("given format: %v %v", recs, r.Err())
	}

	// A custom format without its header: the error says the default
	// format was assumed, and only then.
	custom := "5 123456789012 eni-1 10.0.0.1 10.0.0.2 443 5000 6 1 40 1 2 ACCEPT OK vpc-1 subnet-1 - 0 IPv4\n"
	for _, c := range []struct {
		in      string
		opts    []Option
		assumed bool
	}{
		{custom, nil, true},
		{"2 123456789012 eni-1 10.0.0.1\n", nil, true},
		{custom, []Option{WithFormat(DefaultFormat)}, false},
		{"version account-id interface-id\n" + custom, nil, false},
		// A header naming the default format, after a line read in it.
		{"2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 5000 6 1 40 1 2 ACCEPT OK\n" + DefaultFormat.Header() + "\n" + custom, nil, false},
	} {
		r := NewReader(strings.NewReader(c.in), c.opts...)
		readAll(t, r)
		err := r.Err()
		if !errors.Is(err, ErrExtraFields) && !errors.Is(err, ErrMissingFields) {
			t.Fatalf("%q: err %v", c.in, err)
		}
		if got := strings.Contains(err.Error(), "no header line, so it was read in the default format"); got != c.assumed {
			t.Errorf("%q, %d options: %v", c.in, len(c.opts), err)
		}
	}
}

func TestReaderStrictError(t *testing.T) {
	in := s3File + "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 notanumber 1 2 ACCEPT OK\n" + s3File
	r := NewReader(strings.NewReader(in), WithSource("s3://b/k.log"))
	recs := readAll(t, r)
	if len(recs) != 4 {
		t.Errorf("%d records before the error", len(recs))
	}
	var pe *ParseError
	if !errors.As(r.Err(), &pe) {
		t.Fatalf("err %v", r.Err())
	}
	if pe.Name != "s3://b/k.log" || pe.Line != 6 || pe.Field != "bytes" || pe.Value != "notanumber" || !errors.Is(pe, ErrSyntax) {
		t.Errorf("ParseError %+v", pe)
	}
	want := `flowlogs: s3://b/k.log:6: field bytes: "notanumber": invalid value`
	if pe.Error() != want {
		t.Errorf("Error() = %q, want %q", pe.Error(), want)
	}
	if r.Scan() {
		t.Error("Scan after error")
	}
}

func TestReaderLenient(t *testing.T) {
	in := s3File + "garbage line\n2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT\n" + strings.SplitN(s3File, "\n", 2)[1]
	r := NewReader(strings.NewReader(in), WithLenient(1))
	recs := readAll(t, r)
	if r.Err() != nil || len(recs) != 8 {
		t.Fatalf("%d records, err %v", len(recs), r.Err())
	}
	if r.Stats().Malformed != 2 || len(r.Malformed()) != 1 || r.Malformed()[0].Line != 6 {
		t.Errorf("malformed: %+v %v", r.Stats(), r.Malformed())
	}
}

func TestReaderTruncatedGzip(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n")
	for i := range 20000 {
		sb.WriteString("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 ")
		sb.WriteString(strings.Repeat("1", 1+i%7))
		sb.WriteString(" 1418530010 1418530070 ACCEPT OK\n")
	}
	full := gz(t, sb.String())
	for _, sync := range []bool{false, true} {
		var opts []Option
		if sync {
			opts = append(opts, WithSyncDecompression())
		}
		r := NewReader(bytes.NewReader(full[:len(full)/2]), append(opts, WithSource("x.log.gz"))...)
		n := len(readAll(t, r))
		err := r.Err()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("sync=%v: err %v", sync, err)
		}
		if n == 0 || n >= 20000 || int64(n) != r.Stats().Records {
			t.Errorf("sync=%v: %d records read", sync, n)
		}
		if !strings.Contains(err.Error(), "x.log.gz: input truncated after ") {
			t.Errorf("message %q", err)
		}
	}
}

func TestReaderFilter(t *testing.T) {
	in := s3File + "2 123456789010 eni-2 2001:db8::1 10.1.2.3 443 50000 17 1 10 1418530100 1418530200 ACCEPT OK\n"
	cases := []struct {
		name string
		f    Filter
		want int
	}{
		{"action", Filter{Action: ActionReject}, 1},
		{"eni", Filter{InterfaceIDs: []string{"eni-2"}}, 1},
		{"eni-nodata", Filter{InterfaceIDs: []string{"eni-1235b8ca123456789"}}, 3},
		{"port", Filter{Ports: []uint16{22, 443}}, 2},
		{"proto", Filter{Protocols: []uint8{17}}, 1},
		{"cidr", Filter{Prefixes: []netip.Prefix{netip.MustParsePrefix("172.31.0.0/16")}}, 2},
		{"v6", Filter{Prefixes: []netip.Prefix{netip.MustParsePrefix("2001:db8::/32")}}, 1},
		{"since", Filter{Since: time.Unix(1418530100, 0)}, 3},
		{"until", Filter{Until: time.Unix(1418530100, 0)}, 2},
		{"many", Filter{InterfaceIDs: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "eni-2"}, Ports: []uint16{1, 2, 3, 443, 65535}, Protocols: []uint8{6, 17, 255}}, 1},
	}
	for _, tc := range cases {
		// Filter.Match and the Reader's prepared matcher agree.
		var recs []*Record
		for rec, err := range NewReader(strings.NewReader(in)).All() {
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, rec.Clone())
		}
		n := 0
		for _, rec := range recs {
			if tc.f.Match(rec) != newMatcher(&tc.f).match(rec) {
				t.Errorf("%s: Match and match disagree on %v", tc.name, rec)
			}
			if tc.f.Match(rec) {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%s: Filter.Match kept %d, want %d", tc.name, n, tc.want)
		}
		for _, sel := range [][]Field{nil, {FieldBytes}} {
			r := NewReader(strings.NewReader(in), WithFilter(tc.f), WithFields(sel...))
			n := len(readAll(t, r))
			if n != tc.want || r.Err() != nil {
				t.Errorf("%s (fields %v): %d records, want %d (%v)", tc.name, sel, n, tc.want, r.Err())
			}
			if st := r.Stats(); st.Filtered+st.Returned != 5 || st.SkipData != 1 {
				t.Errorf("%s: stats %+v", tc.name, st)
			}
		}
	}
}

func TestReaderAllIterator(t *testing.T) {
	n := 0
	for rec, err := range NewReader(strings.NewReader(s3File)).All() {
		if err != nil {
			t.Fatal(err)
		}
		if rec.InterfaceID == "" {
			t.Error("empty interface")
		}
		n++
		if n == 2 {
			break
		}
	}
	var last error
	for _, err := range NewReader(strings.NewReader(s3File + "bad\n")).All() {
		last = err
	}
	if last == nil {
		t.Error("iterator should end with the error")
	}
	// Breaking out of a gzip read stops the decoder goroutine.
	r := NewReader(bytes.NewReader(gz(t, s3File)))
	for range r.All() {
		break
	}
	if r.async != nil {
		t.Error("decoder still running")
	}
	if r.Scan() {
		t.Error("Scan after Close")
	}
}

func TestReaderLineTooLong(t *testing.T) {
	r := NewReader(strings.NewReader(strings.Repeat("a", 5000)+"\n"), WithMaxLineLength(1024))
	readAll(t, r)
	if !errors.Is(r.Err(), ErrLineTooLong) {
		t.Errorf("err %v", r.Err())
	}
}

func TestReaderInterning(t *testing.T) {
	r := NewReader(strings.NewReader(s3File))
	var ids []string
	for r.Scan() {
		ids = append(ids, r.Record().InterfaceID)
	}
	if ids[0] != "eni-1235b8ca123456789" || ids[3] != "eni-11111111aaaaaaaaa" {
		t.Errorf("interned strings changed: %v", ids)
	}
}

func TestSymbols(t *testing.T) {
	second := "interface-id bytes\neni-11111111aaaaaaaaa 1\neni-new 2\n"
	r := NewReader(strings.NewReader(s3File + second))
	var syms []uint32
	var ids []string
	for r.Scan() {
		syms = append(syms, r.Record().Symbol(FieldInterfaceID))
		ids = append(ids, r.Record().InterfaceID)
	}
	// eni-1235… twice then NODATA on it, eni-1111… (SKIPDATA), then after
	// the header change eni-1111… again and a new one.
	want := []uint32{1, 1, 1, 2, 2, 3}
	for i := range want {
		if syms[i] != want[i] {
			t.Fatalf("symbols %v (%v), want %v", syms, ids, want)
		}
	}
	rec, _ := ParseLine(DefaultFormat, "2 1 - - - - - - - - 1 2 - NODATA")
	if rec.Symbol(FieldInterfaceID) != 0 || rec.Symbol(FieldBytes) != 0 || rec.Symbol(Field(200)) != 0 {
		t.Error("absent or non-string fields have symbol 0")
	}
}

func TestSymbolsBounded(t *testing.T) {
	f, _ := ParseHeader("interface-id")
	p := NewParser(f, FieldSet{})
	var r Record
	var line []byte
	for i := range maxSymbols + 2 {
		line = strconv.AppendInt(line[:0], int64(i), 10)
		if err := p.Parse(line, &r); err != nil {
			t.Fatal(err)
		}
		want := uint32(i + 1)
		if i >= maxSymbols {
			want = 0
		}
		if r.Symbol(FieldInterfaceID) != want || r.InterfaceID != string(line) {
			t.Fatalf("value %d: symbol %d %q", i, r.Symbol(FieldInterfaceID), r.InterfaceID)
		}
	}
	if err := p.Parse([]byte("17"), &r); err != nil || r.Symbol(FieldInterfaceID) != 18 {
		t.Errorf("old values keep their symbols: %d", r.Symbol(FieldInterfaceID))
	}
}

// NewReaderBytes reads what NewReader reads, plain or gzip, strict or
// lenient, and never writes into its input.
func TestNewReaderBytes(t *testing.T) {
	plain := []byte(s3File + "\n  \n2 1 eni-9 - - - - - - - 1 2 - NODATA\r\nbad line\n2 1 eni-9 - - - - - - - 1 2 - NODATA")
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(plain)
	zw.Close()
	for _, in := range [][]byte{plain, z.Bytes(), nil, []byte("\n")} {
		for _, opts := range [][]Option{{WithLenient(5)}, nil, {WithFields(FieldInterfaceID)}} {
			orig := bytes.Clone(in)
			sameReads(t, NewReaderBytes(in, opts...), NewReader(bytes.NewReader(in), opts...))
			if !bytes.Equal(in, orig) {
				t.Fatal("input written")
			}
		}
	}
}

// Records copied into one buffer stay whole after the reader moves on,
// and cost no allocation while the buffer has room.
func TestCopyTo(t *testing.T) {
	in := synth(DefaultFormat, 3000)
	r := NewReader(bytes.NewReader(in))
	var recs []Record
	var want []string
	var buf []byte
	for r.Scan() {
		recs = append(recs, Record{})
		buf = r.Record().CopyTo(&recs[len(recs)-1], buf)
		want = append(want, r.Record().String())
	}
	if r.Err() != nil || len(recs) != 3000 {
		t.Fatal(r.Err(), len(recs))
	}
	for i := range recs {
		raw, ok := recs[i].RawField(FieldInterfaceID)
		if recs[i].String() != want[i] || !ok || string(raw) != recs[i].InterfaceID {
			t.Fatalf("record %d: %q, want %q", i, recs[i].String(), want[i])
		}
	}
	rec := r.Record()
	var dst Record
	big := make([]byte, 0, 1<<20)
	if n := testing.AllocsPerRun(100, func() { big = rec.CopyTo(&dst, big[:0]) }); n != 0 {
		t.Errorf("CopyTo with room: %v allocations", n)
	}
	if c := rec.Clone(); c.String() != rec.String() {
		t.Error("Clone differs")
	}
	var zero Record
	if c := zero.Clone(); c.String() != "" {
		t.Error("Clone of a zero record")
	}
}

// Lines around maxFastLine bytes, where the Reader's one-pass split and
// the long-line path meet, read as a Parser parses them.
func TestLinesNearMaxFastLine(t *testing.T) {
	f, err := ParseHeader("interface-id instance-tag bytes log-status")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{63, 64, 65, 1000, 1023, 1024, 1025, 1088, 2000} {
		head, tail := "eni-1 ", " 42 OK"
		line := head + strings.Repeat("t", n-len(head)-len(tail)) + tail
		var text strings.Builder
		for range 5 {
			text.WriteString(line + "\n")
		}
		r := NewReader(strings.NewReader(text.String()), WithFormat(f))
		want := new(Record)
		if err := NewParser(f, FieldSet{}).Parse([]byte(line), want); err != nil {
			t.Fatal(err)
		}
		count := 0
		for r.Scan() {
			got := r.Record()
			if got.String() != want.String() || got.Bytes != 42 || got.Present != want.Present {
				t.Fatalf("line of %d bytes: %q", n, got.String())
			}
			count++
		}
		if r.Err() != nil || count != 5 {
			t.Fatalf("line of %d bytes: %d records, %v", n, count, r.Err())
		}
	}
}

// The shape filter in front of the header test lets every known field
// name through and stops the IDs a record may start with.
func TestMaybeName(t *testing.T) {
	for name := range awsNames {
		if !maybeName([]byte(name)) {
			t.Errorf("%s: not a possible name", name)
		}
	}
	for _, v := range []string{"eni-0123456789abcdef0", "vpc-0a1b2c3d4e5f60718", "i-01234567890abcdef", "subnet-0123456789abcdef0", "eni-1"} {
		if maybeName([]byte(v)) {
			t.Errorf("%s: a possible name", v)
		}
	}
}

// WithMaxLineLength refuses a longer line; a line of exactly the limit
// is read, streamed as from bytes.
func TestReaderLineOfMaxLength(t *testing.T) {
	const max = 1 << 20 // the default
	f := mustFormat(FieldInterfaceID, FieldBytes)
	line := "eni-" + strings.Repeat("a", max-4-2) + " 5"
	if len(line) != max {
		t.Fatal(len(line))
	}
	in := []byte("eni-1 1\n" + line + "\neni-2 2\n")
	for name, r := range map[string]*Reader{
		"bytes":  NewReaderBytes(in, WithFormat(f)),
		"stream": NewReader(bytes.NewReader(in), WithFormat(f)),
	} {
		n := 0
		for r.Scan() {
			n++
		}
		if r.Err() != nil || n != 3 {
			t.Errorf("%s: %d records, %v", name, n, r.Err())
		}
	}
}

// Records carry whole seconds, and a window made from time.Now() has a
// fraction: [start, end] overlaps [Since, Until) by the ceilings.
func TestFilterSubSecondWindow(t *testing.T) {
	until := time.Unix(1700000000, 500_000_000) // Until = …000.5
	in := "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 1700000000 1700000000 ACCEPT OK\n"
	r := NewReader(strings.NewReader(in), WithFilter(Filter{Until: until}))
	n := 0
	for r.Scan() {
		n++
	}
	f := Filter{Until: until}
	var rec Record
	if err := NewParser(DefaultFormat, FieldSet{}).Parse([]byte(in), &rec); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !f.Match(&rec) {
		t.Fatalf("record starting at 1700000000 (before Until 1700000000.5) dropped: %d returned, Match %v", n, f.Match(&rec))
	}
	// And a record ending at …000 lies wholly before Since = …000.5.
	g := Filter{Since: until}
	if g.Match(&rec) {
		t.Fatalf("record ending at 1700000000 matches Since 1700000000.5")
	}
}

// AWS takes the fields in any order, and names this package does not know
// are kept (doc.go): a header whose first name is a newer field is a header.
func TestHeaderStartingWithUnknownField(t *testing.T) {
	in := "next-gen-field version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
		"x 2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 1700000000 1700000060 ACCEPT OK\n"
	r := NewReader(strings.NewReader(in))
	n := 0
	for r.Scan() {
		n++
		if v, _ := r.Record().Value("next-gen-field"); v != "x" || r.Record().Bytes != 1000 {
			t.Fatalf("record %q", r.Record().String())
		}
	}
	if r.Err() != nil || n != 1 || r.Stats().Headers != 1 {
		t.Fatalf("%d records, %d headers, %v", n, r.Stats().Headers, r.Err())
	}
}

// A record of a format whose values are lower-case words (ECS names) is a
// header only when its first word, or two of them, are field names: one
// service named "start" made a record a header, the format changed and
// the next lines failed.
func TestRecordOfLowercaseWordsIsNotAHeader(t *testing.T) {
	in := "ecs-cluster-name ecs-service-name\n" +
		"prod web\n" +
		"prod start\n" +
		"prod web\n"
	r := NewReader(strings.NewReader(in))
	var svc []string
	for r.Scan() {
		svc = append(svc, r.Record().ECSServiceName)
	}
	if r.Err() != nil || len(svc) != 3 || r.Stats().Headers != 1 {
		t.Fatalf("records %q, %d headers, err %v; want [web start web], 1 header", svc, r.Stats().Headers, r.Err())
	}
}

// A table's own start_time beside start is a column of its own: Logs
// Insights' startTime and endTime stand for start and end only in a format
// without them.
func TestStartTimeColumnBesideStart(t *testing.T) {
	f, err := ParseHeader("version interface-id bytes start end start_time end_time")
	if err != nil {
		t.Fatalf("ParseHeader: %v", err)
	}
	if f.Position(FieldStart) != 3 {
		t.Fatalf("start at %d", f.Position(FieldStart))
	}
	in := "version interface-id bytes start end start_time end_time\n" +
		"2 eni-1 100 1700000000 1700000060 2023-11-14T22:13:20Z 2023-11-14T22:14:20Z\n"
	r := NewReader(strings.NewReader(in))
	n := 0
	for r.Scan() {
		n++
		if v, _ := r.Record().Value("start_time"); v != "2023-11-14T22:13:20Z" || r.Record().Start != 1700000000 {
			t.Fatalf("record %q", r.Record().String())
		}
	}
	if r.Err() != nil || n != 1 {
		t.Fatalf("%d records, %v", n, r.Err())
	}
}

// With ByStart a record is in the window its start is in, so windows
// back to back hold every record once; by overlap, a record spanning their
// boundary is in both.
func TestFilterByStart(t *testing.T) {
	var rec Record
	if err := NewParser(DefaultFormat, FieldSet{}).Parse([]byte("2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 1700000050 1700000110 ACCEPT OK"), &rec); err != nil {
		t.Fatal(err)
	}
	cut := time.Unix(1700000100, 0)
	before, after := Filter{Until: cut}, Filter{Since: cut}
	if !before.Match(&rec) || !after.Match(&rec) {
		t.Fatal("by overlap the record is in both windows")
	}
	before.ByStart, after.ByStart = true, true
	if !before.Match(&rec) || after.Match(&rec) {
		t.Errorf("by start: before %v, after %v; want true, false", before.Match(&rec), after.Match(&rec))
	}
	in := "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 1700000050 1700000110 ACCEPT OK\n"
	for _, f := range []Filter{before, after} {
		n := 0
		for r := NewReader(strings.NewReader(in), WithFilter(f)); r.Scan(); {
			n++
		}
		if want := map[bool]int{true: 1, false: 0}[f.Until.Equal(cut)]; n != want {
			t.Errorf("reader with %+v: %d records, want %d", f, n, want)
		}
	}
	// A record without a start is placed at its end, as attribution
	// places it: in one of two windows back to back. It was in both (kept
	// by every Until, and by a Since it did not end before), and partials
	// of the two windows counted it twice. One with neither passes.
	for _, c := range []struct {
		line          string
		before, after bool
	}{
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 - 1700000110 ACCEPT OK", false, true},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 - 1700000090 ACCEPT OK", true, false},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 - - ACCEPT OK", true, true},
	} {
		var r Record
		if err := NewParser(DefaultFormat, FieldSet{}).Parse([]byte(c.line), &r); err != nil {
			t.Fatal(err)
		}
		if before.Match(&r) != c.before || after.Match(&r) != c.after {
			t.Errorf("%s: before %v, after %v; want %v, %v", c.line, before.Match(&r), after.Match(&r), c.before, c.after)
		}
		n := 0
		for _, f := range []Filter{before, after} {
			for rd := NewReader(strings.NewReader(c.line+"\n"), WithFilter(f)); rd.Scan(); {
				n++
			}
		}
		if want := map[bool]int{true: 2, false: 1}[c.before && c.after]; n != want {
			t.Errorf("%s: the readers of the two windows returned it %d times, want %d", c.line, n, want)
		}
	}
}

// TestHeaderAfterMultiParsedLine: a header line takes precedence over WithFormats from where it appears,
// also when it names the format the last header-less line happened to be
// parsed with: the lines after it are read in that format only.
func TestHeaderAfterMultiParsedLine(t *testing.T) {
	a := mustFormat(FieldInterfaceID, FieldBytes)
	b := mustFormat(FieldPackets, FieldInterfaceID)
	// "eni-1 5" is parsed (by the MultiParser) with a; then a's header;
	// "7 eni-2" is not a record of a.
	in := "eni-1 5\n" + a.Header() + "\n7 eni-2\n"
	r := NewReader(strings.NewReader(in), WithFormats(a, b))
	n := 0
	for r.Scan() {
		n++
	}
	var pe *ParseError
	if n != 1 || !errors.As(r.Err(), &pe) || pe.Line != 3 || pe.Field != "bytes" {
		t.Fatalf("%d records, err %v; want 1 record and line 3's bytes rejected (read in the header's format)", n, r.Err())
	}
	if r.Stats().Headers != 1 {
		t.Fatalf("headers %d", r.Stats().Headers)
	}
}
