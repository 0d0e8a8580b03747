package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// lambdaLog points the worker's log at a buffer, configured as Lambda
// configures a function with the environment given (its advanced
// logging controls), for the test's duration.
func lambdaLog(t *testing.T, env map[string]string) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	old := logger
	logger = newLogger(&b, func(k string) string { return env[k] })
	t.Cleanup(func() { logger = old })
	return &b
}

// invocation is a context as Lambda gives the handler one.
func invocation(id string) context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: id})
}

// reviewBatch is an SQS batch of a good object, an object deleted since
// its event, a key of another service's log and a body that is no event.
func reviewBatch(t *testing.T, e *env) (batch map[string][]byte, ok, gone string) {
	t.Helper()
	const elb = "AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/25/123456789012_elasticloadbalancing_us-east-1_app.my-lb.1234567890abcdef_20261125T1005Z_10.0.0.1_2kf3ld.log.gz"
	e.f.PutObject(logBucket, elb, []byte("not a flow log"))
	o := e.objs[0]
	gone = strings.Replace(e.objs[1].key, "T10", "T23", 1)
	return map[string][]byte{
		"ok":        s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))),
		"missing":   s3EventJSON(s3Record(logBucket, gone, e.objs[1].etag, 1)),
		"elb":       s3EventJSON(s3Record(logBucket, elb, e.etag(t, logBucket, elb), 14)),
		"malformed": []byte(`{"Records":`),
	}, o.key, gone
}

// TestLambdaJSONLogs: a function whose LoggingConfig is JSON
// (Lambda sets AWS_LAMBDA_LOG_FORMAT=JSON) wants JSON lines with
// "timestamp", "level" and "message", which Lambda filters by level and
// CloudWatch Logs Insights reads the fields of. The worker wrote
// log.Printf text ("2026/12/05 10:00:00 message m: …"): every line INFO
// to Lambda (so filtered out with the application log level at ERROR,
// failures included), none naming its invocation's request ID, a written
// object not at all, and the errors of a message joined by newlines, a
// log event each. Now each object has one line with stable fields
// (bucket, key, etag, outcome, records, bytes, duration_ms, the
// history's ETag), failures at ERROR naming the object and the reason,
// a skip at INFO, and every line the request ID.
func TestLambdaJSONLogs(t *testing.T) {
	e := newEnv(t)
	logged := lambdaLog(t, map[string]string{"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "INFO"})
	batch, ok, gone := reviewBatch(t, e)
	resp, err := e.w.handle(invocation("req-1"), sqsEventJSON(batch))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(resp.(events.SQSEventResponse).BatchItemFailures); n != 2 {
		t.Fatalf("%d failed messages, want 2 (missing, malformed)", n)
	}
	var lines []map[string]any
	for l := range strings.Lines(logged.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("a log line is not JSON (%v):\n%s", err, l)
		}
		ts, _ := m["timestamp"].(string)
		if at, err := time.Parse(time.RFC3339Nano, ts); err != nil || !strings.HasSuffix(ts, "Z") || time.Since(at) > time.Hour {
			t.Errorf("timestamp %q: want RFC 3339 in UTC: %s", ts, l)
		}
		if m["level"] == nil || m["message"] == nil || m["requestId"] != "req-1" {
			t.Errorf("a line without its level, message or request ID: %s", l)
		}
		lines = append(lines, m)
	}
	find := func(k, v string) map[string]any {
		for _, m := range lines {
			if m[k] == v {
				return m
			}
		}
		t.Errorf("no line with %s %q:\n%s", k, v, logged)
		return map[string]any{}
	}
	w := find("key", ok)
	if w["level"] != "INFO" || w["outcome"] != "written" || w["messageId"] != "ok" || w["records"] == nil || w["records"] == 0.0 ||
		w["bytes"] == nil || w["duration_ms"] == nil || w["history_etag"] == nil || w["history_etag"] == "" || w["etag"] != e.objs[0].etag {
		t.Errorf("the written object's line: %v", w)
	}
	f := find("key", gone)
	if msg, _ := f["message"].(string); f["level"] != "ERROR" || f["outcome"] != "failed" || f["messageId"] != "missing" ||
		!strings.Contains(msg, "s3://"+logBucket+"/"+gone) || !strings.Contains(msg, "NoSuchKey") {
		t.Errorf("the failed object's line: %v", f)
	}
	if s := find("outcome", "skipped"); s["level"] != "INFO" || s["messageId"] != "elb" {
		t.Errorf("another service's log, skipped: %v", s)
	}
	for _, m := range lines {
		if m["messageId"] == "malformed" && m["level"] == "ERROR" {
			return
		}
	}
	t.Errorf("no ERROR line of the malformed message:\n%s", logged)
}

// TestLambdaLogLevel: with the application log level at ERROR
// (AWS_LAMBDA_LOG_LEVEL=ERROR), only failures are logged, the worker's
// own filter as Lambda's; in the default Text format every line is one
// logfmt line of the same keys, a message's joined errors included.
func TestLambdaLogLevel(t *testing.T) {
	e := newEnv(t)
	logged := lambdaLog(t, map[string]string{"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "ERROR"})
	batch, ok, gone := reviewBatch(t, e)
	if _, err := e.w.handle(invocation("req-2"), sqsEventJSON(batch)); err != nil {
		t.Fatal(err)
	}
	got := logged.String()
	if strings.Contains(got, ok) || strings.Contains(got, `"INFO"`) || strings.Contains(got, `"WARN"`) || !strings.Contains(got, gone) {
		t.Errorf("at ERROR, want the failure alone:\n%s", got)
	}

	e = newEnv(t)
	logged = lambdaLog(t, map[string]string{})
	two := s3EventJSON(s3Record(logBucket, "AWSLogs/x/vpcflowlogs/a.log.gz", "e1", 1), s3Record(logBucket, gone, e.objs[1].etag, 1))
	if _, err := e.w.handle(invocation("req-3"), sqsEventJSON(map[string][]byte{"two": two})); err != nil {
		t.Fatal(err)
	}
	lines := 0
	for l := range strings.Lines(logged.String()) {
		lines++
		if !strings.HasPrefix(l, "timestamp=") || !strings.Contains(l, " level=") || !strings.Contains(l, " requestId=req-3") {
			t.Errorf("not a logfmt line of the invocation: %q", l)
		}
	}
	if lines != 3 { // two objects, the message
		t.Errorf("%d lines, want 3:\n%s", lines, logged)
	}
}

// TestLambdaPanicOneLine: a panic's stack is a field of the
// object's ERROR line, not lines of its own that a log event each would
// part from the object and the request.
func TestLambdaPanicOneLine(t *testing.T) {
	e := newEnv(t)
	logged := lambdaLog(t, map[string]string{"AWS_LAMBDA_LOG_FORMAT": "JSON"})
	bad := e.objs[0]
	e.w.s3 = &panicky{S3API: e.api, get: bad.key}
	if _, err := e.w.handle(invocation("req-4"), s3EventJSON(s3Record(logBucket, bad.key, bad.etag, len(bad.body)))); err == nil {
		t.Fatal("a panic did not fail the invocation")
	}
	var m map[string]any
	if err := json.Unmarshal(logged.Bytes(), &m); err != nil {
		t.Fatalf("want one JSON line: %v\n%s", err, logged)
	}
	if s, _ := m["stack"].(string); m["level"] != "ERROR" || m["key"] != bad.key || !strings.Contains(s, "goroutine") || m["requestId"] != "req-4" {
		t.Errorf("the panic's line: %v", m)
	}
}
