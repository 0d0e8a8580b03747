package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newerEvent is a line a newer ecsnet's record wrote: a detail type this
// version does not know.
const newerEvent = `{"version":"0","detail-type":"ecsnet Something New","source":"ecsnet.history","time":"2026-11-01T10:01:00Z","resources":[],"detail":{"x":1}}` + "\n"

// TestRecordNotesNewerEvents: continuing a file a newer ecsnet
// wrote to, record said nothing of the events it skipped: it notes how
// many (also with -q), and keeps them in the file.
func TestRecordNotesNewerEvents(t *testing.T) {
	startFakes(t)
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	if code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(newerEvent + newerEvent)
	f.Close()
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q")
	want := "record: note: " + file + ": 2 events of a newer ecsnet (detail types this version does not know) skipped: they stay in the file"
	if code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d: %s\nwant %q", code, stderr, want)
	}
	if b, _ := os.ReadFile(file); strings.Count(string(b), "ecsnet Something New") != 2 {
		t.Errorf("the newer events are gone:\n%s", b)
	}
}
