package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOutputToDevice: `-html /dev/stdout` and `-partial /dev/null`
// (a link to a device, and a device) replaced the link or the device with
// a regular file (as root, /dev/null itself), and the pipe got nothing.
// Such an output is written through, and stays what it was.
func TestOutputToDevice(t *testing.T) {
	dir := t.TempDir()
	for _, flag := range []string{"-html", "-partial"} {
		link := filepath.Join(dir, "out"+flag)
		if err := os.Symlink(os.DevNull, link); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := runCode(t, "-q", flag, link); code != 0 {
			t.Fatalf("%s %s (a link to %s): exit %d: %s", flag, link, os.DevNull, code, stderr)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s %s, a link to %s, replaced the link with a file (%v, %v)", flag, link, os.DevNull, fi.Mode(), err)
		}
	}
}
