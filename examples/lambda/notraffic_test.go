package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// gzipped is text compressed as AWS delivers flow logs.
func gzipped(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sqsFailures delivers one S3 event in an SQS message and returns the
// message IDs reported failed.
func sqsFailures(t *testing.T, e *env, rec map[string]any) []events.SQSBatchItemFailure {
	t.Helper()
	resp, err := e.w.handle(context.Background(), sqsEventJSON(map[string][]byte{"m1": s3EventJSON(rec)}))
	if err != nil {
		t.Fatal(err)
	}
	return resp.(events.SQSEventResponse).BatchItemFailures
}

// TestNoTrafficObjectNotHeldBack: an object whose records are all
// NODATA or SKIPDATA carries no traffic, so no record of it is joined to
// a task: its partial (the records counted unattributed, as NODATA and
// SKIPDATA) does not depend on the history at all. It must be written at
// its first delivery, whatever the history's Last-Modified, not refused
// (and retried until the history is uploaded again, or dead-lettered if
// it is not) as an object with traffic newer than the history is. One
// record with traffic after the history's time still holds the object
// back.
func TestNoTrafficObjectNotHeldBack(t *testing.T) {
	const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
	const noTraffic = header +
		"2 123456789012 eni-0a1b2c3d4e5f60711 - - - - - - - 1795602844 1795602902 - NODATA\n" +
		"2 123456789012 eni-0b2c3d4e5f6a70822 - - - - - - - 1795602845 1795602902 - SKIPDATA\n"
	key := keyPrefix + "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1035Z_0badc0de.log.gz"
	historyTime := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) // before the records (10:34)

	e := newEnv(t)
	body := gzipped(t, noTraffic)
	e.f.PutObject(logBucket, key, body)
	e.f.SetModified(stateBucket, historyKey, historyTime)
	if f := sqsFailures(t, e, s3Record(logBucket, key, e.etag(t, logBucket, key), len(body))); len(f) != 0 {
		t.Fatalf("an object of NODATA and SKIPDATA records only, newer than the history: reported failed (%+v), want its partial written at once", f)
	}
	out, _ := outputKey(e.w.prefix, e.w.cluster, objectRef{Bucket: logBucket, Key: key}, partialExt)
	if got := e.outputs(t); len(got) != 1 || got[out] != partialOf(t, key, body) {
		t.Fatalf("%d outputs; want the object's partial, as attributed in memory, under %s", len(got), out)
	}

	// With a record of traffic after the history's time, it waits.
	e = newEnv(t)
	body = gzipped(t, noTraffic+"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41030 8080 6 17 21279 1795602844 1795602902 ACCEPT OK\n")
	e.f.PutObject(logBucket, key, body)
	e.f.SetModified(stateBucket, historyKey, historyTime)
	if f := sqsFailures(t, e, s3Record(logBucket, key, e.etag(t, logBucket, key), len(body))); len(f) != 1 {
		t.Fatalf("an object with traffic newer than the history: failures %+v, want it reported failed", f)
	}
	if got := e.outputs(t); len(got) != 0 {
		t.Fatalf("%d partials written from a history that does not cover the object's traffic", len(got))
	}
}

// TestUntimedObjectNoted: an object in a format without start or end
// (and without an ecs-task field) is written, its records counted, but
// none of them can be attributed; the log names the object and why, as
// attribute's note names the file. Records that name their task by
// ecs-task-id need no time and are not counted in the note.
func TestUntimedObjectNoted(t *testing.T) {
	logged := captureLog(t)
	key := keyPrefix + "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1035Z_0badc0de.log.gz"
	for _, c := range []struct {
		text, want string
	}{
		{"interface-id srcaddr dstaddr bytes packets\neni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 100 1\neni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 200 2\n",
			"note: its format has no start or end field: its 2 records of traffic cannot be placed in time"},
		{"interface-id srcaddr dstaddr bytes packets ecs-task-id\neni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 100 1 0123456789abcdef0123456789abcdef\n", ""},
	} {
		logged.Reset()
		e := newEnv(t)
		body := gzipped(t, c.text)
		e.f.PutObject(logBucket, key, body)
		if f := sqsFailures(t, e, s3Record(logBucket, key, e.etag(t, logBucket, key), len(body))); len(f) != 0 {
			t.Fatalf("%q: reported failed (%+v), want its partial written", c.text, f)
		}
		if got := e.outputs(t); len(got) != 1 {
			t.Fatalf("%q: %d outputs, want its partial", c.text, len(got))
		}
		if got := logged.String(); c.want == "" && strings.Contains(got, "note:") || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%q: logged %q, want %q", c.text, got, c.want)
		}
	}
}
