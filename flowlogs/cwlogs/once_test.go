package cwlogs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// A strict Records read stops at a malformed event, which is not
// delivered: a read resumed from the cursor (with the format mended, in
// practice) starts with it. The cursor once counted it, and it was lost.
// The malformed event is the stream's first, shares the previous event's
// timestamp, or has one of its own: the three ways admitting it moves the
// stream's position.
func TestStrictErrorEventComesAgainOnResume(t *testing.T) {
	const bad = "2 123456789012 eni-x 10.0.0.1 10.0.0.2 1 2 6 1 notanumber 1 2 ACCEPT OK"
	ms := base.UnixMilli()
	for _, c := range []struct {
		name   string
		events []fakeaws.LogEvent
		before int // events delivered before the malformed one
	}{
		{"first of its stream", []fakeaws.LogEvent{{Timestamp: ms, Message: bad}, {Timestamp: ms + 2000, Message: flowLine(0, 2, base.Unix()+2)}}, 0},
		{"same timestamp as the one before", []fakeaws.LogEvent{{Timestamp: ms, Message: flowLine(0, 0, base.Unix())}, {Timestamp: ms, Message: bad},
			{Timestamp: ms + 2000, Message: flowLine(0, 2, base.Unix()+2)}}, 1},
		{"a timestamp of its own", []fakeaws.LogEvent{{Timestamp: ms, Message: flowLine(0, 0, base.Unix())}, {Timestamp: ms + 1000, Message: bad},
			{Timestamp: ms + 2000, Message: flowLine(0, 2, base.Unix()+2)}}, 1},
	} {
		for _, strategy := range []Strategy{GetLogEvents, FilterLogEvents} {
			l, cl := newFake(t, fakeaws.LogsOptions{})
			l.Put("flows", eniName(0), c.events...)
			src := New(cl, "flows", WithRateLimits(Limits{}), WithStrategy(strategy))
			var last error
			n := 0
			for _, err := range src.Records(context.Background()) {
				if err != nil {
					last = err
					continue
				}
				n++
			}
			if pe := (*flowlogs.ParseError)(nil); !errors.As(last, &pe) || n != c.before {
				t.Fatalf("%s, %s: %d records, then %v; want %d and a ParseError", c.name, strategy, n, last, c.before)
			}
			if p := src.Progress(); p.Events != int64(c.before) {
				t.Errorf("%s, %s: progress after the failure: %d events delivered, want %d", c.name, strategy, p.Events, c.before)
			}
			var msgs []string
			resumed := New(cl, "flows", WithRateLimits(Limits{}), WithStrategy(strategy), WithResume(src.Cursor()))
			for ev, err := range resumed.Events(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				msgs = append(msgs, ev.Message)
			}
			want := []string{bad, c.events[len(c.events)-1].Message}
			if !slices.Equal(msgs, want) {
				t.Errorf("%s, %s: resumed read delivered %q, want the malformed event, then the one after it", c.name, strategy, msgs)
			}
		}
	}
}

// A cursor written before a strategy was chosen (a read that failed while
// listing streams) holds no event: resumed with WithStrategy, the option
// rules, where Auto's choice once took over.
func TestResumeAutoCursorKeepsStrategy(t *testing.T) {
	l, cl := newFake(t, fakeaws.LogsOptions{})
	l.Put("flows", eniName(0), fakeaws.LogEvent{Timestamp: base.UnixMilli(), Message: flowLine(0, 0, base.Unix())})
	since, until := base.Add(-time.Minute), base.Add(time.Minute) // Auto picks FilterLogEvents
	cur := &Cursor{LogGroup: "flows", StartMillis: since.UnixMilli(), EndMillis: until.UnixMilli(), Strategy: Auto}
	src := New(cl, "flows", WithRateLimits(Limits{}), WithWindow(since, until), WithStrategy(GetLogEvents), WithResume(cur))
	n := 0
	for _, err := range src.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if p := src.Progress(); n != 1 || p.Strategy != GetLogEvents || src.Cursor().Strategy != GetLogEvents {
		t.Errorf("%d events, read with %s, cursor %s; want 1, GetLogEvents and GetLogEvents", n, p.Strategy, src.Cursor().Strategy)
	}
}

// mutatingAPI puts an event into one stream right after the first
// DescribeLogStreams page, as a live group does while it is listed.
type mutatingAPI struct {
	*cloudwatchlogs.Client
	once func()
}

func (m *mutatingAPI) DescribeLogStreams(ctx context.Context, in *cloudwatchlogs.DescribeLogStreamsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogStreamsOutput, error) {
	out, err := m.Client.DescribeLogStreams(ctx, in, optFns...)
	if m.once != nil {
		m.once()
		m.once = nil
	}
	return out, err
}

