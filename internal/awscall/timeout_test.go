package awscall

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// TestTransportTimeoutIsRetryable: a dial that timed out matches
// context.DeadlineExceeded (net makes its timeout errors do so) but is a
// connection error the SDK retries, not the caller's context ending; the
// SDK's CanceledError is.
func TestTransportTimeoutIsRetryable(t *testing.T) {
	// A dial whose deadline has passed fails at once with net's own
	// timeout error, without touching the network.
	_, derr := (&net.Dialer{Deadline: time.Now().Add(-time.Second)}).Dial("tcp", "127.0.0.1:1")
	if !errors.Is(derr, context.DeadlineExceeded) {
		t.Fatalf("dial error %v does not match context.DeadlineExceeded", derr)
	}
	dial := &url.Error{Op: "Post", URL: "https://ecs.us-east-1.amazonaws.com/", Err: derr}
	gaveUp := &retry.MaxAttemptsError{Attempt: 3, Err: &smithyhttp.RequestSendError{Err: dial}}
	if !Retryable(gaveUp) {
		t.Errorf("Retryable(%v) = false", gaveUp)
	}
	canceled := fmt.Errorf("op: %w", &smithy.CanceledError{Err: context.DeadlineExceeded})
	if Retryable(canceled) {
		t.Errorf("Retryable(%v) = true", canceled)
	}
}
