package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLimitsProgressNotDoneOnFailure: with -cluster, the progress
// line of the live ENI limits drew "ENI limits of the instance types:
// N/N", every type read, also when DescribeInstanceTypes failed, just
// above the error that says it failed.
func TestLimitsProgressNotDoneOnFailure(t *testing.T) {
	ecsSrv := liveSampleECS(t)
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: []fakeaws.EC2InstanceType{
		{InstanceType: "x99.large", MaxENIs: 4, IPv4PerENI: 10}, {InstanceType: "c5.large", MaxENIs: 3, IPv4PerENI: 10}}})
	defer ec2Srv.Close()
	ec2Srv.Allow("ec2:DescribeInstances") // not ec2:DescribeInstanceTypes
	liveEnv(t, ecsSrv.URL, ec2Srv.URL)
	defer cli.AsTerminal()()
	var out, errOut bytes.Buffer
	code := cli.Code("enibudget", run(context.Background(), []string{"-cluster", "live"}, &out, &errOut), &errOut)
	stderr := errOut.String()
	if code != 1 || !strings.Contains(stderr, "enibudget: DescribeInstanceTypes") {
		t.Fatalf("exit %d, stderr %q; want 1 and DescribeInstanceTypes refused", code, stderr)
	}
	for _, l := range strings.Split(stderr, "\r") {
		if rest, ok := strings.CutPrefix(l, "ENI limits of the instance types: "); ok {
			n := strings.Fields(rest)[0]
			if done, total, ok := strings.Cut(n, "/"); ok && done == total && done != "0" {
				t.Errorf("stderr %q: the limits' line says %s read, though the read failed", stderr, n)
			}
		}
	}
}
