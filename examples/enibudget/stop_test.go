package main

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStopSignal: a live -cluster read of a large cluster takes minutes,
// and enibudget stops on Ctrl-C and SIGTERM as attribute, cwlogs and
// record do (cli.StopContext): its read is canceled, it says so and exits
// 1, and -save is not left half-made. It was killed by the signal
// itself, without a word. Run in a child process (this test binary)
// whose ECS endpoint answers nothing until the signal.
func TestStopSignal(t *testing.T) {
	if os.Getenv("ENIBUDGET_STOP_CHILD") == "1" {
		os.Args = []string{"enibudget", "-cluster", "live", "-q", "-save", os.Getenv("ENIBUDGET_STOP_SAVE")}
		main()
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send on Windows")
	}
	asked, release := make(chan struct{}, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	liveEnv(t, srv.URL, srv.URL)
	dir := t.TempDir()
	save := filepath.Join(dir, "saved.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestStopSignal$")
	cmd.Env = append(os.Environ(), "ENIBUDGET_STOP_CHILD=1", "ENIBUDGET_STOP_SAVE="+save)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-asked:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatalf("the child never asked ECS: %s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("after SIGTERM: %v, stderr %q; want exit 1 and the canceled read said", err, stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in -save's directory: %v", entries)
	}
}
