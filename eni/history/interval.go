package history

import (
	"math"
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
	n := t.UnixNano()
	return startNanos(iv.Start) <= n && n < endNanos(iv.End)
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

// Index keys use Unix nanoseconds: comparing int64s keeps lookups cheap and
// maps the zero times to the open ends of the line.
func startNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

func endNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MaxInt64
	}
	return t.UnixNano()
}
