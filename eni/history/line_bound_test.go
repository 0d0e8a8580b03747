package history

import "testing"

// TestLineBoundIsDecoders: maxLineBytes is documented as "the Decoder's
// default MaxValueBytes, with which Builder.LoadFiles reads the file",
// 64 MiB: the Watcher reads back no line the Decoder would take.
func TestLineBoundIsDecoders(t *testing.T) {
	if DefaultMaxValueBytes != 64<<20 || maxLineBytes != DefaultMaxValueBytes {
		t.Errorf("DefaultMaxValueBytes %d, maxLineBytes %d; want both 64 MiB, as documented", DefaultMaxValueBytes, maxLineBytes)
	}
}
