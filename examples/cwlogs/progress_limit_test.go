package main

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestNoLimitYet: a read that fails before it chooses a strategy
// has no rate limit yet, and its line says none; it drew "Auto: streams
// 0/0 … limit 0.0/s", which reads as no request allowed. A read that
// chose one still shows its limit.
func TestNoLimitYet(t *testing.T) {
	c, _ := fakes(t)
	defer cli.AsTerminal()()
	code, _, stderr := runCode(t, c, append([]string{"-log-group", "missing", "-log-format", flowlogs.DefaultFormat.String()}, window...)...)
	if code != 1 || !strings.Contains(stderr, "\rAuto: streams 0/0") || strings.Contains(stderr, "limit") {
		t.Errorf("exit %d, stderr %q; want 1 and the Auto line without a limit", code, stderr)
	}
	code, _, stderr = runCode(t, c, append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String()}, window...)...)
	last := stderr[strings.LastIndex(stderr, "\r")+1:]
	if code != 0 || !strings.Contains(last, "  limit ") || strings.Contains(last, "limit 0.0/s") {
		t.Errorf("exit %d, last line %q; want the read's limit", code, last)
	}
}
