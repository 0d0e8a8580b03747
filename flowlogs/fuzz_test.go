package flowlogs

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func FuzzParseFormat(f *testing.F) {
	for _, s := range []string{
		DefaultFormat.String(), DefaultFormat.Header(), tcpFlagsHeader, v5Header, v7Header,
		"${a} ${b}", "interface_id srcAddr", "${version", "a  b\tc", "${}", "${x}${y}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := ParseFormat(s)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		for _, again := range []string{fm.String(), fm.Header()} {
			g, err := ParseFormat(again)
			if err != nil || !g.Equal(fm) {
				t.Fatalf("round trip %q -> %q: %v", s, again, err)
			}
		}
		for i := range fm.Len() {
			if fm.Index(fm.Name(i)) != i {
				t.Fatalf("Index(%q) != %d", fm.Name(i), i)
			}
			if fld := fm.Field(i); fld != FieldUnknown && fm.Position(fld) != i {
				t.Fatalf("Position(%v) != %d", fld, i)
			}
		}
	})
}

func FuzzParseLine(f *testing.F) {
	f.Add(DefaultFormat.Header(), "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK")
	f.Add(DefaultFormat.Header(), "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA")
	f.Add(DefaultFormat.Header(), "2 123456789010 eni-1 2001:db8::1 ::ffff:1.2.3.4 1 2 58 1 1 1418530010000 1 REJECT SKIPDATA")
	f.Add(tcpFlagsHeader, "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43638  10.0.0.62 52.213.180.42 6 967 14 1566933133 1566933193 ACCEPT 19 OK")
	f.Add(v5Header, "5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK")
	f.Add("encryption-status traffic-path type flow-direction x-unknown", "3 8 EFA ingress zz")
	f.Add(DefaultFormat.Header(), "2 1 eni-1 10.0.0.1 10.0.0.2 1 70000 6 1 99999999999999999999 1700000060 1700000000 ACCEPT OK")
	f.Add(DefaultFormat.Header(), "2 1 eni-x - - - - - - - 99999999999 0 - NODATA")
	f.Fuzz(func(t *testing.T, header, line string) {
		if len(line) <= maxFastLine {
			// The bit sets find the same tokens as a byte-by-byte split.
			var l lineBits
			l.tokens = tokenStarts(&l.space, l.build([]byte(line)), &l.starts)
			toks := strings.FieldsFunc(line, func(c rune) bool { return c == ' ' })
			if l.tokens != len(toks) {
				t.Fatalf("lineBits: %d tokens, want %d", l.tokens, len(toks))
			}
			for k, tok := range toks {
				s := int(l.starts[k])
				if line[s:l.tokenEnd(s)] != tok {
					t.Fatalf("lineBits: token %d = %q, want %q", k, line[s:l.tokenEnd(s)], tok)
				}
			}
		}
		fm, err := ParseHeader(header)
		if err != nil {
			return
		}
		var full *Record
		for _, sel := range []FieldSet{{}, Fields(FieldInterfaceID, FieldBytes), Fields(FieldInterfaceID, FieldBytes, FieldLogStatus), Fields(FieldLogStatus)} {
			p := NewParser(fm, sel)
			var r Record
			err := p.Parse([]byte(line), &r)
			if err == nil && full != nil {
				// A selective parse agrees with the full one.
				for _, f := range []Field{FieldInterfaceID, FieldBytes, FieldLogStatus} {
					if sel.Has(f) && (r.Has(f) != full.Has(f) || r.InterfaceID != full.InterfaceID && f == FieldInterfaceID ||
						r.Bytes != full.Bytes && f == FieldBytes || r.LogStatus != full.LogStatus && f == FieldLogStatus) {
						t.Fatalf("selection %v disagrees on %v", sel, f)
					}
				}
			}
			if sel.IsEmpty() && err == nil {
				full = r.Clone()
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Err == nil || len(pe.Value) > maxErrValue {
					t.Fatalf("bad error %#v", err)
				}
				// A range error is about a number: a syntax error is
				// never reported as one.
				if errors.Is(err, ErrRange) && (pe.Value == "" || strings.Trim(pe.Value, "0123456789") != "") {
					t.Fatalf("range error on %q: %v", pe.Value, err)
				}
				continue
			}
			if !sel.IsEmpty() {
				continue
			}
			// A parsed line is its fields joined by single spaces.
			if got, want := r.String(), strings.Join(strings.FieldsFunc(string(trimSpace([]byte(line))), func(c rune) bool { return c == ' ' }), " "); got != want {
				t.Fatalf("String() = %q, want %q", got, want)
			}
			for i := range fm.Len() {
				raw, ok := r.Raw(fm.Name(i))
				if !ok {
					t.Fatalf("no raw value for %q", fm.Name(i))
				}
				fld := fm.Field(i)
				if fld != FieldUnknown && r.Has(fld) == bytes.Equal(raw, []byte("-")) {
					t.Fatalf("%v: present=%v but raw %q", fld, r.Has(fld), raw)
				}
			}
			c := r.Clone()
			if c.String() != r.String() {
				t.Fatal("clone differs")
			}
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(s3File))
	f.Add([]byte(s3File + "interface-id bytes\neni-1 5\n\n\r\n  eni-2   7  \n"))
	f.Add([]byte("eni-1 5"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Add(append(gz(f, s3File), gz(f, "eni-1 5\n")...))
	f.Add([]byte(multiLines + "eni-1 5\n7 eni-2\n"))
	multi := WithFormats(DefaultFormat, mustFormat(FieldInterfaceID, FieldBytes), mustFormat(FieldPackets, FieldInterfaceID))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, opts := range [][]Option{{WithLenient(2)}, {WithMaxLineLength(100)}, {WithLenient(1), WithFields(FieldInterfaceID, FieldBytes)},
			{WithLenient(2), multi, WithFields(FieldBytes)}} {
			r := NewReader(bytes.NewReader(in), append(opts, WithSyncDecompression())...)
			n := int64(0)
			for r.Scan() {
				n++
				_ = r.Record().String()
			}
			st := r.Stats()
			if st.Returned != n || st.Records != st.Returned+st.Filtered {
				t.Fatalf("stats %+v after %d records", st, n)
			}
			// Lines found and split in one pass (scanLine), in place, give
			// the same records, errors and counts as found and split apart
			// in a read buffer.
			a := NewReaderBytes(in, append(opts, WithSyncDecompression())...) // and read in place
			b := NewReader(bytes.NewReader(in), append(opts, WithSyncDecompression(), func(o *options) { o.noScan = true })...)
			sameReads(t, a, b)
			// Decompressed in a helper goroutine, in chunks that lines
			// straddle, the same again.
			a = NewReader(bytes.NewReader(in), append(opts, WithSyncDecompression())...)
			b = NewReader(bytes.NewReader(in), append(opts, func(o *options) { o.chunkSize = 5 })...)
			sameReads(t, a, b)
			b.Close()
			if !bytes.HasPrefix(in, []byte{0x1f, 0x8b}) && st.Lines > int64(bytes.Count(in, []byte("\n"))+1) { // newlines of the text, not of gzip
				t.Fatalf("%d lines from %d newlines", st.Lines, bytes.Count(in, []byte("\n")))
			}
		}
	})
}

// sameReads fails t unless a and b read the same records (text, presence,
// the interface and bytes decoded), lines, errors, counts and malformed
// lines.
func sameReads(t *testing.T, a, b *Reader) {
	t.Helper()
	for {
		okA, okB := a.Scan(), b.Scan()
		if okA != okB {
			t.Fatalf("line %d: %v, other reader %v", a.Line(), okA, okB)
		}
		if !okA {
			break
		}
		ra, rb := a.Record(), b.Record()
		if ra.String() != rb.String() || ra.Present != rb.Present || ra.InterfaceID != rb.InterfaceID || ra.Bytes != rb.Bytes || a.Line() != b.Line() {
			t.Fatalf("line %d: %q %v, other reader %q %v", a.Line(), ra.String(), ra.Present, rb.String(), rb.Present)
		}
	}
	if fmt.Sprint(a.Err()) != fmt.Sprint(b.Err()) || a.Stats() != b.Stats() || fmt.Sprint(a.Malformed()) != fmt.Sprint(b.Malformed()) {
		t.Fatalf("%v %+v %v; other reader: %v %+v %v", a.Err(), a.Stats(), a.Malformed(), b.Err(), b.Stats(), b.Malformed())
	}
}
