package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// StopSignals stop a program cleanly: its context is canceled, so that it
// saves what it must (cwlogs its -cursor, record its last poll) and
// leaves no half-written file. Ctrl-C, and SIGTERM, which timeout(1),
// systemd, Kubernetes and ECS itself send to stop a process.
var StopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// StopContext returns a context canceled by the first of StopSignals; a
// second one kills the program as usual: once the context is canceled,
// the signals are no longer caught, so that a program stuck where it does
// not look at the context (opening a FIFO no one writes, a hung network
// mount) can still be stopped.
func StopContext() (ctx context.Context, stop context.CancelFunc) {
	ctx, stop = signal.NotifyContext(context.Background(), StopSignals...)
	go func() {
		<-ctx.Done()
		stop() // idempotent: unregisters the signals
	}()
	return ctx, stop
}
