package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	smithy "github.com/aws/smithy-go"
)

func newLogsClient(l *Logs) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = l.BaseEndpoint() })
}

// fillLogs stores streams×events events; event i of stream s has timestamp
// base + i*1000 + s (so streams interleave) and a few share a timestamp.
func fillLogs(l *Logs, group string, streams, events int) {
	for s := 0; s < streams; s++ {
		evs := make([]LogEvent, events)
		for i := range evs {
			evs[i] = LogEvent{Timestamp: 1_700_000_000_000 + int64(i/2)*1000 + int64(s),
				Message: fmt.Sprintf("2 123456789012 eni-%04d 10.0.0.1 10.0.0.2 443 %d 6 1 40 1700000000 1700000060 ACCEPT OK", s, i)}
		}
		l.Put(group, fmt.Sprintf("eni-%04d", s), evs...)
	}
}

func wantErrCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func TestLogsFilterLogEventsPagesThroughEmptyAndPartialPages(t *testing.T) {
	l := NewLogs(LogsOptions{PageEvents: 70, PartialPages: true, EmptyPageEvery: 3})
	defer l.Close()
	fillLogs(l, "g", 120, 50)
	c := newLogsClient(l)
	ctx := context.Background()

	var names []string
	for s := 0; s < 100; s++ {
		names = append(names, fmt.Sprintf("eni-%04d", s))
	}
	p := cloudwatchlogs.NewFilterLogEventsPaginator(c, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String("g"), LogStreamNames: names})
	seen := map[string]int{}
	empty, pages := 0, 0
	var lastTS int64
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.Events) == 0 && out.NextToken != nil {
			empty++
		}
		for _, e := range out.Events {
			seen[*e.EventId]++
			if *e.Timestamp < lastTS {
				t.Fatalf("events out of timestamp order")
			}
			lastTS = *e.Timestamp
		}
	}
	if empty == 0 {
		t.Fatal("no empty page with a token was served")
	}
	if len(seen) != 100*50 {
		t.Fatalf("got %d distinct events over %d pages, want %d", len(seen), pages, 100*50)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("event %s seen %d times", id, n)
		}
	}

	// Time window is inclusive at both ends for FilterLogEvents.
	out, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"),
		LogStreamNamePrefix: aws.String("eni-0000"), StartTime: aws.Int64(1_700_000_001_000), EndTime: aws.Int64(1_700_000_002_000), Limit: aws.Int32(100)})
	if err != nil {
		t.Fatal(err)
	}
	n := len(out.Events)
	for out.NextToken != nil {
		out, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"),
			LogStreamNamePrefix: aws.String("eni-0000"), StartTime: aws.Int64(1_700_000_001_000), EndTime: aws.Int64(1_700_000_002_000), Limit: aws.Int32(100), NextToken: out.NextToken})
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.Events)
	}
	if n != 4 {
		t.Fatalf("inclusive window: got %d events, want 4", n)
	}

	_, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: append(names, "eni-0100")})
	wantErrCode(t, err, "InvalidParameterException")
	_, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: names[:1], LogStreamNamePrefix: aws.String("eni")})
	wantErrCode(t, err, "InvalidParameterException")
	_, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(10001)})
	wantErrCode(t, err, "InvalidParameterException")
	_, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: []string{"eni-none"}})
	wantErrCode(t, err, "ResourceNotFoundException")
	_, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("nope")})
	wantErrCode(t, err, "ResourceNotFoundException")
}

func TestLogsGetLogEventsForwardTokenRepeatsAtEnd(t *testing.T) {
	l := NewLogs(LogsOptions{PageEvents: 7, PartialPages: true, EmptyPageEvery: 4})
	defer l.Close()
	fillLogs(l, "g", 2, 100)
	c := newLogsClient(l)
	ctx := context.Background()

	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("eni-0001"), StartFromHead: aws.Bool(true)}
	p := cloudwatchlogs.NewGetLogEventsPaginator(c, in, func(o *cloudwatchlogs.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	var got []string
	empty := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Events) == 0 && p.HasMorePages() {
			empty++
		}
		for _, e := range out.Events {
			got = append(got, *e.Message)
		}
	}
	if len(got) != 100 || empty == 0 {
		t.Fatalf("got %d events, %d empty mid-stream pages; want 100 and some", len(got), empty)
	}
	var want []string
	for _, e := range l.Events("g") {
		if e.Stream == "eni-0001" {
			want = append(want, e.Message)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatal("stream read differs from stored events")
	}

	// The end of the stream returns exactly the token passed in.
	out, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("eni-0001"),
		StartFromHead: aws.Bool(true), StartTime: aws.Int64(1_700_000_049_000)})
	if err != nil {
		t.Fatal(err)
	}
	tok := *out.NextForwardToken
	for {
		out, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("eni-0001"),
			StartFromHead: aws.Bool(true), StartTime: aws.Int64(1_700_000_049_000), NextToken: &tok})
		if err != nil {
			t.Fatal(err)
		}
		if *out.NextForwardToken == tok {
			break
		}
		tok = *out.NextForwardToken
	}

	// endTime is exclusive for GetLogEvents; without startFromHead the newest
	// events come first.
	out, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("eni-0000"),
		EndTime: aws.Int64(1_700_000_002_000), Limit: aws.Int32(100)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(out.Events); n == 0 || n > 4 || *out.Events[n-1].Timestamp != 1_700_000_001_000 {
		t.Fatalf("tail read before an exclusive end: %d events", n)
	}
	_, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("eni-9")})
	wantErrCode(t, err, "ResourceNotFoundException")
}