// A past window over a whole group, with a stream (an ENI still in use)
// getting an event while the streams are listed: listed by LastEventTime,
// a sort key that moves as the pages are read, the stream jumped ahead of
// the page token and was never read (and another was listed twice, with
// the fake's offset tokens). Listed by name, every stream is read once.
func TestStreamActiveWhileListed(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	t0 := time.Now().Add(-48 * time.Hour).Truncate(time.Hour)
	for s := 0; s < 120; s++ {
		ts := t0.UnixMilli() + int64(s)*1000
		l.Put("flows", eniName(s), fakeaws.LogEvent{Timestamp: ts, Message: flowLine(s, 0, ts/1000)})
	}
	wantN := len(l.Events("flows"))
	api := &mutatingAPI{Client: c, once: func() {
		now := time.Now().UnixMilli()
		l.Put("flows", eniName(30), fakeaws.LogEvent{Timestamp: now, Message: flowLine(30, 1, now/1000)})
	}}
	src := New(api, "flows", WithRateLimits(Limits{}), WithWindow(t0.Add(-time.Hour), t0.Add(time.Hour)))
	seen := map[string]int{}
	n := 0
	for ev, err := range src.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		seen[ev.Stream]++
		n++
	}
	if p := src.Progress(); p.StreamsTotal != 120 || p.StreamsDone != 120 {
		t.Errorf("progress: streams %d of %d done, want 120 of 120", p.StreamsDone, p.StreamsTotal)
	}
	if n != wantN || seen[eniName(30)] != 1 {
		t.Fatalf("%d events in the window delivered, want %d; stream %s delivered %d events (want 1), with no error",
			n, wantN, eniName(30), seen[eniName(30)])
	}
}

// A consumer that breaks out of Records because it could not use the
// record (its output failed) takes the record back: the resumed read
// starts with it, and the two reads together deliver every record once,
// wherever the first stopped. The three positions of the strict-error
// test are covered by stopping at every record of streams whose events
// share timestamps and have their own.
func TestTakeBackRecord(t *testing.T) {
	ms := base.UnixMilli()
	var events []fakeaws.LogEvent
	for i := range 6 {
		events = append(events, fakeaws.LogEvent{Timestamp: ms + int64(i/2)*1000, Message: flowLine(0, i, base.Unix()+int64(i))})
	}
	for _, strategy := range []Strategy{GetLogEvents, FilterLogEvents} {
		for stop := range len(events) {
			l, cl := newFake(t, fakeaws.LogsOptions{})
			l.Put("flows", eniName(0), events...)
			src := New(cl, "flows", WithRateLimits(Limits{}), WithStrategy(strategy))
			var got []string
			for r, err := range src.Records(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) == stop {
					break // could not use r
				}
				got = append(got, r.String())
			}
			if !src.TakeBack() || src.TakeBack() {
				t.Fatalf("%s, stop %d: TakeBack should take back one record, once", strategy, stop)
			}
			if p := src.Progress(); p.Events != int64(stop) {
				t.Errorf("%s, stop %d: progress %d events, want %d", strategy, stop, p.Events, stop)
			}
			resumed := New(cl, "flows", WithRateLimits(Limits{}), WithStrategy(strategy), WithResume(src.Cursor()))
			for r, err := range resumed.Records(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, r.String())
			}
			distinct := slices.Compact(slices.Sorted(slices.Values(got)))
			if len(got) != len(events) || len(distinct) != len(events) {
				t.Errorf("%s, stop %d: the two reads gave %d records (%d distinct), want %d once each", strategy, stop, len(got), len(distinct), len(events))
			}
		}
	}
}

// A read that ran to its end has nothing to take back: the consumer took
// every event, and the streams are marked done. TakeBack then reports
// false; it panicked, or made the resumed read give a stream again.
func TestTakeBackAfterTheEnd(t *testing.T) {
	ms := base.UnixMilli()
	for _, tc := range []struct {
		name string
		ts   []int64 // event timestamps (ms after base)
	}{
		{"one event (created)", []int64{0}},
		{"distinct timestamps (default)", []int64{0, 1000}},
		{"shared timestamp (appended)", []int64{0, 0}},
	} {
		for _, strategy := range []Strategy{GetLogEvents, FilterLogEvents} {
			t.Run(fmt.Sprintf("%s/%s", tc.name, strategy), func(t *testing.T) {
				l, cl := newFake(t, fakeaws.LogsOptions{})
				var evs []fakeaws.LogEvent
				for i, d := range tc.ts {
					evs = append(evs, fakeaws.LogEvent{Timestamp: ms + d, Message: flowLine(0, i, base.Unix()+int64(i))})
				}
				l.Put("flows", eniName(0), evs...)
				src := New(cl, "flows", WithRateLimits(Limits{}), WithStrategy(strategy))
				for _, err := range src.Records(context.Background()) {
					if err != nil {
						t.Fatal(err)
					}
				}
				var took bool
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Fatalf("TakeBack after a normal end panicked: %v", p)
						}
					}()
					took = src.TakeBack()
				}()
				if took {
					t.Errorf("TakeBack after a read that ran to its end took an event back")
				}
			})
		}
	}
}
