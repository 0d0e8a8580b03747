package cwlogs

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/loggroup"
	"golang.org/x/sync/errgroup"
)

// Event is one CloudWatch Logs event; for VPC Flow Logs, one record line.
type Event struct {
	Stream        string // log stream: the ENI ID for VPC Flow Logs
	ID            string // FilterLogEvents' eventId; derived for GetLogEvents, which returns none
	Timestamp     int64  // epoch ms (flow logs: the record's start)
	IngestionTime int64  // epoch ms
	Message       string
}

// Time returns the event timestamp.
func (e *Event) Time() time.Time { return time.UnixMilli(e.Timestamp).UTC() }

// Source reads the events of one log group. Configure it with options, then
// range over [Source.Events] (or [Source.Records]). A Source runs one read
// at a time; [Source.Cursor] and [Source.Progress] may be called at any time,
// from any goroutine.
type Source struct {
	api   API
	group string
	cfg   config

	running   atomic.Bool
	mu        sync.Mutex
	tr        *tracker
	prog      Progress
	stats     *counters
	malformed []*flowlogs.ParseError
	readLim   *limiter
	last      Event // the last event Events yielded, while lastOK
	lastOK    bool
}

// New returns a Source reading logGroup through api (normally a
// *cloudwatchlogs.Client): the group's name, or its ARN (with or without
// the ":*" DescribeLogGroups appends), which a monitoring account must
// give for a source account's group. CloudWatch Logs reads a group in its
// own Region only: a read of an ARN of another Region than the client's
// fails before any call, saying which Region to use.
func New(api API, logGroup string, opts ...Option) *Source {
	s := &Source{api: api, group: logGroup, stats: &counters{}}
	s.cfg.concurrency = 8
	s.cfg.slack = 3 * time.Hour
	for _, o := range opts {
		o(&s.cfg)
	}
	if s.cfg.concurrency < 1 {
		s.cfg.concurrency = 1
	}
	return s
}

// Cursor returns the position of the current or last read: what has been
// delivered so far. It is nil before a read starts.
func (s *Source) Cursor() *Cursor {
	s.mu.Lock()
	tr := s.tr
	s.mu.Unlock()
	if tr == nil {
		return nil
	}
	return tr.snapshot()
}

// undeliver takes back the delivery of ev, the last event Events yielded:
// from the cursor and the progress.
func (s *Source) undeliver(ev *Event) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastOK = false
	if !s.tr.unadmit(ev) {
		return false
	}
	s.prog.Events--
	s.prog.Bytes -= int64(len(ev.Message))
	return true
}

// TakeBack takes back the delivery of the last event Events yielded (the
// event of the last record Records yielded), for a consumer that broke
// out of the loop because it could not use it: its output failed, say.
// The cursor and the progress then count it as not delivered, so a read
// resumed from [Source.Cursor] starts with it, and nothing is lost. Call
// it in the loop's body before breaking out, or after the loop, before
// taking the cursor; not while another goroutine reads. It reports
// whether there was an event to take back: one at most, once, and none
// after a read that ran to its end (the consumer took every event).
func (s *Source) TakeBack() bool {
	s.mu.Lock()
	ev, ok := s.last, s.lastOK
	s.mu.Unlock()
	return ok && s.undeliver(&ev)
}

// Progress returns the progress of the current or last read.
func (s *Source) Progress() Progress {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.prog
	p.Requests, p.Throttles = s.stats.requests.Load(), s.stats.throttles.Load()
	if s.readLim != nil && s.readLim.max > 0 {
		p.Rate = s.readLim.current()
	}
	return p
}

// millis converts a window bound to epoch milliseconds, 0 for a zero
// (open) bound. Event timestamps are whole milliseconds, so for either
// bound ts >= t holds exactly when ts >= ceil(t), and ts < t exactly when
// ts < ceil(t): rounding up keeps [start, end) as given, where truncating
// would let in an event up to 1 ms before start and leave out one up to
// 1 ms before end.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	ms := t.UnixMilli() // rounds down: the sub-millisecond rest is never negative
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		ms++
	}
	return ms
}

