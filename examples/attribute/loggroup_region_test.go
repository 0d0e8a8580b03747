package main

import (
	"strings"
	"testing"
)

// TestLogGroupRegionBeforeCluster: -log-group given the ARN of a
// group in another Region than the client's can only fail (CloudWatch
// Logs reads a group in its own Region only), which the ARN and the
// client tell without a call. With -cluster the run read the whole
// cluster from ECS and EC2 first — minutes for a large one — before
// learning it. It must be said before the cluster is read.
func TestLogGroupRegionBeforeCluster(t *testing.T) {
	f := startFakes(t)
	const arn = "arn:aws:logs:eu-west-1:123456789012:log-group:" + sampleLogGroup
	code, _, stderr := runCode(t, "-cluster", "demo", "-log-group", arn, "-since", "90m", "-all-streams")
	if code != 1 || !strings.Contains(stderr, "AWS_REGION=eu-west-1") || strings.Contains(stderr, "give -log-format") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and an error saying to use eu-west-1", code, stderr)
	}
	if calls := f.ecs.Calls(); len(calls) != 0 {
		t.Errorf("ECS called before the log group's Region was checked: %v", calls)
	}
}
