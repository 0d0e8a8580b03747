// Package awscall tries an idempotent AWS read again where the SDK's
// retryer stops: a response body cut after its status, which the SDK
// returns as a deserialization error and does not retry
// (aws/aws-sdk-go-v2#1825), and a call the retryer gave up on, its
// attempts (3 by default) or its retry quota spent on throttling, 5xx
// answers or dropped connections. A long read (a cluster's tasks, a
// thousand pages) then survives a busy minute instead of losing every page
// it has read.
package awscall

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// CutBody reports a response whose body ended before its Content-Length:
// a connection dropped mid-transfer after a 200 status.
func CutBody(err error) bool {
	var de *smithy.DeserializationError
	return errors.As(err, &de) && errors.Is(err, io.ErrUnexpectedEOF)
}

// Retryable reports an error worth another call: a cut body, the retry
// quota spent, or one the SDK's default retryables call retryable
// (throttling, 500, 502, 503, 504, connection errors, timeouts of the
// transport), found through the retryer's MaxAttemptsError. A canceled
// context is not: the SDK's CanceledError, or a context error that is not
// a transport's. A dial or an http.Client.Timeout that timed out matches
// context.DeadlineExceeded too (net and net/http make their timeout
// errors do so), though the caller's context is live; the SDK retries it
// as a connection error, and so is it here ([Policy.Do] stops when its
// context is over).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var canceled *smithy.CanceledError
	if errors.As(err, &canceled) {
		return false
	}
	var ue *url.Error
	var oe *net.OpError
	transport := errors.As(err, &ue) || errors.As(err, &oe)
	if !transport && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return false
	}
	var q ratelimit.QuotaExceededError
	if CutBody(err) || errors.As(err, &q) {
		return true
	}
	return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary
}

// Policy is how often, and how far apart, calls are tried.
type Policy struct {
	Tries               int           // calls in all, the first included
	Backoff, MaxBackoff time.Duration // the first wait, doubled up to MaxBackoff
}

// Default is the policy of the library's reads: 8 calls, waiting 0.5 s,
// 1 s, 2 s … up to 20 s (the SDK's own longest backoff) between them,
// about a minute in all.
var Default = Policy{Tries: 8, Backoff: 500 * time.Millisecond, MaxBackoff: 20 * time.Second}

// Do calls fn until it returns nil or an error that is not Retryable,
// Tries times at most, or until ctx ends; it returns fn's last error
// (joined with the context's, when that ended the wait).
func (p Policy) Do(ctx context.Context, fn func() error) error {
	wait := p.Backoff
	for try := 1; ; try++ {
		err := fn()
		if try >= p.Tries || !Retryable(err) {
			return err
		}
		if ctx.Err() != nil { // a timeout of the transport, but the caller's context is over too
			return errors.Join(err, ctx.Err())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, p.MaxBackoff)
	}
}

// Next returns a paginator's next page (pass its NextPage method), asked
// again with Default's policy: a paginator keeps its place when a call
// fails.
func Next[T, O any](ctx context.Context, next func(context.Context, ...func(*O)) (T, error)) (T, error) {
	var page T
	err := Default.Do(ctx, func() (err error) { page, err = next(ctx); return err })
	return page, err
}
