package main

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// counting counts the history cache's calls.
type counting struct {
	historyAPI
	mu          sync.Mutex
	heads, gets int
}

func (c *counting) HeadObject(ctx context.Context, in *s3.HeadObjectInput, o ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	c.mu.Lock()
	c.heads++
	c.mu.Unlock()
	return c.historyAPI.HeadObject(ctx, in, o...)
}

func (c *counting) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c.mu.Lock()
	c.gets++
	c.mu.Unlock()
	return c.historyAPI.GetObject(ctx, in, o...)
}

// TestHistoryCache checks the history is read once per warm container,
// re-read only when its ETag changes, through throttling and 5xx.
func TestHistoryCache(t *testing.T) {
	e := newEnv(t)
	e.f.Allow("s3:GetObject") // HeadObject and GetObject: the only action the cache needs
	e.f.SetFaults(fakeaws.Faults{ThrottleEvery: 2, ServerErrorEvery: 3, DropEvery: 5})
	c := &counting{historyAPI: e.c}
	h := &historyCache{client: c, bucket: stateBucket, key: historyKey}
	ctx := context.Background()
	first, err := h.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Tasks()) == 0 {
		t.Fatal("history has no tasks")
	}
	for range 5 {
		ix, err := h.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ix != first {
			t.Fatal("unchanged history was read again")
		}
	}
	if c.heads != 6 || c.gets != 1 || h.loads != 1 {
		t.Fatalf("6 invocations: %d HeadObject, %d GetObject, %d loads; want 6, 1, 1", c.heads, c.gets, h.loads)
	}
	if e.f.Faulted()["s3:GetObject"] == 0 {
		t.Fatalf("faults not exercised: %v", e.f.Faulted())
	}

	// The watcher appends: a new ETag, a new read.
	e.f.PutObject(stateBucket, historyKey, append(sampleHistory(t), sampleHistory(t)...))
	second, err := h.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second == first || h.loads != 2 || c.gets != 2 {
		t.Fatalf("changed history: loads %d, gets %d, new index %v", h.loads, c.gets, second != first)
	}
	if len(second.Tasks()) != len(first.Tasks()) {
		t.Fatalf("the same observations twice: %d tasks, want %d", len(second.Tasks()), len(first.Tasks()))
	}

	// A history that does not load is an error, not an empty index.
	for _, body := range []string{"", "{not json\n", `{"hello":"world"}` + "\n"} {
		e.f.PutObject(stateBucket, historyKey, []byte(body))
		if ix, err := h.Get(ctx); err == nil {
			t.Errorf("history %q: got an index of %d tasks, want an error", body, len(ix.Tasks()))
		}
	}
	e.f.SetFaults(fakeaws.Faults{})
	h2 := &historyCache{client: e.c, bucket: stateBucket, key: "history/none.jsonl"}
	if _, err := h2.Get(ctx); err == nil || !strings.Contains(err.Error(), "history/none.jsonl") {
		t.Fatalf("missing history file: %v", err)
	}
}
