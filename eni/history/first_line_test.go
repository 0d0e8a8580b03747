package history

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWholeFirstLineWithoutNewline: a first line that is whole JSON but
// no event, saved without its newline, passed the check for a torn line
// (it starts as an event does), had its newline added, and was then
// refused by every later Open as "not a history file" (found by
// FuzzWatcherOpen). It is refused at once, the file left as it was.
func TestWholeFirstLineWithoutNewline(t *testing.T) {
	const in = `{"version":"0","":{}}`
	path := filepath.Join(t.TempDir(), "h.jsonl")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "prod", path)
	defer w.Close()
	_, err := w.Open()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 {
		t.Fatalf("Open = %v, want a *ParseError at line 1", err)
	}
	if got, _ := os.ReadFile(path); string(got) != in {
		t.Errorf("file changed to %q", got)
	}
}
