package main

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestPrefixReadsOnlyMatchingStreams: -prefix was tested only in its
// refusals (with -eni; matching nothing); here it reads what it says,
// the streams whose names start with it and no other, by either read
// strategy.
func TestPrefixReadsOnlyMatchingStreams(t *testing.T) {
	for _, strategy := range []string{"auto", "filter", "get"} {
		c, _ := fakes(t)
		args := append([]string{"-log-group", "vpc-flow", "-q", "-log-format", flowlogs.DefaultFormat.String(),
			"-strategy", strategy, "-prefix", "eni-00000000000000001"}, window...)
		code, out, stderr := runCode(t, c, args...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || len(lines) != 2 || !strings.Contains(lines[1], "eni-00000000000000001") ||
			strings.Join(strings.Fields(lines[1])[1:], " ") != "10 2000 20 0 0" {
			t.Errorf("-strategy %s -prefix eni-00000000000000001: exit %d, stderr %q, stdout:\n%s\nwant the one stream's totals", strategy, code, stderr, out)
		}
		// A prefix of every stream reads them all, as no -prefix does.
		c, _ = fakes(t)
		args = append([]string{"-log-group", "vpc-flow", "-q", "-log-format", flowlogs.DefaultFormat.String(),
			"-strategy", strategy, "-prefix", "eni-0"}, window...)
		if code, out, stderr := runCode(t, c, args...); code != 0 || strings.Count(strings.TrimSpace(out), "\n") != 3 {
			t.Errorf("-strategy %s -prefix eni-0: exit %d, stderr %q, stdout:\n%s\nwant three streams", strategy, code, stderr, out)
		}
	}
}
