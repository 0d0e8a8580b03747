package history

import (
	"github.com/ecsnet/ecsnet/internal/ownership"
	"time"
)

// Interval is the half-open time range [Start, End) during which an owner
// held a resource. A zero Start means "from before anything we know"; a zero
// End means the interval is still open (the owner was not seen to stop).
type Interval struct {
	Start, End time.Time
}

// Contains reports whether t lies in [Start, End).
func (iv Interval) Contains(t time.Time) bool {
	n := ownership.Nanos(t)
	return ownership.StartNanos(iv.Start) <= n && n < ownership.EndNanos(iv.End)
}

// IsOpen reports whether the interval has no end yet.
func (iv Interval) IsOpen() bool { return iv.End.IsZero() }

func (iv Interval) String() string {
	s, e := "-inf", "open"
	if !iv.Start.IsZero() {
		s = iv.Start.UTC().Format(time.RFC3339Nano)
	}
	if !iv.End.IsZero() {
		e = iv.End.UTC().Format(time.RFC3339Nano)
	}
	return "[" + s + ", " + e + ")"
}
