package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommittedSampleIsCurrent regenerates the sample and compares it with
// the committed copy that examples/attribute embeds, file by file: the same
// names, and the same bytes once .gz files are decompressed. The gzip bytes
// themselves are not compared: compress/flate's output is not covered by
// Go's compatibility promise, and a toolchain that compresses differently
// has not changed the sample.
func TestCommittedSampleIsCurrent(t *testing.T) {
	dir := t.TempDir()
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "sample")
	count := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want, err := content(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("%s: not committed (go run ./examples/attribute/internal/gensample): %v", rel, err)
			return nil
		}
		got, err := content(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output: regenerate and commit", rel)
		}
		count++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var committedCount int
	filepath.WalkDir(committed, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			committedCount++
		}
		return nil
	})
	if committedCount != count {
		t.Errorf("%d files committed, generator writes %d", committedCount, count)
	}
}

// content returns the file's bytes, decompressed if its name ends in .gz.
func content(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil || filepath.Ext(name) != ".gz" {
		return data, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return body, nil
}

// TestOutIsOnlyAPreviousSample: -out is replaced only when it holds a
// sample gensample wrote (of this version or an earlier one) and nothing
// else; anything else is refused and left as it was, and so are
// arguments that are not flags.
func TestOutIsOnlyAPreviousSample(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base) // where a relative -out, or an empty one, would write
	file := filepath.Join(base, "one.log")
	if err := os.WriteFile(file, []byte("a user's file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mixed := filepath.Join(base, "mixed")
	if err := write(mixed); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(mixed, "tasks", "notes.json")
	if err := os.WriteFile(notes, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(base, "elsewhere")
	if err := os.MkdirAll(filepath.Join(elsewhere, "flowlogs", "AWSLogs", "999999999999"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
		kept string // a file that must be left as it was
	}{
		{[]string{"-out", file}, "-out " + file + ": not a directory", file},
		{[]string{"-out", mixed}, "-out " + mixed + ": holds " + notes + ", which gensample does not write", notes},
		{[]string{"-out", elsewhere}, "-out " + elsewhere + ": holds " + filepath.Join(elsewhere, "flowlogs", "AWSLogs", "999999999999") + ", which gensample does not write", ""},
		{[]string{"-out", base}, "-out " + base + ": holds " + filepath.Join(base, "elsewhere") + ", which gensample does not write", file},
		{[]string{"-out", filepath.Join(base, "new"), "extra"}, `unexpected argument "extra"`, ""},
		{[]string{"-out", ""}, "-out: empty", ""},
	} {
		var before []byte
		if c.kept != "" {
			before, _ = os.ReadFile(c.kept)
		}
		var stderr bytes.Buffer
		err := run(c.args, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.args, err, c.want)
		}
		if c.kept != "" {
			if after, err := os.ReadFile(c.kept); err != nil || !bytes.Equal(after, before) {
				t.Errorf("%q: %s not kept: %v", c.args, c.kept, err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(base, "new")); err == nil {
		t.Errorf("a refused run wrote its sample")
	}

	// A new directory, an empty one, and a previous sample (one of
	// whose flow-log files an earlier version named otherwise) are
	// written, each to the same files.
	empty := filepath.Join(base, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	previous := filepath.Join(base, "previous")
	if err := write(previous); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(previous, "flowlogs", "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "11", "24",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261124T1000Z_00000000.log.gz")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	reference := t.TempDir()
	if err := write(reference); err != nil {
		t.Fatal(err)
	}
	want := listing(t, reference)
	for _, dir := range []string{filepath.Join(base, "fresh"), empty, previous} {
		var stderr bytes.Buffer
		if err := run([]string{"-out", dir}, &stderr); err != nil {
			t.Fatalf("-out %s: %v", dir, err)
		}
		if got := listing(t, dir); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("-out %s wrote:\n%s\nwant:\n%s", dir, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// listing returns the files under dir, relative, in order.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
