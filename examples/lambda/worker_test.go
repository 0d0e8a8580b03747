package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/s3source"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// deliver sends one event per object through the given path, in the
// given order, and fails the test on any error.
func (e *env) deliver(t *testing.T, path string, order []int) {
	t.Helper()
	ctx := context.Background()
	for _, i := range order {
		o := e.objs[i]
		var payload []byte
		switch path {
		case "s3":
			payload = s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))
		case "sqs":
			payload = sqsEventJSON(map[string][]byte{fmt.Sprint("m", i): s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))})
		case "eventbridge":
			payload = eventBridgeJSON(logBucket, o.key, o.etag, len(o.body))
		}
		resp, err := e.w.handle(ctx, payload)
		if err != nil {
			t.Fatalf("%s event for %s: %v", path, o.key, err)
		}
		if r, ok := resp.(events.SQSEventResponse); ok && len(r.BatchItemFailures) > 0 {
			t.Fatalf("%s event for %s: failures %+v", path, o.key, r.BatchItemFailures)
		}
	}
}

// TestDeliveryPaths delivers every sample object through each event source
// and checks the output bucket holds exactly one partial per object, equal
// to attributing that object alone in memory.
func TestDeliveryPaths(t *testing.T) {
	for _, path := range []string{"s3", "sqs", "eventbridge"} {
		t.Run(path, func(t *testing.T) {
			e := newEnv(t)
			want := e.want(t)
			e.deliver(t, path, seq(len(e.objs)))
			// Reads need s3:GetObject only (HeadObject is authorized by it),
			// writes s3:PutObject; the worker never lists a bucket.
			if acts := e.f.Actions(); !slices.Equal(acts, []string{"s3:GetObject", "s3:PutObject"}) {
				t.Fatalf("S3 actions used %q, want s3:GetObject and s3:PutObject only", acts)
			}
			got := e.outputs(t)
			if !maps.Equal(got, want) {
				t.Fatalf("outputs differ: got keys %q, want %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
			for k := range got {
				if !strings.HasPrefix(k, "ecsnet/partials/cluster=demo/date=2026-11-25/hour=1") {
					t.Fatalf("output key %q: not under the Hive prefix", k)
				}
			}
			if n := e.w.history.loads; n != 1 {
				t.Fatalf("history read %d times over %d invocations, want once", n, len(e.objs))
			}
		})
	}
}

// TestDuplicatesReorderingFaults delivers every event three times, shuffled,
// through the three paths at once, while S3 throttles, fails with 5xx,
// drops connections and cuts bodies: the output is the same as one clean
// delivery — nothing lost, nothing counted twice.
func TestDuplicatesReorderingFaults(t *testing.T) {
	e := newEnv(t)
	want := e.want(t)
	e.f.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 5, DropEvery: 7})
	e.f.SetTruncateEvery(4)
	var order []int
	for range 3 {
		order = append(order, seq(len(e.objs))...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	paths := []string{"s3", "sqs", "eventbridge"}
	for n, i := range order {
		e.deliver(t, paths[n%3], []int{i})
	}
	if e.f.Truncated() == 0 || e.f.Faulted()["s3:GetObject"] == 0 {
		t.Fatalf("faults not exercised: truncated %d, faulted %v", e.f.Truncated(), e.f.Faulted())
	}
	e.f.SetFaults(fakeaws.Faults{})
	e.f.SetTruncateEvery(0)
	if got := e.outputs(t); !maps.Equal(got, want) {
		t.Fatalf("outputs differ from one clean delivery: %d objects, want %d", len(got), len(want))
	}
	// A first delivery writes once (If-None-Match), a repeated one twice
	// (refused, then If-Match the partial there, of the same sequencer).
	if n := len(e.objs) + 2*(len(order)-len(e.objs)); e.api.puts != n {
		t.Fatalf("%d puts for %d deliveries of %d objects, want %d", e.api.puts, len(order), len(e.objs), n)
	}
	checkMergeIsWhole(t, e.outputs(t))
}

// checkMergeIsWhole: the partials written, merged, report what one run
// over every sample object with the options given reports, byte for byte,
// by every grouping.
func checkMergeIsWhole(t *testing.T, outputs map[string]string, opts ...attribution.Option) {
	t.Helper()
	var ps []*attribution.Partial
	for key, body := range outputs {
		p, err := partials.Read(strings.NewReader(body), int64(len(body)), key)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	merged, err := attribution.Merge(ps...)
	if err != nil {
		t.Fatal(err)
	}
	b := history.NewBuilder()
	if _, err := b.Load(bytes.NewReader(sampleHistory(t)), "history"); err != nil {
		t.Fatal(err)
	}
	whole := attribution.New(b.Index(), opts...)
	if err := whole.AddAll(source.Records(context.Background(), &source.Dir{Root: filepath.Join(sampleDir, "flowlogs")})); err != nil {
		t.Fatal(err)
	}
	for _, g := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByInstance} {
		var got, want bytes.Buffer
		if err := report.WriteJSON(&got, merged.Result(g)); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteJSON(&want, whole.Result(g)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("by %v: the merged partials differ from one run:\n%s\nwant\n%s", g, got.String(), want.String())
		}
	}
}

// TestSQSBatchItemFailures checks that only the failed messages of a batch
// are reported, and the others written.
func TestSQSBatchItemFailures(t *testing.T) {
	e := newEnv(t)
	logged := captureLog(t)
	o := e.objs[0]
	gone := e.objs[1]
	batch := map[string][]byte{
		"ok":        s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))),
		"test":      []byte(`{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"flowlogs"}`),
		"missing":   s3EventJSON(s3Record(logBucket, strings.Replace(gone.key, "T10", "T23", 1), gone.etag, 1)),
		"stale":     s3EventJSON(s3Record(logBucket, gone.key, "0000000000000000000000000000dead", 1)),
		"malformed": []byte(`{"Records":`),
	}
	resp, err := e.w.handle(context.Background(), sqsEventJSON(batch))
	if err != nil {
		t.Fatal(err)
	}
	r := resp.(events.SQSEventResponse)
	// A stale event (the object replaced since) is no failure: retrying
	// it could never succeed, and the object is counted as it is now (S3
	// may send no event of the new version: TestCoalescedRewriteCounted).
	for _, want := range []string{"message missing: s3://flowlogs/", "NoSuchKey", "the object was replaced after this event (ETag 0000000000000000000000000000dead)"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logged.String())
		}
	}
	var failed []string
	for _, f := range r.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	slices.Sort(failed)
	if want := []string{"malformed", "missing"}; !slices.Equal(failed, want) {
		t.Fatalf("failed messages %q, want %q", failed, want)
	}
	if got := e.outputs(t); len(got) != 2 {
		t.Fatalf("%d outputs, want the good message's and the stale one's object's", len(got))
	}
	// The response is what Lambda reads back.
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `"batchItemFailures":[{"itemIdentifier":"malformed"}`) {
		t.Fatalf("response JSON %s", b)
	}
	// An all-good batch reports an empty list, not null.
	resp, _ = e.w.handle(context.Background(), sqsEventJSON(map[string][]byte{"ok": batch["ok"]}))
	if b, _ := json.Marshal(resp); string(b) != `{"batchItemFailures":[]}` {
		t.Fatalf("all-good response %s", b)
	}
}