type stream struct {
	name        string
	first, last *int64
}

// streams lists the streams to read, in name order.
//
// The listing is always in name order, which pages stably. Ordering by
// LastEventTime would let a past window's listing stop at the first
// stream older than the window, but that sort key moves while the pages
// are read: a stream that gets an event meanwhile (an ENI still in use)
// moves ahead of the page token and would be missed, with every event it
// has in the window. Streams outside the window are still skipped by
// their first and last event times, after the listing.
func (s *Source) streams(ctx context.Context, lim *limiter) ([]string, error) {
	var found []stream
	start, end := millis(s.cfg.start), millis(s.cfg.end)
	slack := s.cfg.slack.Milliseconds()
	list := func(prefix string, keep func(string) bool) error {
		in := &cloudwatchlogs.DescribeLogStreamsInput{Limit: aws.Int32(50)}
		in.LogGroupName, in.LogGroupIdentifier = s.groupParams()
		if prefix != "" {
			in.LogStreamNamePrefix = aws.String(prefix)
		}
		p := cloudwatchlogs.NewDescribeLogStreamsPaginator(limitedClient{s, lim}, in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("cwlogs: listing streams of %s: %w", s.group, err)
			}
			for _, ls := range out.LogStreams {
				if name := aws.ToString(ls.LogStreamName); keep(name) {
					found = append(found, stream{name, ls.FirstEventTimestamp, ls.LastEventTimestamp})
				}
			}
		}
		return nil
	}
	switch {
	case len(s.cfg.enis) > 0:
		want := map[string]bool{}
		for _, e := range s.cfg.enis {
			// Both options given: the streams both select.
			if strings.HasPrefix(e, s.cfg.prefix) {
				want[e] = true
			}
		}
		if len(want) == 0 {
			return nil, nil
		}
		keep := func(n string) bool { return want[eniOfStream(n)] }
		if len(want) <= exactLookupMax {
			// One prefix query per ENI is cheaper than listing a group that
			// may hold thousands of streams.
			names := make([]string, 0, len(want))
			for n := range want {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				if err := list(n, keep); err != nil {
					return nil, err
				}
			}
		} else if err := list(commonPrefix(s.cfg.enis), keep); err != nil {
			return nil, err
		}
	default:
		if err := list(s.cfg.prefix, func(string) bool { return true }); err != nil {
			return nil, err
		}
	}
	// lastEventTimestamp lags ingestion by up to the slack (wall clock),
	// so a stream's last event can look older than the window only when
	// the window ended a slack before now: a stream idle for hours that
	// got events in the last one still reports its old last event.
	settled := end != 0 && end+slack <= time.Now().UnixMilli()
	var names []string
	for _, st := range found {
		if slack >= 0 {
			if settled && start != 0 && st.last != nil && *st.last+slack < start {
				continue
			}
			if end != 0 && st.first != nil && *st.first-slack >= end {
				continue
			}
		}
		names = append(names, st.name)
	}
	sort.Strings(names)
	// Two ENIs' prefix queries list the same stream when one ID begins
	// the other (eni-1 and eni-12, or eni-a and eni-a-all): read once.
	return slices.Compact(names), nil
}

// exactLookupMax is the most ENIs looked up one DescribeLogStreams prefix
// query each; more are matched against a listing of the group.
const exactLookupMax = 10

func commonPrefix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	p := ss[0]
	for _, s := range ss[1:] {
		i := 0
		for i < len(p) && i < len(s) && p[i] == s[i] {
			i++
		}
		p = p[:i]
	}
	return p
}

// limitedClient runs the paginators' calls through the rate limiter.
type limitedClient struct {
	s   *Source
	lim *limiter
}

