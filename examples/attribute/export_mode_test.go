package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestExportKeepsMode: -export -overwrite replaces the files of an
// earlier export as cli.WriteFile replaces a report: keeping the
// permissions the user gave them. history.parquet holds every task's
// ARN, addresses and interfaces; made private (chmod 600), it must not
// come back readable by others (0666 less the umask) after a rewrite.
func TestExportKeepsMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, "-export", dir, "-format", "json")
	private := filepath.Join(dir, "history.parquet")
	if err := os.Chmod(private, 0o600); err != nil {
		t.Fatal(err)
	}
	odd := filepath.Join(dir, "duckdb.sql")
	if err := os.Chmod(odd, 0o640); err != nil {
		t.Fatal(err)
	}
	runOut(t, "-export", dir, "-overwrite", "-format", "json")
	for name, want := range map[string]os.FileMode{private: 0o600, odd: 0o640} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v after -export -overwrite, want %v as it was", filepath.Base(name), got, want)
		}
	}
}
