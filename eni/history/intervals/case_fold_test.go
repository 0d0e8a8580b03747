package intervals

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// foldDir makes dir/cluster=lower a link to dir/cluster=upper: on Linux,
// what a file system that ignores case (macOS's APFS, Windows' NTFS) makes
// of the two names, one folder.
func foldDir(t *testing.T, dir, upper, lower string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "cluster="+upper), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("cluster="+upper, filepath.Join(dir, "cluster="+lower)); err != nil {
		t.Skip("no symbolic links:", err)
	}
}

// TestPartitionsFoldedByCase: two clusters whose names differ only
// by case ("Demo" and "demo", in two accounts) are two partitions, but on
// a file system that ignores case one folder: the second partition's file
// replaced the first's, its rows lost without a word. Refused instead.
func TestPartitionsFoldedByCase(t *testing.T) {
	rows := sampleRows(t)
	var upper []Row
	for _, r := range rows {
		if r.Cluster == "demo" {
			r.Cluster = "Demo"
			upper = append(upper, r)
		}
	}
	if len(upper) == 0 {
		t.Fatal("no rows of cluster prod in the sample")
	}
	dir := t.TempDir()
	foldDir(t, dir, "Demo", "demo")
	files, err := WritePartitioned(dir, append(slices.Clone(rows), upper...))
	if err == nil {
		t.Fatalf("wrote %q over one folder: want an error, not rows lost", files)
	}
	checkFoldRefused(t, dir, err)
}

// checkFoldRefused checks a write refused for clusters Demo and demo in
// one folder: the error names both partitions, and nothing was written,
// no temporary file left.
func checkFoldRefused(t *testing.T, dir string, err error) {
	t.Helper()
	if !strings.Contains(err.Error(), "cluster=Demo") || !strings.Contains(err.Error(), "cluster=demo") {
		t.Errorf("err = %v, want it to name both partitions", err)
	}
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Type()&os.ModeSymlink == 0 {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("files left: %q", left)
	}
}

// TestRewriteKeepsFoldedPartition: an earlier write made
// cluster=Demo; the rows now say "demo" (the cluster's name as read
// since). On a file system that ignores case the new partition is written
// into the earlier folder, which the clean-up of earlier partitions then
// listed as no partition of this write and removed: the file just written.
func TestRewriteKeepsFoldedPartition(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	var upper []Row
	for _, r := range rows {
		if r.Cluster == "demo" {
			r.Cluster = "Demo"
			upper = append(upper, r)
		}
	}
	if _, err := WritePartitioned(dir, upper); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("cluster=Demo", filepath.Join(dir, "cluster=demo")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	files, err := WritePartitioned(dir, rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("written, then removed: %v", err)
		}
	}
}
