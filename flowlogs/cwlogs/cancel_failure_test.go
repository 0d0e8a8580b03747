package cwlogs

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// deniedAtCancelAPI answers GetLogEvents with a failure no retry
// mends as the caller's context ends (the answer and the cancel
// crossing).
type deniedAtCancelAPI struct {
	onePageAPI
	cancel context.CancelFunc
}

func (a *deniedAtCancelAPI) GetLogEvents(context.Context, *cloudwatchlogs.GetLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	a.cancel()
	return nil, &types.ResourceAlreadyExistsException{Message: aws.String("not retryable")}
}

// readFailingAtCancel reads a stream whose one call fails as it cancels
// the read's context, and returns the error the read ended with.
func readFailingAtCancel(t *testing.T) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	api := &deniedAtCancelAPI{cancel: cancel}
	src := New(api, "flows", WithStrategy(GetLogEvents), WithRateLimits(Limits{}), WithConcurrency(1))
	var last error
	for _, err := range src.Events(ctx) {
		if err == nil {
			t.Fatal("an event from a failed read")
		}
		last = err
	}
	return last
}

// TestFailureAtCancelWrapsCanceled: Events promises that ctx's end
// ends the sequence "with an error wrapping ctx's". A failure that came
// as the context ended was returned alone: a caller telling an
// interrupted read from a failed one by errors.Is(err, context.Canceled)
// took the interrupt for a failure. Both are in the error now.
func TestFailureAtCancelWrapsCanceled(t *testing.T) {
	last := readFailingAtCancel(t)
	if !errors.Is(last, context.Canceled) {
		t.Errorf("read ended with %v, want an error wrapping context.Canceled", last)
	}
	var re *types.ResourceAlreadyExistsException
	if !errors.As(last, &re) {
		t.Errorf("read ended with %v, want the call's failure kept", last)
	}
}

// TestFailureAtCancelNamesStream: "An error of a read names ... the
// stream (GetLogEvents)": a failure of its own that came as the context
// ended lost the stream's name (named only while the read's context was
// live), not only a context error.
func TestFailureAtCancelNamesStream(t *testing.T) {
	last := readFailingAtCancel(t)
	if last == nil || !strings.Contains(last.Error(), "stream "+eniName(0)) {
		t.Errorf("read ended with %v, want it to name stream %s", last, eniName(0))
	}
}
