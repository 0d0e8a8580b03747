package cwlogs

import (
	"context"
	"errors"
	"iter"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// WithFormats gives the record format(s) of the log group's events: the
// LogFormat of each flow log delivering to it (see sub-package ec2format,
// which reads them from EC2 DescribeFlowLogs). Without it, events are parsed
// with [flowlogs.DefaultFormat].
//
// Several flow logs may write one group, even one stream (an ENI covered by
// an ACCEPT-only and a REJECT-only flow log, or by a VPC- and an ENI-level
// one). An event is parsed with the format whose field count matches its
// own; when several formats have that count, with the first of them that
// parses it (the one that last worked for the stream is tried first).
func WithFormats(fs ...*flowlogs.Format) Option {
	return func(c *config) { c.formats = append([]*flowlogs.Format(nil), fs...) }
}

// WithLenient makes [Source.Records] skip events that do not parse instead of
// stopping with a *flowlogs.ParseError; they are counted in
// Progress.Malformed and the first keep are returned by [Source.Malformed].
func WithLenient(keep int) Option {
	return func(c *config) { c.lenient, c.keep = true, max(keep, 0) }
}

// WithFilter drops records that do not match f (see [flowlogs.WithFilter]); it is
// applied after parsing, so select ENIs with [WithENIs] where you can: that
// skips whole streams.
func WithFilter(f flowlogs.Filter) Option { return func(c *config) { c.filter = f } }

// Malformed returns the first malformed events of the last Records read
// (see [WithLenient]).
func (s *Source) Malformed() []*flowlogs.ParseError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*flowlogs.ParseError(nil), s.malformed...)
}

// Records reads the log group like [Source.Events] and yields each event
// parsed as a flow-log record. The *Record is reused by the next iteration:
// copy it (rec := *r) or Clone it to keep it; its string fields are interned
// and stay valid. A parse error is a *flowlogs.ParseError whose Source is
// "<group>/<stream>@<event ID>"; it stops the read unless [WithLenient].
//
// The cursor counts an event as delivered when it is yielded or skipped
// (malformed, or filtered out), so a resumed read does not parse it again.
func (s *Source) Records(ctx context.Context) iter.Seq2[*flowlogs.Record, error] {
	return func(yield func(*flowlogs.Record, error) bool) {
		fs := s.cfg.formats
		if len(fs) == 0 {
			fs = []*flowlogs.Format{flowlogs.DefaultFormat}
		}
		ps := newMultiParser(fs)
		var rec flowlogs.Record
		s.mu.Lock()
		s.malformed = nil
		s.mu.Unlock()
		filter := s.cfg.filter
		useFilter := !filter.IsZero()
		for ev, err := range s.Events(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			if err := ps.parse(&ev, &rec); err != nil {
				var pe *flowlogs.ParseError
				if !errors.As(err, &pe) {
					pe = &flowlogs.ParseError{Err: err}
				}
				pe.Name = s.group + "/" + ev.Stream + "@" + ev.ID
				if !s.cfg.lenient {
					yield(nil, pe)
					return
				}
				s.mu.Lock()
				s.prog.Malformed++
				if len(s.malformed) < s.cfg.keep {
					s.malformed = append(s.malformed, pe)
				}
				s.mu.Unlock()
				continue
			}
			if useFilter && !filter.Match(&rec) {
				continue
			}
			if !yield(&rec, nil) {
				return
			}
		}
	}
}

// multiParser picks a format per event (see Formats).
type multiParser struct {
	parsers []*flowlogs.Parser
	byLen   map[int][]int // field count -> parser indexes
	last    map[string]int
	buf     []byte
}

func newMultiParser(fs []*flowlogs.Format) *multiParser {
	m := &multiParser{byLen: map[int][]int{}, last: map[string]int{}}
	for i, f := range fs {
		m.parsers = append(m.parsers, flowlogs.NewParser(f, flowlogs.FieldSet{}))
		m.byLen[f.Len()] = append(m.byLen[f.Len()], i)
	}
	return m
}

func countFields(b []byte) int {
	n, in := 0, false
	for _, c := range b {
		sp := c == ' ' || c == '\t' || c == '\r' || c == '\n'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

func (m *multiParser) parse(ev *Event, rec *flowlogs.Record) error {
	m.buf = append(m.buf[:0], ev.Message...)
	if len(m.parsers) == 1 {
		return m.parsers[0].Parse(m.buf, rec)
	}
	cands := m.byLen[countFields(m.buf)]
	if len(cands) == 0 {
		return m.parsers[0].Parse(m.buf, rec) // reports missing or extra fields
	}
	if len(cands) == 1 {
		return m.parsers[cands[0]].Parse(m.buf, rec)
	}
	if i, ok := m.last[ev.Stream]; ok {
		if err := m.parsers[i].Parse(m.buf, rec); err == nil {
			return nil
		}
	}
	var first error
	for _, i := range cands {
		err := m.parsers[i].Parse(m.buf, rec)
		if err == nil {
			m.last[ev.Stream] = i
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}
