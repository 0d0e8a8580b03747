package history

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file Open refuses is left as it was, whatever it would have repaired:
// another cluster's history whose last line lacks its newline was given
// one, then refused (found by FuzzWatcherOpen; the input is in its corpus).
// Repairs are applied only to a file that is kept.
func TestOpenRefusedFileUntouched(t *testing.T) {
	line := `{"detail-type":"ECS Task State Change","detail":{"clusterArn":"other","taskArn":"t"}}`
	for name, in := range map[string]string{
		"torn last line":   line,
		"zero-filled tail": line + "\n" + line + "\x00\x00\x00\x00",
	} {
		path := filepath.Join(t.TempDir(), "h.jsonl")
		if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		w := NewWatcher(nil, "prod", path)
		_, err := w.Open()
		if err == nil || !strings.Contains(err.Error(), "not prod") {
			t.Errorf("%s: Open = %v, want the other cluster refused", name, err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, []byte(in)) {
			t.Errorf("%s: the refused file was changed:\n%q\nwas\n%q", name, got, in)
		}
	}
}
