package flowlogs

import (
	"bytes"
	"compress/gzip"
	"io"
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
