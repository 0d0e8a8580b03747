package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFileOverDirectory: writing over a directory failed with
// "rename DIR/.out.123456.tmp DIR/out: file exists": the temporary file's
// name, which means nothing to the user, and not what is wrong. The
// directory is left as it was, with no temporary file in it.
func TestWriteFileOverDirectory(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p, p + string(filepath.Separator)} {
		err := WriteFile(path, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err })
		if err == nil || strings.Contains(err.Error(), ".tmp") || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "is a directory") {
			t.Errorf("WriteFile(%q): %v; want an error naming it and saying it is a directory", path, err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		t.Errorf("the directory is gone: %v", err)
	}
}
