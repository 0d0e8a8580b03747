// Package cwlogs reads VPC Flow Log records that were delivered to Amazon
// CloudWatch Logs, through the aws-sdk-go-v2 cloudwatchlogs client.
//
// VPC Flow Logs write one log stream per network interface, named after the
// ENI, and one record line per event with no header (the field order is the
// flow log's LogFormat). A [Source] reads a log group over a time window —
// all streams, a stream-name prefix, or just the ENIs of interest — with one
// of two strategies:
//
//   - [FilterLogEvents]: up to 100 stream names per call, so many sparse
//     streams cost few requests;
//   - [GetLogEvents]: one pagination chain per stream, run in parallel, for a
//     few dense streams.
//
// [Auto] picks one from the number of streams and the window. Both follow
// the service's paging contract to the end, through empty pages that still
// carry a token (FilterLogEvents stops when no token comes back,
// GetLogEvents when the forward token repeats).
//
// Requests stay under CloudWatch Logs' documented per-account, per-Region
// quotas with a client-side rate limit per operation (see [DefaultLimits])
// that halves when the service throttles and recovers as calls succeed; it
// works on every attempt, on top of the SDK's retryer. A call the SDK's
// retryer gave up on (throttling, a 5xx answer, a connection error or a
// transport timeout), and a response whose body is cut mid-transfer (a 200
// status, then a dropped connection: an error the SDK's retryer leaves
// alone), is requested again, so a passing outage does not end the read.
//
// A read is resumable: [Source.Cursor] returns a JSON-serialisable [Cursor]
// holding, per stream, whether it is finished and the timestamp and event
// IDs delivered last; a new Source given that cursor with [WithResume] delivers
// every remaining event exactly once. An event's timestamp is its record's
// start and its ingestion comes later, so a record stamped before the saved
// position may arrive after it (two flow logs writing one stream deliver
// apart): a resumed read reads an unfinished stream again from the window
// start, and tells the events ingested since the first read began by the
// IDs the cursor keeps of them. It reads again, too, a stream finished by
// a read that began less than 3 hours 15 minutes after the window's end
// (its horizon less than 3 hours past it), or of a window without one
// (its records may still come), and delivers only the
// events ingested since that read began that it has not yet delivered: a
// resumed read of a recent window reads every stream of it again. A cursor
// says which layout it is (Cursor.Version, [CursorVersion]): one saved by
// an ecsnet before the member (none) resumes as it always did, and one a
// newer ecsnet saved is refused ([CursorVersionError]) rather than read
// with the members this version does not know dropped.
//
// [Source.Records] parses each event as a flow-log record. It takes the
// parser's own options, as package source does, through
// [WithReaderOptions]: flowlogs.WithFormats (several flow logs may write one
// group), WithFields, WithFilter, WithLenient and the rest, each applied per
// event.
//
// Sub-package ec2format discovers the record format from EC2
// DescribeFlowLogs; sub-package subscription decodes the gzip+base64 JSON
// envelopes that CloudWatch Logs subscriptions hand to Lambda, Kinesis or
// Firehose. Neither needs this package's SDK client.
package cwlogs
