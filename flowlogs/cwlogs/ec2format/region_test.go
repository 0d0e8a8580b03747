package ec2format

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLogGroupARNOfAnotherRegion: DescribeFlowLogs lists the flow
// logs of the client's Region only, so the flow log writing an eu-west-1
// group is never among a us-east-1 client's, and ForLogGroup answered
// ErrNoFlowLog ("no flow log delivers to this log group", to which the
// programs add "give -log-format"), which is not the cause. The ARN says
// its Region and the client its own: the mismatch must be said, before
// the call.
func TestLogGroupARNOfAnotherRegion(t *testing.T) {
	srv := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow",
			Destination: "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow", LogFormat: v5})
	defer srv.Close()
	c := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	_, err := ForLogGroup(context.Background(), c, "arn:aws:logs:eu-west-1:123456789012:log-group:vpc-flow:*")
	if err == nil || errors.Is(err, ErrNoFlowLog) {
		t.Fatalf("an eu-west-1 group's ARN with a us-east-1 client: %v; want an error naming the Regions, not ErrNoFlowLog", err)
	}
	for _, want := range []string{"eu-west-1", "us-east-1", "AWS_REGION=eu-west-1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q; want it to say %q", err, want)
		}
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("calls made before the Region was checked: %v", calls)
	}
}