func (c limitedClient) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (out *cloudwatchlogs.FilterLogEventsOutput, err error) {
	err = call(ctx, c.lim, c.s.stats, func(opt func(*cloudwatchlogs.Options)) error {
		out, err = c.s.api.FilterLogEvents(ctx, in, append(optFns, opt)...)
		return err
	})
	return out, err
}

func (c limitedClient) GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, optFns ...func(*cloudwatchlogs.Options)) (out *cloudwatchlogs.GetLogEventsOutput, err error) {
	err = call(ctx, c.lim, c.s.stats, func(opt func(*cloudwatchlogs.Options)) error {
		out, err = c.s.api.GetLogEvents(ctx, in, append(optFns, opt)...)
		return err
	})
	return out, err
}

func (c limitedClient) DescribeLogStreams(ctx context.Context, in *cloudwatchlogs.DescribeLogStreamsInput, optFns ...func(*cloudwatchlogs.Options)) (out *cloudwatchlogs.DescribeLogStreamsOutput, err error) {
	err = call(ctx, c.lim, c.s.stats, func(opt func(*cloudwatchlogs.Options)) error {
		out, err = c.s.api.DescribeLogStreams(ctx, in, append(optFns, opt)...)
		return err
	})
	return out, err
}

// unit is one request chain: one stream (GetLogEvents) or up to 100
// (FilterLogEvents), from a start time on.
type unit struct {
	streams []string
	start   int64 // epoch ms, inclusive; 0 = open
}

type page struct {
	events []Event
	done   []string // streams finished once these events are delivered
}

// maxStreamNames is FilterLogEvents' limit on logStreamNames.
const maxStreamNames = 100

func (s *Source) limits() Limits {
	if s.cfg.limits != nil {
		return *s.cfg.limits
	}
	region := ""
	if c, ok := s.api.(interface{ Options() cloudwatchlogs.Options }); ok {
		region = c.Options().Region
	}
	return DefaultLimits(region)
}

// Events reads the log group and yields each event once. Events of one
// stream come in timestamp order; streams read in parallel interleave. A
// non-nil error ends the sequence; the events yielded before it were
// delivered, and [Source.Cursor] describes them. An error of a read
// names the log group, the strategy, and the stream (GetLogEvents) or
// the streams of the batch (FilterLogEvents) whose call failed. Breaking
// out of the loop stops the read; so does ctx's end, after which no event
// is yielded and the sequence ends with an error wrapping ctx's. Each
// call starts a new read (from the [WithResume] cursor, if one was given).
func (s *Source) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		if !s.running.CompareAndSwap(false, true) {
			yield(Event{}, errors.New("cwlogs: Source is already reading"))
			return
		}
		defer s.running.Store(false)
		// A new read's malformed events (Records): cleared here, once the
		// read is the only one, so that a call refused above leaves the
		// running read's list alone.
		s.mu.Lock()
		s.malformed = nil
		s.mu.Unlock()
		if err := s.read(ctx, yield); err != nil {
			yield(Event{}, err)
		}
	}
}

