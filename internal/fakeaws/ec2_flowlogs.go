package fakeaws

import (
	"encoding/xml"
	"fmt"
	"strconv"
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
	// PageSize caps items per page when the caller sets no MaxResults (the
	// real service then returns everything); zero means no cap.
	PageSize int
}

// NewFlowLogsEC2 starts a fake EC2 query endpoint that serves
// DescribeFlowLogs over the given flow logs, with the filters EC2 documents
// (log-group-name, resource-id, flow-log-id, log-destination-type,
// traffic-type, deliver-log-status), FlowLogId.N, MaxResults and NextToken.
// Actions are logged as "ec2:DescribeFlowLogs".
func NewFlowLogsEC2(opts FlowLogsEC2Options, flowLogs ...FlowLog) *Server {
	fls := append([]FlowLog(nil), flowLogs...)
	return NewEC2QueryServer("ec2", map[string]func(map[string][]string) ([]byte, error){
		"DescribeFlowLogs": func(form map[string][]string) ([]byte, error) {
			return flDescribeFlowLogs(opts, fls, form)
		},
	})
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

// flFormList collects Prefix.1, Prefix.2, … in order.
func flFormList(form map[string][]string, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := form[fmt.Sprintf("%s.%d", prefix, i)]
		if !ok {
			return out
		}
		out = append(out, v...)
	}
}

func flDescribeFlowLogs(opts FlowLogsEC2Options, fls []FlowLog, form map[string][]string) ([]byte, error) {
	ids := map[string]bool{}
	for _, id := range flFormList(form, "FlowLogId") {
		ids[id] = true
	}
	filters := map[string]map[string]bool{}
	for i := 1; ; i++ {
		name, ok := form[fmt.Sprintf("Filter.%d.Name", i)]
		if !ok || len(name) == 0 {
			break
		}
		switch name[0] {
		case "log-group-name", "resource-id", "flow-log-id", "log-destination-type", "traffic-type", "deliver-log-status":
		default:
			return nil, &APIError{Code: "InvalidParameterValue", Message: "The filter '" + name[0] + "' is invalid"}
		}
		set := filters[name[0]]
		if set == nil {
			set = map[string]bool{}
			filters[name[0]] = set
		}
		for _, v := range flFormList(form, fmt.Sprintf("Filter.%d.Value", i)) {
			set[v] = true
		}
	}
	pageSize := opts.PageSize
	if v := flFirst(form["MaxResults"]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return nil, &APIError{Code: "InvalidParameterValue", Message: "MaxResults must be between 1 and 1000"}
		}
		pageSize = n
	}
	start := 0
	if v := flFirst(form["NextToken"]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, &APIError{Code: "InvalidPaginationToken", Message: "Invalid pagination token"}
		}
		start = n
	}
	match := func(f FlowLog) bool {
		if len(ids) > 0 && !ids[f.ID] {
			return false
		}
		for name, set := range filters {
			var v string
			switch name {
			case "log-group-name":
				v = f.LogGroupName
			case "resource-id":
				v = f.ResourceID
			case "flow-log-id":
				v = f.ID
			case "log-destination-type":
				v = f.DestinationType
			case "traffic-type":
				v = f.TrafficType
			case "deliver-log-status":
				v = "SUCCESS"
			}
			if !set[v] {
				return false
			}
		}
		return true
	}
	var matched []FlowLog
	for _, f := range fls {
		if f = f.withDefaults(); match(f) {
			matched = append(matched, f)
		}
	}
	type resp struct {
		XMLName   xml.Name       `xml:"DescribeFlowLogsResponse"`
		Xmlns     string         `xml:"xmlns,attr"`
		RequestID string         `xml:"requestId"`
		Items     []flFlowLogXML `xml:"flowLogSet>item"`
		NextToken string         `xml:"nextToken,omitempty"`
	}
	r := resp{Xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/", RequestID: "fake-request-id"}
	end := len(matched)
	if start > end {
		start = end
	}
	if pageSize > 0 && start+pageSize < end {
		end = start + pageSize
		r.NextToken = strconv.Itoa(end)
	}
	for _, f := range matched[start:end] {
		r.Items = append(r.Items, flFlowLogXML{
			CreationTime: f.Created.UTC().Format("2006-01-02T15:04:05.000Z"), DeliverLogsStatus: "SUCCESS",
			FlowLogID: f.ID, FlowLogStatus: "ACTIVE", LogGroupName: f.LogGroupName, ResourceID: f.ResourceID,
			TrafficType: f.TrafficType, LogDestinationType: f.DestinationType, LogDestination: f.Destination,
			LogFormat: f.LogFormat, MaxAggregationInterval: f.MaxAggregationInterval,
		})
	}
	return xml.Marshal(r)
}

func flFirst(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
