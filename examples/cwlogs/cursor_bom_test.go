package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// TestCursorFileWithBOM: a -cursor file opened and saved again by
// a Windows editor starts with a UTF-8 byte-order mark. Every other JSON
// file the repo reads skips one (task definitions, snapshots, price
// files, the history Watcher's file); the cursor was refused with
// encoding/json's "invalid character 'ï' looking for beginning of
// value", which names neither the mark nor a way out. It resumes, and an
// error after the mark is still placed in the file as it is.
func TestCursorFileWithBOM(t *testing.T) {
	c, l, args := cursorRead(t)
	file := args[slices.Index(args, "-cursor")+1]
	stoppedAfterListing(t, c, l, args...)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append([]byte(awswire.BOM), b...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCode(t, c, args...)
	records := 0
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(f[0], "eni-") && f[1] == "10" {
			records += 10
		}
	}
	if code != 0 || !strings.Contains(stderr, "resuming from "+file) || records != 30 {
		t.Errorf("a saved cursor behind a byte-order mark: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}

	// Line 2, column 3: counted in the file, the mark in it.
	if err := os.WriteFile(file, []byte(awswire.BOM+"{\n  x}"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCode(t, c, args...)
	if code != 1 || !strings.Contains(stderr, "line 2, column 3") || strings.Contains(stderr, "'ï'") {
		t.Errorf("a malformed cursor behind a byte-order mark: exit %d: %s", code, stderr)
	}
}
