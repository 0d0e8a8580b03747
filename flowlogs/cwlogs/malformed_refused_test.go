package cwlogs

import (
	"context"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestRefusedReadKeepsMalformed: a second Records call while a read runs
// is refused ("already reading") and leaves the running read's malformed
// events alone; it cleared them before learning it was refused.
func TestRefusedReadKeepsMalformed(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	fill(l, "flows", 1, 30)
	l.Put("flows", eniName(0), fakeaws.LogEvent{Timestamp: base.UnixMilli() + 1, Message: "2 123456789012 eni-x 10.0.0.1 10.0.0.2 1 2 6 1 notanumber 1 2 ACCEPT OK"})
	src := New(c, "flows", WithRateLimits(Limits{}), WithReaderOptions(flowlogs.WithLenient(5)))
	n := 0
	for _, err := range src.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 20 { // the malformed event (second of the stream) is behind
			for _, err := range src.Records(context.Background()) {
				if err == nil || !strings.Contains(err.Error(), "already reading") {
					t.Fatalf("a second read while one runs: %v", err)
				}
			}
			if m := src.Malformed(); len(m) != 1 {
				t.Fatalf("after a refused second read: %d malformed kept, want the running read's 1", len(m))
			}
		}
	}
	if m := src.Malformed(); len(m) != 1 {
		t.Fatalf("after the read: %d malformed kept, want 1", len(m))
	}
}
