package cwlogs

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// DescribeLogStreams' lastEventTimestamp "updates on an eventual
// consistency basis. It typically updates in less than an hour from
// ingestion" (CloudWatch Logs API reference, LogStream). A stream whose
// previous event is hours old and that got events in the last hour still
// reports the old lastEventTimestamp; the default "-since 1h" window must
// still read it. It was skipped as idle, its events never read.
func TestRecentEventsOfAnIdleStreamAreRead(t *testing.T) {
	now := time.Now()
	for _, lag := range []time.Duration{0, time.Hour} {
		l, c := newFake(t, fakeaws.LogsOptions{LastEventLag: lag})
		old, recent := now.Add(-5*time.Hour), now.Add(-30*time.Minute)
		l.Put("flows", eniName(1),
			fakeaws.LogEvent{Timestamp: old.UnixMilli(), IngestionTime: old.Add(5 * time.Minute).UnixMilli(), Message: flowLine(1, 0, old.Unix())},
			fakeaws.LogEvent{Timestamp: recent.UnixMilli(), IngestionTime: recent.Add(5 * time.Minute).UnixMilli(), Message: flowLine(1, 1, recent.Unix())})
		for _, st := range []Strategy{Auto, FilterLogEvents, GetLogEvents} {
			src := New(c, "flows", WithRateLimits(Limits{}), WithWindow(now.Add(-time.Hour), now), WithStrategy(st))
			_, n, err := collect(t, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("lastEventTimestamp lag %v, strategy %v: read %d events of the window, want 1 (the one at %s); streams listed %d",
					lag, st, n, recent.UTC().Format(time.RFC3339), src.Progress().StreamsTotal)
			}
		}
	}
}
