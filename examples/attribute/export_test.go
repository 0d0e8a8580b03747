package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -export writes its five files and refuses to write over a directory that
// is not empty, unless told to. That duckdb.sql gives -format json's
// numbers is proved in the nested module sqltest, which runs DuckDB.
func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	_, stderr := runOut(t, "-export", dir, "-format", "json")
	if !strings.Contains(stderr, "exported") {
		t.Errorf("stderr %q does not say what was exported", stderr)
	}
	for _, name := range exportFiles {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	sql, err := os.ReadFile(filepath.Join(dir, "duckdb.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sql, []byte("read_parquet('flowlogs.parquet')")) {
		t.Errorf("duckdb.sql does not read the exported files by relative path")
	}
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"-export", dir}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "not empty") || out.Len() > 0 {
		t.Errorf("a second export into %s: err %v, %d bytes of report", dir, err, out.Len())
	}
	runOut(t, "-export", dir, "-overwrite")
	if err := run(context.Background(), []string{"-overwrite"}, &out, &errOut); err == nil {
		t.Error("-overwrite without -export is accepted")
	}
	matches, err := filepath.Glob(filepath.Join(dir, ".*"))
	if err != nil || len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}
