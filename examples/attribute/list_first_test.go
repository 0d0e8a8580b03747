package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// startFakesS3 is startFakes with the sample's flow logs as text objects
// under s3://flow-logs/text/ in a fake S3 allowing iamPolicy's actions.
func startFakesS3(t *testing.T) (*fakeAWS, *fakeaws.S3, []string) {
	t.Helper()
	f := startFakes(t)
	keys, objects := sampleS3Objects(t)
	s := fakeaws.NewS3()
	t.Cleanup(s.Close)
	s.CreateBucket("flow-logs")
	for k, v := range objects {
		s.PutObject("flow-logs", k, v)
	}
	var allowed []string
	for _, m := range regexp.MustCompile(`"(s3:[A-Za-z]+)"`).FindAllStringSubmatch(iamPolicy, -1) {
		allowed = append(allowed, m[1])
	}
	s.Allow(allowed...)
	inner := newClients // startFakes's, restored by its cleanup
	newClients = func(ctx context.Context) (*clients, error) {
		c, err := inner(ctx)
		if err == nil {
			c.s3 = s3.NewFromConfig(fakeaws.Config(), func(o *s3.Options) {
				o.BaseEndpoint = s.BaseEndpoint()
				o.UsePathStyle = true
			})
		}
		return c, err
	}
	return f, s, keys
}

// TestFlowLogsListedBeforeCluster: with -cluster and -flowlogs
// s3://, the run read the whole cluster from ECS and EC2 (minutes for a
// large one) before it listed the bucket, so what the listing alone
// tells — a bucket of another Region, an archived object, no object in
// the window, no such bucket — came only after that read. The objects
// are listed first now (and read from that list, once): each of these
// fails with no ECS or EC2 call made, and a good bucket's answer is
// still the sample's.
func TestFlowLogsListedBeforeCluster(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(s *fakeaws.S3, keys []string)
		args  []string
		want  string
	}{
		{"other Region", func(s *fakeaws.S3, _ []string) { s.SetRegion("flow-logs", "eu-west-1") }, nil, "eu-west-1"},
		{"archived", func(s *fakeaws.S3, keys []string) { s.SetStorageClass("flow-logs", "text/"+keys[0], "GLACIER") }, nil, "GLACIER"},
		{"empty window", nil, []string{"-since", "2026-11-24T00:00:00Z", "-until", "2026-11-24T01:00:00Z"}, "no flow-log files in s3://flow-logs/text/ for -since/-until"},
		{"no such bucket", nil, []string{"-flowlogs", "s3://no-such-bucket/text/"}, "NoSuchBucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, s, keys := startFakesS3(t)
			if tc.setup != nil {
				tc.setup(s, keys)
			}
			args := []string{"-cluster", "demo", "-flowlogs", "s3://flow-logs/text/"}
			if len(tc.args) > 0 && tc.args[0] == "-flowlogs" {
				args = append([]string{"-cluster", "demo"}, tc.args...)
			} else {
				args = append(args, tc.args...)
			}
			code, _, stderr := runCode(t, args...)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("%q: exit %d, stderr:\n%s\nwant 1 and %q", args, code, stderr, tc.want)
			}
			if calls := f.ecs.Calls(); len(calls) != 0 {
				t.Errorf("ECS called before the flow-log objects were listed: %v", calls)
			}
			if calls := f.ec2.Calls(); len(calls) != 0 {
				t.Errorf("EC2 called before the flow-log objects were listed: %v", calls)
			}
		})
	}
	t.Run("good bucket", func(t *testing.T) {
		f, s, _ := startFakesS3(t)
		want, _ := runOut(t, "-format", "json")
		got, stderr := runOut(t, "-cluster", "demo", "-flowlogs", "s3://flow-logs/text/", "-format", "json")
		if got != want {
			t.Errorf("live:\n%s\noffline:\n%s\nstderr:\n%s", got, want, stderr)
		}
		if len(f.ecs.Calls()) == 0 {
			t.Error("the cluster was not read")
		}
		// As many S3 calls as a run on a -tasks file makes: listed once,
		// each object read once.
		first := s.Calls()
		dir := writeSample(t)
		runOut(t, "-tasks", sampleTasks(t, dir), "-flowlogs", "s3://flow-logs/text/", "-format", "json")
		for a, n := range s.Calls() {
			if first[a] != n-first[a] {
				t.Errorf("%s: %d calls with -cluster, %d with -tasks", a, first[a], n-first[a])
			}
		}
	})
}

// TestClusterARNOfOtherRegion: -cluster given the ARN of a cluster
// in another Region than the client's can only fail: ECS answers
// InvalidParameterException "Invalid Region in ARN", without saying which
// Region. It is said before any ECS or EC2 call, with the Region to use.
func TestClusterARNOfOtherRegion(t *testing.T) {
	f := startFakes(t)
	code, _, stderr := runCode(t, "-cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams")
	if code != 1 || !strings.Contains(stderr, "cluster ARN's Region eu-west-1 is not the client's us-east-1: set AWS_REGION=eu-west-1") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and the Region to use", code, stderr)
	}
	if calls := f.ecs.Calls(); len(calls) != 0 {
		t.Errorf("ECS called: %v", calls)
	}
	if calls := f.ec2.Calls(); len(calls) != 0 {
		t.Errorf("EC2 called: %v", calls)
	}
}