// TestAsyncErrorsReturned checks that direct S3 and EventBridge
// invocations return failures, so Lambda retries and dead-letters them.
func TestAsyncErrorsReturned(t *testing.T) {
	e := newEnv(t)
	o := e.objs[0]
	ctx := context.Background()
	e.api.failPuts = 1
	if _, err := e.w.handle(ctx, eventBridgeJSON(logBucket, o.key, o.etag, len(o.body))); err == nil || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("EventBridge event with a failing PutObject: %v", err)
	}
	if _, err := e.w.handle(ctx, s3EventJSON(s3Record(logBucket, "AWSLogs/readme.txt", "e", 1))); err == nil {
		t.Fatal("S3 event for a key that is not a flow-log file: no error")
	}
	// Another EventBridge event (a rule wider than needed) is not retried.
	other := strings.Replace(string(eventBridgeJSON(logBucket, o.key, o.etag, 1)), "Object Created", "Object Deleted", 1)
	if _, err := e.w.handle(ctx, []byte(other)); err != nil {
		t.Fatalf("Object Deleted: %v", err)
	}
	if got := e.outputs(t); len(got) != 0 {
		t.Fatalf("outputs %q after failures only", slices.Sorted(maps.Keys(got)))
	}
	// Once the fault is gone the retry writes the partial.
	if _, err := e.w.handle(ctx, eventBridgeJSON(logBucket, o.key, o.etag, len(o.body))); err != nil {
		t.Fatal(err)
	}
	if got := e.outputs(t); len(got) != 1 {
		t.Fatalf("%d outputs after the retry, want 1", len(got))
	}
	// An event of a version replaced since is no failure either: the
	// object is counted as it is now, under the same key.
	if _, err := e.w.handle(ctx, s3EventJSON(s3Record(logBucket, o.key, "0000000000000000000000000000dead", 1))); err != nil {
		t.Fatalf("S3 event for an object replaced since: %v; want it counted as it is now, not retried", err)
	}
	if got := e.outputs(t); len(got) != 1 {
		t.Fatalf("%d outputs after a stale event, want 1", len(got))
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// captureGet records the GetObject input it is given.
type captureGet struct {
	s3source.API
	in *s3.GetObjectInput
}

func (c *captureGet) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c.in = in
	return nil, errors.New("captured")
}

