package fakeaws

import (
	"encoding/xml"
	"slices"
	"time"
)

// FlowLog is one flow log the fake EC2 endpoint describes (the fields of
// ec2 DescribeFlowLogs that flow-log readers use).
type FlowLog struct {
	ID              string // fl-…
	ResourceID      string // vpc-…, subnet-… or eni-…
	TrafficType     string // ACCEPT | REJECT | ALL; "ALL" when empty
	DestinationType string // cloud-watch-logs | s3 | kinesis-data-firehose; "cloud-watch-logs" when empty
	Destination     string // ARN of the log group or bucket
	LogGroupName    string // CloudWatch Logs destinations only
	LogFormat       string // ${version} ${account-id} … as CreateFlowLogs stored it
	// MaxAggregationInterval in seconds (60 or 600); 600 when zero.
	MaxAggregationInterval int
	Created                time.Time
}

// FlowLogsEC2Options shape the fake's paging.
type FlowLogsEC2Options struct {
	// PageSize caps items per page ([EC2Data.PageSize]); zero means no cap.
	PageSize int
}

// NewFlowLogsEC2 is NewEC2(EC2Data{FlowLogs: flowLogs, PageSize:
// opts.PageSize}).Server: a fake EC2 endpoint for flow-log readers.
func NewFlowLogsEC2(opts FlowLogsEC2Options, flowLogs ...FlowLog) *Server {
	return NewEC2(EC2Data{FlowLogs: flowLogs, PageSize: opts.PageSize}).Server
}

type flFlowLogXML struct {
	CreationTime           string `xml:"creationTime"`
	DeliverLogsStatus      string `xml:"deliverLogsStatus"`
	FlowLogID              string `xml:"flowLogId"`
	FlowLogStatus          string `xml:"flowLogStatus"`
	LogGroupName           string `xml:"logGroupName,omitempty"`
	ResourceID             string `xml:"resourceId"`
	TrafficType            string `xml:"trafficType"`
	LogDestinationType     string `xml:"logDestinationType"`
	LogDestination         string `xml:"logDestination,omitempty"`
	LogFormat              string `xml:"logFormat"`
	MaxAggregationInterval int    `xml:"maxAggregationInterval"`
}

func (f FlowLog) withDefaults() FlowLog {
	if f.TrafficType == "" {
		f.TrafficType = "ALL"
	}
	if f.DestinationType == "" {
		f.DestinationType = "cloud-watch-logs"
	}
	if f.MaxAggregationInterval == 0 {
		f.MaxAggregationInterval = 600
	}
	if f.Created.IsZero() {
		f.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return f
}

// describeFlowLogs: FlowLogId.N and the filters EC2 documents
// (log-group-name, resource-id, flow-log-id, log-destination-type,
// traffic-type, deliver-log-status); MaxResults 1..1000.
func (f *EC2) describeFlowLogs(form ec2Form) (any, error) {
	ids := form.list("FlowLogId")
	filters, err := form.filters("log-group-name", "resource-id", "flow-log-id", "log-destination-type", "traffic-type", "deliver-log-status")
	if err != nil {
		return nil, err
	}
	var matched []FlowLog
	for _, fl := range f.data.FlowLogs {
		fl = fl.withDefaults()
		if (len(ids) == 0 || slices.Contains(ids, fl.ID)) &&
			filters.match("log-group-name", fl.LogGroupName) && filters.match("resource-id", fl.ResourceID) &&
			filters.match("flow-log-id", fl.ID) && filters.match("log-destination-type", fl.DestinationType) &&
			filters.match("traffic-type", fl.TrafficType) && filters.match("deliver-log-status", "SUCCESS") {
			matched = append(matched, fl)
		}
	}
	from, to, next, err := f.page(form, len(matched), 1, 1000)
	if err != nil {
		return nil, err
	}
	type resp struct {
		XMLName   xml.Name       `xml:"DescribeFlowLogsResponse"`
		Xmlns     string         `xml:"xmlns,attr"`
		RequestID string         `xml:"requestId"`
		Items     []flFlowLogXML `xml:"flowLogSet>item"`
		NextToken string         `xml:"nextToken,omitempty"`
	}
	r := resp{Xmlns: ec2NS, RequestID: ec2RequestID, NextToken: next}
	for _, fl := range matched[from:to] {
		r.Items = append(r.Items, flFlowLogXML{
			CreationTime: fl.Created.UTC().Format("2006-01-02T15:04:05.000Z"), DeliverLogsStatus: "SUCCESS",
			FlowLogID: fl.ID, FlowLogStatus: "ACTIVE", LogGroupName: fl.LogGroupName, ResourceID: fl.ResourceID,
			TrafficType: fl.TrafficType, LogDestinationType: fl.DestinationType, LogDestination: fl.Destination,
			LogFormat: fl.LogFormat, MaxAggregationInterval: fl.MaxAggregationInterval,
		})
	}
	return r, nil
}
