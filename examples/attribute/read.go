package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// reading is how flow logs are read (window, format, lenient mode) and
// what was read, per file: the counts that tell an empty input from a
// window that missed, and -lenient's per-file report.
type reading struct {
	since, until time.Time
	format       *flowlogs.Format
	lenient      bool
	progress     *cli.Progress

	mu      sync.Mutex
	sources []string        // what was asked for, for messages
	read    []source.Source // what was read, listed: -export reads it again
	objects int64           // files or objects read
	stats   flowlogs.Stats
	skipped []skippedFile
}

type skippedFile struct {
	name  string
	lines int64
	first string
}

// windowed reports whether -since or -until was given.
func (rd *reading) windowed() bool { return !rd.since.IsZero() || !rd.until.IsZero() }

// readerOptions are the options of every flowlogs.Reader.
func (rd *reading) readerOptions() []flowlogs.Option {
	return append([]flowlogs.Option{flowlogs.WithFields(attribution.Fields()...)}, rd.recordOptions()...)
}

// recordOptions choose the records read (format, lenience, window), with
// every field: -export reads the run's records again with them.
func (rd *reading) recordOptions() []flowlogs.Option {
	var opts []flowlogs.Option
	if rd.format != nil {
		opts = append(opts, flowlogs.WithFormat(rd.format))
	}
	if rd.lenient {
		opts = append(opts, flowlogs.WithLenient(1))
	}
	if rd.windowed() {
		opts = append(opts, flowlogs.WithFilter(flowlogs.Filter{Since: rd.since, Until: rd.until}))
	}
	return opts
}

// prune is the window as source.Prune, for sources laid out like S3
// delivery.
func (rd *reading) prune() source.Prune {
	return source.Prune{Since: rd.since, Until: rd.until}
}

// sourceOptions are the options of source.Records: the reader options and
// the per-object report.
func (rd *reading) sourceOptions() []source.Option {
	return []source.Option{
		source.WithReaderOptions(rd.readerOptions()...),
		source.WithObjectDone(func(o source.Object, st flowlogs.Stats, m []*flowlogs.ParseError, err error) {
			rd.done(o.Name, max(o.Size, 0), st, m)
		}),
	}
}

// done counts one file or object read.
func (rd *reading) done(name string, size int64, st flowlogs.Stats, m []*flowlogs.ParseError) {
	rd.mu.Lock()
	rd.objects++
	rd.stats.Records += st.Records
	rd.stats.Returned += st.Returned
	rd.stats.Lines += st.Lines
	rd.stats.Headers += st.Headers
	rd.stats.Malformed += st.Malformed
	if st.Malformed > 0 {
		s := skippedFile{name: name, lines: st.Malformed}
		if len(m) > 0 {
			s.first = m[0].Error()
		}
		rd.skipped = append(rd.skipped, s)
	}
	rd.mu.Unlock()
	rd.progress.Add(1, st.Records, size)
}

// reportSkipped prints -lenient's count of skipped lines per file, with
// the first reason of each.
func (rd *reading) reportSkipped(w io.Writer) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if !rd.lenient {
		return
	}
	sort.Slice(rd.skipped, func(i, j int) bool { return rd.skipped[i].name < rd.skipped[j].name })
	for _, s := range rd.skipped {
		fmt.Fprintf(w, "attribute: -lenient: skipped %d malformed lines in %s; first: %s\n", s.lines, s.name, s.first)
	}
	if len(rd.skipped) == 0 {
		fmt.Fprintf(w, "attribute: -lenient: no malformed lines in %d files\n", rd.objects)
	}
}

// answer is what checkAnswer needs of a Result or a Partial.
type answer struct {
	total        attribution.Totals
	attributed   uint64 // records
	first, last  time.Time
	unattributed []attribution.Unattributed
}

// resultAnswer reads the answer from a Result, or from ResultStream's
// head, which has no groups: every record counted is attributed or
// unattributed.
func resultAnswer(r *attribution.Result) answer {
	return answer{total: r.Total, attributed: r.Total.Records - r.UnattributedTotal().Records,
		first: r.First, last: r.Last, unattributed: r.Unattributed}
}

// partialAnswer reads the answer from a partial's head, without its
// tasks: every record counted is attributed or unattributed.
func partialAnswer(p *attribution.Partial) answer {
	a := answer{total: p.Total, attributed: p.Total.Records, first: p.First, last: p.Last}
	for _, u := range p.Unattributed {
		a.unattributed = append(a.unattributed, u.Unattributed)
		a.attributed -= u.Records
	}
	return a
}

// checkAnswer turns answers that would be silent zeros into errors: no
// files, no records, no records in the window, or nothing attributed
// (saying both time spans when they do not meet).
func checkAnswer(r answer, ix *history.Index, rd *reading) error {
	from := strings.Join(rd.sources, ", ")
	if r.total.Records == 0 {
		switch {
		case rd.objects == 0 && strings.HasPrefix(from, "log group "):
			return fmt.Errorf("no streams with flow-log events in %s for %s (-since/-until)", from, cli.Span(rd.since, rd.until))
		case rd.objects == 0:
			if rd.windowed() {
				return fmt.Errorf("no flow-log files in %s for %s (-since/-until)", from, cli.Span(rd.since, rd.until))
			}
			return fmt.Errorf("no flow-log files in %s", from)
		case rd.stats.Records > 0:
			return fmt.Errorf("none of the %d records read from %s lies in %s (-since/-until)", rd.stats.Records, from, cli.Span(rd.since, rd.until))
		default:
			return fmt.Errorf("no flow-log records in %s: %d files read, all empty or header lines only", from, rd.objects)
		}
	}
	if r.attributed > 0 {
		return nil
	}
	tFrom, tTo, n := taskSpan(ix)
	flowSpan := cli.Span(r.first, r.last)
	if n > 0 && (!tTo.IsZero() && tTo.Before(r.first) || !tFrom.IsZero() && tFrom.After(r.last)) {
		return fmt.Errorf("the task data and the flow logs do not overlap in time: %d tasks span %s, the flow-log records start %s",
			n, cli.Span(tFrom, tTo), flowSpan)
	}
	var why []string
	for _, u := range r.unattributed {
		why = append(why, fmt.Sprintf("%s %d", u.Reason, u.Records))
	}
	return fmt.Errorf("no record could be attributed to a task (%d records starting %s; unattributed: %s; the %d tasks span %s)",
		r.total.Records, flowSpan, strings.Join(why, ", "), n, cli.Span(tFrom, tTo))
}

// taskSpan is when the history's tasks held their network identity: the
// earliest start and the latest end (zero when one is still open).
func taskSpan(ix *history.Index) (from, to time.Time, n int) {
	open := false
	for _, t := range ix.Tasks() {
		n++
		if s := t.Valid.Start; !s.IsZero() && (from.IsZero() || s.Before(from)) {
			from = s
		}
		switch e := t.Valid.End; {
		case e.IsZero():
			open = true
		case e.After(to):
			to = e
		}
	}
	if open {
		to = time.Time{}
	}
	return from, to, n
}
