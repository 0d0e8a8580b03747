package cwlogs

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLegacyDerivedIDs: a cursor saved before derived IDs carried the
// timestamp still resumes exactly: its IDs at the position and in Late are
// recognised.
func TestLegacyDerivedIDs(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	now := time.Now()
	w0 := now.Add(-time.Hour).Truncate(time.Minute)
	ts := w0.UnixMilli() + 1000
	ing := now.UnixMilli()
	l.Put("g", "eni-a",
		fakeaws.LogEvent{Timestamp: ts - 500, IngestionTime: ing, Message: "late"},
		fakeaws.LogEvent{Timestamp: ts, IngestionTime: ts + 1000, Message: "x"},
		fakeaws.LogEvent{Timestamp: ts, IngestionTime: ts + 1000, Message: "y"},
		fakeaws.LogEvent{Timestamp: ts + 1000, IngestionTime: ts + 1000, Message: "z"})
	legacy := func(ev Event) string { // the ID an earlier version derived
		id := (&idDeriver{}).id(&ev)
		return legacyID(id)
	}
	x := legacy(Event{Timestamp: ts, IngestionTime: ts + 1000, Message: "x"})
	late := legacy(Event{Timestamp: ts - 500, IngestionTime: ing, Message: "late"})
	if x == "" || late == "" {
		t.Fatal("no legacy ID")
	}
	cur := &Cursor{LogGroup: "g", StartMillis: millis(w0), EndMillis: millis(now), Strategy: GetLogEvents,
		Streams: map[string]*StreamPosition{"eni-a": {Timestamp: ts, EventIDs: []string{x}, Horizon: ing - 1, Late: []string{late}}}}
	got, _, err := collect(t, New(c, "g", WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithWindow(w0, now), WithResume(cur)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[key{"eni-a", ts, ts + 1000, "y"}] != 1 || got[key{"eni-a", ts + 1000, ts + 1000, "z"}] != 1 {
		t.Fatalf("resumed from a legacy cursor: %v; want y and z once", got)
	}
}
