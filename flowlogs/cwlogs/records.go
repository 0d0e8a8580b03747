package cwlogs

import (
	"cmp"
	"context"
	"errors"
	"iter"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// WithReaderOptions are the flowlogs options [Source.Records] parses
// events with, as source.WithReaderOptions passes them to the Reader of
// every object; several calls add up. Each event message is one header-less
// record line, so they apply per event:
//
//   - flowlogs.WithFormat, flowlogs.WithFormats: the record format(s) of
//     the group's events, the LogFormat of each flow log delivering to it
//     (sub-package ec2format reads them from EC2 DescribeFlowLogs). Several
//     flow logs may write one group, even one stream (an ENI covered by an
//     ACCEPT-only and a REJECT-only flow log, or by a VPC- and an ENI-level
//     one): an event is parsed with the format whose field count matches
//     its own, as [flowlogs.MultiParser] does, the one that last worked for
//     the stream tried first. Without any, events are parsed with
//     flowlogs.DefaultFormat.
//   - flowlogs.WithFields: only those fields (with log-status and the
//     filter's) are decoded, which is faster; formats that share their field
//     count with another are decoded whole, to tell them apart.
//   - flowlogs.WithFilter: drops records that do not match. It is applied
//     after parsing, so select ENIs with [WithENIs] and times with
//     [WithWindow] where you can: those skip whole streams and events.
//   - flowlogs.WithLenient(keep): events that do not parse are skipped
//     instead of stopping the read with a *flowlogs.ParseError; they are
//     counted in Progress.Malformed and the first keep are returned by
//     [Source.Malformed].
//   - flowlogs.WithSource(name): names the log group in errors, in place of
//     the name given to [New].
//   - flowlogs.WithMaxLineLength(n): an event message longer than n bytes
//     is malformed, a *flowlogs.ParseError wrapping
//     flowlogs.ErrLineTooLong. Unlike a Reader's over-long line, it stops
//     the read only in strict mode: the next event needs no
//     resynchronising. Without it, a message is as long as CloudWatch
//     Logs lets an event be.
//   - flowlogs.WithSyncDecompression is ignored: events arrive decoded in
//     the service's JSON responses, so nothing is decompressed.
func WithReaderOptions(opts ...flowlogs.Option) Option {
	return func(c *config) { c.reader = append(c.reader, opts...) }
}

// Malformed returns the first malformed events of the last Records read
// (see [WithReaderOptions] and flowlogs.WithLenient); every read starts
// the list anew, an Events read too (which leaves it empty).
func (s *Source) Malformed() []*flowlogs.ParseError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*flowlogs.ParseError(nil), s.malformed...)
}

// Records reads the log group like [Source.Events] and yields each event
// parsed as a flow-log record. The *Record is reused by the next iteration:
// copy it (rec := *r) or Clone it to keep it; its string fields are interned
// and stay valid. A parse error is a *flowlogs.ParseError whose Name is
// "<group>/<stream>@<event ID>"; it stops the read unless lenient. The
// flowlogs options of [WithReaderOptions] choose the formats, fields,
// filter and lenience.
//
// The cursor counts an event as delivered when it is yielded or skipped
// (malformed in lenient mode, or filtered out), so a resumed read does not
// parse it again; the malformed event that stops a strict read is not
// delivered, so a resumed read starts with it.
func (s *Source) Records(ctx context.Context) iter.Seq2[*flowlogs.Record, error] {
	return func(yield func(*flowlogs.Record, error) bool) {
		set := flowlogs.ResolveOptions(s.cfg.reader...)
		ps := flowlogs.NewMultiParser(set.Formats, set.Selection)
		name := cmp.Or(set.Source, s.group)
		var rec flowlogs.Record
		var buf []byte
		useFilter := !set.Filter.IsZero()
		for ev, err := range s.Events(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			if set.MaxLineLength > 0 && len(ev.Message) > set.MaxLineLength {
				err = flowlogs.ErrLineTooLong
			} else {
				buf = append(buf[:0], ev.Message...)
				err = ps.Parse(ev.Stream, buf, &rec)
			}
			if err != nil {
				var pe *flowlogs.ParseError
				if !errors.As(err, &pe) {
					pe = &flowlogs.ParseError{Err: err}
				}
				pe.Name = name + "/" + ev.Stream + "@" + ev.ID
				if !set.Lenient {
					// Not delivered: a read resumed from the cursor,
					// with the format mended, must parse it again.
					s.undeliver(&ev)
					yield(nil, pe)
					return
				}
				s.mu.Lock()
				s.prog.Malformed++
				if len(s.malformed) < set.Keep {
					s.malformed = append(s.malformed, pe)
				}
				s.mu.Unlock()
				continue
			}
			if useFilter && !set.Filter.Match(&rec) {
				continue
			}
			if !yield(&rec, nil) {
				return
			}
		}
	}
}
