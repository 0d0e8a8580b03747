package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestClusterARNOfOtherRegion: -cluster given the ARN of a cluster
// in another Region than the client's can only fail: ECS answers every
// call InvalidParameterException "Invalid Region in ARN", without saying
// which Region. It is said before any call, with the Region to use, and
// no history file is left behind.
func TestClusterARNOfOtherRegion(t *testing.T) {
	ecsSrv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "demo"}})
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{})
	t.Cleanup(ecsSrv.Close)
	t.Cleanup(ec2Srv.Close)
	saved := newClients
	t.Cleanup(func() { newClients = saved })
	newClients = func(context.Context) (*clients, error) {
		cfg := fakeaws.Config() // us-east-1
		return &clients{
			ecs: ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = ecsSrv.BaseEndpoint() }),
			ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = ec2Srv.BaseEndpoint() }),
		}, nil
	}
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, context.Background(), "-cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/demo", "-file", file, "-once", "-q")
	if code != 1 || !strings.Contains(stderr, "cluster ARN's Region eu-west-1 is not the client's us-east-1: set AWS_REGION=eu-west-1") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and the Region to use", code, stderr)
	}
	if calls := ecsSrv.Calls(); len(calls) != 0 {
		t.Errorf("ECS called: %v", calls)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("%s left behind: %v", file, err)
	}
}