func (s *Source) read(ctx context.Context, yield func(Event, error) bool) error {
	began := time.Now()
	lims := s.limits()
	descLim := newLimiter(lims.DescribeLogStreams)
	start, end := millis(s.cfg.start), millis(s.cfg.end)
	if start != 0 && end != 0 && end <= start {
		// No event is in it, and FilterLogEvents would be sent an
		// endTime before its startTime, which CloudWatch Logs refuses.
		return fmt.Errorf("cwlogs: the window [%s, %s) is empty: no event can be in it",
			s.cfg.start.UTC().Format(time.RFC3339Nano), s.cfg.end.UTC().Format(time.RFC3339Nano))
	}
	if !s.cfg.strategy.known() {
		return fmt.Errorf("cwlogs: unknown strategy %q: want FilterLogEvents, GetLogEvents or Auto", string(s.cfg.strategy))
	}
	if c, ok := s.api.(interface{ Options() cloudwatchlogs.Options }); ok {
		// Said before any call: CloudWatch Logs would refuse the ARN.
		if err := loggroup.CheckRegion(s.group, c.Options().Region); err != nil {
			return fmt.Errorf("cwlogs: %w", err)
		}
	}
	cur := &Cursor{Version: CursorVersion, LogGroup: s.group, StartMillis: start, EndMillis: end, Strategy: s.cfg.strategy}
	if s.cfg.resume != nil {
		if err := s.cfg.resume.check(s.group, start, end, s.cfg.strategy); err != nil {
			return err
		}
		cur = s.cfg.resume.clone()
		if cur.Strategy == Auto {
			// Written before a strategy was chosen (a read that failed
			// listing streams): it holds no event, and WithStrategy rules.
			cur.Strategy = s.cfg.strategy
		}
	}
	tr := newTracker(cur, began.UnixMilli()-horizonMargin)
	tr.settled = end != 0 && end+settleMargin <= tr.horizon
	s.mu.Lock()
	s.tr = tr
	s.prog = Progress{}
	s.lastOK = false
	s.mu.Unlock()
	s.stats.requests.Store(0)
	s.stats.throttles.Store(0)

	names, err := s.streams(ctx, descLim)
	if err != nil {
		return err
	}
	var todo []string
	doneAlready := 0
	for _, n := range names {
		if p := tr.position(n); p != nil && p.Done && !p.rereads() {
			doneAlready++
			continue
		}
		todo = append(todo, n)
	}
	strategy := cur.Strategy
	if strategy == Auto {
		strategy = chooseStrategy(len(todo), s.cfg.start, s.cfg.end)
		tr.mu.Lock()
		tr.cur.Strategy = strategy
		tr.mu.Unlock()
	}
	s.mu.Lock()
	s.prog.Strategy, s.prog.StreamsTotal, s.prog.StreamsDone = strategy, len(names), doneAlready
	s.mu.Unlock()

	units := s.plan(strategy, todo, tr, start)
	var lim *limiter
	if strategy == GetLogEvents {
		lim = newLimiter(lims.GetLogEvents)
	} else {
		lim = newLimiter(lims.FilterLogEvents)
	}
	s.mu.Lock()
	s.readLim = lim
	s.mu.Unlock()

	// The caller's end stops the loop below at the next event: the pages
	// fetched ahead are not yielded after it.
	callerDone := ctx.Done()
	callerErr := ctx.Err
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan page, 2*s.cfg.concurrency)
	errc := make(chan error, 1)
	go func() {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(s.cfg.concurrency)
		for _, u := range units {
			if gctx.Err() != nil {
				break
			}
			g.Go(func() error {
				var err error
				if strategy == GetLogEvents {
					err = s.getStream(gctx, lim, u, end, pages)
				} else {
					err = s.filterBatch(gctx, lim, u, end, pages)
				}
				if err != nil && (gctx.Err() == nil || !errors.Is(err, gctx.Err())) {
					// Where: the stream, or the batch, whose read failed.
					err = fmt.Errorf("%s: %w", streamsOf(u.streams), err)
				}
				return err
			})
		}
		errc <- g.Wait()
		close(pages)
	}()
	// The reads have ended when read returns, also when the consumer's
	// loop panics: none goes on calling the API, or counting its calls in
	// a next read's Progress, once Events has returned. (Otherwise pages
	// is drained and closed already.)
	defer func() {
		cancel()
		for range pages {
		}
	}()

	report := func() {
		if s.cfg.progress == nil {
			return
		}
		p := s.Progress()
		p.Elapsed = time.Since(began)
		s.cfg.progress(p)
	}
	over := func() bool {
		select {
		case <-callerDone:
			return true
		default:
			return false
		}
	}
	stopped, canceled := false, false
	for pg := range pages {
		if stopped || canceled {
			continue // drain so producers can exit
		}
		for i := range pg.events {
			ev := &pg.events[i]
			if over() {
				canceled = true
				cancel()
				break
			}
			if !tr.admit(ev) {
				continue
			}
			s.mu.Lock()
			s.prog.Events++
			s.prog.Bytes += int64(len(ev.Message))
			s.last, s.lastOK = *ev, true
			s.mu.Unlock()
			if !yield(*ev, nil) {
				stopped = true
				cancel()
				break
			}
		}
		if stopped || canceled {
			continue
		}
		if len(pg.done) > 0 {
			tr.done(pg.done)
			s.mu.Lock()
			s.prog.StreamsDone += len(pg.done)
			s.mu.Unlock()
		}
		report()
	}
	err = <-errc
	s.mu.Lock()
	s.prog.Elapsed = time.Since(began)
	if !stopped {
		// The consumer took every event it was given, and the streams
		// read to their end are marked done: none to take back.
		s.lastOK = false
	}
	s.mu.Unlock()
	if stopped {
		return nil
	}
	report()
	if cerr := callerErr(); cerr != nil && !errors.Is(err, cerr) {
		// Ended by the caller: units not yet started when it came were
		// never read, and a failure that came as it ended is not all
		// that happened.
		if err == nil {
			err = cerr
		} else {
			err = errors.Join(err, cerr)
		}
	}
	if err != nil {
		return fmt.Errorf("cwlogs: reading %s with %s: %w", s.group, strategy, err)
	}
	return nil
}

