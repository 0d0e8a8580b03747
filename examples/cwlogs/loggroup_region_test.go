package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestLogGroupARNOfAnotherRegion: -log-group with an ARN of
// another Region than the client's said "no flow log delivers to this
// log group ... (give -log-format to skip the lookup)", and with
// -log-format read the client's Region's group of the same name (the
// fake) or failed on CloudWatch Logs' refusal (AWS). The ARN and the
// client say their Regions before any call: the run must say which
// Region to use, and not suggest -log-format, which would not help.
func TestLogGroupARNOfAnotherRegion(t *testing.T) {
	c, _ := fakes(t)
	const arn = "arn:aws:logs:eu-west-1:123456789012:log-group:vpc-flow"
	for _, extra := range [][]string{nil, {"-log-format", "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"}} {
		var out, errOut bytes.Buffer
		args := append(append([]string{"-log-group", arn}, window...), extra...)
		err := run(context.Background(), args, &out, &errOut, c)
		if err == nil || !strings.Contains(err.Error(), "AWS_REGION=eu-west-1") || strings.Contains(err.Error(), "give -log-format") {
			t.Errorf("%v: %v\nstdout:\n%s; want an error saying to use eu-west-1, without -log-format's hint", extra, err, out.String())
		}
	}
}
