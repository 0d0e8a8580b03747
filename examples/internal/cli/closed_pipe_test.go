package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

// TestClosedPipeOnWindows: `attribute | Select-Object -First 1` on
// Windows. A write to a pipe whose reader has gone fails there with
// ERROR_NO_DATA (232, "The pipe is being closed.") or ERROR_BROKEN_PIPE
// (109), never EPIPE, and there is no SIGPIPE: every program printed
// "write /dev/stdout: The pipe is being closed." and exited 1, where on
// Unix it ends quietly with 141.
func TestClosedPipeOnWindows(t *testing.T) {
	for _, errno := range []syscall.Errno{232, 109} {
		err := fmt.Errorf("writing the report: %w", &fs.PathError{Op: "write", Path: "/dev/stdout", Err: errno})
		if !brokenPipe(err, "windows") {
			t.Errorf("Errno(%d) on windows: not a closed pipe", errno)
		}
		// Joined with another failure, it is one to report, as on Unix.
		if brokenPipe(errors.Join(err, errors.New("saving the cursor: disk full")), "windows") {
			t.Errorf("Errno(%d) joined with another error: a closed pipe alone", errno)
		}
	}
	ep := &fs.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		if !brokenPipe(ep, goos) {
			t.Errorf("EPIPE on %s: not a closed pipe", goos)
		}
	}
	// Errno values mean other things on Unix: not taken there.
	if brokenPipe(&fs.PathError{Op: "write", Path: "x", Err: syscall.Errno(109)}, "linux") {
		t.Error("Errno(109) on linux taken for a closed pipe")
	}
	var out bytes.Buffer
	if code := Code("x", ep, &out); code != 141 || out.Len() > 0 {
		t.Errorf("Code(EPIPE) = %d, %q; want 141 and no word", code, out.String())
	}
}
