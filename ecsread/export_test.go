package ecsread

import (
	"time"

	"github.com/ecsnet/ecsnet/internal/awscall"
)

// ShortRetries makes the calls' retry policy wait a millisecond between
// tries, for the life of the test binary.
func ShortRetries() {
	retryPolicy = awscall.Policy{Tries: awscall.Default.Tries, Backoff: time.Millisecond, MaxBackoff: time.Millisecond}
}