func TestLogsDescribeLogStreamsPaging(t *testing.T) {
	l := NewLogs(LogsOptions{})
	defer l.Close()
	fillLogs(l, "g", 130, 2)
	l.Put("g", "other", LogEvent{Timestamp: 5, Message: "x"})
	c := newLogsClient(l)
	ctx := context.Background()
	p := cloudwatchlogs.NewDescribeLogStreamsPaginator(c, &cloudwatchlogs.DescribeLogStreamsInput{
		LogGroupName: aws.String("g"), LogStreamNamePrefix: aws.String("eni-")})
	var names []string
	calls := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		calls++
		for _, s := range out.LogStreams {
			names = append(names, *s.LogStreamName)
			if s.LastEventTimestamp == nil || s.FirstEventTimestamp == nil {
				t.Fatal("missing event timestamps")
			}
		}
	}
	if len(names) != 130 || calls != 3 || !sort.StringsAreSorted(names) {
		t.Fatalf("got %d names in %d calls", len(names), calls)
	}
	_, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(51)})
	wantErrCode(t, err, "InvalidParameterException")
	_, err = c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"),
		LogStreamNamePrefix: aws.String("eni"), OrderBy: "LastEventTime"})
	wantErrCode(t, err, "InvalidParameterException")
}

func TestLogsUnderFaultsAndIAM(t *testing.T) {
	l := NewLogs(LogsOptions{PageEvents: 10})
	defer l.Close()
	fillLogs(l, "g", 3, 40)
	l.SetFaults(Faults{ThrottleEvery: 3, ServerErrorEvery: 5, DropEvery: 7})
	c := newLogsClient(l)
	ctx := context.Background()
	p := cloudwatchlogs.NewFilterLogEventsPaginator(c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g")})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.Events)
	}
	if n != 120 || l.Faulted()["logs:FilterLogEvents"] == 0 {
		t.Fatalf("read %d events under faults (faulted %v)", n, l.Faulted())
	}
	l.SetFaults(Faults{})
	l.Allow("logs:GetLogEvents")
	_, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g")})
	wantErrCode(t, err, "AccessDeniedException")
}

func TestLogsDescribeByLastEventTimeAndBackwardPaging(t *testing.T) {
	l := NewLogs(LogsOptions{})
	defer l.Close()
	l.Put("g", "b", LogEvent{Timestamp: 300, Message: "b"})
	l.Put("g", "a", LogEvent{Timestamp: 100, Message: "a"})
	l.Put("g", "c", LogEvent{Timestamp: 200, Message: "c1"}, LogEvent{Timestamp: 250, Message: "c2"}, LogEvent{Timestamp: 260, Message: "c3"})
	c := newLogsClient(l)
	ctx := context.Background()
	out, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"),
		OrderBy: "LastEventTime", Descending: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range out.LogStreams {
		names = append(names, *s.LogStreamName)
	}
	if fmt.Sprint(names) != "[b c a]" {
		t.Fatalf("order %v", names)
	}
	// Backward from the tail: newest page first, each page oldest first.
	g, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("c"), Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Events) != 2 || *g.Events[0].Message != "c2" {
		t.Fatalf("tail page %v", g.Events)
	}
	g, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("c"), Limit: aws.Int32(2), NextToken: g.NextBackwardToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Events) != 1 || *g.Events[0].Message != "c1" {
		t.Fatalf("previous page %v", g.Events)
	}
	// A forward token needs startFromHead, as the API reference says.
	_, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("c"), NextToken: g.NextForwardToken})
	wantErrCode(t, err, "InvalidParameterException")
	l.DeleteLogStream("g", "c")
	_, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("c")})
	wantErrCode(t, err, "ResourceNotFoundException")
}

func TestLogsCutBodyEvery(t *testing.T) {
	l := NewLogs(LogsOptions{})
	defer l.Close()
	l.Put("g", "s", LogEvent{Timestamp: 1, Message: "hello"})
	l.SetCutBodyEvery(2)
	c := newLogsClient(l)
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")}
	if _, err := c.GetLogEvents(context.Background(), in); err != nil {
		t.Fatalf("first answer: %v", err)
	}
	_, err := c.GetLogEvents(context.Background(), in)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("second answer: got %v, want an unexpected EOF", err)
	}
	if l.CutBodies() != 1 || l.Calls()["logs:GetLogEvents"] != 2 {
		t.Fatalf("cut %d, calls %v", l.CutBodies(), l.Calls())
	}
}
