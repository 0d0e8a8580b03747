package flowlogs

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// sharedFormatLines is a header-less text of n records of the default format.
func sharedFormatLines(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("2 123456789010 eni-1235b8ca12345678")
		b.WriteByte(byte('0' + i%10))
		b.WriteString(" 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n")
	}
	return b.String()
}

// TestSharedFormat: a Format is documented immutable and safe for
// concurrent use, and is shared in practice: one WithFormat (or the
// DefaultFormat, or a header's Format handed out by ObjectDone) given to
// the Readers of many objects read in parallel, text and gzip (whose
// Reader decompresses on a goroutine of its own), a row reader, the
// Parsers and MultiParsers made per goroutine, and the Parts of Split,
// read at once, while other goroutines call every accessor.
func TestSharedFormat(t *testing.T) {
	f, err := ParseLogFormat("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	text := sharedFormatLines(300)
	zipped := gz(t, text)
	withHeader := []byte(f.Header() + "\n" + text)
	const n = 4
	var wg sync.WaitGroup
	count := func(r *Reader) int {
		defer r.Close()
		k := 0
		for r.Scan() {
			k++
		}
		if err := r.Err(); err != nil {
			t.Error(err)
		}
		return k
	}
	check := func(what string, got int) {
		if got != 300 {
			t.Errorf("%s: %d records, want 300", what, got)
		}
	}
	for range n {
		wg.Add(7)
		go func() { defer wg.Done(); check("text", count(NewReader(strings.NewReader(text), WithFormat(f)))) }()
		go func() { defer wg.Done(); check("gzip", count(NewReader(bytes.NewReader(zipped), WithFormat(f)))) }()
		go func() { defer wg.Done(); check("default", count(NewReaderBytes([]byte(text)))) }()
		go func() {
			defer wg.Done()
			check("fields", count(NewReader(strings.NewReader(text), WithFormats(f, DefaultFormat), WithFields(FieldInterfaceID, FieldBytes))))
		}()
		go func() {
			defer wg.Done()
			p := NewParser(f, FieldSet{})
			mp := NewMultiParser([]*Format{f, DefaultFormat}, Fields(FieldSrcAddr))
			var rec Record
			for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				if err := p.Parse([]byte(line), &rec); err != nil {
					t.Error(err)
					return
				}
				if err := mp.Parse("k", []byte(line), &rec); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			parts, pf, err := Split(bytes.NewReader(withHeader), int64(len(withHeader)), 3)
			if err != nil || !pf.Equal(f) {
				t.Error(err, pf)
				return
			}
			var pw sync.WaitGroup
			got := make([]int, len(parts))
			for i, p := range parts {
				pw.Add(1)
				go func() { defer pw.Done(); got[i] = count(p.NewReader()) }()
			}
			pw.Wait()
			sum := 0
			for _, k := range got {
				sum += k
			}
			check("parts", sum)
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				_ = f.String() + f.Header() + DefaultFormat.String()
				_, _ = f.Fields(), f.Names()
				_ = f.Index("srcAddr") + f.Position(FieldBytes) + f.Version() + f.Len()
				_ = f.Equal(DefaultFormat) && f.Has(FieldStart)
				_ = f.Set()
			}
		}()
	}
	wg.Wait()
}
