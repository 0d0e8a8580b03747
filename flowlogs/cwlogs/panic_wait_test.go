package cwlogs

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// slowStopAPI has four streams: the first answers at once, the others
// only once the read is cancelled, and then take a moment to return (a
// request being torn down). inflight counts the calls not yet returned.
type slowStopAPI struct {
	inflight atomic.Int32
}

func (a *slowStopAPI) DescribeLogStreams(context.Context, *cloudwatchlogs.DescribeLogStreamsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogStreamsOutput, error) {
	out := &cloudwatchlogs.DescribeLogStreamsOutput{}
	for i := range 4 {
		out.LogStreams = append(out.LogStreams, types.LogStream{LogStreamName: aws.String(eniName(i))})
	}
	return out, nil
}

func (a *slowStopAPI) GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	a.inflight.Add(1)
	defer a.inflight.Add(-1)
	if aws.ToString(in.LogStreamName) != eniName(0) {
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond)
		return nil, ctx.Err()
	}
	ts := base.UnixMilli()
	return &cloudwatchlogs.GetLogEventsOutput{
		Events:           []types.OutputLogEvent{{Timestamp: aws.Int64(ts), IngestionTime: aws.Int64(ts), Message: aws.String("x")}},
		NextForwardToken: aws.String("end"),
	}, nil
}

func (a *slowStopAPI) FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	panic("not used")
}

// TestEventsPanicWaitsForReads: breaking out of Events waits for
// the reading goroutines, but a panic in the loop's body left them
// running (and calling the API) after Events had returned, with the
// Source already marked idle, so that a new read could start beside them
// and count their requests as its own.
func TestEventsPanicWaitsForReads(t *testing.T) {
	api := &slowStopAPI{}
	src := New(api, "flows", WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithConcurrency(4))
	func() {
		defer func() {
			if p := recover(); p != "consumer's bug" {
				t.Errorf("recovered %v", p)
			}
		}()
		for _, err := range src.Events(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			// The other three streams' calls are under way by now.
			for api.inflight.Load() < 3 {
				time.Sleep(time.Millisecond)
			}
			panic("consumer's bug")
		}
	}()
	if n := api.inflight.Load(); n != 0 {
		t.Fatalf("%d calls of the read still running after Events returned", n)
	}
}
