package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestStagesLastCount: a stage's last count is drawn when the
// stage ends, by the next stage or Done, also when it came within 200 ms
// of the line before: a listing, of no total, showed the count of its
// first page only, or none.
func TestStagesLastCount(t *testing.T) {
	var b bytes.Buffer
	s := &Stages{w: &b}
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
