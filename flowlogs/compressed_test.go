package flowlogs

import (
	"bytes"
	"errors"
	"strings"
	"testing"
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
