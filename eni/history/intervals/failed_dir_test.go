package intervals

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFailedWriteRemovesTheFolderItMade: a failed WritePartitioned
// removes the partition folders it made, "so that a failed write leaves
// dir as it was, folders too", but not dir itself when the write made it
// (attribute -export writes into DIR/intervals): the empty folder stayed,
// and the next -export into DIR was refused as not empty.
func TestFailedWriteRemovesTheFolderItMade(t *testing.T) {
	rows := sampleRows(t)
	bad := slices.Clone(rows)
	for i := range bad {
		bad[i].Cluster = "b"
	}
	// A cluster name no file system takes as a folder name: its
	// partition cannot be written.
	long := bad[0]
	long.Cluster = strings.Repeat("z", 300)
	dir := filepath.Join(t.TempDir(), "export", "intervals")
	if _, err := WritePartitioned(dir, append(bad, long)); err == nil {
		t.Fatal("the write of an impossible partition did not fail")
	}
	if _, err := os.Lstat(filepath.Dir(dir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s after a failed write that made it: %v; want it gone", filepath.Dir(dir), err)
	}
}