// TestPinnedVersion checks the read is pinned to the event's version in a
// versioned bucket, a resume (s3source sets its own If-Match and range)
// too: without it, a versioned bucket's resumed read asked for the
// current version and failed. (The ETag pin is s3source's: the stale
// events of TestSQSBatchItemFailures and TestAsyncErrorsReturned.)
func TestPinnedVersion(t *testing.T) {
	ctx := context.Background()
	c := &captureGet{}
	p := pinned{c, "v1"}
	p.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), IfMatch: aws.String(`"e1"`), Range: aws.String("bytes=100-")})
	if aws.ToString(c.in.VersionId) != "v1" || aws.ToString(c.in.Range) != "bytes=100-" || aws.ToString(c.in.IfMatch) != `"e1"` {
		t.Fatalf("resumed read: versionId %q, range %q, If-Match %q", aws.ToString(c.in.VersionId), aws.ToString(c.in.Range), aws.ToString(c.in.IfMatch))
	}
	p.version = ""
	orig := &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k")}
	p.GetObject(ctx, orig)
	if c.in.VersionId != nil || orig.VersionId != nil {
		t.Fatalf("unversioned read: versionId %v; caller's input changed: %v", c.in.VersionId, orig.VersionId != nil)
	}
}

// TestReplicaPartialRefused: a worker's partial names its object by its
// delivery name, so the partial of a replica of the object (another
// bucket, another key, one output key each) is refused beside the
// original's by Merge (and by attribute -merge and the SQL reduce, which
// read the same inputs) instead of adding its records twice.
func TestReplicaPartialRefused(t *testing.T) {
	e := newEnv(t)
	o := e.objs[0]
	const replica = "replica-logs"
	replicaKey := "copy/" + filepath.Base(o.key)
	e.f.PutObject(replica, replicaKey, o.body)
	ctx := context.Background()
	for _, ev := range [][]byte{s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))),
		s3EventJSON(s3Record(replica, replicaKey, e.etag(t, replica, replicaKey), len(o.body)))} {
		if _, err := e.w.handle(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	got := e.outputs(t)
	if len(got) != 2 {
		t.Fatalf("%d partials written, want one for each copy", len(got))
	}
	var parts []*attribution.Partial
	for key, body := range got {
		p, err := partials.Read(bytes.NewReader([]byte(body)), int64(len(body)), key)
		if err != nil {
			t.Fatal(err)
		}
		if want := []attribution.Input{{Name: "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1000Z_4c1e82d3"}}; !slices.Equal(p.Inputs, want) {
			t.Fatalf("%s names inputs %v, want %v", key, p.Inputs, want)
		}
		parts = append(parts, p)
	}
	var oe *attribution.OverlapError
	if _, err := attribution.Merge(parts...); !errors.As(err, &oe) {
		t.Errorf("the partials of an object and its replica merged: %v", err)
	}
}
