package cwlogs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

var base = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

func eniName(s int) string { return fmt.Sprintf("eni-%017x", 0xabc000+s) }

// flowLine is a default-format (v2) record for stream s, event i.
func flowLine(s, i int, start int64) string {
	return fmt.Sprintf("2 123456789012 %s 10.0.%d.%d 10.1.0.%d %d 443 6 %d %d %d %d ACCEPT OK",
		eniName(s), s%250, i%250, i%200, 30000+i%30000, 1+i%9, 40*(1+i%9), start, start+60)
}

// fill stores streams×events events, 5 s apart per stream, streams offset
// by a second from each other; every 40th event is stored twice, exactly
// alike, as two flow logs writing one stream would.
func fill(l *fakeaws.Logs, group string, streams, events int) {
	for s := 0; s < streams; s++ {
		evs := make([]fakeaws.LogEvent, 0, events+events/40)
		for i := 0; i < events; i++ {
			ts := base.UnixMilli() + int64(i)*5000 + int64(s%7)*1000
			ev := fakeaws.LogEvent{Timestamp: ts, IngestionTime: ts + 300_000, Message: flowLine(s, i, ts/1000)}
			evs = append(evs, ev)
			if i%40 == 39 {
				evs = append(evs, ev)
			}
		}
		l.Put(group, eniName(s), evs...)
	}
}

type key struct {
	stream    string
	ts, ingst int64
	msg       string
}

// want is the multiset the fake holds for streams matching keep, in window.
func want(l *fakeaws.Logs, group string, keep func(stream string, ts int64) bool) map[key]int {
	m := map[key]int{}
	for _, e := range l.Events(group) {
		if keep == nil || keep(e.Stream, e.Timestamp) {
			m[key{e.Stream, e.Timestamp, e.IngestionTime, e.Message}]++
		}
	}
	return m
}

func collect(t *testing.T, src *Source, stopAfter int) (map[key]int, int, error) {
	t.Helper()
	got := map[key]int{}
	n := 0
	for ev, err := range src.Events(context.Background()) {
		if err != nil {
			return got, n, err
		}
		got[key{ev.Stream, ev.Timestamp, ev.IngestionTime, ev.Message}]++
		n++
		if stopAfter > 0 && n == stopAfter {
			break
		}
	}
	return got, n, nil
}

func sameMultiset(t *testing.T, got, want map[key]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d distinct events, want %d", len(got), len(want))
	}
	bad := 0
	for k, n := range want {
		if got[k] != n && bad < 5 {
			t.Errorf("%s@%d %q: got %d, want %d", k.stream, k.ts, k.msg, got[k], n)
			bad++
		}
	}
	for k, n := range got {
		if want[k] == 0 && bad < 5 {
			t.Errorf("unexpected %s@%d %q ×%d", k.stream, k.ts, k.msg, n)
			bad++
		}
	}
}

func newFake(t testing.TB, opts fakeaws.LogsOptions) (*fakeaws.Logs, *cloudwatchlogs.Client) {
	l := fakeaws.NewLogs(opts)
	t.Cleanup(l.Close)
	return l, newClient(l)
}

func newClient(l *fakeaws.Logs) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = l.BaseEndpoint() })
}

var quirky = fakeaws.LogsOptions{PageEvents: 97, PartialPages: true, EmptyPageEvery: 3}

func TestEventsExactUnderFaults(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, quirky)
			fill(l, "flows", 201, 12) // three FilterLogEvents batches
			l.SetFaults(fakeaws.Faults{ThrottleEvery: 7, ServerErrorEvery: 11, DropEvery: 13})
			src := New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithConcurrency(4))
			got, _, err := collect(t, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			sameMultiset(t, got, want(l, "flows", nil))
			p := src.Progress()
			if p.StreamsDone != 201 || p.StreamsTotal != 201 || p.Throttles == 0 || p.Strategy != st {
				t.Fatalf("progress %+v", p)
			}
			calls := l.Calls()
			if st == FilterLogEvents && calls["logs:GetLogEvents"] != 0 || st == GetLogEvents && calls["logs:FilterLogEvents"] != 0 {
				t.Fatalf("calls %v", calls)
			}
			cur := src.Cursor()
			for name, pos := range cur.Streams {
				if !pos.Done || len(pos.EventIDs) != 0 {
					t.Fatalf("stream %s not done in the final cursor: %+v", name, pos)
				}
			}
		})
	}
}

