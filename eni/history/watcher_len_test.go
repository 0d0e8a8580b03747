package history

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestWatcherLen: Len is the number of tasks Index holds, before the
// first poll, after it, and after Close.
func TestWatcherLen(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	fc.srv.SetFaults(fakeaws.Faults{})
	w := NewWatcher(fc.api, "prod", filepath.Join(t.TempDir(), "h.jsonl"))
	w.Now = func() time.Time { return at(5) }
	if w.Len() != 0 {
		t.Fatalf("Len %d before any poll", w.Len())
	}
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(w.Index().Tasks()); w.Len() != n || n != 2 {
		t.Fatalf("Len %d, Index holds %d tasks, want 2", w.Len(), n)
	}
	w.Close()
	if n := len(w.Index().Tasks()); w.Len() != n {
		t.Fatalf("after Close: Len %d, Index holds %d tasks", w.Len(), n)
	}
}
