package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedSampleIsCurrent regenerates the sample and compares it with
// the committed copy that examples/attribute embeds, file by file.
func TestCommittedSampleIsCurrent(t *testing.T) {
	dir := t.TempDir()
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "sample")
	count := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("%s: not committed (go run ./examples/attribute/internal/gensample): %v", rel, err)
			return nil
		}
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output: regenerate and commit", rel)
		}
		count++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var committedCount int
	filepath.WalkDir(committed, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			committedCount++
		}
		return nil
	})
	if committedCount != count {
		t.Errorf("%d files committed, generator writes %d", committedCount, count)
	}
}
