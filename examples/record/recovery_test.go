package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordReportsZeroFilledTail: after a power loss the history file can
// end in NUL bytes (the last poll's write recorded, its data not). record
// cuts them off, and must say what it cut: a zero-filled tail and how many
// whole lines it held, not "a torn last line", which is another repair (and
// which hides that whole lines of the last poll were dropped).
func TestRecordReportsZeroFilledTail(t *testing.T) {
	startFakes(t)
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	if code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(make([]byte, 4096))
	f.Close()
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q")
	if code != 0 || !strings.Contains(stderr, "zero-filled") || strings.Contains(stderr, "torn last line") {
		t.Errorf("exit %d; want the zero-filled tail reported as such:\n%s", code, stderr)
	}
}
