package ec2format_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// Find the format(s) of the flow logs writing a log group; pass them to
// cwlogs.WithReaderOptions(flowlogs.WithFormats(…)).
func ExampleForLogGroup() {
	srv := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-0aaa", ResourceID: "vpc-01", LogGroupName: "vpc-flow-logs", TrafficType: "ALL",
			LogFormat: "${version} ${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${start} ${end} ${action} ${log-status} ${ecs-task-id}"})
	defer srv.Close()
	// In production: ec2.NewFromConfig(cfg) with config.LoadDefaultConfig.
	client := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })

	fls, err := ec2format.ForLogGroup(context.Background(), client, "vpc-flow-logs")
	if err != nil {
		log.Fatal(err)
	}
	for _, fl := range fls {
		fmt.Println(fl.ID, fl.ResourceID, fl.TrafficType, fl.Format.Len(), "fields, version", fl.Format.Version())
	}
	fmt.Println(len(ec2format.Formats(fls)), "format(s)")
	// Output:
	// fl-0aaa vpc-01 ALL 10 fields, version 7
	// 1 format(s)
}
