package cwlogs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// exampleClient stands in for
//
//	cfg, _ := config.LoadDefaultConfig(ctx)
//	client := cloudwatchlogs.NewFromConfig(cfg)
//
// with an in-process fake holding one ENI's flow-log stream.
func exampleClient() (*cloudwatchlogs.Client, func()) {
	l := fakeaws.NewLogs(fakeaws.LogsOptions{PageEvents: 2, EmptyPageEvery: 2})
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC).Unix()
	for i, line := range []string{
		"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 49152 443 6 10 840 %d %d ACCEPT OK",
		"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.2.9 10.0.1.5 443 49152 6 12 9000 %d %d ACCEPT OK",
		"2 123456789012 eni-0a1b2c3d4e5f67890 198.51.100.7 10.0.1.5 51000 22 6 1 40 %d %d REJECT OK",
		"2 123456789012 eni-0a1b2c3d4e5f67890 - - - - - - - %d %d - NODATA",
	} {
		start := t0 + int64(i)*60
		l.Put("vpc-flow-logs", "eni-0a1b2c3d4e5f67890", fakeaws.LogEvent{
			Timestamp: start * 1000, Message: fmt.Sprintf(line, start, start+60)})
	}
	c := cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = l.BaseEndpoint() })
	return c, l.Close
}

// Read one task ENI's records for a day.
func ExampleSource_Records() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	src := cwlogs.New(client, "vpc-flow-logs",
		cwlogs.WithWindow(day, day.Add(24*time.Hour)),
		cwlogs.WithENIs("eni-0a1b2c3d4e5f67890"),
		// The formats of the flow logs writing the group: ec2format.Formats(…)
		// from DescribeFlowLogs.
		cwlogs.WithReaderOptions(flowlogs.WithFormats(flowlogs.DefaultFormat)),
	)
	for r, err := range src.Records(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if r.LogStatus != flowlogs.StatusOK { // NODATA, SKIPDATA: no flow fields
			fmt.Println(r.LogStatus, r.InterfaceID, r.StartTime().Format(time.TimeOnly))
			continue
		}
		fmt.Println(r.Action, r.SrcAddr, "->", r.DstAddr, r.DstPort, r.Bytes)
	}
	p := src.Progress()
	fmt.Printf("%s: %d/%d streams, %d events\n", p.Strategy, p.StreamsDone, p.StreamsTotal, p.Events)
	// Output:
	// ACCEPT 10.0.1.5 -> 10.0.2.9 443 840
	// ACCEPT 10.0.2.9 -> 10.0.1.5 49152 9000
	// REJECT 198.51.100.7 -> 10.0.1.5 22 40
	// NODATA eni-0a1b2c3d4e5f67890 12:03:00
	// GetLogEvents: 1/1 streams, 4 events
}

// The raw events, for code that parses (or forwards) the messages itself,
// here read with FilterLogEvents rather than the strategy Auto picks. Each
// event is one record line of the ENI's stream.
func ExampleSource_Events() {
	client, done := exampleClient()
	defer done()
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	src := cwlogs.New(client, "vpc-flow-logs",
		cwlogs.WithWindow(day, day.Add(24*time.Hour)),
		cwlogs.WithStrategy(cwlogs.FilterLogEvents),
	)
	for ev, err := range src.Events(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %s: %s\n", ev.Time().Format(time.TimeOnly), ev.Stream, ev.Message)
	}
	p := src.Progress()
	fmt.Printf("%s: %d/%d streams, %d events\n", p.Strategy, p.StreamsDone, p.StreamsTotal, p.Events)
	// Output:
	// 12:00:00 eni-0a1b2c3d4e5f67890: 2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 49152 443 6 10 840 1795176000 1795176060 ACCEPT OK
	// 12:01:00 eni-0a1b2c3d4e5f67890: 2 123456789012 eni-0a1b2c3d4e5f67890 10.0.2.9 10.0.1.5 443 49152 6 12 9000 1795176060 1795176120 ACCEPT OK
	// 12:02:00 eni-0a1b2c3d4e5f67890: 2 123456789012 eni-0a1b2c3d4e5f67890 198.51.100.7 10.0.1.5 51000 22 6 1 40 1795176120 1795176180 REJECT OK
	// 12:03:00 eni-0a1b2c3d4e5f67890: 2 123456789012 eni-0a1b2c3d4e5f67890 - - - - - - - 1795176180 1795176240 - NODATA
	// FilterLogEvents: 1/1 streams, 4 events
}

// The parser's own options: the accepted flows only, two fields decoded,
// malformed events skipped and kept for a report.
func ExampleWithReaderOptions() {
	client, done := exampleClient()
	defer done()
	src := cwlogs.New(client, "vpc-flow-logs",
		cwlogs.WithReaderOptions(
			flowlogs.WithFormats(flowlogs.DefaultFormat),
			flowlogs.WithFields(flowlogs.FieldDstPort, flowlogs.FieldBytes),
			flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionAccept}),
			flowlogs.WithLenient(10),
		))
	for r, err := range src.Records(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.DstPort, r.Bytes)
	}
	fmt.Println("malformed:", len(src.Malformed()))
	// Output:
	// 443 840
	// 49152 9000
	// malformed: 0
}

// Stop a read, save its cursor, and finish it later: every event is
// delivered exactly once.
func ExampleWithResume() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()

	src := cwlogs.New(client, "vpc-flow-logs")
	for ev, err := range src.Events(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("first run:", ev.Time().Format(time.TimeOnly))
		break // interrupted
	}
	saved, _ := json.Marshal(src.Cursor()) // write it to a file, a database, …

	var cur cwlogs.Cursor
	if err := json.Unmarshal(saved, &cur); err != nil {
		log.Fatal(err)
	}
	src = cwlogs.New(client, "vpc-flow-logs", cwlogs.WithResume(&cur))
	for ev, err := range src.Events(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("resumed:", ev.Time().Format(time.TimeOnly))
	}
	// Output:
	// first run: 12:00:00
	// resumed: 12:01:00
	// resumed: 12:02:00
	// resumed: 12:03:00
}

// A progress line, as the examples/cwlogs program prints on stderr.
func ExampleWithProgress() {
	client, done := exampleClient()
	defer done()
	var last cwlogs.Progress
	src := cwlogs.New(client, "vpc-flow-logs",
		cwlogs.WithStrategy(cwlogs.FilterLogEvents),
		cwlogs.WithProgress(func(p cwlogs.Progress) { last = p }))
	for _, err := range src.Events(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("streams %d/%d  events %d  bytes %d  throttles %d\n",
		last.StreamsDone, last.StreamsTotal, last.Events, last.Bytes, last.Throttles)
	// Output:
	// streams 1/1  events 4  bytes 398  throttles 0
}

// The client-side rates a Source keeps to by default, per Region.
func ExampleDefaultLimits() {
	for _, r := range []string{"us-east-1", "eu-central-1", "eu-west-3"} {
		fmt.Printf("%s %+v\n", r, cwlogs.DefaultLimits(r))
	}
	// Output:
	// us-east-1 {FilterLogEvents:20 GetLogEvents:20 DescribeLogStreams:20}
	// eu-central-1 {FilterLogEvents:4 GetLogEvents:8 DescribeLogStreams:20}
	// eu-west-3 {FilterLogEvents:8 GetLogEvents:24 DescribeLogStreams:20}
}
