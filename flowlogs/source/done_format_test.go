package source

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestObjectDoneFormatNilWithoutLines: ObjectDone.Format's doc says "Nil when the object could not be opened or no
// line was read." An empty header-less file read with WithFormat has no
// line, so no format it was read in.
func TestObjectDoneFormatNilWithoutLines(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.log")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := flowlogs.ParseHeader("version interface-id start end log-status")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []ObjectDone
	err = Each(context.Background(), Files{empty}, func(_ Object, r *flowlogs.Reader) error {
		for r.Scan() {
		}
		return nil
	},
		WithReaderOptions(flowlogs.WithFormat(f)),
		WithObjectDone(func(d ObjectDone) { mu.Lock(); got = append(got, d); mu.Unlock() }))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("ObjectDone called %d times, want 1", len(got))
	}
	if got[0].Stats.Lines != 0 {
		t.Fatalf("Lines = %d, want 0", got[0].Stats.Lines)
	}
	if got[0].Format != nil {
		t.Errorf("ObjectDone.Format = %v for a file of no line, want nil", got[0].Format)
	}
}
