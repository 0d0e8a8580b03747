package cwlogs

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// A cursor comes from a file: whatever it holds, loading it and admitting
// events must not panic, and an event is admitted at most once.
func FuzzCursor(f *testing.F) {
	f.Add([]byte(`{"logGroup":"g","strategy":"GetLogEvents","streams":{"a":{"ts":5,"ids":["x","y"]},"b":{"done":true},"c":null}}`), "a", int64(5), "x")
	f.Add([]byte(`{"streams":{}}`), "a", int64(0), "")
	// A position with a timestamp and no IDs (a tool that drops empty
	// arrays, a hand edit): the first event at that timestamp once panicked.
	f.Add([]byte(`{"logGroup":"g","strategy":"GetLogEvents","streams":{"a":{"ts":5}}}`), "a", int64(5), "x")
	f.Fuzz(func(t *testing.T, data []byte, stream string, ts int64, id string) {
		var c Cursor
		if json.Unmarshal(data, &c) != nil {
			return
		}
		_ = c.check("g", 0, 0, Auto)
		tr := newTracker(c.clone(), 0)
		ev := Event{Stream: stream, Timestamp: ts, ID: id}
		first := tr.admit(&ev)
		if tr.admit(&ev) {
			t.Fatalf("event admitted twice (first: %v)", first)
		}
		tr.done([]string{stream})
		if tr.admit(&ev) {
			t.Fatal("event admitted on a done stream")
		}
		if _, err := json.Marshal(tr.snapshot()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestResumeFromPositionWithoutIDs: a cursor file whose stream position has
// a timestamp but no "ids" (hand-edited, or rewritten by a tool that drops
// empty arrays) once panicked in tracker.admit on the event at that
// timestamp. Such a position says every earlier event was delivered and
// none at the timestamp, so the events at and after it come exactly once.
func TestResumeFromPositionWithoutIDs(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	ts := base.UnixMilli()
	l.Put("flows", "eni-a",
		fakeaws.LogEvent{Timestamp: ts - 1000, Message: "m0"},
		fakeaws.LogEvent{Timestamp: ts, Message: "m1"},
		fakeaws.LogEvent{Timestamp: ts + 1000, Message: "m2"})
	var cur Cursor
	if err := json.Unmarshal([]byte(`{"logGroup":"flows","strategy":"GetLogEvents","streams":{"eni-a":{"ts":`+
		strconv.FormatInt(ts, 10)+`}}}`), &cur); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic on a cursor position without ids: %v", r)
		}
	}()
	src := New(c, "flows", WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithResume(&cur))
	var got []string
	for ev, err := range src.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.Message)
	}
	if len(got) != 2 || got[0] != "m1" || got[1] != "m2" {
		t.Fatalf("resumed from {ts: %d} without ids: delivered %q; want [m1 m2]", ts, got)
	}
}
