package cwlogs

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLateEventOfFinishedStream: a stream read to its end in the first read
// gets a record stamped in the window but ingested after that read (a second
// flow log writing the ENI, or a window whose end is recent or in the
// future). A resumed read delivers late events of unfinished streams; it
// must deliver those of a finished one too: "every event not yet delivered
// is delivered once".
func TestLateEventOfFinishedStream(t *testing.T) {
	for _, st := range []Strategy{GetLogEvents, FilterLogEvents} {
		for _, future := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/future=%v", st, future), func(t *testing.T) {
				l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 7})
				w0 := time.Now().Add(-time.Hour).Truncate(time.Minute)
				w1 := w0.Add(30 * time.Minute)
				if future {
					w1 = time.Now().Add(time.Hour)
				}
				ts := w0.UnixMilli() + 1000
				for _, s := range []string{"eni-a", "eni-b"} {
					var evs []fakeaws.LogEvent
					for i := 0; i < 20; i++ {
						evs = append(evs, fakeaws.LogEvent{Timestamp: ts + int64(i)*1000, IngestionTime: ts + 300_000, Message: fmt.Sprintf("%s %d", s, i)})
					}
					l.Put("g", s, evs...)
				}
				opts := []Option{WithStrategy(st), WithRateLimits(Limits{}), WithWindow(w0, w1), WithConcurrency(1)}
				if st == FilterLogEvents {
					// eni-a alone first: one batch, read to its end.
					src := New(c, "g", append(opts, WithENIs("eni-a"))...)
					all, _, err := collect(t, src, 0)
					if err != nil {
						t.Fatal(err)
					}
					checkLate(t, l, opts, src.Cursor(), all, true)
					return
				}
				src := New(c, "g", opts...)
				all, _, err := collect(t, src, 25) // eni-a done, eni-b started
				if err != nil {
					t.Fatal(err)
				}
				if p := src.Cursor().Streams["eni-a"]; p == nil || !p.Done {
					t.Fatalf("eni-a not finished: %+v", p)
				}
				checkLate(t, l, opts, src.Cursor(), all, false)
			})
		}
	}
}

func checkLate(t *testing.T, l *fakeaws.Logs, opts []Option, cur *Cursor, all map[key]int, onlyA bool) {
	t.Helper()
	b, _ := json.Marshal(cur)
	var saved Cursor
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatal(err)
	}
	ts := saved.StartMillis + 1000
	l.Put("g", "eni-a", fakeaws.LogEvent{Timestamp: ts + 500, IngestionTime: time.Now().UnixMilli(), Message: "reject late"})
	client := newClient(l)
	o := append([]Option(nil), opts...)
	if onlyA {
		o = append(o, WithENIs("eni-a"))
	}
	got, _, err := collect(t, New(client, "g", append(o, WithResume(&saved))...), 0)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range got {
		all[k] += v
	}
	sameMultiset(t, all, want(l, "g", func(s string, _ int64) bool { return !onlyA || s == "eni-a" }))
}

// TestDerivedIDsUniqueAcrossTimestamps: one PutLogEvents batch gives its
// events one ingestion time: two events alike but for their timestamps,
// ingested recently (so both go to Late), got one derived ID, and a resumed
// read took the second for the first, already delivered.
func TestDerivedIDsUniqueAcrossTimestamps(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	now := time.Now()
	w0 := now.Add(-time.Hour).Truncate(time.Minute)
	ing := now.UnixMilli()
	l.Put("g", "eni-a",
		fakeaws.LogEvent{Timestamp: w0.UnixMilli() + 1000, IngestionTime: ing, Message: "heartbeat"},
		fakeaws.LogEvent{Timestamp: w0.UnixMilli() + 2000, IngestionTime: ing, Message: "heartbeat"})
	opts := []Option{WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithWindow(w0, now)}
	src := New(c, "g", opts...)
	all, _, err := collect(t, src, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := collect(t, New(c, "g", append(opts, WithResume(src.Cursor()))...), 0)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range got {
		all[k] += v
	}
	sameMultiset(t, all, want(l, "g", nil))
}
