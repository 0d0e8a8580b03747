package cwlogs

import (
	"encoding/json"
	"testing"
)

// A cursor comes from a file: whatever it holds, loading it and admitting
// events must not panic, and an event is admitted at most once.
func FuzzCursor(f *testing.F) {
	f.Add([]byte(`{"logGroup":"g","strategy":"GetLogEvents","streams":{"a":{"ts":5,"ids":["x","y"]},"b":{"done":true},"c":null}}`), "a", int64(5), "x")
	f.Add([]byte(`{"streams":{}}`), "a", int64(0), "")
	f.Fuzz(func(t *testing.T, data []byte, stream string, ts int64, id string) {
		var c Cursor
		if json.Unmarshal(data, &c) != nil {
			return
		}
		_ = c.check("g", 0, 0, Auto)
		tr := newTracker(c.clone())
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
