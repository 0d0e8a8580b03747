package sqltest

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// TestBareValueInTaskARNField: since 8424d19 the engine keys a task
// by the ARN of any record whose task reference (ecs-task-arn, else
// ecs-task-id) is a long ARN, when the task was made from a bare one,
// and it counts a bare value in ecs-task-arn as bare (ref == id). The
// query still took MAX(ecs_arn) first, so a bare ecs-task-arn greater
// than "arn:…" (an ID from b to f) won over the ARN: the SQL twin and
// the engine grouped the records under different keys.
func TestBareValueInTaskARNField(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := rvIndex(t, []history.Task{rvTask("00000000000000000000000000000001", "eni-k", "10.0.1.1", t0, time.Time{})}, nil)
	ts := t0.Add(time.Minute).Unix()
	C := rvPrefix + "cccc"
	for _, lines := range [][]string{
		{reviewLine(ts, "100", "api", "cccc", "-"), reviewLine(ts, "200", "api", C, "-")},
		{reviewLine(ts, "200", "api", C, "-"), reviewLine(ts, "100", "api", "cccc", "-")},
		{reviewLine(ts, "100", "api", "cccc", "-"), reviewLine(ts, "200", "api", "-", C)},
	} {
		got := groupBytes(runAll(t, rvFixture(h, reviewHead, lines...), sqlattr.Builder{}, false))
		if len(got) != 1 || got[C] != 300 {
			t.Errorf("records %q: by task %v, want %s 300", lines, got, C)
		}
	}
}
