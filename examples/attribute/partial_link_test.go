package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPartialInInputThroughLink: -partial (and -merge -partial)
// refuse an output inside an input directory by comparing absolute path
// strings, so the same directory reached through a symbolic link (or,
// on a case-insensitive file system, spelled in another case) was not
// seen: the merged sum was written among its own parts, which the next
// -merge of that directory adds to them again.
func TestPartialInInputThroughLink(t *testing.T) {
	dir := t.TempDir()
	parts := filepath.Join(dir, "parts")
	if err := os.Mkdir(parts, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "alias")
	if err := os.Symlink(parts, link); err != nil {
		t.Skip(err)
	}
	if in := inputHolding(filepath.Join(link, "all.parquet"), []string{parts}); in != parts {
		t.Errorf("inputHolding(alias/all.parquet, [parts]) = %q, want %q", in, parts)
	}
	if in := inputHolding(filepath.Join(parts, "all.parquet"), []string{link}); in != link {
		t.Errorf("inputHolding(parts/all.parquet, [alias]) = %q, want %q", in, link)
	}
	// A file, through a link to its directory.
	f := writeFile(t, parts, "p.parquet", "x")
	if in := inputHolding(filepath.Join(link, "p.parquet"), []string{f}); in != f {
		t.Errorf("inputHolding(alias/p.parquet, [parts/p.parquet]) = %q, want %q", in, f)
	}
	// Beside, not in, is fine.
	if in := inputHolding(filepath.Join(dir, "all.parquet"), []string{link, f}); in != "" {
		t.Errorf("inputHolding(dir/all.parquet) = %q, want none", in)
	}
}
