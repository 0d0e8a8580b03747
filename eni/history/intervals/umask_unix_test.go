//go:build unix

package intervals

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestPartitionFilesFollowUmask: under a private umask (077) the
// partition files are as private as a file os.Create makes. A forced
// 0644 passed TestPartitionFilesReadable under the usual 022 and made
// them world-readable here; CreateTemp's 0600 failed it under 022.
func TestPartitionFilesFollowUmask(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	old := syscall.Umask(0o077)
	files, err := WritePartitioned(dir, rows)
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v under umask 077, want 0600 as os.Create gives", filepath.Base(p), fi.Mode().Perm())
		}
	}
}
