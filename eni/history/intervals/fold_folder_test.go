package intervals

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestFoldedClusterOtherDate: clusters "Demo" and "demo" whose
// rows fall on different dates share the folder cluster=Demo on a file
// system that ignores case, as the documentation says ("clusters whose
// names differ only by case would share a folder: such a write is
// refused"), though no two files collide. Written, demo's rows lie in
// cluster=Demo/date=…: the partition value engines read from the path
// (DuckDB's and Spark's hive partitioning, Athena's enum projection of
// Tables.Clusters once the tree is synced to S3) is another cluster's.
func TestFoldedClusterOtherDate(t *testing.T) {
	rows := sampleRows(t)
	var in []Row
	for _, r := range rows {
		if r.Cluster != "demo" {
			continue
		}
		in = append(in, r)
		// The same rows, two days later, of cluster Demo.
		u := r
		u.Cluster = "Demo"
		shift := func(p *time.Time) *time.Time {
			if p == nil {
				return nil
			}
			v := p.Add(48 * time.Hour)
			return &v
		}
		u.Start, u.End = shift(r.Start), shift(r.End)
		in = append(in, u)
	}
	if len(in) == 0 {
		t.Fatal("no rows of cluster demo in the sample")
	}
	dir := t.TempDir()
	foldDir(t, dir, "Demo", "demo")
	files, err := WritePartitioned(dir, in)
	if err == nil {
		t.Fatalf("wrote %q: clusters Demo and demo in one folder; want the write refused", files)
	}
	checkFoldRefused(t, dir, err)
}

// TestWriteParquetBytesOfHandMadeRows: the rows WriteParquet
// writes are what its file holds, whichever of them were given without
// their version (0, made by hand): the same rows give the same bytes.
// Writing a run of versioned rows whole and the others a batch at a
// time moved the writer's calls, and with them the file's pages: rows
// read back equal, the bytes did not (a copy no longer told by its bytes,
// an upload made again).
func TestWriteParquetBytesOfHandMadeRows(t *testing.T) {
	rows, err := Build(largeHistory(t, 2000))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := WriteParquet(&want, rows); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 20 {
		in := slices.Clone(rows)
		p := float64(trial) / 20
		for i := range in {
			if r.Float64() < p {
				in[i].SchemaVersion = 0
			}
		}
		var got bytes.Buffer
		if err := WriteParquet(&got, in); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("trial %d (%.0f%% of %d rows without their version): %d bytes, not the %d of the same rows with it",
				trial, 100*p, len(in), got.Len(), want.Len())
		}
		for i := range in {
			if in[i].SchemaVersion != rows[i].SchemaVersion && in[i].SchemaVersion != 0 {
				t.Fatal("the caller's rows were changed")
			}
		}
	}
}
