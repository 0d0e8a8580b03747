package flowlogs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// Parts cover the file exactly, begin at line starts, and read one after
// the other give the file's records.
func TestSplit(t *testing.T) {
	in := synth(DefaultFormat, 1000)
	for _, n := range []int{1, 2, 3, 7, 64, 5000} {
		parts, f, err := Split(bytes.NewReader(in), int64(len(in)), n)
		if err != nil {
			t.Fatal(err)
		}
		if !f.Equal(DefaultFormat) {
			t.Fatalf("format %v", f)
		}
		if len(parts) > n {
			t.Fatalf("%d parts for n = %d", len(parts), n)
		}
		var all []byte
		var records int64
		for i, p := range parts {
			b, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			if p.Offset != int64(len(all)) || i > 0 && in[p.Offset-1] != '\n' {
				t.Fatalf("part %d at %d", i, p.Offset)
			}
			all = append(all, b...)
			r := NewReader(bytes.NewReader(b), WithFormat(f))
			for r.Scan() {
				records++
			}
			if r.Err() != nil {
				t.Fatal(r.Err())
			}
		}
		if !bytes.Equal(all, in) || records != 1000 {
			t.Fatalf("n = %d: %d bytes, %d records", n, len(all), records)
		}
	}
}

func TestSplitEdges(t *testing.T) {
	// No header: nil format; a line longer than a part stays whole.
	in := []byte("2 1 eni-1 - - - - - - - 1 2 - NODATA\n" + strings.Repeat("x", 10000) + "\n2 1 eni-2 - - - - - - - 1 2 - NODATA")
	parts, f, err := Split(bytes.NewReader(in), int64(len(in)), 4)
	if err != nil || f != nil {
		t.Fatal(f, err)
	}
	var all []byte
	for _, p := range parts {
		b, _ := io.ReadAll(p)
		all = append(all, b...)
	}
	if !bytes.Equal(all, in) {
		t.Fatal("parts do not cover the file")
	}
	// Gzip: one part, the whole file.
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(synth(DefaultFormat, 10))
	zw.Close()
	parts, f, err = Split(bytes.NewReader(z.Bytes()), int64(z.Len()), 4)
	if err != nil || f != nil || len(parts) != 1 || parts[0].Size() != int64(z.Len()) {
		t.Fatal(len(parts), f, err)
	}
	// Empty file.
	if parts, _, err := Split(bytes.NewReader(nil), 0, 4); err != nil || len(parts) != 1 {
		t.Fatal(parts, err)
	}
}

// Issue 15: a second header of the same width that reorders fields mid-file
// (here bytes and packets) made the parts after it read with the first
// format, silently: 6,669,334 bytes of 10,000,000 with n = 3. The part
// that holds the header now fails; read whole, the file gives every byte.
func TestSplitHeaderInsidePart(t *testing.T) {
	swapped := "version account-id interface-id srcaddr dstaddr srcport dstport protocol bytes packets start end action log-status"
	var b strings.Builder
	b.WriteString(DefaultFormat.Header() + "\n")
	for range 5000 {
		b.WriteString("2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 1700000000 1700000060 ACCEPT OK\n")
	}
	b.WriteString(swapped + "\n")
	for range 5000 {
		b.WriteString("2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1000 1 1700000000 1700000060 ACCEPT OK\n")
	}
	in := []byte(b.String())
	total := func(r *Reader) (int64, error) {
		var sum int64
		for r.Scan() {
			sum += r.Record().Bytes
		}
		return sum, r.Err()
	}
	at := int64(bytes.Index(in, []byte(swapped)))
	misread := 0 // cases where the header is in a part before the last
	for _, n := range []int{1, 2, 3, 7} {
		for _, opts := range [][]Option{nil, {WithLenient(10)}, {WithFields(FieldBytes)}} {
			parts, f, err := Split(bytes.NewReader(in), int64(len(in)), n)
			if err != nil || !f.Equal(DefaultFormat) {
				t.Fatal(f, err)
			}
			// Only a part before the last can be misread.
			last := parts[len(parts)-1].Offset <= at
			var sum int64
			var failed int
			for _, p := range parts {
				s, err := total(p.NewReader(append(opts, WithSource("f.log"))...))
				sum += s
				if err != nil {
					var pe *ParseError
					if !errors.As(err, &pe) || !errors.Is(err, ErrHeaderInPart) || pe.Name != "f.log" || pe.Value != swapped {
						t.Fatalf("n = %d: %v", n, err)
					}
					if want := bytes.Count(in[p.Offset:at], []byte("\n")) + 1; p.Offset > at || pe.Line != want {
						t.Fatalf("n = %d: line %d, want %d", n, pe.Line, want)
					}
					failed++
				}
			}
			if !last {
				misread++
			}
			if last && (failed != 0 || sum != 10_000_000) || !last && failed != 1 {
				t.Errorf("n = %d %v: %d bytes, %d parts failed", n, opts, sum, failed)
			}
		}
	}
	if misread == 0 {
		t.Fatal("no case with the header before the last part")
	}
	// A header repeating the format (concatenated objects of one flow
	// log) inside a part is skipped.
	same := append(bytes.Clone(in[:bytes.Index(in, []byte(swapped))]), in[:bytes.Index(in, []byte(swapped))]...)
	parts, _, err := Split(bytes.NewReader(same), int64(len(same)), 3)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, p := range parts {
		s, err := total(p.NewReader())
		if err != nil {
			t.Fatal(err)
		}
		sum += s
	}
	if sum != 10_000_000 {
		t.Errorf("repeated header: %d bytes", sum)
	}
}

