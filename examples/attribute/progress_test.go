package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// TestProgressWithinObject: the progress line counts an object's
// bytes as they are read. It counted each object only when its read
// ended, so one large file (a day's records in one object, -export's
// flowlogs.parquet) showed no line at all until its read was over.
func TestProgressWithinObject(t *testing.T) {
	defer cli.AsTerminal()()
	name := filepath.Join(t.TempDir(), "flows.log")
	if err := os.WriteFile(name, bytes.Repeat([]byte("x"), 100<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	p := cli.NewProgress(&b, "flow logs", false)
	src := source.Files{name}
	objs, err := src.List(context.Background())
	if err != nil || len(objs) != 1 {
		t.Fatal(objs, err)
	}
	p.Total(1, objs[0].Size)
	counted, rest := countBytes(src, p)
	rc, err := counted.Open(context.Background(), objs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, ok := rc.(io.ReaderAt); !ok {
		t.Error("a local file opened counted is no io.ReaderAt: a Parquet file would be read into memory")
	}
	if _, err := io.ReadFull(rc, make([]byte, 40<<10)); err != nil {
		t.Fatal(err)
	}
	p.Done()
	if want := "flow logs: 0/1 objects, 0 records, 40.0 KiB of 100.0 KiB"; !strings.Contains(b.String(), want) {
		t.Errorf("progress %q; want %q while the object is read", b.String(), want)
	}
	if r := rest(objs[0]); r != 60<<10 {
		t.Errorf("rest %d, want the %d bytes not yet read", r, 60<<10)
	}

	// Without a line, the source is read as it is.
	plain, rest := countBytes(src, nil)
	if _, ok := plain.(source.Files); !ok || rest(objs[0]) != 100<<10 {
		t.Errorf("countBytes without a line gave %T and rest %d", plain, rest(objs[0]))
	}
}

// TestProgressEndsWithSizes: counting bytes as they are read, the
// last line still counts each object's size once, text and Parquet
// alike: a Parquet reader reads some bytes twice and some columns not at
// all.
func TestProgressEndsWithSizes(t *testing.T) {
	defer cli.AsTerminal()()
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, "-export", dir, "-format", "csv")
	fi, err := os.Stat(filepath.Join(dir, "flowlogs.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	_, stderr := runOut(t, "-tasks", "sample/tasks", "-flowlogs", filepath.Join(dir, "flowlogs.parquet"), "-format", "csv")
	lines := strings.Split(stderr, "\r")
	last := lines[len(lines)-1]
	size := cli.Bytes(fi.Size())
	if want := "flow logs: 1/1 objects, 2047 records, " + size + " of " + size; !strings.HasPrefix(last, want) {
		t.Errorf("last progress line %q; want %q", last, want)
	}
}

// TestProgressDrawnWithinObject: through the program, the line shows an
// object's bytes while it is read (drawn at every count here,
// cli.DrawEveryAdd): -export's flowlogs.parquet read back as the only
// input drew nothing until its read was over.
func TestProgressDrawnWithinObject(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, "-export", dir, "-format", "csv")
	defer cli.AsTerminal()()
	defer cli.DrawEveryAdd()()
	_, stderr := runOut(t, "-tasks", "sample/tasks", "-flowlogs", filepath.Join(dir, "flowlogs.parquet"), "-format", "csv")
	within := false
	for _, l := range strings.Split(stderr, "\r") {
		if strings.HasPrefix(l, "flow logs: 0/1 objects, 0 records, ") && !strings.HasPrefix(l, "flow logs: 0/1 objects, 0 records, 0 B") {
			within = true
		}
	}
	if !within {
		t.Errorf("no line drawn with bytes of the object being read:\n%q", stderr)
	}
}

// TestExportProgressHasTotal: -export reads every object again, and its
// line says of how many bytes, with an ETA, as the first read's does (it
// had no total: no "of", no ETA).
func TestExportProgressHasTotal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	runOut(t, "-export", dir, "-format", "csv")
	defer cli.AsTerminal()()
	_, stderr := runOut(t, "-tasks", "sample/tasks", "-flowlogs", filepath.Join(dir, "flowlogs.parquet"), "-export", filepath.Join(t.TempDir(), "again"), "-format", "csv")
	fi, err := os.Stat(filepath.Join(dir, "flowlogs.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	size := cli.Bytes(fi.Size())
	if want := "export: 1/1 objects, 2047 records, " + size + " of " + size; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q; want the export's line with its total, %q", stderr, want)
	}
}
