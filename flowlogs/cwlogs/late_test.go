package cwlogs

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// Two flow logs writing one ENI's stream (ACCEPT-only and REJECT-only,
// flowlogs.md §5.1) deliver independently, so a record with an earlier
// start (timestamp) can be ingested after one with a later start. A read
// interrupted after the later one, resumed after the earlier one arrived,
// must deliver it: the Cursor promises "every event not yet delivered is
// delivered once". Equal timestamps are fine (stop < 100 passes).
func TestResumeDeliversLateEventBeforePosition(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		for _, stop := range []int{50, 150} {
			t.Run(fmt.Sprintf("%s/stop%d", st, stop), func(t *testing.T) {
				l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 13, PartialPages: true, EmptyPageEvery: 4})
				// Records of an hour ago, ingested 5 minutes after their
				// timestamps; the late one is ingested now, between the runs.
				w0 := time.Now().Add(-time.Hour).Truncate(time.Minute)
				ts := w0.UnixMilli() + 1000
				var evs []fakeaws.LogEvent
				for i := 0; i < 200; i++ {
					evs = append(evs, fakeaws.LogEvent{Timestamp: ts + int64(i/100), IngestionTime: ts + 300_000, Message: fmt.Sprintf("accept %d", i)})
				}
				l.Put("g", "eni-a", evs...)
				opts := []Option{WithStrategy(st), WithRateLimits(Limits{}), WithWindow(w0, w0.Add(30*time.Minute))}
				src := New(c, "g", opts...)
				all, _, err := collect(t, src, stop)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(src.Cursor())
				var cur Cursor
				if err := json.Unmarshal(b, &cur); err != nil {
					t.Fatal(err)
				}
				// The REJECT-only flow log's record, same ENI, start ts,
				// delivered a few minutes after the ACCEPT-only one's.
				l.Put("g", "eni-a", fakeaws.LogEvent{Timestamp: ts, IngestionTime: time.Now().UnixMilli(), Message: "reject 0"})
				got, _, err := collect(t, New(c, "g", append(opts, WithResume(&cur))...), 0)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range got {
					all[k] += v
				}
				sameMultiset(t, all, want(l, "g", nil))
			})
		}
	}
}

// Events ingested within the horizon margin all go to Late: resumes
// (one after a TakeBack) re-read the stream from the window start and
// deliver each event once.
func TestResumeRecentEventsOnce(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		for _, stop := range []int{1, 13, 100, 101, 170} {
			t.Run(fmt.Sprintf("%s/stop%d", st, stop), func(t *testing.T) {
				l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 13, PartialPages: true, EmptyPageEvery: 4})
				w0 := time.Now().Add(-20 * time.Minute).Truncate(time.Minute)
				now := time.Now().UnixMilli()
				var evs []fakeaws.LogEvent
				for i := 0; i < 200; i++ {
					ts := w0.UnixMilli() + int64(i/10)*1000
					evs = append(evs, fakeaws.LogEvent{Timestamp: ts, IngestionTime: now - int64(200-i), Message: fmt.Sprintf("m %d", i%30)})
				}
				l.Put("g", "eni-a", evs...)
				l.Put("g", "eni-b", evs...)
				opts := []Option{WithStrategy(st), WithRateLimits(Limits{}), WithWindow(w0, w0.Add(30*time.Minute)), WithConcurrency(1)}
				src := New(c, "g", opts...)
				all := map[key]int{}
				n := 0
				for ev, err := range src.Events(context.Background()) {
					if err != nil {
						t.Fatal(err)
					}
					if n++; n == stop {
						if !src.TakeBack() {
							t.Fatal("no take back")
						}
						break
					}
					all[key{ev.Stream, ev.Timestamp, ev.IngestionTime, ev.Message}]++
				}
				b, _ := json.Marshal(src.Cursor())
				var cur Cursor
				if err := json.Unmarshal(b, &cur); err != nil {
					t.Fatal(err)
				}
				src = New(c, "g", append(opts, WithResume(&cur))...)
				got, _, err := collect(t, src, 77)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range got {
					all[k] += v
				}
				got, _, err = collect(t, New(c, "g", append(opts, WithResume(src.Cursor()))...), 0)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range got {
					all[k] += v
				}
				sameMultiset(t, all, want(l, "g", nil))
			})
		}
	}
}

// Taking back a late event stamped before the position leaves the cursor
// as it was, so the next resume delivers it.
func TestTakeBackLateEventBeforePosition(t *testing.T) {
	tr := newTracker(&Cursor{}, 1000)
	a := Event{Stream: "s", ID: "a", Timestamp: 50, IngestionTime: 900}
	b := Event{Stream: "s", ID: "b", Timestamp: 60, IngestionTime: 900}
	late := Event{Stream: "s", ID: "l", Timestamp: 40, IngestionTime: 2000}
	if !tr.admit(&a) || !tr.admit(&b) {
		t.Fatal("not admitted")
	}
	before, _ := json.Marshal(tr.snapshot())
	if !tr.admit(&late) || tr.admit(&late) {
		t.Fatal("late event: want admitted once")
	}
	if !tr.unadmit(&late) {
		t.Fatal("unadmit")
	}
	after, _ := json.Marshal(tr.snapshot())
	if string(before) != string(after) {
		t.Fatalf("cursor changed by admit+unadmit:\n%s\n%s", before, after)
	}
	if !tr.admit(&late) || tr.admit(&a) || tr.admit(&b) {
		t.Fatal("after unadmit: want the late event admitted, a and b not")
	}
}
