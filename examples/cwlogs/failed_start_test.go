package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestReadFailedBeforeStart: a read that failed before it found a stream
// (a log group misspelt, no permission to list its streams) said
// "-lenient: no malformed events" and "position saved; run again to
// continue", and wrote a -cursor file of no position, which then refused
// the run with the group's name corrected as another read's. It says what
// failed, and nothing else.
func TestReadFailedBeforeStart(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	for _, s := range []string{"get", "filter"} {
		args := append([]string{"-log-group", "missing", "-log-format", flowlogs.DefaultFormat.String(),
			"-lenient", "-cursor", file, "-strategy", s}, window...)
		code, out, stderr := runCode(t, c, args...)
		if code != 1 || out != "" || !strings.Contains(stderr, "ResourceNotFoundException") ||
			strings.Contains(stderr, "no malformed events") || strings.Contains(stderr, "position saved") {
			t.Errorf("-strategy %s: exit %d, stdout %q, stderr %q; want 1 and the failure alone", s, code, out, stderr)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("-strategy %s: a -cursor file was saved", s)
			os.Remove(file)
		}
	}
	args := append([]string{"-log-group", "vpc-flow", "-cursor", file, "-strategy", "get"}, window...)
	if code, _, stderr := runCode(t, c, args...); code != 0 {
		t.Errorf("the log group corrected: exit %d, %s", code, stderr)
	}
}
