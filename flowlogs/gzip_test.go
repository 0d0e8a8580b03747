package flowlogs

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestAsyncChunksSameAsSync reads gzip input decompressed in chunks so
// small that lines straddle one, two or many of them, and lines longer
// than a chunk's headroom (read by copying), and wants the same records,
// lines, errors, counts and malformed lines as a synchronous read.
func TestAsyncChunksSameAsSync(t *testing.T) {
	var text strings.Builder
	text.WriteString(s3File)
	for i := range 300 {
		fmt.Fprintf(&text, "2 123456789010 eni-%08x 10.0.%d.1 172.31.9.12 %d 443 6 %d %d 1418530010 1418530070 ACCEPT OK\n", i%7, i%250, 1024+i, i+1, 100*i)
		switch i {
		case 50:
			text.WriteString("  \n\n") // blank lines
		case 100:
			text.WriteString("interface-id bytes\neni-1 5\n  eni-2   7  \r\n") // another format mid-stream
			text.WriteString(DefaultFormat.Header() + "\n")
		case 150:
			text.WriteString("2 1 eni-x " + strings.Repeat("9", asyncHeadroom+3000) + "\n") // longer than the headroom
		case 200:
			text.WriteString("bad line\n")
		}
	}
	body := text.String()
	last := "2 1 eni-last - - - - - - - 1431280876 1431280934 - NODATA" // no final '\n'
	long := strings.Index(body, "eni-x ")
	cutLong := gz(t, body[:long+asyncHeadroom/2])
	inputs := map[string][]byte{
		"truncated in a long line":  cutLong[:len(cutLong)-10],
		"garbage after a long line": append(gz(t, body[:long+asyncHeadroom/2]), "junk"...),
		"one member":                gz(t, body+last),
		"members":                   append(append(gz(t, body[:len(body)/3]), gz(t, body[len(body)/3:])...), gz(t, last)...),
		"trailing garbage":          append(gz(t, body+last), "junk"...),
		"NUL padding":               append(gz(t, body), make([]byte, 100)...),
		"truncated":                 gz(t, body)[:len(gz(t, body))-40],
		"member cut at '\n'":        append(gz(t, body[:strings.Index(body, "\n")+1]), gz(t, body[strings.Index(body, "\n")+1:])...),
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // a decoder goroutine needs two
	if r := NewReader(bytes.NewReader(inputs["one member"])); !r.Scan() || r.async == nil {
		t.Fatal("no decoder goroutine")
	}
	for name, in := range inputs {
		for _, size := range []int{1, 7, 64, 100, 1000, 4096, asyncHeadroom + 1, 1 << 20} {
			for _, opts := range [][]Option{{WithLenient(3)}, {WithMaxLineLength(100)}, {WithMaxLineLength(asyncHeadroom + 3100), WithLenient(1)}, {WithLenient(1), WithFields(FieldInterfaceID, FieldBytes)}} {
				t.Run(fmt.Sprintf("%s/%d/%d", name, size, len(opts)), func(t *testing.T) {
					sync := NewReader(bytes.NewReader(in), append(opts, WithSyncDecompression())...)
					async := NewReader(bytes.NewReader(in), append(opts, func(o *options) { o.chunkSize = size })...)
					defer async.Close()
					sameReads(t, sync, async)
				})
			}
		}
	}
}