func TestWindowENIsAndPrefix(t *testing.T) {
	l, c := newFake(t, quirky)
	fill(l, "flows", 30, 60)
	l.Put("flows", "not-an-eni", fakeaws.LogEvent{Timestamp: base.UnixMilli() + 10_000, Message: "x"})
	from, to := base.Add(100*time.Second), base.Add(400*time.Second)
	in := func(ts int64) bool { return ts >= from.UnixMilli() && ts < to.UnixMilli() }
	enis := []string{eniName(3), eniName(17), "eni-0000000000000dead"}
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			got, _, err := collect(t, New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithWindow(from, to)), 0)
			if err != nil {
				t.Fatal(err)
			}
			sameMultiset(t, got, want(l, "flows", func(_ string, ts int64) bool { return in(ts) }))

			got, _, err = collect(t, New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithWindow(from, to), WithENIs(enis...)), 0)
			if err != nil {
				t.Fatal(err)
			}
			sameMultiset(t, got, want(l, "flows", func(s string, ts int64) bool {
				return in(ts) && (s == enis[0] || s == enis[1])
			}))

			got, _, err = collect(t, New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithStreamPrefix("eni-")), 0)
			if err != nil {
				t.Fatal(err)
			}
			sameMultiset(t, got, want(l, "flows", func(s string, _ int64) bool { return s != "not-an-eni" }))

			// Both: the ENIs whose streams have the prefix (it was
			// ignored).
			got, _, err = collect(t, New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithWindow(from, to),
				WithENIs(enis...), WithStreamPrefix(enis[1][:len(enis[1])-1])), 0)
			if err != nil {
				t.Fatal(err)
			}
			sameMultiset(t, got, want(l, "flows", func(s string, ts int64) bool { return in(ts) && s == enis[1] }))
			got, _, err = collect(t, New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithENIs(enis...), WithStreamPrefix("vpc-")), 0)
			if err != nil || len(got) != 0 {
				t.Fatalf("ENIs none of which has the prefix: %d events, %v", len(got), err)
			}
		})
	}
	// Many ENIs: matched against one listing instead of a query each.
	var many []string
	for s := 0; s < 30; s += 2 {
		many = append(many, eniName(s))
	}
	before := l.Calls()["logs:DescribeLogStreams"]
	got, _, err := collect(t, New(c, "flows", WithRateLimits(Limits{}), WithENIs(many...)), 0)
	if err != nil {
		t.Fatal(err)
	}
	sameMultiset(t, got, want(l, "flows", func(s string, _ int64) bool {
		var n int
		fmt.Sscanf(s, "eni-%x", &n)
		return s != "not-an-eni" && (n-0xabc000)%2 == 0
	}))
	if d := l.Calls()["logs:DescribeLogStreams"] - before; d != 1 {
		t.Fatalf("%d DescribeLogStreams calls for 15 ENIs, want 1 listing", d)
	}
}

