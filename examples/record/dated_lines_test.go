package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestRecordLinesDated: record runs for months, its stderr kept in
// a log file (2>>record.log) as often as in a journal. Its poll line gave
// the time of day alone ("record: 15:04:05 cluster demo: …"), the same
// every day, and a problem's line of a later poll no time at all: with
// -q, which leaves the problems alone, nothing in the file said when a
// poll failed. Each line of a poll now starts with the time in UTC and
// its date.
func TestRecordLinesDated(t *testing.T) {
	code, stderr := runForgettingATask(t)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	const date = `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`
	progress := regexp.MustCompile(`(?m)^record: ` + date + ` cluster demo: \d+ tasks, 2 container instances`)
	problem := regexp.MustCompile(`(?m)^record: ` + date + ` cluster demo: poll recorded, except `)
	if !progress.MatchString(stderr) || !problem.MatchString(stderr) {
		t.Errorf("a poll's lines without their date:\n%s", stderr)
	}
	for l := range strings.Lines(stderr) {
		if regexp.MustCompile(`^record: \d\d:\d\d:\d\d `).MatchString(l) {
			t.Errorf("a time of day alone: %q", l)
		}
	}
}
