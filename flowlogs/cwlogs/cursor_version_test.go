package cwlogs

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// reviewFake is one stream with three events in the window [w0, now).
type reviewFake struct {
	c       *cloudwatchlogs.Client
	w0, now time.Time
}

func newReviewFake(t *testing.T) reviewFake {
	t.Helper()
	l, c := newFake(t, fakeaws.LogsOptions{})
	now := time.Now()
	w0 := now.Add(-time.Hour).Truncate(time.Minute)
	ts := w0.UnixMilli() + 1000
	l.Put("g", "eni-a",
		fakeaws.LogEvent{Timestamp: ts, IngestionTime: ts + 1000, Message: "x"},
		fakeaws.LogEvent{Timestamp: ts + 1000, IngestionTime: ts + 1000, Message: "y"},
		fakeaws.LogEvent{Timestamp: ts + 2000, IngestionTime: ts + 2000, Message: "z"})
	return reviewFake{c, w0, now}
}

// source reads the window, resuming from cur (nil: a fresh read).
func (f reviewFake) source(cur *Cursor) *Source {
	opts := []Option{WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithWindow(f.w0, f.now)}
	if cur != nil {
		opts = append(opts, WithResume(cur))
	}
	return New(f.c, "g", opts...)
}

// TestCursorCarriesVersion: a saved cursor says which version of
// the layout it is, so that a later ecsnet that changes it can tell.
func TestCursorCarriesVersion(t *testing.T) {
	src := newReviewFake(t).source(nil)
	if _, _, err := collect(t, src, 0); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(src.Cursor())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if got := string(m["cursorVersion"]); got != "1" || CursorVersion != 1 {
		t.Fatalf(`"cursorVersion": %q (CursorVersion %d) in %s; want 1`, got, CursorVersion, b)
	}
}

// TestCursorOfNewerVersion: a cursor a newer ecsnet saved may hold
// members this one does not know, which json.Unmarshal drops without a
// word (as a version before the Horizon dropped it, and took late events
// as delivered): WithResume refuses it, naming both versions, before any
// event is delivered.
func TestCursorOfNewerVersion(t *testing.T) {
	f := newReviewFake(t)
	saved := `{"cursorVersion":2,"logGroup":"g","startMillis":` + itoa(millis(f.w0)) + `,"endMillis":` + itoa(millis(f.now)) +
		`,"strategy":"GetLogEvents","streams":{"eni-a":{"ts":` + itoa(f.w0.UnixMilli()+1000) + `,"ids":["?"],"somethingNew":1}}}`
	var cur Cursor
	if err := json.Unmarshal([]byte(saved), &cur); err != nil {
		t.Fatal(err)
	}
	got, _, err := collect(t, f.source(&cur), 0)
	var ve *CursorVersionError
	if !errors.Is(err, ErrCursorVersion) || !errors.As(err, &ve) || ve.Version != 2 || ve.Reads != CursorVersion {
		t.Fatalf("err %v (%#v); want a *CursorVersionError of version 2 wrapping ErrCursorVersion", err, ve)
	}
	if want := "written by a newer ecsnet (cursor version 2; this one reads up to 1)"; !strings.Contains(err.Error(), want) {
		t.Errorf("err %q; want it to say %q", err, want)
	}
	if errors.Is(err, ErrCursorDamaged) || errors.Is(err, ErrCursorMismatch) {
		t.Errorf("err %v: a newer cursor is neither damaged nor another read's", err)
	}
	if len(got) != 0 {
		t.Errorf("delivered %v before refusing", got)
	}
	// A negative version no ecsnet writes: damaged.
	cur.Version = -1
	if _, _, err := collect(t, f.source(&cur), 0); !errors.Is(err, ErrCursorDamaged) {
		t.Errorf("version -1: err %v; want ErrCursorDamaged", err)
	}
}

// TestCursorWithoutVersion: a cursor saved before the version
// member (none: 0) resumes as it always did, and is saved again with
// this version's.
func TestCursorWithoutVersion(t *testing.T) {
	f := newReviewFake(t)
	first := f.source(nil)
	if _, n, err := collect(t, first, 1); err != nil || n != 1 {
		t.Fatalf("first read: %d events, %v", n, err)
	}
	cur := first.Cursor()
	cur.Version = 0
	b, err := json.Marshal(cur)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "cursorVersion") {
		t.Fatalf("a cursor of version 0 marshals with a version: %s", b)
	}
	var old Cursor
	if err := json.Unmarshal(b, &old); err != nil {
		t.Fatal(err)
	}
	src := f.source(&old)
	got, _, err := collect(t, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("resumed from a cursor without a version: %v; want the 2 events left", got)
	}
	if v := src.Cursor().Version; v != CursorVersion {
		t.Errorf("saved again with version %d; want %d", v, CursorVersion)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