func TestStaleStreamsArePrunedByTime(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	fill(l, "flows", 5, 10)
	for i := 0; i < 120; i++ { // older ENIs, gone before the window
		old := base.Add(-48*time.Hour + time.Duration(i)*time.Minute).UnixMilli()
		l.Put("flows", fmt.Sprintf("eni-old%03d", i), fakeaws.LogEvent{Timestamp: old, Message: "old"})
	}
	src := New(c, "flows", WithRateLimits(Limits{}), WithWindow(base, base.Add(time.Hour)))
	got, _, err := collect(t, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameMultiset(t, got, want(l, "flows", func(s string, ts int64) bool { return !strings.HasPrefix(s, "eni-old") }))
	if src.Progress().StreamsTotal != 5 {
		t.Fatalf("progress %+v", src.Progress())
	}
	// Listed by name (see streams: a listing by time misses streams that
	// move while it pages), all 125 streams, 50 a page, and only the five
	// read.
	if n := l.Calls()["logs:DescribeLogStreams"]; n != 3 {
		t.Fatalf("%d DescribeLogStreams calls, want 3 pages", n)
	}
	// With a name prefix too: every stream is listed, and the stale ones
	// are still pruned.
	src = New(c, "flows", WithRateLimits(Limits{}), WithWindow(base, base.Add(time.Hour)), WithStreamPrefix("eni-"))
	got, _, err = collect(t, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameMultiset(t, got, want(l, "flows", func(s string, ts int64) bool { return !strings.HasPrefix(s, "eni-old") }))
	if n := l.Calls()["logs:DescribeLogStreams"]; n != 3+3 {
		t.Fatalf("%d DescribeLogStreams calls", n)
	}
}

func TestResumeDeliversExactlyOnce(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		for _, stop := range []int{1, 40, 41, 500} {
			t.Run(fmt.Sprintf("%s/stop%d", st, stop), func(t *testing.T) {
				l, c := newFake(t, quirky)
				fill(l, "flows", 16, 60)
				l.SetFaults(fakeaws.Faults{ThrottleEvery: 5, ServerErrorEvery: 9})
				opts := []Option{WithStrategy(st), WithRateLimits(Limits{}), WithWindow(base, base.Add(24*time.Hour)), WithConcurrency(3)}
				all := map[key]int{}
				src := New(c, "flows", opts...)
				got, n, err := collect(t, src, stop)
				if err != nil || n != stop {
					t.Fatalf("first read: %d events, %v", n, err)
				}
				for k, v := range got {
					all[k] += v
				}
				// Save and load the cursor as a caller would.
				b, err := json.Marshal(src.Cursor())
				if err != nil {
					t.Fatal(err)
				}
				var cur Cursor
				if err := json.Unmarshal(b, &cur); err != nil {
					t.Fatal(err)
				}
				// Resume twice in a row: the second resume stops early too.
				src = New(c, "flows", append(opts[1:], WithResume(&cur))...)
				got, _, err = collect(t, src, 1000)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range got {
					all[k] += v
				}
				src = New(c, "flows", append(opts[1:], WithResume(src.Cursor()))...)
				got, _, err = collect(t, src, 0)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range got {
					all[k] += v
				}
				sameMultiset(t, all, want(l, "flows", nil))
			})
		}
	}
}

func TestResumeAfterErrorMidRead(t *testing.T) {
	l, c := newFake(t, quirky)
	fill(l, "flows", 12, 300)
	src := New(c, "flows", WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithConcurrency(2))
	all := map[key]int{}
	n := 0
	for ev, err := range src.Events(context.Background()) {
		if err != nil {
			var notAllowed interface{ ErrorCode() string }
			if !errors.As(err, &notAllowed) || notAllowed.ErrorCode() != "AccessDeniedException" {
				t.Fatalf("want access denied, got %v", err)
			}
			break
		}
		all[key{ev.Stream, ev.Timestamp, ev.IngestionTime, ev.Message}]++
		if n++; n == 500 {
			l.Allow("logs:DescribeLogStreams") // the role loses GetLogEvents mid-read
		}
	}
	l.AllowAll()
	cur := src.Cursor()
	got, _, err := collect(t, New(c, "flows", WithRateLimits(Limits{}), WithResume(cur)), 0)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range got {
		all[k] += v
	}
	sameMultiset(t, all, want(l, "flows", nil))
}

func TestCursorMismatch(t *testing.T) {
	_, c := newFake(t, fakeaws.LogsOptions{})
	cur := &Cursor{LogGroup: "other", Strategy: FilterLogEvents}
	_, _, err := collect(t, New(c, "flows", WithResume(cur)), 0)
	if !errors.Is(err, ErrCursorMismatch) {
		t.Fatalf("got %v", err)
	}
	cur = &Cursor{LogGroup: "flows", Strategy: FilterLogEvents}
	_, _, err = collect(t, New(c, "flows", WithResume(cur), WithStrategy(GetLogEvents)), 0)
	if !errors.Is(err, ErrCursorMismatch) {
		t.Fatalf("got %v", err)
	}
	// What differs, every difference, for a program to name the flags
	// that continue the saved read.
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	cur = &Cursor{LogGroup: "other", StartMillis: start.UnixMilli(), EndMillis: start.Add(time.Hour).UnixMilli(), Strategy: FilterLogEvents}
	_, _, err = collect(t, New(c, "flows", WithResume(cur), WithStrategy(GetLogEvents),
		WithWindow(start, start.Add(time.Hour).Add(time.Microsecond))), 0)
	var me *CursorMismatchError
	if !errors.As(err, &me) || !me.LogGroup || !me.Window || !me.Strategy || me.Saved.LogGroup != "other" ||
		me.Read.EndMillis != start.Add(time.Hour).UnixMilli()+1 || me.Read.Strategy != GetLogEvents ||
		err.Error() != `cwlogs: cursor does not match this read: log group "other", reading "flows"; window [1795600800000, 1795604400000) ms, reading [1795600800000, 1795604400001); cursor written by FilterLogEvents, reading with GetLogEvents` {
		t.Fatalf("got %v (%+v)", err, me)
	}
	// A cursor saved before a strategy was chosen holds no event: any
	// strategy continues it.
	cur = &Cursor{LogGroup: "flows", Strategy: Auto}
	if _, _, err = collect(t, New(c, "flows", WithResume(cur), WithStrategy(GetLogEvents)), 0); errors.Is(err, ErrCursorMismatch) {
		t.Fatalf("a cursor of no strategy: %v", err)
	}
}

// TestUnknownStrategy: a strategy none of the three (a misspelling) is
// refused, given or in a cursor. It read with FilterLogEvents and wrote
// cursors that only the same misspelling resumed; in a cursor, it passed
// as the strategy of the read.
func TestUnknownStrategy(t *testing.T) {
	_, c := newFake(t, fakeaws.LogsOptions{})
	_, _, err := collect(t, New(c, "flows", WithStrategy("filterlogevents")), 0)
	if err == nil || err.Error() != `cwlogs: unknown strategy "filterlogevents": want FilterLogEvents, GetLogEvents or Auto` {
		t.Errorf("WithStrategy(filterlogevents): %v", err)
	}
	cur := &Cursor{LogGroup: "flows", Strategy: "Get"}
	_, _, err = collect(t, New(c, "flows", WithResume(cur)), 0)
	if err == nil || !strings.Contains(err.Error(), `the cursor's strategy "Get" is none this package writes`) {
		t.Errorf("a cursor of strategy Get: %v", err)
	}
}

func TestAutoStrategy(t *testing.T) {
	cases := []struct {
		streams    int
		start, end time.Time
		want       Strategy
	}{
		{3, base, base.Add(24 * time.Hour), GetLogEvents},
		{3, base, base.Add(time.Hour), FilterLogEvents},
		{500, base, base.Add(24 * time.Hour), FilterLogEvents},
		{1, time.Time{}, time.Time{}, GetLogEvents},
	}
	for _, c := range cases {
		if got := chooseStrategy(c.streams, c.start, c.end); got != c.want {
			t.Errorf("%d streams %v..%v: %s, want %s", c.streams, c.start, c.end, got, c.want)
		}
	}
}

func TestProgressCallback(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 50})
	fill(l, "flows", 8, 100)
	var last Progress
	calls := 0
	src := New(c, "flows", WithRateLimits(Limits{}), WithProgress(func(p Progress) { last = p; calls++ }))
	_, n, err := collect(t, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if calls < 2 || last.Events != int64(n) || last.StreamsDone != 8 || last.StreamsTotal != 8 || last.Bytes == 0 || last.Requests == 0 {
		t.Fatalf("%d calls, last %+v", calls, last)
	}
}

