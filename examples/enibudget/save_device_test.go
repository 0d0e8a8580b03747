//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSaveToDevice: `-save /dev/stdout` (a symlink to a pipe) and
// `-save /dev/null` are how a script sends an output file down a pipe or
// throws it away. The output was written beside the path and renamed
// over it, so the link or the device itself was replaced by a regular
// file holding the snapshot (as root, in a CI container: /dev/null gone),
// and nothing reached the pipe. An output that is not a regular file is
// written through, and stays what it was.
func TestSaveToDevice(t *testing.T) {
	dir := t.TempDir()

	// /dev/stdout: a symlink to a file that is no regular file.
	link := filepath.Join(dir, "stdout")
	if err := os.Symlink(os.DevNull, link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runExit("-q", "-save", link); code != 0 {
		t.Fatalf("-save %s (a link to %s): exit %d: %s", link, os.DevNull, code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("-save %s, a link to %s, replaced the link with a file (%v, %v)", link, os.DevNull, fi.Mode(), err)
	}

	// A named pipe: its reader gets the snapshot.
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes:", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	code, _, stderr := runExit("-q", "-save", fifo)
	fi, err := os.Lstat(fifo)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("-save to a named pipe: exit %d (%s), and the pipe was replaced by a file (%v, %v)", code, stderr, fi.Mode(), err)
	}
	if code != 0 {
		t.Fatalf("-save to a named pipe: exit %d: %s", code, stderr)
	}
	select {
	case s := <-got:
		if !strings.Contains(s, `"cluster"`) {
			t.Errorf("the pipe's reader got %q, want the snapshot", s)
		}
	case <-time.After(10 * time.Second):
		t.Error("the pipe's reader got nothing")
	}
}
