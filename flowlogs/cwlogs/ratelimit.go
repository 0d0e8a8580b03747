package cwlogs

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/middleware"

	"github.com/ecsnet/ecsnet/internal/awscall"
)

// limiter paces one operation's requests: at most rate per second, no
// bursts. It is adaptive (additive increase, multiplicative decrease, as TCP
// and the SDK's own adaptive retry mode do): a throttle halves the rate, down
// to 1/32 of the configured one, and every success wins back 1/50 of it.
type limiter struct {
	mu   sync.Mutex
	max  float64 // configured rate; <= 0 means unlimited
	rate float64
	next time.Time
}

func newLimiter(rps float64) *limiter { return &limiter{max: rps, rate: rps} }

func (l *limiter) wait(ctx context.Context) error {
	if l.max <= 0 {
		return ctx.Err()
	}
	l.mu.Lock()
	now := time.Now()
	t := l.next
	if t.Before(now) {
		t = now
	}
	l.next = t.Add(time.Duration(float64(time.Second) / l.rate))
	l.mu.Unlock()
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (l *limiter) throttled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 {
		l.rate = max(l.rate/2, l.max/32)
	}
}

func (l *limiter) succeeded() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 {
		l.rate = min(l.rate+l.max/50, l.max)
	}
}

func (l *limiter) current() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}

var throttles = retry.IsErrorThrottles(retry.DefaultThrottles)

func isThrottle(err error) bool {
	return err != nil && throttles.IsErrorThrottle(err) == aws.TrueTernary
}

// callState follows one logical call through the SDK's retry loop.
type callState struct {
	attempts  int
	throttles int
}

// attemptLimiter sits in the SDK stack right after the retry middleware, so
// it sees every attempt: retries wait for the limiter like first attempts,
// and throttled attempts that the SDK retries on its own still slow us down.
type attemptLimiter struct {
	lim   *limiter
	st    *callState
	stats *counters
}

func (attemptLimiter) ID() string { return "ecsnetCloudWatchLogsRateLimit" }

func (m attemptLimiter) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	m.st.attempts++
	if m.st.attempts > 1 { // the first attempt waited before the call
		if err := m.lim.wait(ctx); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
	}
	m.stats.requests.Add(1)
	out, md, err := next.HandleFinalize(ctx, in)
	m.observe(err)
	return out, md, err
}

func (m attemptLimiter) observe(err error) {
	if isThrottle(err) {
		m.st.throttles++
		m.stats.throttles.Add(1)
		m.lim.throttled()
	} else if err == nil {
		m.lim.succeeded()
	}
}

type counters struct {
	requests  atomic.Int64
	throttles atomic.Int64
}

// maxOuterRetries bounds how often a call the SDK gave up on (for
// throttling, a 5xx answer, a connection error or a transport timeout),
// or whose response body was cut (all of them awscall.Retryable), is tried
// again here (with the halved rate and a backoff); the read's progress is
// never thrown away for a passing outage, as the library's other reads
// (awscall.Policy) do not.
const maxOuterRetries = 8

// call runs one API call through the limiter. fn must pass opt to the SDK.
func call(ctx context.Context, lim *limiter, stats *counters, fn func(opt func(*cloudwatchlogs.Options)) error) error {
	backoff := 100 * time.Millisecond
	for try := 0; ; try++ {
		if err := lim.wait(ctx); err != nil {
			return err
		}
		st := &callState{}
		mw := attemptLimiter{lim: lim, st: st, stats: stats}
		err := fn(func(o *cloudwatchlogs.Options) {
			o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
				if err := s.Finalize.Insert(mw, "Retry", middleware.After); err != nil {
					return s.Finalize.Add(mw, middleware.After)
				}
				return nil
			})
		})
		if st.attempts == 0 { // the client ignored the option: account here
			stats.requests.Add(1)
			mw.observe(err)
		}
		if !awscall.Retryable(err) || try >= maxOuterRetries {
			return err
		}
		if ctx.Err() != nil { // a failure worth another call, but the caller's context is over
			return errors.Join(err, ctx.Err())
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}