func TestLimiterAdapts(t *testing.T) {
	l := newLimiter(20)
	l.throttled()
	l.throttled()
	if r := l.current(); r != 5 {
		t.Fatalf("after two throttles: %v", r)
	}
	for i := 0; i < 100; i++ {
		l.throttled()
	}
	if r := l.current(); r != 20.0/32 {
		t.Fatalf("floor: %v", r)
	}
	for i := 0; i < 100; i++ {
		l.succeeded()
	}
	if r := l.current(); r != 20 {
		t.Fatalf("recovered to %v", r)
	}
	if q := Quotas("eu-central-1"); q.FilterLogEvents != 5 || q.GetLogEvents != 10 || q.DescribeLogStreams != 25 {
		t.Fatalf("eu-central-1 %+v", q)
	}
	if q := DefaultLimits("us-east-1"); q.FilterLogEvents != 20 || q.GetLogEvents != 20 {
		t.Fatalf("us-east-1 %+v", q)
	}
}

// The rate limiter runs on every attempt and sees the throttles the SDK
// retries on its own.
func TestThrottlesCountedPerAttempt(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	fill(l, "flows", 3, 10)
	l.SetFaults(fakeaws.Faults{ThrottleEvery: 2})
	src := New(c, "flows", WithStrategy(GetLogEvents), WithRateLimits(Limits{FilterLogEvents: 1e6, GetLogEvents: 1e6, DescribeLogStreams: 1e6}))
	if _, _, err := collect(t, src, 0); err != nil {
		t.Fatal(err)
	}
	faulted := 0
	for _, v := range l.Faulted() {
		faulted += v
	}
	served := 0
	for _, v := range l.Calls() {
		served += v
	}
	p := src.Progress()
	if int(p.Throttles) != faulted || int(p.Requests) != served+faulted {
		t.Fatalf("progress %+v; fake served %d, throttled %d", p, served, faulted)
	}
}

