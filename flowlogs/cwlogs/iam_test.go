package cwlogs_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	smithy "github.com/aws/smithy-go"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// liveRead is what a program does in production: discover the format, then
// read with each strategy.
func liveRead(ctx context.Context, ec2c ec2format.API, logs cwlogs.API) error {
	fls, err := ec2format.ForLogGroup(ctx, ec2c, "vpc-flow")
	if err != nil {
		return err
	}
	for _, st := range []cwlogs.Strategy{cwlogs.FilterLogEvents, cwlogs.GetLogEvents} {
		src := cwlogs.New(logs, "vpc-flow", cwlogs.WithStrategy(st), cwlogs.WithRateLimits(cwlogs.Limits{}),
			cwlogs.WithReaderOptions(flowlogs.WithFormats(ec2format.Formats(fls)...)))
		n := 0
		for _, err := range src.Records(ctx) {
			if err != nil {
				return err
			}
			n++
		}
		if n != 2 {
			return errors.New("wrong record count")
		}
	}
	return nil
}

func TestIAMPolicyIsCompleteAndMinimal(t *testing.T) {
	b, err := os.ReadFile("testdata/iam-policy.json")
	if err != nil || string(b) != cwlogs.IAMPolicy() {
		t.Fatalf("testdata/iam-policy.json differs from IAMPolicy (%v)", err)
	}
	logs := fakeaws.NewLogs(fakeaws.LogsOptions{})
	defer logs.Close()
	logs.Put("vpc-flow", "eni-0123456789abcdef0",
		fakeaws.LogEvent{Timestamp: 1_700_000_000_000, Message: "2 123456789012 eni-0123456789abcdef0 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK"},
		fakeaws.LogEvent{Timestamp: 1_700_000_001_000, Message: "2 123456789012 eni-0123456789abcdef0 10.0.0.2 10.0.0.1 49152 443 6 12 9000 1700000001 1700000060 ACCEPT OK"})
	ec2srv := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", LogFormat: flowlogs.DefaultFormat.String()})
	defer ec2srv.Close()
	ec2c := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = ec2srv.BaseEndpoint() })
	logc := cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = logs.BaseEndpoint() })

	allowed := cwlogs.IAMActions()
	allow := func(actions []string) {
		var l, e []string
		for _, a := range actions {
			if strings.HasPrefix(a, "logs:") {
				l = append(l, a)
			} else {
				e = append(e, a)
			}
		}
		logs.Allow(append(l, "none")...)
		ec2srv.Allow(append(e, "none")...)
	}
	ctx := context.Background()
	allow(allowed)
	if err := liveRead(ctx, ec2c, logc); err != nil {
		t.Fatalf("with the policy: %v", err)
	}
	used := append(logs.Actions(), ec2srv.Actions()...)
	if strings.Join(used, ",") != strings.Join(allowed[1:], ",")+","+allowed[0] {
		t.Fatalf("used %v, policy %v", used, allowed)
	}
	for i := range allowed {
		fewer := append(append([]string{}, allowed[:i]...), allowed[i+1:]...)
		allow(fewer)
		err := liveRead(ctx, ec2c, logc)
		var ae smithy.APIError
		if !errors.As(err, &ae) || (ae.ErrorCode() != "AccessDeniedException" && ae.ErrorCode() != "UnauthorizedOperation") {
			t.Errorf("without %s: %v", allowed[i], err)
		}
	}
}
