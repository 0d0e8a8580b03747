package history

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadBack measures reading a long history file back, as
// `record -once` does on every run (Watcher.Open: recover, one
// decodeLine a line) and as examples/attribute -tasks does
// (Builder.LoadFiles), without the Index: the file is the Watcher's file
// of a platform-scale cluster (newLargeCluster, 10,000 tasks, ~22 MB).
func BenchmarkReadBack(b *testing.B) {
	rc := newLargeCluster(b, 10000)
	path := filepath.Join(b.TempDir(), "history.jsonl")
	if err := os.WriteFile(path, rc.history, 0o600); err != nil {
		b.Fatal(err)
	}
	tasks, size := rc.Tasks, int64(len(rc.history))
	arn := rc.ClusterARN
	rc = nil
	b.Run("Open", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			w := NewWatcher(nil, arn, path)
			rec, err := w.Open()
			if err != nil {
				b.Fatal(err)
			}
			if rec.Dropped != 0 || w.Len() != tasks {
				b.Fatalf("%+v, %d tasks, want %d", rec, w.Len(), tasks)
			}
			w.Close()
		}
	})
	b.Run("LoadFiles", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			bl := NewBuilder()
			if _, err := bl.LoadFiles(path); err != nil {
				b.Fatal(err)
			}
			if bl.Len() != tasks {
				b.Fatalf("%d tasks, want %d", bl.Len(), tasks)
			}
		}
	})
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	// decodeLine alone, line by line, without the Builder.
	b.Run("decodeLine", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			rest, n := data, 0
			for len(rest) > 0 {
				i := bytes.IndexByte(rest, '\n')
				n++
				if _, _, err := decodeLine(rest[:i+1], n, "h"); err != nil {
					b.Fatal(err)
				}
				rest = rest[i+1:]
			}
		}
	})
}