// A slow endpoint and a deadline that cuts the read wherever it falls: what
// was delivered plus a resumed read is exactly the group.
func TestDeadlineMidReadThenResume(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 20})
			fill(l, "flows", 6, 100)
			l.SetFaults(fakeaws.Faults{Delay: 5 * time.Millisecond})
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
			defer cancel()
			all := map[key]int{}
			src := New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithConcurrency(2))
			for ev, err := range src.Events(ctx) {
				if err != nil {
					break // the deadline, or nothing if the read was fast
				}
				all[key{ev.Stream, ev.Timestamp, ev.IngestionTime, ev.Message}]++
			}
			l.SetFaults(fakeaws.Faults{})
			got, _, err := collect(t, New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithResume(src.Cursor())), 0)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range got {
				all[k] += v
			}
			sameMultiset(t, all, want(l, "flows", nil))
		})
	}
}

// A stream deleted after it was listed: GetLogEvents finds it gone, and a
// FilterLogEvents batch naming it fails as a whole, drops it and goes on.
func TestStreamDeletedMidRead(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 10})
			fill(l, "flows", 12, 40)
			gone := eniName(11)
			wantEvents := want(l, "flows", func(s string, _ int64) bool { return s != gone })
			got := map[key]int{}
			src := New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithConcurrency(1))
			for ev, err := range src.Events(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) == 0 {
					l.DeleteLogStream("flows", gone)
				}
				if ev.Stream != gone {
					got[key{ev.Stream, ev.Timestamp, ev.IngestionTime, ev.Message}]++
				}
			}
			sameMultiset(t, got, wantEvents)
			if p := src.Progress(); p.StreamsDone != 12 {
				t.Fatalf("progress %+v", p)
			}
			if st == FilterLogEvents && l.Calls()["logs:DescribeLogStreams"] < 2 {
				t.Fatal("the batch never restarted")
			}
		})
	}
}

