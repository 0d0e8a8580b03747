package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestStagesLastCount: a stage's last count is drawn when the
// stage ends, by the next stage or Done, also when it came within 200 ms
// of the line before: a listing, of no total, showed the count of its
// first page only, or none.
func TestStagesLastCount(t *testing.T) {
	var b bytes.Buffer
	// A clock that never moves: every update after the first comes within
	// 200 ms of a line, however slow the machine running the test.
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &Stages{w: &b, now: func() time.Time { return t0 }}
	s.Update("list tasks RUNNING", 100, 0) // the first: drawn
	s.Update("list tasks RUNNING", 300, 0) // within 200 ms
	s.Update("describe tasks", 100, 300)
	s.Update("list container instances", 2, 0) // within 200 ms
	s.Done()
	got := b.String()
	for _, want := range []string{"\rlist tasks RUNNING: 300", "\rlist container instances: 2"} {
		if !strings.Contains(got, want) {
			t.Errorf("drew %q; want %q", got, want)
		}
	}
	if l := strings.TrimRight(strings.TrimSuffix(got, "\n"), " "); !strings.HasSuffix(got, "\n") || !strings.HasSuffix(l, "\rlist container instances: 2") {
		t.Errorf("drew %q; want the last stage's count last, then the line ended", got)
	}
}
