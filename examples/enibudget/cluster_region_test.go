package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestClusterARNOfOtherRegion: -cluster given the ARN of a cluster
// in another Region than AWS_REGION can only fail: ECS answers
// InvalidParameterException "Invalid Region in ARN", without saying which
// Region. It is said before any call, with the Region to use.
func TestClusterARNOfOtherRegion(t *testing.T) {
	ecsSrv := liveSampleECS(t)
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{})
	t.Cleanup(ec2Srv.Close)
	liveEnv(t, ecsSrv.URL, ec2Srv.URL) // AWS_REGION=us-east-1
	var out, errOut bytes.Buffer
	code := cli.Code("enibudget", run(context.Background(), []string{"-cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/live", "-q"}, &out, &errOut), &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "cluster ARN's Region eu-west-1 is not the client's us-east-1: set AWS_REGION=eu-west-1") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and the Region to use", code, errOut.String())
	}
	if calls := ecsSrv.Calls(); len(calls) != 0 {
		t.Errorf("ECS called: %v", calls)
	}
	if calls := ec2Srv.Calls(); len(calls) != 0 {
		t.Errorf("EC2 called: %v", calls)
	}
}
