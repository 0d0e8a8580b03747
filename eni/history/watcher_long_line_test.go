package history

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Open reads the history file back a line at a time, and a line is one
// event: a file with no newline in its first maxLineBytes is refused
// untouched, not read whole into memory.
func TestWatcherOpenLongLine(t *testing.T) {
	defer func(m int) { maxLineBytes = m }(maxLineBytes)
	maxLineBytes = 64
	path := filepath.Join(t.TempDir(), "history.jsonl")
	data := []byte(`{"version":"0","detail-type":"ECS Task State Change","detail":{"x":"` + strings.Repeat("x", 200))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewWatcher(nil, "prod", path).Open()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(err.Error(), "longer than 64 bytes") {
		t.Errorf("Open: %v, want a *ParseError at line 1 naming the bound", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Errorf("the file was changed: %d bytes left of %d", len(got), len(data))
	}
}

// NUL bytes do not count toward the bound: a power loss can zero a tail
// far longer than any line (the first poll of a large cluster), and Open
// still cuts it.
func TestWatcherOpenLongZeroTail(t *testing.T) {
	path, good, _, fc := powerLossFiles(t)
	longest := 0
	for _, l := range bytes.Split(good, []byte("\n")) {
		longest = max(longest, len(l))
	}
	defer func(m int) { maxLineBytes = m }(maxLineBytes)
	maxLineBytes = longest + 1
	if err := os.WriteFile(path, append(append([]byte{}, good...), make([]byte, 10*maxLineBytes)...), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(fc.api, "prod", path)
	defer w.Close()
	rec, err := w.Open()
	if err != nil || !rec.ZeroFilled {
		t.Fatalf("Open: %+v, %v; want the zeroed tail cut", rec, err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, good) {
		t.Errorf("file after recovery: %d bytes, want the %d good ones", len(got), len(good))
	}
}

// The bound is the Decoder's, to the byte: a line whose event is exactly
// maxLineBytes long is read by Open as the Builder reads it (with
// MaxValueBytes the same), its newline not counted; one byte more is
// refused by both.
func TestWatcherOpenLineBoundIsDecoders(t *testing.T) {
	path, good, _, fc := powerLossFiles(t)
	longest := 0
	for _, l := range bytes.Split(good, []byte("\n")) {
		longest = max(longest, len(l))
	}
	defer func(m int) { maxLineBytes = m }(maxLineBytes)
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, bound := range []int{longest, longest - 1} {
		maxLineBytes = bound
		b := &Builder{MaxValueBytes: bound}
		_, loadErr := b.LoadFiles(path)
		w := NewWatcher(fc.api, "prod", path)
		_, openErr := w.Open()
		w.Close()
		if (loadErr == nil) != (openErr == nil) {
			t.Errorf("a longest event of %d bytes, bound %d: LoadFiles %v, Open %v; want both to read it or both to refuse it", longest, bound, loadErr, openErr)
		}
	}
}
