package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestCursorPositionOutsideWindow: a -cursor file whose position of
// a stream lies past the window's end (a damaged or hand-edited file: no
// read of the window delivers an event stamped there) took every event
// of that stream as delivered: the stream was left out of the totals and
// the program exited 0.
func TestCursorPositionOutsideWindow(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	in := `{"logGroup":"vpc-flow","startMillis":1795172400000,"endMillis":1795179600000,"strategy":"GetLogEvents",` +
		`"streams":{"eni-00000000000000001":{"ts":99999999999999}},"counted":{}}`
	if err := os.WriteFile(file, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-strategy", "get", "-cursor", file}, window...)
	code, out, stderr := runCode(t, c, args...)
	want := "-cursor " + file + ": damaged cursor: stream eni-00000000000000001: position 99999999999999 ms is outside the window [1795172400000, 1795179600000) ms"
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %s\nwant exit 1 and %q", code, out, stderr, want)
	}
	if b, _ := os.ReadFile(file); string(b) != in {
		t.Errorf("the file was changed: %s", b)
	}
}
