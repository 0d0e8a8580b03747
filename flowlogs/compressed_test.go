package flowlogs

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestOtherCompressionNamed: an input compressed in a format the Reader
// does not decode is named as such, with the source, before any record,
// not read as text and reported as a malformed first line. Text that
// merely starts like one (a custom format's first field) reads as text.
func TestOtherCompressionNamed(t *testing.T) {
	for name, head := range map[string]string{
		"zstd": "\x28\xb5\x2f\xfd\x24\x00", "bzip2": "BZh91AY&SY", "xz": "\xfd7zXZ\x00\x00", "lz4": "\x04\x22\x4d\x18\x64\x40",
	} {
		r := NewReader(strings.NewReader(head+"\x00\x01\x02 binary"), WithSource("f.log.x"))
		if r.Scan() {
			t.Errorf("%s: a record: %v", name, r.Record())
		}
		err := r.Err()
		if !errors.Is(err, ErrCompressed) || !strings.Contains(err.Error(), "f.log.x") || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v; want ErrCompressed naming f.log.x and %s", name, err, name)
		}
	}
	f, err := ParseFormat("${account-id} ${interface-id} ${bytes}")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(bytes.NewReader([]byte("BZh eni-1 10\n")), WithFormat(f))
	for r.Scan() {
	}
	if errors.Is(r.Err(), ErrCompressed) {
		t.Errorf("text starting with BZh and a space: %v", r.Err())
	}
}

// TestNewReaderBytesCompressed: NewReaderBytes took any input that
// is not gzip as text in place, past sniff, so a zstd, bzip2, xz or lz4
// object read from memory was still a malformed first line, not
// ErrCompressed as NewReader says of the same bytes.
func TestNewReaderBytesCompressed(t *testing.T) {
	for name, head := range map[string]string{
		"zstd": "\x28\xb5\x2f\xfd\x24\x00", "bzip2": "BZh91AY&SY", "xz": "\xfd7zXZ\x00\x00", "lz4": "\x04\x22\x4d\x18\x64\x40",
	} {
		r := NewReaderBytes([]byte(head+"\x00\x01\x02 binary"), WithSource("f.log.x"))
		if r.Scan() {
			t.Errorf("%s: a record: %v", name, r.Record())
		}
		if err := r.Err(); !errors.Is(err, ErrCompressed) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v; want ErrCompressed naming %s", name, err, name)
		}
	}
	// Text is still read in place.
	f, err := ParseFormat("${account-id} ${interface-id} ${bytes}")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReaderBytes([]byte("BZh eni-1 10\n"), WithFormat(f))
	n := 0
	for r.Scan() {
		n++
	}
	if r.Err() != nil || n != 1 {
		t.Errorf("text starting with BZh: %d records, %v", n, r.Err())
	}
}

// TestSniffShortFirstLine: sniff read until it had six bytes,
// whatever the first ones were, so a stream whose first line is shorter
// (a two-field custom format: "1 2\n") held that record back until more
// of the stream came; two bytes that start no magic decide it.
func TestSniffShortFirstLine(t *testing.T) {
	f, err := ParseFormat("${packets} ${bytes}")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte("1 2\n")) // and nothing more for now
	r := NewReader(pr, WithFormat(f), WithSyncDecompression())
	got := make(chan bool, 1)
	go func() { got <- r.Scan() }()
	select {
	case ok := <-got:
		if !ok {
			t.Fatalf("no record: %v", r.Err())
		}
	case <-time.After(5 * time.Second):
		pw.CloseWithError(errors.New("test over"))
		<-got
		t.Fatal("the first record was held back waiting for more input")
	}
}
