//go:build unix

package tmpfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCreateFollowsUmask: the file has the mode os.Create would give it,
// under any umask, and a new name each time.
func TestCreateFollowsUmask(t *testing.T) {
	dir := t.TempDir()
	for _, mask := range []int{0o022, 0o077, 0o002} {
		old := syscall.Umask(mask)
		f, err := Create(dir, ".x-", ".tmp")
		want, werr := os.Create(filepath.Join(dir, "direct"))
		syscall.Umask(old)
		if err != nil || werr != nil {
			t.Fatal(err, werr)
		}
		got, _ := f.Stat()
		ref, _ := want.Stat()
		f.Close()
		want.Close()
		os.Remove(want.Name())
		if got.Mode().Perm() != ref.Mode().Perm() {
			t.Errorf("umask %o: mode %v, os.Create's %v", mask, got.Mode().Perm(), ref.Mode().Perm())
		}
		if base := filepath.Base(f.Name()); !strings.HasPrefix(base, ".x-") || !strings.HasSuffix(base, ".tmp") {
			t.Errorf("name %s", base)
		}
	}
	a, _ := Create(dir, "", "")
	b, _ := Create(dir, "", "")
	defer a.Close()
	defer b.Close()
	if a.Name() == b.Name() {
		t.Errorf("the same name twice: %s", a.Name())
	}
}
