package ec2format

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestS3FlowLogIsNotALogGroupsFlowLog: a flow log that delivers to
// S3 (or Firehose) has no log group (DescribeFlowLogs: logGroupName is
// "the name of the flow log group", logDestinationType cloud-watch-logs |
// s3 | kinesis-data-firehose). An empty group name is bad input and must be
// an error naming it, not a list of the account's S3 flow logs presented
// as the formats of a log group.
func TestS3FlowLogIsNotALogGroupsFlowLog(t *testing.T) {
	srv := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", LogFormat: flowlogs.DefaultFormat.String()},
		fakeaws.FlowLog{ID: "fl-8", ResourceID: "vpc-2", DestinationType: "s3", Destination: "arn:aws:s3:::bucket", LogFormat: v5},
	)
	defer srv.Close()
	c := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	fls, err := ForLogGroup(context.Background(), c, "")
	if err == nil || !strings.Contains(err.Error(), "log group") {
		t.Fatalf("empty log group name: %+v, %v; want an error", fls, err)
	}
	for _, fl := range fls {
		if fl.ID == "fl-8" {
			t.Fatalf("the S3 flow log fl-8 returned as a log group's: %+v", fls)
		}
	}
}

// TestLogGroupByARN: CloudWatch Logs names a log group by name or by
// ARN (DescribeLogGroups' arn ends in ":*", logGroupArn does not), and
// DescribeFlowLogs gives a CloudWatch flow log's group both ways
// (logGroupName, and logDestination: "the ARN of the CloudWatch Logs log
// group"). Given the group's ARN, ForLogGroup must find the flow logs that
// deliver to it, not answer that none does.
func TestLogGroupByARN(t *testing.T) {
	const arn = "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow"
	srv := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", Destination: arn, LogFormat: v5},
		// The same group name in another account (cross-account delivery):
		// another group.
		fakeaws.FlowLog{ID: "fl-2", ResourceID: "vpc-2", LogGroupName: "vpc-flow",
			Destination: "arn:aws:logs:us-east-1:210987654321:log-group:vpc-flow", LogFormat: flowlogs.DefaultFormat.String()},
	)
	defer srv.Close()
	c := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	for _, g := range []string{arn, arn + ":*"} {
		fls, err := ForLogGroup(context.Background(), c, g)
		if err != nil || len(fls) != 1 || fls[0].ID != "fl-1" {
			t.Errorf("%s: %+v, %v; want fl-1", g, fls, err)
		}
	}
	// By name, both (the name does not say the account).
	if fls, err := ForLogGroup(context.Background(), c, "vpc-flow"); err != nil || len(fls) != 2 {
		t.Errorf("by name: %+v, %v", fls, err)
	}
	// An ARN that is not a log group's is bad input.
	if _, err := ForLogGroup(context.Background(), c, "arn:aws:s3:::bucket"); err == nil || errors.Is(err, ErrNoFlowLog) {
		t.Errorf("an S3 ARN: %v; want an error saying it is not a log group ARN", err)
	}
}