// streamsOf names the streams of a unit in an error: the stream, or the
// first and last of a batch and how many it holds.
func streamsOf(names []string) string {
	switch len(names) {
	case 0:
		return "no stream"
	case 1:
		return "stream " + names[0]
	case 2:
		return "streams " + names[0] + " and " + names[1]
	}
	return fmt.Sprintf("streams %s to %s (%d)", names[0], names[len(names)-1], len(names))
}

// eniOfStream is the ENI a stream is named after: its name, or its name
// without a traffic-type suffix (eni-0123-all, -accept, -reject), which
// AWS's early examples of flow logs in CloudWatch Logs show.
func eniOfStream(name string) string {
	for _, suffix := range [...]string{"-all", "-accept", "-reject"} {
		if eni, ok := strings.CutSuffix(name, suffix); ok {
			return eni
		}
	}
	return name
}

func chooseStrategy(streams int, start, end time.Time) Strategy {
	if streams > autoGetMaxStreams {
		return FilterLogEvents
	}
	if start.IsZero() {
		return GetLogEvents
	}
	if end.IsZero() {
		end = time.Now()
	}
	if end.Sub(start) >= autoGetMinWindow {
		return GetLogEvents
	}
	return FilterLogEvents
}

// plan splits the streams into request chains, each starting at its
// streams' earliest saved position.
func (s *Source) plan(strategy Strategy, todo []string, tr *tracker, start int64) []unit {
	from := func(n string) int64 {
		p := tr.position(n)
		if p.rereads() {
			return start // events ingested late may lie before its Timestamp
		}
		if p != nil && p.Timestamp > start {
			return p.Timestamp
		}
		return start
	}
	if strategy == GetLogEvents {
		units := make([]unit, len(todo))
		for i, n := range todo {
			units[i] = unit{streams: []string{n}, start: from(n)}
		}
		return units
	}
	// Streams with similar positions share a batch, so a resumed batch
	// re-reads little.
	sorted := append([]string(nil), todo...)
	sort.SliceStable(sorted, func(i, j int) bool { return from(sorted[i]) < from(sorted[j]) })
	var units []unit
	for len(sorted) > 0 {
		n := min(maxStreamNames, len(sorted))
		b := sorted[:n:n]
		sorted = sorted[n:]
		sort.Strings(b)
		u := unit{streams: b, start: from(b[0])}
		for _, name := range b {
			u.start = min(u.start, from(name))
		}
		units = append(units, u)
	}
	return units
}