// With a finite limit, throttling lowers the client-side rate.
func TestRateAdaptsToThrottling(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 5})
	fill(l, "flows", 3, 10)
	lims := Limits{GetLogEvents: 2000, DescribeLogStreams: 2000}
	src := New(c, "flows", WithStrategy(GetLogEvents), WithRateLimits(lims), WithConcurrency(1))
	if _, _, err := collect(t, src, 0); err != nil {
		t.Fatal(err)
	}
	if p := src.Progress(); p.Rate != 2000 || p.Throttles != 0 {
		t.Fatalf("no throttling: %+v", p)
	}
	l.SetFaults(fakeaws.Faults{ThrottleEvery: 2})
	got, _, err := collect(t, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameMultiset(t, got, want(l, "flows", nil))
	if p := src.Progress(); p.Rate >= 2000 || p.Throttles == 0 {
		t.Fatalf("throttled: %+v", p)
	}
}

// A response cut mid-body (200 status, full Content-Length, half the bytes)
// is an error the SDK's retryer does not retry; S3 resumes such bodies, and
// a read of CloudWatch Logs must not end on one either.
func TestEventsExactWithCutBodies(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, quirky)
			fill(l, "flows", 12, 30)
			l.SetCutBodyEvery(4)
			src := New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithConcurrency(4))
			got, _, err := collect(t, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			sameMultiset(t, got, want(l, "flows", nil))
			if l.CutBodies() == 0 {
				t.Fatal("no body was cut: the test tests nothing")
			}
			if p := src.Progress(); p.StreamsDone != 12 {
				t.Fatalf("progress %+v", p)
			}
		})
	}
}

// TestWindowSubMillisecondBounds: WithWindow is [start, end) on the event
// timestamp, which is whole milliseconds. Bounds with sub-millisecond
// precision were truncated to the millisecond, which let in an event 0.5 ms
// before start and left out one 0.5 ms before end.
func TestWindowSubMillisecondBounds(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, fakeaws.LogsOptions{})
			t0 := base.UnixMilli()
			l.Put("flows", "eni-a",
				fakeaws.LogEvent{Timestamp: t0, Message: "before-start"},
				fakeaws.LogEvent{Timestamp: t0 + 1, Message: "inside"},
				fakeaws.LogEvent{Timestamp: t0 + 10, Message: "inside-before-end"},
				fakeaws.LogEvent{Timestamp: t0 + 11, Message: "after-end"})
			start := time.UnixMilli(t0).Add(500 * time.Microsecond)    // t0+0.5ms
			end := time.UnixMilli(t0 + 10).Add(500 * time.Microsecond) // t0+10.5ms
			src := New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithWindow(start, end))
			var got []string
			for ev, err := range src.Events(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ev.Message)
			}
			if len(got) != 2 || got[0] != "inside" || got[1] != "inside-before-end" {
				t.Fatalf("window [t0+0.5ms, t0+10.5ms) delivered %q; want [inside inside-before-end]", got)
			}
			// The cursor holds the window as the read applied it, so a
			// resumed read with the same bounds matches it.
			if cur := src.Cursor(); cur.StartMillis != t0+1 || cur.EndMillis != t0+11 {
				t.Fatalf("cursor window [%d, %d); want [%d, %d)", cur.StartMillis, cur.EndMillis, t0+1, t0+11)
			}
			again := New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithWindow(start, end), WithResume(src.Cursor()))
			for ev, err := range again.Events(context.Background()) {
				if err != nil {
					t.Fatalf("resumed read: %v", err)
				}
				t.Fatalf("finished read resumed: delivered %q again", ev.Message)
			}
		})
	}
}

