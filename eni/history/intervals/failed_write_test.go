package intervals

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPartitionedFailedWriteKeepsEarlierSet: a WritePartitioned
// that fails part of the way (a full disk, an I/O error, here a partition
// whose directory cannot be made) once left the partitions it had written
// beside the earlier write's it had not yet removed. A row that moved
// between partitions (its cluster learned since) was then in both, and
// every engine read it twice. Every file is now written under a temporary
// name first: a failure leaves the earlier write's set as it was, and no
// temporary file behind, nor a folder it made.
func TestPartitionedFailedWriteKeepsEarlierSet(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	// The first write: one row's cluster not known yet.
	first := slices.Clone(rows)
	moved := slices.IndexFunc(first, func(r Row) bool { return r.Cluster != "" })
	first[moved].Cluster = ""
	before, err := WritePartitioned(dir, first)
	if err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, dir)

	// The second: the cluster is known, and a partition that sorts after
	// the moved row's cannot be written (a file stands where its
	// cluster= directory would be).
	blocked := rows[moved]
	blocked.Cluster = "zzz"
	if err := os.WriteFile(filepath.Join(dir, "cluster=zzz"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// And a partition of a cluster new to dir, written before the blocked
	// one: its folders must go too.
	fresh := rows[moved]
	fresh.Cluster = "new"
	if _, err := WritePartitioned(dir, append(slices.Clone(rows), fresh, blocked)); err == nil {
		t.Fatal("the write into a blocked partition did not fail")
	}
	if got := snapshot(t, dir); !maps.Equal(got, want) {
		t.Errorf("after a failed write the directory holds %q, not the earlier write's files %q as they were",
			slices.Sorted(maps.Keys(got)), before)
	}
	if n := partitionRows(t, partitionFiles(dir)); n != len(first) {
		t.Errorf("%d rows in the partitions after the failed write, want the earlier write's %d (a row read twice)", n, len(first))
	}
}

// snapshot is every file under dir (but the blocking one) with its
// bytes, and every folder, as "folder".
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || strings.HasSuffix(p, "cluster=zzz") {
			return err
		}
		if d.IsDir() {
			out[p] = "folder"
			return nil
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPartitionFoldersRemoved: the folders of a partition an earlier
// write made and this one does not stayed behind, empty, once its file
// was removed (and a failed write left the folders it had made): engines
// that list partitions rather than files list them. They are removed
// once empty; a folder that holds anything else is left.
func TestPartitionFoldersRemoved(t *testing.T) {
	rows := sampleRows(t)
	relabel := func(cluster string) []Row {
		out := slices.Clone(rows)
		for i := range out {
			out[i].Cluster = cluster
		}
		return out
	}
	dir := t.TempDir()
	if _, err := WritePartitioned(dir, relabel("a")); err != nil {
		t.Fatal(err)
	}
	files, err := WritePartitioned(dir, relabel("b"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cluster=a")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("cluster=a, whose partitions the second write removed, is still there (%v)", err)
	}
	// A user's own file keeps its folder.
	keep := filepath.Join(filepath.Dir(files[0]), "notes.txt")
	if err := os.WriteFile(keep, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WritePartitioned(dir, relabel("c")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file of the user's beside a removed partition: %v", err)
	}
	if got := len(partitionFiles(dir)); got == 0 || got != len(files) {
		t.Errorf("%d partition files after the third write, want %d", got, len(files))
	}
}

// TestPartitionFilesReadable: the partition files were the
// temporary files' 0600 (os.CreateTemp's mode) renamed into place, so an
// engine or a sync run by another user could not read the layout; they
// have the mode os.Create gives a file (0666 less the umask), as the
// examples' -export files do.
func TestPartitionFilesReadable(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	files, err := WritePartitioned(dir, rows)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := os.Create(filepath.Join(dir, "direct"))
	if err != nil {
		t.Fatal(err)
	}
	direct.Close()
	ref, err := os.Stat(direct.Name())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != ref.Mode().Perm() {
			t.Errorf("%s: mode %v, want os.Create's %v", p, fi.Mode().Perm(), ref.Mode().Perm())
		}
	}
}
