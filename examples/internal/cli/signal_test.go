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

// TestSecondSignalKills: a program stuck where the context is not
// looked at (os.Open of a FIFO no one writes, given as -tasks; a hung
// network mount) could not be stopped: StopContext caught every SIGINT
// and SIGTERM until the program returned and called stop, so Ctrl-C,
// again and again, and timeout(1) did nothing, and only SIGKILL ended
// it. The first signal cancels the context; a second one kills, as
// StopContext's documentation says.
func TestSecondSignalKills(t *testing.T) {
	if os.Getenv("CLI_STOP_STUCK_CHILD") == "1" {
		ctx, stop := StopContext()
		defer stop()
		fmt.Println("ready")
		<-ctx.Done()
		fmt.Println("canceled")
		time.Sleep(time.Minute) // stuck, not looking at ctx
		fmt.Println("still running")
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send on Windows")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSignalKills$")
	cmd.Env = append(os.Environ(), "CLI_STOP_STUCK_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(out)
	for _, want := range []string{"ready", "canceled"} {
		if want == "canceled" {
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}
		if !lines.Scan() || lines.Text() != want {
			t.Fatalf("child: %q, %v; want %q", lines.Text(), lines.Err(), want)
		}
	}
	done := make(chan error, 1)
	go func() {
		for lines.Scan() {
		}
		done <- cmd.Wait()
	}()
	// The goroutine that unregisters the signals may run a moment after
	// the context is canceled: signal until the child goes.
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err == nil {
				t.Fatal("the child exited 0; want it killed by the second SIGTERM")
			}
			return
		case <-tick.C:
			cmd.Process.Signal(syscall.SIGTERM)
		case <-deadline:
			t.Fatal("the child still runs 10s after a second SIGTERM: stuck, it cannot be stopped but by SIGKILL")
		}
	}
}