func send(ctx context.Context, pages chan<- page, p page) error {
	select {
	case pages <- p:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Source) filterBatch(ctx context.Context, lim *limiter, u unit, end int64, pages chan<- page) error {
	names := u.streams
	for restarts := 0; ; restarts++ {
		err := s.filterChain(ctx, lim, names, u.start, end, pages)
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) || restarts == maxBatchRestarts {
			return err
		}
		// FilterLogEvents fails the whole batch when one named stream is
		// gone (deleted after it was listed). Drop the missing streams and
		// read the rest again from the batch start: what was delivered is
		// skipped by the cursor, nothing is lost.
		left, err := s.existing(ctx, names)
		if err != nil {
			return err
		}
		if gone := minus(names, left); len(gone) > 0 {
			if err := send(ctx, pages, page{done: gone}); err != nil {
				return err
			}
		} else {
			return fmt.Errorf("%w (no stream of the batch is missing)", nf)
		}
		if names = left; len(names) == 0 {
			return nil
		}
	}
}

// maxBatchRestarts bounds how often a FilterLogEvents batch restarts
// after streams vanished under it.
const maxBatchRestarts = 3

func (s *Source) filterChain(ctx context.Context, lim *limiter, names []string, start, end int64, pages chan<- page) error {
	in := &cloudwatchlogs.FilterLogEventsInput{LogStreamNames: names}
	in.LogGroupName, in.LogGroupIdentifier = s.groupParams()
	if start != 0 {
		in.StartTime = aws.Int64(start)
	}
	if end != 0 {
		in.EndTime = aws.Int64(end - 1) // FilterLogEvents' endTime is inclusive
	}
	p := cloudwatchlogs.NewFilterLogEventsPaginator(limitedClient{s, lim}, in)
	ids := map[string]*idDeriver{}
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		pg := page{events: make([]Event, 0, len(out.Events))}
		for _, e := range out.Events {
			pg.events = append(pg.events, filtered(e, ids))
		}
		if !p.HasMorePages() {
			pg.done = names
		}
		if len(pg.events) > 0 || pg.done != nil {
			if err := send(ctx, pages, pg); err != nil {
				return err
			}
		}
	}
	return nil
}

// existing returns the names that still exist, one DescribeLogStreams
// prefix query each (a rare path: only after a stream vanished).
func (s *Source) existing(ctx context.Context, names []string) ([]string, error) {
	lim := newLimiter(s.limits().DescribeLogStreams)
	var out []string
	for _, n := range names {
		in := &cloudwatchlogs.DescribeLogStreamsInput{LogStreamNamePrefix: aws.String(n), Limit: aws.Int32(50)}
		in.LogGroupName, in.LogGroupIdentifier = s.groupParams()
		p := cloudwatchlogs.NewDescribeLogStreamsPaginator(limitedClient{s, lim}, in)
	pages:
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, ls := range page.LogStreams {
				if aws.ToString(ls.LogStreamName) == n {
					out = append(out, n)
					break pages
				}
			}
		}
	}
	return out, nil
}

func minus(all, keep []string) []string {
	k := make(map[string]bool, len(keep))
	for _, n := range keep {
		k[n] = true
	}
	var out []string
	for _, n := range all {
		if !k[n] {
			out = append(out, n)
		}
	}
	return out
}

func filtered(e types.FilteredLogEvent, ids map[string]*idDeriver) Event {
	ev := Event{Stream: aws.ToString(e.LogStreamName), ID: aws.ToString(e.EventId),
		Timestamp: aws.ToInt64(e.Timestamp), IngestionTime: aws.ToInt64(e.IngestionTime), Message: aws.ToString(e.Message)}
	if ev.ID == "" { // not the SDK client: derive one, per stream
		d := ids[ev.Stream]
		if d == nil {
			d = &idDeriver{}
			ids[ev.Stream] = d
		}
		ev.ID = d.id(&ev)
	}
	return ev
}

