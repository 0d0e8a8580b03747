package cwlogs

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// onePageAPI has one stream whose events all come in one GetLogEvents
// page: the read of the stream is over once that page is handed on.
type onePageAPI struct{ events int }

func (a *onePageAPI) DescribeLogStreams(context.Context, *cloudwatchlogs.DescribeLogStreamsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogStreamsOutput, error) {
	return &cloudwatchlogs.DescribeLogStreamsOutput{LogStreams: []types.LogStream{{LogStreamName: aws.String(eniName(0))}}}, nil
}

func (a *onePageAPI) GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := &cloudwatchlogs.GetLogEventsOutput{} // no token: the last page
	for i := range a.events {
		ts := base.UnixMilli() + int64(i)
		out.Events = append(out.Events, types.OutputLogEvent{Timestamp: aws.Int64(ts), IngestionTime: aws.Int64(ts), Message: aws.String("x")})
	}
	return out, nil
}

func (a *onePageAPI) FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	panic("not used")
}

// TestEventsStopsAtCancel: a caller that cancels its context in the
// loop must get no further event and an error wrapping context.Canceled.
// Events went on yielding the pages already fetched (up to 2×concurrency
// pages of 10,000 events) and then ended as if the read were complete.
func TestEventsStopsAtCancel(t *testing.T) {
	src := New(&onePageAPI{events: 5}, "flows", WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithConcurrency(1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range src.Events(ctx) {
		if err != nil {
			last = err
			break
		}
		n++
		cancel()
	}
	if n != 1 {
		t.Errorf("%d events yielded, want 1 (none after the cancel)", n)
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("read ended with %v, want an error wrapping context.Canceled", last)
	}
	// The cursor holds what was yielded, and the stream is not done.
	if p := src.Cursor().Streams[eniName(0)]; p == nil || p.Done {
		t.Errorf("cursor position %+v: want the stream's first event, not done", p)
	}
}

// throttledAtCancelAPI answers GetLogEvents with a throttling error the
// SDK would retry, as the caller's context ends (the answer and the
// cancel crossing).
type throttledAtCancelAPI struct {
	onePageAPI
	cancel context.CancelFunc
}

func (a *throttledAtCancelAPI) GetLogEvents(context.Context, *cloudwatchlogs.GetLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	a.cancel()
	return nil, &types.ThrottlingException{Message: aws.String("Rate exceeded")}
}

// TestThrottleAtCancelWrapsCanceled: a retryable failure seen once
// the caller's context has ended ends the read with an error wrapping
// context.Canceled (as awscall.Policy.Do joins them); call returned the
// throttling error alone.
func TestThrottleAtCancelWrapsCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	api := &throttledAtCancelAPI{cancel: cancel}
	src := New(api, "flows", WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithConcurrency(1))
	var last error
	for _, err := range src.Events(ctx) {
		if err == nil {
			t.Fatal("an event from a throttled read")
		}
		last = err
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("read ended with %v, want an error wrapping context.Canceled", last)
	}
}

// TestCallThrottleAtCancelJoinsCanceled: call itself, not only the read
// around it (whose end joins the caller's error anyway), returns a
// retryable failure seen once ctx has ended joined with ctx's error, at
// once, without another try or a backoff.
func TestCallThrottleAtCancelJoinsCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tries := 0
	err := call(ctx, newLimiter(0), &counters{}, func(func(*cloudwatchlogs.Options)) error {
		tries++
		cancel()
		return &types.ThrottlingException{Message: aws.String("Rate exceeded")}
	})
	var te *types.ThrottlingException
	if !errors.Is(err, context.Canceled) || !errors.As(err, &te) || tries != 1 {
		t.Errorf("call = %v after %d tries; want the throttle and context.Canceled, after 1", err, tries)
	}
}
