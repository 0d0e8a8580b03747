package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// TestForeignLogIsNotRetried: template.json announces every
// AWSLogs/…/*.log.gz object, which in a shared log bucket includes other
// services' logs (ELB access logs, Route 53 Resolver query logs, Network
// Firewall logs all deliver .log.gz under AWSLogs/). Such a key is no
// flow-log delivery: outputKey can never accept it, so reporting the
// message failed only makes SQS redeliver it until the redrive policy
// dead-letters it (and Lambda's async retry, for direct events), burying
// the real failures. Like an EventBridge event of another type, it is
// skipped and logged (a key the layout does not place under another
// service still fails, as TestAsyncErrorsReturned wants).
func TestForeignLogIsNotRetried(t *testing.T) {
	e := newEnv(t)
	logged := captureLog(t)
	const elb = "AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/25/123456789012_elasticloadbalancing_us-east-1_app.my-lb.1234567890abcdef_20261125T1005Z_10.0.0.1_2kf3ld.log.gz"
	e.f.PutObject(logBucket, elb, []byte("not a flow log"))
	etag := e.etag(t, logBucket, elb)
	o := e.objs[0]
	resp, err := e.w.handle(context.Background(), sqsEventJSON(map[string][]byte{
		"elb": s3EventJSON(s3Record(logBucket, elb, etag, 14)),
		"ok":  s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if f := resp.(events.SQSEventResponse).BatchItemFailures; len(f) != 0 {
		t.Errorf("SQS: failed messages %+v: a key that is no flow-log delivery can never succeed", f)
	}
	if _, err := e.w.handle(context.Background(), s3EventJSON(s3Record(logBucket, elb, etag, 14))); err != nil {
		t.Errorf("direct S3 event: %v", err)
	}
	if !strings.Contains(logged.String(), elb) {
		t.Errorf("the skipped key is not logged:\n%s", logged.String())
	}
	if got := e.outputs(t); len(got) != 1 {
		t.Errorf("%d outputs, want the flow log's only", len(got))
	}
}
