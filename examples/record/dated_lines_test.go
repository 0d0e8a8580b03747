package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// TestRecordLinesDated: record runs for months, its stderr kept in
// a log file (2>>record.log) as often as in a journal. Its poll line gave
// the time of day alone ("record: 15:04:05 cluster demo: …"), the same
// every day, and a problem's line of a later poll no time at all: with
// -q, which leaves the problems alone, nothing in the file said when a
// poll failed. Each line of a poll now starts with the time in UTC and
// its date.
func TestRecordLinesDated(t *testing.T) {
	startFakes(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inner := newClients
	newClients = func(ctx context.Context) (*clients, error) {
		c, err := inner(ctx)
		if err != nil {
			return nil, err
		}
		// From the second poll on, one task the file holds is refused.
		c.ecs = &forgetsATask{Client: c.ecs.(*ecs.Client), from: 2, stopPolls: 2, stop: cancel}
		return c, nil
	}
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, ctx, "-cluster", "demo", "-file", file, "-interval", "20ms")
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
