package cli

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A file WriteFile replaces keeps its permissions: a report or cursor the
// user made private (0600) must not come back world-readable (0666 less
// the umask) after the next run rewrote it.
func TestWriteFileKeepsMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode after rewrite = %v, want -rw-------", fi.Mode())
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("content = %q", b)
	}
}

// TestWriteFileKeepsGroupMode: the same for a mode no umask gives a new
// file (0750: an execute bit, which a file created 0666 never has), so
// that the check does not hold by chance where the umask makes a new
// file 0600 (077) or 0640 (027) anyway.
func TestWriteFileKeepsGroupMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.csv")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o750 {
		t.Errorf("mode after rewrite = %v (%v), want -rwxr-x---", fi.Mode(), err)
	}
}
