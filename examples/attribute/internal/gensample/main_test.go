package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedSampleIsCurrent regenerates the sample and compares it with
// the committed copy that examples/attribute embeds, file by file: the same
// names, and the same bytes once .gz files are decompressed. The gzip bytes
// themselves are not compared: compress/flate's output is not covered by
// Go's compatibility promise, and a toolchain that compresses differently
// has not changed the sample.
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
		want, err := content(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("%s: not committed (go run ./examples/attribute/internal/gensample): %v", rel, err)
			return nil
		}
		got, err := content(p)
		if err != nil {
			t.Fatal(err)
		}
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

// content returns the file's bytes, decompressed if its name ends in .gz.
func content(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil || filepath.Ext(name) != ".gz" {
		return data, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return body, nil
}
