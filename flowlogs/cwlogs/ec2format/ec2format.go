// Package ec2format finds the record format of VPC Flow Logs delivered to a
// CloudWatch Logs log group, from EC2 DescribeFlowLogs: CloudWatch events
// carry no header, so the field order is the flow log's LogFormat.
//
// It is its own package so that readers who give the format themselves do
// not build the (large) EC2 client.
package ec2format

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/awscall"
	"github.com/ecsnet/ecsnet/internal/loggroup"
)

// API is the EC2 call this package makes; *ec2.Client satisfies it.
type API interface {
	DescribeFlowLogs(ctx context.Context, in *ec2.DescribeFlowLogsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeFlowLogsOutput, error)
}

var _ API = (*ec2.Client)(nil)

// FlowLog is a flow log that delivers to the log group.
type FlowLog struct {
	ID          string // fl-…
	ResourceID  string // the VPC, subnet or ENI it covers
	TrafficType string // ACCEPT, REJECT or ALL
	LogFormat   string // as returned by DescribeFlowLogs
	Format      *flowlogs.Format
	// MaxAggregationInterval is 60 or 600 seconds.
	MaxAggregationInterval int32
	Created                time.Time
}

// ErrNoFlowLog is returned when no flow log delivers to the group: it may
// have been deleted (its data stays in the group, but its format is no
// longer described anywhere) — give the format explicitly then.
var ErrNoFlowLog = errors.New("ec2format: no flow log delivers to this log group")

// ForLogGroup returns the flow logs delivering to logGroup, oldest first
// (DescribeFlowLogs with the log-group-name filter, every page). logGroup
// is the group's name or its ARN (arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME,
// with or without the ":*" DescribeLogGroups appends); given an ARN, only
// the flow logs whose LogDestination is that group count (a name does not
// tell one account's group from another's, an ARN does); an ARN of
// another Region than the client's is refused before any call, as
// DescribeFlowLogs lists the client's Region's flow logs only. Flow logs that
// deliver to S3 or Firehose are not a log group's. Each LogFormat is
// parsed; a flow log without one uses the default format.
func ForLogGroup(ctx context.Context, api API, logGroup string) ([]FlowLog, error) {
	name, arn, err := loggroup.Parse(logGroup)
	if err != nil {
		return nil, fmt.Errorf("ec2format: %w", err)
	}
	if c, ok := api.(interface{ Options() ec2.Options }); ok {
		// DescribeFlowLogs lists the client's Region's flow logs only:
		// those of a group in another would be "none".
		if err := loggroup.CheckRegion(logGroup, c.Options().Region); err != nil {
			return nil, fmt.Errorf("ec2format: %w", err)
		}
	}
	in := &ec2.DescribeFlowLogsInput{Filter: []types.Filter{
		{Name: aws.String("log-group-name"), Values: []string{name}},
	}}
	var out []FlowLog
	p := ec2.NewDescribeFlowLogsPaginator(api, in)
	for p.HasMorePages() {
		page, err := awscall.Next(ctx, p.NextPage)
		if err != nil {
			return nil, fmt.Errorf("ec2format: DescribeFlowLogs for log group %s: %w", logGroup, err)
		}
		for _, fl := range page.FlowLogs {
			if aws.ToString(fl.LogGroupName) != name {
				continue // a filter the caller's API does not apply
			}
			if t := fl.LogDestinationType; t != "" && t != types.LogDestinationTypeCloudWatchLogs {
				continue // S3 or Firehose: no log group's
			}
			if d := strings.TrimSuffix(aws.ToString(fl.LogDestination), ":*"); arn != "" && d != "" && d != arn {
				continue // the same name in another account or region
			}
			f := FlowLog{ID: aws.ToString(fl.FlowLogId), ResourceID: aws.ToString(fl.ResourceId),
				TrafficType: string(fl.TrafficType), LogFormat: aws.ToString(fl.LogFormat),
				MaxAggregationInterval: aws.ToInt32(fl.MaxAggregationInterval), Created: aws.ToTime(fl.CreationTime)}
			if f.LogFormat == "" {
				f.Format = flowlogs.DefaultFormat
			} else if f.Format, err = flowlogs.ParseLogFormat(f.LogFormat); err != nil {
				return nil, fmt.Errorf("ec2format: flow log %s: LogFormat %q: %w", f.ID, f.LogFormat, err)
			}
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoFlowLog, logGroup)
	}
	sortByCreation(out)
	return out, nil
}

func sortByCreation(fls []FlowLog) {
	for i := 1; i < len(fls); i++ { // insertion sort: stable, and lists are short
		for j := i; j > 0 && fls[j].Created.Before(fls[j-1].Created); j-- {
			fls[j], fls[j-1] = fls[j-1], fls[j]
		}
	}
}

// Formats returns the distinct formats of the flow logs, in their order:
// what flowlogs.WithFormats takes (given to cwlogs.WithReaderOptions).
func Formats(fls []FlowLog) []*flowlogs.Format {
	var out []*flowlogs.Format
next:
	for _, fl := range fls {
		for _, f := range out {
			if f.Equal(fl.Format) {
				continue next
			}
		}
		out = append(out, fl.Format)
	}
	return out
}
