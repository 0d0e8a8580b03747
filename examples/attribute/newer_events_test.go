package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTasksNotesNewerEvents: -tasks given a history file a newer
// ecsnet wrote to skipped its events of detail types this version does
// not know without a word: it notes how many (also with -q), and still
// attributes.
func TestTasksNotesNewerEvents(t *testing.T) {
	dir := t.TempDir()
	newer := `{"version":"0","detail-type":"ecsnet Something New","source":"ecsnet.history","time":"2026-11-01T10:01:00Z","resources":[],"detail":{"x":1}}` + "\n"
	events := writeFile(t, dir, "events.jsonl", sampleEvents(t, false)+newer)
	tasks := []string{events}
	for _, f := range []string{"describe-container-instances.json", "describe-instances.json", "describe-task-definition-admin.json", "describe-task-definition-node-exporter.json"} {
		tasks = append(tasks, filepath.Join("sample/tasks", f))
	}
	code, out, stderr := runCode(t, "-flowlogs", "sample/flowlogs", "-network", "sample/network", "-q", "-tasks", strings.Join(tasks, ","))
	want := "attribute: note: -tasks: 1 event of a newer ecsnet (a detail type this version does not know) skipped"
	if code != 0 || out == "" || !strings.Contains(stderr, want) {
		t.Errorf("exit %d: %s\nwant %q", code, stderr, want)
	}
}
