package main

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
)

// lastLine is the last progress line of stderr that starts with prefix.
func lastLine(stderr, prefix string) string {
	var last string
	for _, l := range strings.Split(stderr, "\r") {
		if strings.HasPrefix(l, prefix) {
			last = strings.TrimRight(strings.SplitN(l, "\n", 2)[0], " ")
		}
	}
	return last
}

// TestProgressUnits: each progress line says what it counts. The
// line over flow-log files counted the objects' bytes as stored (32.3 KiB
// of .gz files for 2047 records) without saying so, and -log-group's
// called log streams "objects" ("9/9 objects") and its events "records",
// where cwlogs says streams and events, of their messages' bytes.
func TestProgressUnits(t *testing.T) {
	defer cli.AsTerminal()()
	_, stderr := runOut(t, "-tasks", "sample/tasks", "-flowlogs", "sample/flowlogs", "-format", "csv")
	if l, want := lastLine(stderr, "flow logs: "), "flow logs: 13/13 objects, 2047 records, 32.3 KiB of 32.3 KiB object bytes, "; !strings.HasPrefix(l, want) {
		t.Errorf("-flowlogs: last progress line %q; want %q", l, want)
	}

	startFakes(t)
	code, _, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams", "-format", "csv")
	l := lastLine(stderr, "flow logs: ")
	if code != 0 || !strings.HasPrefix(l, "flow logs: 9/9 streams, 2047 events, ") || !strings.Contains(l, " KiB of messages, ") {
		t.Errorf("-log-group: exit %d, last progress line %q; want 9/9 streams, 2047 events and the KiB of their messages", code, l)
	}
}

// TestSampleProgressTotal: the embedded sample's line says of how
// many objects and bytes, as -flowlogs' does: the sizes of its files are
// known. It drew "13 objects, 2047 records, 32.3 KiB", and -export's
// second read "13/13 objects, 2047 records, 32.3 KiB", without "of".
// Still no line at all off a terminal.
func TestSampleProgressTotal(t *testing.T) {
	var size int64
	if err := fs.WalkDir(sample, "sample/flowlogs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		size += fi.Size()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	of := cli.Bytes(size) + " of " + cli.Bytes(size) + " object bytes"
	if _, stderr := runOut(t); stderr != "" {
		t.Errorf("stderr %q off a terminal; want nothing", stderr)
	}
	defer cli.AsTerminal()()
	if _, stderr := runOut(t, "-q"); stderr != "" {
		t.Errorf("stderr %q with -q; want nothing", stderr)
	}
	_, stderr := runOut(t)
	if l, want := lastLine(stderr, "flow logs: "), "flow logs: 13/13 objects, 2047 records, "+of+", "; !strings.HasPrefix(l, want) {
		t.Errorf("sample: last progress line %q; want %q", l, want)
	}
	_, stderr = runOut(t, "-export", filepath.Join(t.TempDir(), "out"), "-format", "csv")
	if l, want := lastLine(stderr, "export: "), "export: 13/13 objects, 2047 records, "+of+", "; !strings.HasPrefix(l, want) {
		t.Errorf("sample -export: last export line %q; want %q", l, want)
	}
}

// TestStagesFinalCount: a stage's last count is drawn when the
// stage ends. Updates within 200 ms of a line were skipped unless done
// reached a known total, so a listing, of no total, never showed its
// count: -cluster drew "describe tasks: 6/6" then "describe tasks: 1/1",
// with "list tasks STOPPED: 1" between them left out, and no "list
// container instances".
func TestStagesFinalCount(t *testing.T) {
	startFakes(t)
	defer cli.AsTerminal()()
	// A clock that never moves: every update after the first comes within
	// 200 ms of a line, as on a fast machine, however slow this one is (on
	// a slow one every update was drawn, and the test passed without the
	// fix).
	t0 := time.Date(2026, 11, 25, 11, 10, 0, 0, time.UTC)
	defer cli.StagesClock(func() time.Time { return t0 })()
	code, _, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams", "-format", "csv")
	for _, want := range []string{"\rlist tasks RUNNING: 6", "\rlist tasks STOPPED: 1", "\rlist container instances: 2", "\rdescribe task definitions: 2/2"} {
		if code != 0 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q; want %q drawn", code, stderr, want)
		}
	}
}
