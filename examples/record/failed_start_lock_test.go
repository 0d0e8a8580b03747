//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
)

// TestFailedStartRemovesFileLocked: a new history file whose first poll
// failed was closed (its lock released) before it was removed. A record
// started in between could open it, lock it and append its polls to a
// file then removed from the directory: all it recorded, lost. The file
// is removed while it is still locked.
func TestFailedStartRemovesFileLocked(t *testing.T) {
	startFakes(t)
	file := filepath.Join(t.TempDir(), "h.jsonl")
	var removes int
	var lockErr error
	removeFile = func(name string) error {
		removes++
		if removes == 1 {
			w := history.NewWatcher(nil, "nope", name)
			_, lockErr = w.Open()
			w.Close()
		}
		return os.Remove(name)
	}
	defer func() { removeFile = os.Remove }()
	code, _, stderr := runCode(t, context.Background(), "-cluster", "nope", "-file", file, "-once")
	if code != 1 || removes == 0 {
		t.Fatalf("exit %d, %d removes; stderr %s", code, removes, stderr)
	}
	if !errors.Is(lockErr, history.ErrInUse) {
		t.Errorf("a second Watcher opening the file at its removal: %v; want %v", lockErr, history.ErrInUse)
	}
}
