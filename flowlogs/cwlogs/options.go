package cwlogs

import (
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// Strategy is how a [Source] reads events.
type Strategy string

const (
	// Auto picks GetLogEvents for a few streams over a long window (each
	// stream then has many events, and GetLogEvents has the higher quota
	// and one parallel chain per stream), FilterLogEvents otherwise.
	Auto Strategy = ""
	// FilterLogEvents reads up to 100 streams per request chain.
	FilterLogEvents Strategy = "FilterLogEvents"
	// GetLogEvents reads each stream on its own, streams in parallel.
	GetLogEvents Strategy = "GetLogEvents"
)

func (s Strategy) String() string {
	if s == Auto {
		return "Auto"
	}
	return string(s)
}

// known reports whether s is one of the strategies above: any other
// string (a misspelt "filterlogevents") would otherwise read with
// FilterLogEvents and write a cursor only its own misspelling resumes.
func (s Strategy) known() bool {
	return s == Auto || s == FilterLogEvents || s == GetLogEvents
}

// Thresholds of the Auto strategy.
const (
	autoGetMaxStreams = 10
	autoGetMinWindow  = 6 * time.Hour
)

// Option configures a [Source].
type Option func(*config)

type config struct {
	start, end  time.Time
	enis        []string
	prefix      string
	strategy    Strategy
	concurrency int
	limits      *Limits
	resume      *Cursor
	progress    func(Progress)
	slack       time.Duration
	reader      []flowlogs.Option // WithReaderOptions
}

// WithWindow restricts the read to events whose timestamp (for flow logs: the
// record's start) is in [start, end). A zero start or end leaves that side
// open. A window no event can be in (end not after start, to the
// millisecond) is an error of the read.
func WithWindow(start, end time.Time) Option {
	return func(c *config) { c.start, c.end = start, end }
}

// WithENIs reads only the streams of these network interfaces: VPC Flow Logs
// name each stream after its ENI ID (alone, or followed by the traffic
// type, eni-0123-all, as AWS's early examples show; both are read).
// Interfaces without a stream are skipped; see WithStreamPrefix for both.
func WithENIs(ids ...string) Option {
	return func(c *config) { c.enis = append([]string(nil), ids...) }
}

// WithStreamPrefix reads only streams whose name starts with prefix; with
// WithENIs, only those of the ENIs that do.
func WithStreamPrefix(prefix string) Option { return func(c *config) { c.prefix = prefix } }

// WithStrategy overrides the automatic choice.
func WithStrategy(s Strategy) Option { return func(c *config) { c.strategy = s } }

// WithConcurrency bounds the request chains run at once (streams for
// GetLogEvents, 100-stream batches for FilterLogEvents); default 8. n
// below 1 is clamped to 1.
func WithConcurrency(n int) Option { return func(c *config) { c.concurrency = n } }

// WithRateLimits sets the client-side request rates (default:
// DefaultLimits(region of the client)). Limits{} disables client-side
// limiting, for tests and fakes.
func WithRateLimits(l Limits) Option { return func(c *config) { c.limits = &l } }

// WithResume continues the read a cursor describes (see [Source.Cursor]).
func WithResume(cur *Cursor) Option { return func(c *config) { c.resume = cur } }

// WithProgress is called, on the goroutine that consumes the read, after each
// page and once at the end.
func WithProgress(fn func(Progress)) Option { return func(c *config) { c.progress = fn } }

// WithStreamTimeSlack is how far outside the window a stream's reported first
// and last event times may lie before the stream is skipped without being
// read. DescribeLogStreams updates lastEventTimestamp "on an eventual
// consistency basis. It typically updates in less than an hour from
// ingestion, but in rare situations might take longer", so the default is 3
// hours, and the slack is also how long after the window's end (wall
// clock) a stream's last event time is taken to be settled: a window that
// ended less than the slack ago, or has no end, skips no stream for its
// last event time (a stream idle for hours that got events in the last one
// still reports the old time). A negative value disables pruning.
func WithStreamTimeSlack(d time.Duration) Option { return func(c *config) { c.slack = d } }

// Progress is a snapshot of a read.
type Progress struct {
	Strategy     Strategy
	StreamsDone  int
	StreamsTotal int
	Events       int64 // delivered
	Bytes        int64 // message bytes delivered
	Requests     int64 // HTTP attempts, retries included
	Throttles    int64 // attempts the service throttled
	Malformed    int64 // events Records skipped as malformed (flowlogs.WithLenient)
	// Rate is the client-side limit on read requests per second now: the
	// configured one, lower after throttling; 0 when unlimited.
	Rate    float64
	Elapsed time.Duration
}
