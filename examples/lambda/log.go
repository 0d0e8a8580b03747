package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// logger writes the worker's log to stderr, which Lambda sends to
// CloudWatch Logs: one line an event, whatever newlines a message holds.
// Tests replace it.
var logger = newLogger(os.Stderr, os.Getenv)

// newLogger is the worker's logger, configured as Lambda's advanced
// logging controls ask of a custom runtime: AWS_LAMBDA_LOG_FORMAT JSON
// gives JSON lines with the keys Lambda reads ("timestamp", RFC 3339 in
// UTC; "level"; "message"), which Lambda filters by the function's
// application log level (AWS_LAMBDA_LOG_LEVEL) and CloudWatch Logs
// Insights discovers the fields of; anything else (Text, or not set)
// gives logfmt lines of the same keys, at the same level. Every line
// written with the invocation's context names its request ID
// ("requestId"), as Lambda's own JSON lines do.
// https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
func newLogger(w io.Writer, getenv func(string) string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: logLevel(getenv("AWS_LAMBDA_LOG_LEVEL")), ReplaceAttr: replaceAttr}
	var h slog.Handler
	if strings.EqualFold(getenv("AWS_LAMBDA_LOG_FORMAT"), "JSON") {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(requestIDHandler{h})
}

// Lambda's levels that slog has not: TRACE below DEBUG, and FATAL above
// ERROR, what a worker that cannot start logs (seen at every application
// log level, FATAL included).
const (
	levelTrace = slog.LevelDebug - 4
	levelFatal = slog.LevelError + 4
)

// logLevel is the slog level of a Lambda application log level (TRACE,
// DEBUG, INFO, WARN, ERROR, FATAL), INFO when it is not set.
func logLevel(s string) slog.Level {
	switch strings.ToUpper(s) {
	case "TRACE":
		return levelTrace
	case "DEBUG":
		return slog.LevelDebug
	case "WARN":
		return slog.LevelWarn
	case "ERROR":
		return slog.LevelError
	case "FATAL":
		return levelFatal
	}
	return slog.LevelInfo
}

// replaceAttr names slog's time and message as Lambda does ("timestamp",
// "message"), the time in UTC, and TRACE and FATAL by Lambda's names
// (not slog's "DEBUG-4", "ERROR+4").
func replaceAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime {
		a.Value = slog.TimeValue(a.Value.Time().UTC())
	}
	if len(groups) == 0 && a.Key == slog.LevelKey {
		if l, ok := a.Value.Any().(slog.Level); ok {
			switch l {
			case levelTrace:
				a.Value = slog.StringValue("TRACE")
			case levelFatal:
				a.Value = slog.StringValue("FATAL")
			}
		}
	}
	return lambdacontext.ReplaceAttr(groups, a)
}

// requestIDHandler adds the invocation's request ID to every record
// logged with its context.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		r.AddAttrs(slog.String("requestId", lc.AwsRequestID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// logAttrs are the fields that name the object version in a log line:
// the same keys on every line about an object, for CloudWatch Logs
// Insights to filter and count by.
func (o objectRef) logAttrs() []any {
	a := []any{slog.String("bucket", o.Bucket), slog.String("key", o.Key), slog.String("etag", o.ETag)}
	if o.Version != "" {
		a = append(a, slog.String("version", o.Version))
	}
	if o.Sequencer != "" {
		a = append(a, slog.String("sequencer", o.Sequencer))
	}
	return a
}

// Outcomes of an object, the "outcome" field of its last log line.
const (
	outcomeWritten    = "written"    // its partial written
	outcomeSkipped    = "skipped"    // nothing to do: not a flow log, or counted by a later event
	outcomeSuperseded = "superseded" // not written: the key holds a later version's partial
	outcomeFailed     = "failed"     // an error, returned for the event source to retry
	// An SQS message reported failed (its objects' lines say why), to
	// come back from the queue: a message's outcome, not an object's.
	outcomeReported = "reported"
)

// result is what processing an object did, for its log line.
type result struct {
	outcome string
	why     string // a skip's or a supersession's reason, the line's message
	output  string // s3:// URL of the partial
	records uint64
	bytes   uint64
	history objectVersion // of the task history used
}

// logResult logs the one line that says what became of an object: INFO
// when written or skipped, ERROR when it failed (err), with its fields.
func logResult(ctx context.Context, lg *slog.Logger, ref objectRef, res *result, err error, took time.Duration) {
	attrs := append(ref.logAttrs(), slog.Int64("duration_ms", took.Milliseconds()))
	if res.history.ETag != "" {
		attrs = append(attrs, slog.String("history_etag", strings.Trim(res.history.ETag, `"`)))
		if !res.history.Modified.IsZero() {
			attrs = append(attrs, slog.Time("history_modified", res.history.Modified.UTC()))
		}
	}
	if err != nil {
		lg.ErrorContext(ctx, err.Error(), append(attrs, slog.String("outcome", outcomeFailed))...)
		return
	}
	switch res.outcome {
	case outcomeWritten:
		lg.InfoContext(ctx, ref.String()+": partial written to "+res.output, append(attrs, slog.String("outcome", res.outcome),
			slog.String("output", res.output), slog.Uint64("records", res.records), slog.Uint64("bytes", res.bytes))...)
	default:
		lg.InfoContext(ctx, res.why, append(attrs, slog.String("outcome", res.outcome))...)
	}
}
