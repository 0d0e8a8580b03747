package fakeaws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestFlowLogsEC2DescribeFlowLogsFiltersAndPages(t *testing.T) {
	srv := NewFlowLogsEC2(FlowLogsEC2Options{PageSize: 1},
		FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", LogFormat: "${version} ${interface-id}"},
		FlowLog{ID: "fl-2", ResourceID: "subnet-1", LogGroupName: "vpc-flow", TrafficType: "REJECT", LogFormat: "${interface-id} ${action}"},
		FlowLog{ID: "fl-3", ResourceID: "vpc-2", DestinationType: "s3", Destination: "arn:aws:s3:::b", LogFormat: "${version}"},
	)
	defer srv.Close()
	srv.SetFaults(Faults{ThrottleEvery: 2})
	c := ec2.NewFromConfig(Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	p := ec2.NewDescribeFlowLogsPaginator(c, &ec2.DescribeFlowLogsInput{
		Filter: []types.Filter{{Name: aws.String("log-group-name"), Values: []string{"vpc-flow"}}}})
	var got []types.FlowLog
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.FlowLogs...)
	}
	if len(got) != 2 || *got[0].FlowLogId != "fl-1" || *got[1].LogFormat != "${interface-id} ${action}" ||
		got[1].TrafficType != types.TrafficTypeReject || got[0].LogDestinationType != types.LogDestinationTypeCloudWatchLogs || got[0].CreationTime == nil {
		t.Fatalf("got %+v", got)
	}
	if srv.Calls()["ec2:DescribeFlowLogs"] != 2 {
		t.Fatalf("calls %v", srv.Calls())
	}
	srv.SetFaults(Faults{})
	_, err := c.DescribeFlowLogs(context.Background(), &ec2.DescribeFlowLogsInput{
		Filter: []types.Filter{{Name: aws.String("bogus"), Values: []string{"x"}}}})
	if err == nil {
		t.Fatal("unknown filter accepted")
	}
}
