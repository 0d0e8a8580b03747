package intervals

import (
	"net/netip"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestSubMicrosecondStopBeforeWholeSecond: a stop less than a microsecond
// before a whole second: the row's end, rounded up to the microsecond,
// landed on the whole second, where the late window reaches one second
// further (late_base_second), so the history Index rebuilt was not the one
// the rows were built from, and it refused rows Build wrote.
func TestSubMicrosecondStopBeforeWholeSecond(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/prod/nano", LaunchType: "FARGATE",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-nano", IPv4: netip.MustParseAddr("10.0.0.9"),
		Valid: history.Interval{Start: t0.Add(-500), End: t0.Add(30*time.Second - 500)}}
	_, rows := built(t, []history.Task{tk}, nil)
	rebuildsExactly(t, rows)
}