// partFile is a default-format file with a header, n good records, line,
// and m good records; off is line's byte offset (it is line n+2).
func partFile(n int, line string, m int) (in string, off int) {
	const good = "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1000 1700000000 1700000060 ACCEPT OK\n"
	var b strings.Builder
	b.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n")
	b.WriteString(strings.Repeat(good, n))
	off = b.Len()
	b.WriteString(line)
	b.WriteString(strings.Repeat(good, m))
	return b.String(), off
}

// A part's Reader counts lines from the part's start, so an error in a
// part that does not start the file names its byte offset in the file:
// its line number alone would point at the wrong line.
func TestSplitPartErrorNamesFileOffset(t *testing.T) {
	in, off := partFile(1000, "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 x 1700000000 1700000060 ACCEPT OK\n", 1000) // line 1002
	parts, _, err := Split(strings.NewReader(in), int64(len(in)), 2)
	if err != nil || len(parts) != 2 || parts[1].Offset > int64(off) {
		t.Fatal(len(parts), err)
	}
	r := parts[1].NewReader(WithSource("f.log"))
	for r.Scan() {
	}
	var pe *ParseError
	if !errors.As(r.Err(), &pe) || pe.Offset != int64(off) || !strings.Contains(pe.Error(), "byte "+strconv.Itoa(off)) {
		t.Fatalf("error %v: the bad line is line 1002 of f.log, at byte %d", r.Err(), off)
	}
}

// Every error of a part names its line's offset in the file: a line too
// long and a header of another format as well as a bad value.
func TestSplitLineTooLongNamesFileOffset(t *testing.T) {
	long := "2 1 eni-" + strings.Repeat("a", 200) + " 10.0.0.1 10.0.0.2 1 2 6 1 1000 1700000000 1700000060 ACCEPT OK\n"
	in, off := partFile(1500, long, 500) // line 1502
	parts, _, err := Split(strings.NewReader(in), int64(len(in)), 2)
	if err != nil || len(parts) != 2 || parts[1].Offset > int64(off) {
		t.Fatal(len(parts), err)
	}
	r := parts[1].NewReader(WithSource("f.log"), WithMaxLineLength(128))
	for r.Scan() {
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "byte "+strconv.Itoa(off)) {
		t.Fatalf("error %v: the long line is line 1502 of f.log, at byte %d", err, off)
	}
}

func TestSplitHeaderInPartNamesFileOffset(t *testing.T) {
	const other = "version interface-id account-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
	in, off := partFile(1500, other, 1500) // line 1502
	parts, _, err := Split(strings.NewReader(in), int64(len(in)), 3)
	if err != nil || len(parts) != 3 || parts[1].Offset > int64(off) || parts[2].Offset <= int64(off) {
		t.Fatal(len(parts), err)
	}
	r := parts[1].NewReader(WithSource("f.log"))
	for r.Scan() {
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "byte "+strconv.Itoa(off)) {
		t.Fatalf("error %v: the header is line 1502 of f.log, at byte %d", err, off)
	}
}
