package main

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLenientFirstQuoted: -lenient's first malformed event is
// named by its stream, CloudWatch Logs' text (the parser quotes the
// value, not the name): an OSC sequence in it reached the terminal raw.
func TestLenientFirstQuoted(t *testing.T) {
	c, l := fakes(t)
	l.Put("vpc-flow", "eni-bad\x1b]0;x\a", fakeaws.LogEvent{Timestamp: t0.UnixMilli(), Message: "2 123 garbage"})
	code, _, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-lenient", "-q"}, window...)...)
	if !strings.Contains(stderr, "cwlogs: -lenient: skipped 1 malformed event in vpc-flow; first: ") || strings.ContainsAny(stderr, "\x1b\a") {
		t.Errorf("exit %d, stderr %q; want the first event's stream quoted", code, stderr)
	}
}
