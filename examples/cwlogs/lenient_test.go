package main

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLenientOnePrefix: -lenient's line names the first malformed
// event with one prefix, the program's, as every message of the
// programs does (cli.OnePrefix; attribute's -lenient line, and this
// program's own error for the same event without -lenient). It printed
// the library's too: "cwlogs: -lenient: … first: flowlogs: vpc-flow/…".
func TestLenientOnePrefix(t *testing.T) {
	c, l := fakes(t)
	l.Put("vpc-flow", "eni-bad", fakeaws.LogEvent{Timestamp: t0.UnixMilli(), Message: "2 123 garbage"})
	code, _, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-lenient", "-q"}, window...)...)
	if code != 0 || !strings.Contains(stderr, "cwlogs: -lenient: skipped 1 malformed event in vpc-flow; first: vpc-flow/eni-bad@") || strings.Contains(stderr, "flowlogs: ") {
		t.Errorf("exit %d, stderr %q; want 0 and the first event named after one prefix", code, stderr)
	}
}
