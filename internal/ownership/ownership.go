// Package ownership holds the one rule for who holds a key — a task ENI,
// an address, a host port — over time, shared by eni/history's lookups and
// flowlogs/attribution's index so that both always give the same owner.
package ownership

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Span is one owner's hold on a key: [Start, End) in Unix nanoseconds;
// math.MinInt64 and math.MaxInt64 are the open ends.
type Span[T any] struct {
	Start, End int64
	Owner      *T
}

// StartNanos is t as a span start; the zero time is "since always".
func StartNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return Nanos(t)
}

// EndNanos is t as a span end; the zero time is "still open".
func EndNanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MaxInt64
	}
	return Nanos(t)
}

// minNanos and maxNanos are the times Nanos saturates at.
var minNanos, maxNanos = time.Unix(0, math.MinInt64+1), time.Unix(0, math.MaxInt64-1)

// Nanos is t in Unix nanoseconds, for a span bound or an instant looked
// up: t.UnixNano where that is defined (the years 1678 to 2262), else the
// nearest value short of the open ends, so that a time past 2262 is
// still after every earlier one and inside a span open at the end
// (t.UnixNano would wrap).
func Nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanos):
		return math.MinInt64 + 1
	case t.After(maxNanos):
		return math.MaxInt64 - 1
	}
	return t.UnixNano()
}

// Disjoint sorts one key's spans by start (then end, then order when it is
// not nil; otherwise the input order is kept) and removes overlaps: the
// later owner takes the key at its start, or at the earlier owner's cut
// (its last possible traffic, e.g. a task's executionStoppedAt; 0 = none)
// when that falls inside the later owner's span. The same owner twice
// becomes one span. Spans left empty are dropped. v is reused.
//
// An owner's span starts at its creation, and the one created earlier of
// two loses the key for good at the later one's start. A task created
// before the address's last owner, that waited for capacity and was given
// the address only after that owner stopped, is then never its owner by
// address (by its own ENI it is, as that key has no other owner). Its
// startedAt would tell, but the interval table (eni/history/intervals)
// could not show it exactly: the rows would no longer tell such a start
// from a hand-off at an executionStoppedAt. Left so: it touches only the
// address fallback (trunk ENIs, records without an interface) and host
// ports an earlier-created bridge task is bound to after a later one.
func Disjoint[T any](v []Span[T], cut func(*T) int64, order func(a, b *T) int) []Span[T] {
	slices.SortStableFunc(v, func(a, b Span[T]) int {
		c := cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
		if c == 0 && order != nil {
			c = order(a.Owner, b.Owner)
		}
		return c
	})
	out := v[:0]
	for _, s := range v {
		for len(out) > 0 {
			p := &out[len(out)-1]
			if p.Owner == s.Owner { // the same owner twice (e.g. IPv4 from two fields)
				s.Start = min(s.Start, p.Start)
				s.End = max(s.End, p.End)
				out = out[:len(out)-1]
				continue
			}
			if p.End <= s.Start {
				break
			}
			b := s.Start
			if c := cut(p.Owner); c != 0 && c > s.Start && c < s.End {
				b = c
			}
			p.End, s.Start = b, b
			if p.End <= p.Start {
				out = out[:len(out)-1]
				continue
			}
			break
		}
		if s.Start < s.End {
			out = append(out, s)
		}
	}
	return slices.Clip(out)
}