func (s *Source) getStream(ctx context.Context, lim *limiter, u unit, end int64, pages chan<- page) error {
	name := u.streams[0]
	in := &cloudwatchlogs.GetLogEventsInput{LogStreamName: aws.String(name), StartFromHead: aws.Bool(true)}
	in.LogGroupName, in.LogGroupIdentifier = s.groupParams()
	if u.start != 0 {
		in.StartTime = aws.Int64(u.start)
	}
	if end != 0 {
		in.EndTime = aws.Int64(end) // GetLogEvents' endTime is exclusive
	}
	p := cloudwatchlogs.NewGetLogEventsPaginator(limitedClient{s, lim}, in,
		func(o *cloudwatchlogs.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	ids := idDeriver{}
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		var nf *types.ResourceNotFoundException
		if errors.As(err, &nf) {
			// The stream was deleted (retention, or the ENI's stream
			// expired) after it was listed: nothing left to read.
			return send(ctx, pages, page{done: u.streams})
		}
		if err != nil {
			return err
		}
		pg := page{events: make([]Event, 0, len(out.Events))}
		for _, e := range out.Events {
			ev := Event{Stream: name, Timestamp: aws.ToInt64(e.Timestamp),
				IngestionTime: aws.ToInt64(e.IngestionTime), Message: aws.ToString(e.Message)}
			ev.ID = ids.id(&ev)
			pg.events = append(pg.events, ev)
		}
		if !p.HasMorePages() {
			pg.done = u.streams
		}
		if len(pg.events) > 0 || pg.done != nil {
			if err := send(ctx, pages, pg); err != nil {
				return err
			}
		}
	}
	return nil
}

// idDeriver gives GetLogEvents events (which carry no ID) a stable one:
// timestamp, ingestion time, a hash of the message, and the occurrence of
// that pair among the stream's events with the same timestamp. A read
// resumed at a timestamp re-reads that timestamp's events from the first,
// so the same event gets the same ID, and two identical records (two flow
// logs writing the same stream) stay two events. The timestamp keeps the
// IDs of a stream unique across timestamps, as a position's Late needs:
// one PutLogEvents batch gives its events one ingestion time, so two
// events alike but for their timestamps would otherwise share an ID.
type idDeriver struct {
	ts   int64
	seen map[string]int
}

func (d *idDeriver) id(ev *Event) string {
	h := fnv.New64a()
	h.Write([]byte(ev.Message))
	key := strconv.FormatInt(ev.IngestionTime, 36) + "-" + strconv.FormatUint(h.Sum64(), 36)
	if d.seen == nil || ev.Timestamp != d.ts {
		d.ts, d.seen = ev.Timestamp, map[string]int{}
	}
	n := d.seen[key]
	d.seen[key] = n + 1
	return derivedPrefix(ev.Timestamp) + "g-" + key + "-" + strconv.Itoa(n)
}

// derivedPrefix is what qualifies a derived ID by its timestamp; IDs of
// cursors saved before it lack it (legacyID).
func derivedPrefix(ts int64) string { return "t" + strconv.FormatInt(ts, 36) + "." }

// legacyID is the ID an earlier version derived for the event of id, ""
// for an ID not derived.
func legacyID(id string) string {
	if !strings.HasPrefix(id, "t") {
		return ""
	}
	if i := strings.Index(id, ".g-"); i > 0 {
		return id[i+1:]
	}
	return ""
}

// groupParams are the requests' log group members: an ARN goes in
// logGroupIdentifier, without the ":*" of DescribeLogGroups' arn (its
// logGroupArn is the form that member takes), a name in logGroupName.
func (s *Source) groupParams() (name, identifier *string) {
	if _, arn, _ := loggroup.Parse(s.group); arn != "" {
		return nil, aws.String(arn)
	}
	// A name, or something the API will refuse, named as given.
	return aws.String(s.group), nil
}
