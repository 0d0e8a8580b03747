package awscall

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

func TestRetryable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&smithy.DeserializationError{Err: io.ErrUnexpectedEOF}, true},
		{&smithy.DeserializationError{Err: errors.New("bad json")}, false},
		{&retry.MaxAttemptsError{Attempt: 3, Err: &smithy.GenericAPIError{Code: "ThrottlingException"}}, true},
		{fmt.Errorf("op: %w", &smithy.GenericAPIError{Code: "ThrottlingException"}), true},
		{&smithy.GenericAPIError{Code: "AccessDeniedException"}, false},
		{&smithy.GenericAPIError{Code: "ClientException"}, false},
		{ratelimit.QuotaExceededError{Available: 0, Requested: 5}, true},
		{context.Canceled, false},
		{fmt.Errorf("op: %w", context.DeadlineExceeded), false},
		{errors.New("read tcp: connection reset by peer"), true},
	} {
		if got := Retryable(c.err); got != c.want {
			t.Errorf("Retryable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestDo(t *testing.T) {
	p := Policy{Tries: 4, Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
	throttled := &smithy.GenericAPIError{Code: "ThrottlingException"}
	calls := 0
	if err := p.Do(context.Background(), func() error {
		if calls++; calls < 3 {
			return throttled
		}
		return nil
	}); err != nil || calls != 3 {
		t.Errorf("succeeds on the third call: %v after %d calls", err, calls)
	}
	calls = 0
	if err := p.Do(context.Background(), func() error { calls++; return throttled }); !errors.Is(err, throttled) || calls != 4 {
		t.Errorf("gives up after Tries: %v after %d calls", err, calls)
	}
	calls = 0
	denied := &smithy.GenericAPIError{Code: "AccessDeniedException"}
	if err := p.Do(context.Background(), func() error { calls++; return denied }); !errors.Is(err, denied) || calls != 1 {
		t.Errorf("does not retry what is not retryable: %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err := Policy{Tries: 10, Backoff: time.Hour, MaxBackoff: time.Hour}.Do(ctx, func() error { calls++; cancel(); return throttled })
	if !errors.Is(err, throttled) || !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("stops waiting when the context ends: %v after %d calls", err, calls)
	}
}

// TestNext: a paginator's page is asked again after a cut answer, with the
// options its NextPage takes (none are passed).
func TestNext(t *testing.T) {
	type options struct{}
	calls := 0
	next := func(ctx context.Context, opts ...func(*options)) (string, error) {
		if len(opts) != 0 {
			t.Errorf("options passed: %d", len(opts))
		}
		if calls++; calls == 1 {
			return "", &smithy.DeserializationError{Err: io.ErrUnexpectedEOF}
		}
		return "page", nil
	}
	saved := Default
	Default.Backoff = time.Millisecond
	defer func() { Default = saved }()
	if page, err := Next(context.Background(), next); err != nil || page != "page" || calls != 2 {
		t.Errorf("Next: %q, %v after %d calls", page, err, calls)
	}
}
