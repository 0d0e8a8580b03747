package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
)

// interruptedCursor interrupts a read of args after 3 events and returns
// the -cursor file it saved, as JSON members.
func interruptedCursor(t *testing.T, c clients, args []string, file string) map[string]json.RawMessage {
	t.Helper()
	if _, stderr, err := interrupted(c, args, 3, false); err == nil || !strings.Contains(stderr, "position saved") {
		t.Fatalf("first run: %v: %s", err, stderr)
	}
	b, err := os.ReadFile(file)
	var m map[string]json.RawMessage
	if err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return m
}

func writeMembers(t *testing.T, file string, m map[string]json.RawMessage) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

func cursorArgs(file string) []string {
	return append([]string{"-log-group", "vpc-flow", "-format", "json", "-log-format", flowlogs.DefaultFormat.String(),
		"-cursor", file, "-strategy", "get"}, window...)
}

// TestCursorWritesVersion: a saved -cursor file says which version
// of the file it is, and a run resumes from it to the window's totals.
func TestCursorWritesVersion(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := cursorArgs(file)
	m := interruptedCursor(t, c, args, file)
	if got := string(m["version"]); got != "2" {
		t.Fatalf(`"version": %s; want 2`, got)
	}
	code, out, stderr := runCode(t, c, args...)
	if code != 0 || strings.Contains(stderr, "earlier version") || recordsIn(t, out) != 30 {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, out, stderr)
	}
}

// TestCursorOfNewerVersion: a -cursor file a newer ecsnet wrote
// (version 3) may hold members this one does not know and would drop
// (a Horizon did, for the versions before it), so it is refused, naming
// the file and both versions, and left as it was.
func TestCursorOfNewerVersion(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := cursorArgs(file)
	m := interruptedCursor(t, c, args, file)
	m["version"] = json.RawMessage("3")
	m["somethingNew"] = json.RawMessage(`{"x":1}`)
	in := writeMembers(t, file, m)
	code, out, stderr := runCode(t, c, args...)
	want := "-cursor " + file + " was written by a newer ecsnet (cursor version 3; this one reads up to 2): run that one, or remove the file to start over"
	if code != 1 || !strings.Contains(stderr, want) || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %s\nwant exit 1 and %q", code, out, stderr, want)
	}
	if b, _ := os.ReadFile(file); string(b) != string(in) {
		t.Errorf("the file was changed: %s", b)
	}
	// Even when a member of this version's changed shape in the newer one.
	m["counted"] = json.RawMessage(`[1, 2]`)
	writeMembers(t, file, m)
	if code, _, stderr := runCode(t, c, args...); code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("changed member: exit %d, stderr %s\nwant %q", code, stderr, want)
	}
}

// TestCursorWithoutVersion: a file of the layout before the version
// member (position, totals and Region, no "version") resumes as before,
// with the interrupted run's totals.
func TestCursorWithoutVersion(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := cursorArgs(file)
	m := interruptedCursor(t, c, args, file)
	delete(m, "version")
	writeMembers(t, file, m)
	code, out, stderr := runCode(t, c, args...)
	if code != 0 || strings.Contains(stderr, "earlier version") || recordsIn(t, out) != 30 {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, out, stderr)
	}
}

// TestCursorUnknownMember: a member this version does not know, in a
// file of this version (a note a tool or a hand added), is ignored: a
// newer ecsnet whose members an older one must not drop writes a greater
// version.
func TestCursorUnknownMember(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := cursorArgs(file)
	m := interruptedCursor(t, c, args, file)
	m["note"] = json.RawMessage(`"saved before the outage"`)
	writeMembers(t, file, m)
	if code, out, stderr := runCode(t, c, args...); code != 0 || recordsIn(t, out) != 30 {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, out, stderr)
	}
}

// TestCursorLibraryVersion: a -cursor file holds the library
// cursor's own version beside the file's, and one whose read position a
// newer ecsnet's library wrote (a greater cursorVersion, in a file of
// this program's version) is refused, naming the file and both
// versions, and left as it was: read with its new members dropped, the
// position could deliver events twice or leave some out.
func TestCursorLibraryVersion(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := cursorArgs(file)
	m := interruptedCursor(t, c, args, file)
	if got := string(m["cursorVersion"]); got != "1" {
		t.Fatalf(`"cursorVersion": %q; want 1`, got)
	}
	m["cursorVersion"] = json.RawMessage("2")
	in := writeMembers(t, file, m)
	code, out, stderr := runCode(t, c, args...)
	want := "-cursor " + file + " was written by a newer ecsnet (read position of cursor version 2; this one reads up to 1): run that one, or remove the file to start over"
	if code != 1 || !strings.Contains(stderr, want) || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %s\nwant exit 1 and %q", code, out, stderr, want)
	}
	if b, _ := os.ReadFile(file); string(b) != string(in) {
		t.Errorf("the file was changed: %s", b)
	}
	if cwlogs.CursorVersion != 1 {
		t.Errorf("cwlogs.CursorVersion %d: update the test", cwlogs.CursorVersion)
	}
	// Without it (a file of an earlier ecsnet), the run resumes.
	delete(m, "cursorVersion")
	writeMembers(t, file, m)
	if code, out, stderr := runCode(t, c, args...); code != 0 || recordsIn(t, out) != 30 {
		t.Fatalf("no cursorVersion: exit %d, stdout %s, stderr %s", code, out, stderr)
	}
}
