package cli

import (
	"errors"
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

// TestWriteFileErrorsNamePath: a write, sync or close failing on the
// temporary file said "sync DIR/.out.123.tmp: ...": a name that means
// nothing to the user, of a file already removed. Each names the path.
func TestWriteFileErrorsNamePath(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	for name, write := range map[string]func(w io.Writer) error{
		// A closed file fails the next write, sync or close as a full disk
		// would: with an *os.PathError naming the file.
		"write": func(w io.Writer) error {
			w.(*os.File).Close()
			_, err := w.Write([]byte("x"))
			return err
		},
		"sync": func(w io.Writer) error { return w.(*os.File).Close() },
	} {
		err := WriteFile(p, write)
		if err == nil || strings.Contains(err.Error(), ".tmp") || strings.Count(err.Error(), p) != 1 || !errors.Is(err, os.ErrClosed) {
			t.Errorf("%s: %v; want an error naming %s once, wrapping os.ErrClosed", name, err, p)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("%s exists after failed writes: %v", p, err)
	}
	// A report's own error names the path before it.
	mine := errors.New("template: bad")
	if err := WriteFile(p, func(io.Writer) error { return mine }); !errors.Is(err, mine) || !strings.HasPrefix(err.Error(), p+": ") {
		t.Errorf("own error: %v", err)
	}
}

// TestWriteFilePanicLeavesNoTemporaryFile: a write that panicked left its
// temporary file (open, and in the directory) for a caller that
// recovers the panic and goes on.
func TestWriteFilePanicLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic was not raised")
			}
		}()
		WriteFile(filepath.Join(dir, "out"), func(w io.Writer) error { panic("report bug") })
	}()
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
}
