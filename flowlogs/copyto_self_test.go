package flowlogs

import "testing"

// TestCopyToItself: r.CopyTo(r, buf), making a record independent of the reader's buffer in
// place, lost its text: the spans were replaced by the (empty) new ones
// before being copied from.
func TestCopyToItself(t *testing.T) {
	const line = "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 ACCEPT OK"
	r, err := ParseLine(DefaultFormat, line)
	if err != nil {
		t.Fatal(err)
	}
	r.CopyTo(r, nil)
	if got := r.String(); got != line {
		t.Fatalf("after CopyTo itself: %q, want %q", got, line)
	}
	if v, ok := r.Raw("interface-id"); !ok || string(v) != "eni-1" {
		t.Fatalf("Raw(interface-id) = %q %v", v, ok)
	}
}