// A window no event can be in is an error of the read: a sub-millisecond
// window rounds to [t, t), and FilterLogEvents would have been sent an
// endTime before its startTime.
func TestEmptyWindowRefused(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	l.Put("flows", "eni-a", fakeaws.LogEvent{Timestamp: base.UnixMilli(), Message: "m"})
	for _, w := range [][2]time.Time{
		{base.Add(100 * time.Microsecond), base.Add(700 * time.Microsecond)},
		{base.Add(time.Hour), base},
		{base, base},
	} {
		for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
			var err error
			for _, err = range New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithWindow(w[0], w[1])).Events(context.Background()) {
				if err != nil {
					break
				}
			}
			if err == nil || !strings.Contains(err.Error(), "is empty") {
				t.Errorf("%s, window %v to %v: %v, want an empty-window error", st, w[0], w[1], err)
			}
		}
	}
}

// A stream named after the ENI and its traffic type (eni-…-all, as AWS's
// early examples show) is the ENI's: WithENIs reads it, and a stream of
// another ENI whose ID merely starts the same is not read.
func TestWithENIsTrafficTypeSuffix(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	ms := base.UnixMilli()
	l.Put("flows", "eni-0a-all", fakeaws.LogEvent{Timestamp: ms, Message: "a all"})
	l.Put("flows", "eni-0a-reject", fakeaws.LogEvent{Timestamp: ms, Message: "a reject"})
	l.Put("flows", "eni-0ab-all", fakeaws.LogEvent{Timestamp: ms, Message: "ab all"})
	l.Put("flows", "eni-0b", fakeaws.LogEvent{Timestamp: ms, Message: "b"})
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		var got []string
		for ev, err := range New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}), WithENIs("eni-0a", "eni-0b")).Events(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ev.Message)
		}
		slices.Sort(got)
		if want := []string{"a all", "a reject", "b"}; !slices.Equal(got, want) {
			t.Errorf("%s: read %q, want %q", st, got, want)
		}
	}
}

// TestServerErrorsPastTheSDKsAttempts: a 5xx answer the SDK's retryer
// gave up on ended the read, where throttling and cut bodies were tried
// again: the library's other reads (awscall) try those again too.
func TestServerErrorsPastTheSDKsAttempts(t *testing.T) {
	l := fakeaws.NewLogs(fakeaws.LogsOptions{PageEvents: 20})
	t.Cleanup(l.Close)
	c := cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) {
		o.BaseEndpoint = l.BaseEndpoint()
		o.RetryMaxAttempts = 1 // every 5xx is one the SDK gives up on
	})
	fill(l, "flows", 5, 40)
	l.SetFaults(fakeaws.Faults{ServerErrorEvery: 3})
	got, _, err := collect(t, New(c, "flows", WithRateLimits(Limits{})), 0)
	if err != nil {
		t.Fatal(err)
	}
	sameMultiset(t, got, want(l, "flows", nil))
}

// TestLogGroupByARN: a log group given by its ARN (as DescribeLogGroups
// lists it, with ":*", or without) is read through logGroupIdentifier,
// the member that takes one; in logGroupName it was refused.
func TestLogGroupByARN(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	fill(l, "flows", 3, 10)
	for _, group := range []string{"arn:aws:logs:us-east-1:123456789012:log-group:flows:*", "arn:aws:logs:us-east-1:123456789012:log-group:flows"} {
		for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
			got, _, err := collect(t, New(c, group, WithStrategy(st), WithRateLimits(Limits{})), 0)
			if err != nil {
				t.Fatalf("%s, %s: %v", group, st, err)
			}
			sameMultiset(t, got, want(l, "flows", nil))
		}
	}
}
