package cli

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStopContext: SIGTERM, what timeout(1), systemd and Kubernetes send,
// cancels the context as Ctrl-C does, so that cwlogs saves its -cursor.
// cwlogs stopped only on Ctrl-C: a SIGTERM killed it with its position
// unsaved. Run in a child process (this test binary), which waits for the
// context to end.
func TestStopContext(t *testing.T) {
	if os.Getenv("CLI_STOP_CHILD") == "1" {
		ctx, stop := StopContext()
		defer stop()
		fmt.Println("ready")
		select {
		case <-ctx.Done():
			fmt.Println("stopped cleanly")
		case <-time.After(time.Minute):
			fmt.Println("no signal")
		}
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send on Windows")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStopContext$")
	cmd.Env = append(os.Environ(), "CLI_STOP_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "ready" {
		cmd.Process.Kill()
		t.Fatalf("child: %q, %v", lines.Text(), lines.Err())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	for lines.Scan() {
		rest.WriteString(lines.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil || !strings.Contains(rest.String(), "stopped cleanly") {
		t.Errorf("after SIGTERM: %v, output %q; want the context canceled", err, rest.String())
	}
}
