package main

import (
	"strings"
	"testing"
)

// TestTotalsNeedInterfaceID: a -log-format (or a flow log's
// LogFormat) without ${interface-id} printed the per-ENI totals as one
// row with an empty ENI, and one without ${bytes} or ${packets} a table
// of zeros, both with exit 0: a mistake answered with zeros. The
// totals need those fields; the run says which is missing and that
// -records prints such records as they are.
func TestTotalsNeedInterfaceID(t *testing.T) {
	c, _ := fakes(t)
	noENI := "${version} ${account-id} ${iface} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
	noBytes := "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${p} ${b} ${start} ${end} ${action} ${log-status}"
	for _, tc := range []struct {
		format string
		want   string
	}{
		{noENI, "-log-format has no interface-id field"},
		{noBytes, "-log-format has no bytes field"},
	} {
		for _, f := range []string{"table", "json"} {
			code, out, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow", "-q", "-format", f, "-log-format", tc.format}, window...)...)
			if code != 1 || out != "" || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "-records") {
				t.Errorf("-log-format %q -format %s: exit %d, stderr %q, stdout:\n%s\nwant exit 1, no output and %q", tc.format, f, code, stderr, out, tc.want)
			}
		}
		// -records prints the records whatever their fields.
		if code, out, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow", "-q", "-records", "-log-format", tc.format}, window...)...); code != 0 || strings.Count(out, "\n") != 30 {
			t.Errorf("-records -log-format %q: exit %d, stderr %q, %d lines", tc.format, code, stderr, strings.Count(out, "\n"))
		}
	}
}
