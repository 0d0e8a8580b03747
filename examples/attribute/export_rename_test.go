package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestFailedRenameKeepsEarlierExport: an export over an earlier
// one (-overwrite) whose last staged file cannot be renamed into place
// (a folder stands at DIR/athena.sql: rename(2) answers EISDIR) had by
// then replaced intervals/ and the files renamed before it, and so left
// a new history beside the earlier export's script, which the export's
// staging exists to prevent.
func TestFailedRenameKeepsEarlierExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, "-export", dir, "-format", "json")
	if err := os.Remove(filepath.Join(dir, "athena.sql")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "athena.sql", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := func() map[string]os.FileInfo {
		m := map[string]os.FileInfo{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			fi, err := os.Stat(p)
			m[p] = fi
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := files()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-export", dir, "-overwrite", "-format", "json"}, &out, &errOut); err == nil {
		t.Fatal("an export over a folder at athena.sql did not fail")
	}
	after := files()
	for p, fi := range after {
		if b, ok := before[p]; !ok {
			t.Errorf("%s left behind by the failed export", p)
		} else if !os.SameFile(b, fi) {
			t.Errorf("%s was replaced by the failed export", p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("%s removed by the failed export", p)
		}
	}
}
