package ec2format

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

const v5 = "${version} ${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${start} ${end} ${flow-direction} ${traffic-path} ${log-status}"

func TestForLogGroupWithSharedGroup(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{PageSize: 1},
		fakeaws.FlowLog{ID: "fl-3", ResourceID: "eni-1", LogGroupName: "vpc-flow", LogFormat: v5, Created: t0.Add(2 * time.Hour)},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", TrafficType: "ACCEPT", LogFormat: flowlogs.DefaultFormat.String(), Created: t0},
		fakeaws.FlowLog{ID: "fl-2", ResourceID: "vpc-1", LogGroupName: "vpc-flow", TrafficType: "REJECT", LogFormat: flowlogs.DefaultFormat.String(), Created: t0.Add(time.Hour)},
		fakeaws.FlowLog{ID: "fl-9", ResourceID: "vpc-2", LogGroupName: "other", LogFormat: v5},
		fakeaws.FlowLog{ID: "fl-8", ResourceID: "vpc-2", DestinationType: "s3", Destination: "arn:aws:s3:::bucket", LogFormat: v5},
	)
	defer srv.Close()
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 4})
	c := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	fls, err := ForLogGroup(context.Background(), c, "vpc-flow")
	if err != nil {
		t.Fatal(err)
	}
	if len(fls) != 3 || fls[0].ID != "fl-1" || fls[2].ID != "fl-3" || fls[1].TrafficType != "REJECT" || fls[0].MaxAggregationInterval != 600 {
		t.Fatalf("%+v", fls)
	}
	fs := Formats(fls)
	if len(fs) != 2 || !fs[0].Equal(flowlogs.DefaultFormat) || fs[1].String() != v5 {
		t.Fatalf("formats %v", fs)
	}
	if _, err := ForLogGroup(context.Background(), c, "nothing-here"); !errors.Is(err, ErrNoFlowLog) {
		t.Fatalf("got %v", err)
	}
	srv.SetFaults(fakeaws.Faults{})
	srv.Allow("ec2:DescribeInstanceTypes")
	if _, err := ForLogGroup(context.Background(), c, "vpc-flow"); err == nil {
		t.Fatal("no access-denied error")
	}
}

func TestBadLogFormat(t *testing.T) {
	srv := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "g", LogFormat: "${version} ${version}"})
	defer srv.Close()
	c := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	_, err := ForLogGroup(context.Background(), c, "g")
	if !errors.Is(err, flowlogs.ErrFormat) {
		t.Fatalf("got %v", err)
	}
}
