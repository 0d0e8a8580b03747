package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
)

// TestStopDuringFirstPollSaysSo: stopped (Ctrl-C, SIGTERM) while
// its first poll ran, record exited without a word, also with a history
// file it continued, and removed a new one silently; the README says
// record still says where it stops, as it does when stopped between
// polls ("record: stopped; FILE holds N tasks; ...").
func TestStopDuringFirstPollSaysSo(t *testing.T) {
	startFakes(t)
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, stderr := runCode(t, ctx, "-cluster", "demo", "-file", file, "-q")
	if code != 0 || !strings.Contains(stderr, "record: stopped before the first poll finished; nothing recorded, "+file+" not kept") {
		t.Errorf("new file: exit %d, stderr %q; want 0 and the stop said", code, stderr)
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("the new history file was left")
	}
	if code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, _, stderr = runCode(t, ctx, "-cluster", "demo", "-file", file, "-q")
	if code != 0 || !strings.Contains(stderr, "record: stopped before the first poll finished; "+file+" holds 7 tasks; run again with the same -file to continue") {
		t.Errorf("continued file: exit %d, stderr %q; want 0 and the stop said", code, stderr)
	}
}

// TestFirstPollShowsProgress: the first poll reads the whole cluster,
// pages and describe calls that take minutes in a large one: on a
// terminal it shows how far it has come, as enibudget's read does, and
// ends that line before the poll's own.
func TestFirstPollShowsProgress(t *testing.T) {
	startFakes(t)
	defer cli.AsTerminal()()
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once")
	last := stderr[strings.LastIndex(stderr, "\r")+1:]
	if code != 0 || !strings.Contains(stderr, "\rdescribe tasks: 6/6") || !strings.HasPrefix(last, "describe task definitions: 2/2") ||
		!strings.Contains(last, "\nrecord: ") {
		t.Errorf("exit %d, stderr %q; want the describe stage drawn and its line ended", code, stderr)
	}
}

// TestOnceStoppedFails: -once stopped before its poll finished has not
// polled, and must not exit 0: a script's next step, the upload of
// record -once && aws s3 cp for examples/lambda (which takes the
// upload's time as the time the history knows the tasks up to), would
// then claim a poll that did not happen.
func TestOnceStoppedFails(t *testing.T) {
	startFakes(t)
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, stderr := runCode(t, ctx, "-cluster", "demo", "-file", file, "-once", "-q")
	if code != 1 || !strings.Contains(stderr, "record: stopped before the first poll finished; nothing recorded, "+file+" not kept") {
		t.Errorf("new file: exit %d, stderr %q; want 1 and the stop said", code, stderr)
	}
	if code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, _, stderr = runCode(t, ctx, "-cluster", "demo", "-file", file, "-once", "-q")
	if code != 1 || !strings.Contains(stderr, "record: stopped before the first poll finished; "+file+" holds 7 tasks") {
		t.Errorf("continued file: exit %d, stderr %q; want 1 and the stop said", code, stderr)
	}
}
