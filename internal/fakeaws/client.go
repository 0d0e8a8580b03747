package fakeaws

import (
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Config returns an aws.Config for the real SDK clients pointed at a fake:
// static credentials, a fixed region, and the SDK's standard retryer with
// many attempts, a tiny backoff and no retry quota, so injected faults are
// retried quickly and never exhaust a token bucket. Pass the server's URL
// as each client's BaseEndpoint (see [Server.BaseEndpoint]).
func Config() aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDFAKE", "fake-secret", ""),
		HTTPClient:  &http.Client{Timeout: 30 * time.Second},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 20
				o.Backoff = fixedBackoff(time.Millisecond)
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

// BaseEndpoint is the value for the clients' BaseEndpoint option.
func (s *Server) BaseEndpoint() *string { return aws.String(s.URL) }

type fixedBackoff time.Duration

func (b fixedBackoff) BackoffDelay(int, error) (time.Duration, error) { return time.Duration(b), nil }
