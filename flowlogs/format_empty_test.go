package flowlogs

import (
	"errors"
	"testing"
)

// TestNewFormatNoFields: a format of no field is refused, as ParseHeader
// and ParseLogFormat refuse an empty one; it made a Reader whose every
// line had "more fields than the format" and rows of nothing.
func TestNewFormatNoFields(t *testing.T) {
	if f, err := NewFormat(); f != nil || !errors.Is(err, ErrFormat) {
		t.Errorf("NewFormat() = %v, %v; want an ErrFormat", f, err)
	}
}
