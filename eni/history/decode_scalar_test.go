package history

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewScalarLineSaysWhatItIs: a line of a history file that is a
// bare JSON scalar is a JSON value, not an object; it was reported as "no
// JSON value on this line", which is false. The error says what the line
// holds, at its line number, through the Decoder (Builder.Load) as through
// a Watcher reading its file back.
func TestReviewScalarLineSaysWhatItIs(t *testing.T) {
	first := eventLines(t)[0]
	for _, c := range []struct{ line, want string }{
		{"42", "a JSON number, not an object"},
		{"-1.5e3", "a JSON number, not an object"},
		{"true", "a JSON boolean, not an object"},
		{" false\r", "a JSON boolean, not an object"},
		{"null", "JSON null, not an object"},
		{"not json", "no JSON value on this line"}, // still said of what is not JSON
	} {
		b := NewBuilder()
		_, err := b.Load(strings.NewReader(first+"\n"+c.line+"\n"+first+"\n"), "h.jsonl")
		if want := "history: h.jsonl:2: " + c.want; err == nil || err.Error() != want {
			t.Errorf("Load %q: %v\nwant %s", c.line, err, want)
		}
		// The last line, without its newline.
		b = NewBuilder()
		_, err = b.Load(strings.NewReader(first+"\n"+c.line), "h.jsonl")
		if want := "history: h.jsonl:2: " + c.want; err == nil || err.Error() != want {
			t.Errorf("Load %q at the end: %v\nwant %s", c.line, err, want)
		}
	}
	// In a JSON array, and in a Watcher's file read back.
	b := NewBuilder()
	if _, err := b.Load(strings.NewReader("[\n"+first+",\n7]\n"), "a.json"); err == nil || !strings.Contains(err.Error(), "a.json:3: [1]: a JSON number, not an object") {
		t.Errorf("array: %v", err)
	}
	path := filepath.Join(t.TempDir(), "h.jsonl")
	if err := os.WriteFile(path, []byte(first+"\ntrue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "prod", path)
	_, err := w.Open()
	if want := path + ":2: a JSON boolean, not an object"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("Watcher.Open: %v\nwant …%s", err, want)
	}
	w.Close()
}
