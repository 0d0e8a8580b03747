package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// stageLines is what s drew, one entry a line, without the spaces that
// cover a longer line before it.
func stageLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\r")[1:] {
		lines = append(lines, strings.TrimRight(l, " "))
	}
	return lines
}

// TestStagesDrawsAtAnySpeed: which updates Stages draws is a
// matter of its clock alone, so that a test of its 200 ms rule means the
// same on a fast machine and on a slow, busy one. It read time.Now, and
// on a machine where 200 ms passed between two updates every update was
// drawn: the tests of the skipped last counts (TestStagesLastCount,
// attribute's TestStagesFinalCount) then passed whether or not those
// counts were drawn at all.
func TestStagesDrawsAtAnySpeed(t *testing.T) {
	updates := func(s *Stages) {
		s.Update("list tasks RUNNING", 100, 0)
		s.Update("list tasks RUNNING", 300, 0)
		s.Update("describe tasks", 100, 300)
		s.Update("describe tasks", 300, 300)
		s.Update("list container instances", 2, 0)
		s.Done()
	}
	defer AsTerminal()()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		name string
		step time.Duration // how far the clock moves between two readings
		want []string
	}{
		// Fast: the first line, then each stage's last count once the
		// stage ends, and a known total reached.
		{"fast", 0, []string{"list tasks RUNNING: 100", "list tasks RUNNING: 300", "describe tasks: 300/300", "list container instances: 2"}},
		// Slow: every update.
		{"slow", time.Second, []string{"list tasks RUNNING: 100", "list tasks RUNNING: 300", "describe tasks: 100/300", "describe tasks: 300/300", "list container instances: 2"}},
	} {
		var b bytes.Buffer
		now := t0
		restore := StagesClock(func() time.Time { now = now.Add(c.step); return now })
		updates(NewStages(&b, false))
		restore()
		if got := stageLines(b.String()); !slices.Equal(got, c.want) || !strings.HasSuffix(b.String(), "\n") {
			t.Errorf("%s: drew %q; want lines %q, then the line ended", c.name, b.String(), c.want)
		}
	}
}
