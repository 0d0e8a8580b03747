package cwlogs

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// namesRecorder is the SDK client, recording the streams each
// FilterLogEvents and GetLogEvents request names.
type namesRecorder struct {
	*cloudwatchlogs.Client
	mu     sync.Mutex
	filter [][]string
	get    []string
}

func (r *namesRecorder) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	r.mu.Lock()
	r.filter = append(r.filter, append([]string(nil), in.LogStreamNames...))
	r.mu.Unlock()
	return r.Client.FilterLogEvents(ctx, in, optFns...)
}

func (r *namesRecorder) GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	if in.NextToken == nil { // the first page of a stream's chain
		r.mu.Lock()
		r.get = append(r.get, *in.LogStreamName)
		r.mu.Unlock()
	}
	return r.Client.GetLogEvents(ctx, in, optFns...)
}

// TestStreamListedOnce: WithENIs looks each ENI up with a
// DescribeLogStreams prefix query and keeps the streams of any ENI asked
// for, so an ENI whose ID begins another's (eni-1 and eni-12; or an ID
// given with its traffic-type stream as well, eni-a and eni-a-all) had
// its stream listed by both queries: it was read twice (two GetLogEvents
// chains, or named twice in one FilterLogEvents request) and counted
// twice in Progress.StreamsTotal and StreamsDone.
func TestStreamListedOnce(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		for _, enis := range [][]string{{"eni-1", "eni-12"}, {"eni-a", "eni-a-all"}} {
			t.Run(st.String()+"/"+strings.Join(enis, ","), func(t *testing.T) {
				l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 3})
				ts := base.UnixMilli()
				streams := []string{enis[0], enis[1]}
				if enis[1] == "eni-a-all" {
					streams = []string{"eni-a-all", "eni-b"}
				}
				for i := 0; i < 7; i++ {
					for _, s := range streams {
						l.Put("g", s, fakeaws.LogEvent{Timestamp: ts + int64(i), Message: s})
					}
				}
				rec := &namesRecorder{Client: c}
				src := New(rec, "g", WithStrategy(st), WithRateLimits(Limits{}), WithENIs(enis...))
				got, _, err := collect(t, src, 0)
				if err != nil {
					t.Fatal(err)
				}
				sameMultiset(t, got, want(l, "g", func(s string, _ int64) bool { return s == enis[0] || s == enis[1] }))
				wantStreams := 2
				if enis[1] == "eni-a-all" {
					wantStreams = 1
				}
				if p := src.Progress(); p.StreamsTotal != wantStreams || p.StreamsDone != wantStreams {
					t.Errorf("progress: %d of %d streams done, want %d of %d", p.StreamsDone, p.StreamsTotal, wantStreams, wantStreams)
				}
				for _, names := range rec.filter {
					seen := map[string]bool{}
					for _, n := range names {
						if seen[n] {
							t.Errorf("FilterLogEvents named %s twice: %v", n, names)
						}
						seen[n] = true
					}
				}
				seen := map[string]bool{}
				for _, n := range rec.get {
					if seen[n] {
						t.Errorf("stream %s read by two GetLogEvents chains", n)
					}
					seen[n] = true
				}
			})
		}
	}
}

// TestErrorNamesStreams: a call that fails for good ended the read
// with an error naming the log group and the strategy, not the stream
// (GetLogEvents) or the streams (a FilterLogEvents batch) it was
// reading: with IAM that allows some streams only, or one stream whose
// reads keep failing, the user could not tell which.
func TestErrorNamesStreams(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, fakeaws.LogsOptions{})
			l.Put("g", "eni-only", fakeaws.LogEvent{Timestamp: base.UnixMilli(), Message: "m"})
			l.Allow("logs:DescribeLogStreams") // the reads are denied
			_, _, err := collect(t, New(c, "g", WithStrategy(st), WithRateLimits(Limits{})), 0)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "eni-only") || !strings.Contains(err.Error(), "AccessDenied") {
				t.Errorf("error %q does not name the stream eni-only and what failed", err)
			}
		})
	}
}
