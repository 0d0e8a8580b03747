package intervals

import (
	"net/netip"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestFarFutureStop: a task whose stop lies past 2262 (where Unix
// nanoseconds end) was written with an end wrapped to 1715 and without
// its ENI's and address's rows, so the SQL join found its records outside
// its lifetime; and rows Build writes must read back.
func TestFarFutureStop(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/prod/far", LaunchType: "FARGATE",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-far", IPv4: netip.MustParseAddr("10.0.0.9"),
		Valid: history.Interval{Start: t0, End: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}}
	_, rows := built(t, []history.Task{tk}, nil)
	kinds := map[string]bool{}
	for _, r := range rows {
		kinds[r.Kind] = true
		if r.End == nil || r.End.Before(t0) || *r.LastSecond < *r.FirstSecond {
			t.Errorf("%s row %s: [%v, %v), seconds %d to %v", r.Kind, r.Key, r.Start, r.End, *r.FirstSecond, r.LastSecond)
		}
	}
	if !kinds[KindTaskENI] || !kinds[KindTaskAddr] {
		t.Errorf("rows of kinds %v, want the task's ENI and address too", kinds)
	}
	rebuildsExactly(t, rows)
}
