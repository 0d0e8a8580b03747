package intervals

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRenameFailureKeepsEarlierSet: "a failure while writing
// leaves dir as the earlier write left it", but a rename that failed
// (here: a folder stands where a partition file goes, so rename(2)
// answers EISDIR) came after the partitions sorted before it had been
// renamed into place, and returned with the earlier write's partitions
// still there: a row that moved (its cluster learned since) was in both,
// read twice by every engine.
func TestRenameFailureKeepsEarlierSet(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	first := slices.Clone(rows)
	moved := slices.IndexFunc(first, func(r Row) bool { return r.Cluster != "" })
	first[moved].Cluster = ""
	if _, err := WritePartitioned(dir, first); err != nil {
		t.Fatal(err)
	}
	blocked := rows[moved]
	blocked.Cluster = "zzz"
	block := filepath.Join(dir, "cluster=zzz", "date="+PartitionDate(blocked), PartitionFile)
	if err := os.MkdirAll(block, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(block, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, dir)
	if _, err := WritePartitioned(dir, append(slices.Clone(rows), blocked)); err == nil {
		t.Fatal("the write over a folder did not fail")
	}
	if got := snapshot(t, dir); !maps.Equal(got, want) {
		t.Errorf("after a failed rename the directory holds %q, not the earlier write's %q",
			slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	if n := partitionRows(t, partitionFiles(dir)); n != len(first) {
		t.Errorf("%d rows in the partitions after the failed write, want the earlier write's %d", n, len(first))
	}
}
