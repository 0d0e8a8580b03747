package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// objAt returns the sample object whose delivery stamp is stamp
// ("20261125T1035Z").
func (e *env) objAt(t *testing.T, stamp string) sampleObject {
	t.Helper()
	for _, o := range e.objs {
		if strings.Contains(o.key, "_"+stamp+"_") {
			return o
		}
	}
	t.Fatalf("no sample object of %s", stamp)
	return sampleObject{}
}

// TestHistoryNotCoveringObject: a history last uploaded before the
// object's records started knows nothing of the tasks started since; its
// partial would count their traffic as unattributed (or as the ENI's
// previous owner's), and, keyed by the object, it is final. The object
// must fail (to be retried once the history is newer), naming the
// history and the times, and a history uploaded again with the same
// bytes (the same ETag, a later Last-Modified) must then cover it without
// being read again.
func TestHistoryNotCoveringObject(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	o := e.objAt(t, "20261125T1035Z")
	if !e.f.SetModified(stateBucket, historyKey, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) {
		t.Fatal("no history object")
	}
	ev := sqsEventJSON(map[string][]byte{"m1": s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))})
	resp, err := e.w.handle(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.(events.SQSEventResponse); len(r.BatchItemFailures) != 1 {
		t.Fatalf("an object newer than the history: failures %+v, want the message reported failed", r.BatchItemFailures)
	}
	if got := e.outputs(t); len(got) != 0 {
		t.Fatalf("a partial was written from a history that does not cover the object: %q", slices.Sorted(func(y func(string) bool) {
			for k := range got {
				if !y(k) {
					return
				}
			}
		}))
	}
	// Direct invocations return the error, which names the history.
	_, err = e.w.handle(ctx, s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))))
	if err == nil || !strings.Contains(err.Error(), "s3://"+stateBucket+"/"+historyKey) || !strings.Contains(err.Error(), "2026-11-25T10:00:00Z") {
		t.Fatalf("error %v: want one naming the history and its time", err)
	}
	// The same file uploaded again after the next poll.
	e.f.SetModified(stateBucket, historyKey, time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC))
	if _, err := e.w.handle(ctx, s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))); err != nil {
		t.Fatalf("after the history's new upload: %v", err)
	}
	key := e.outKey(t, o)
	if got := e.outputs(t); len(got) != 1 || got[key] != e.want(t)[key] {
		t.Fatalf("after the history's new upload: %d outputs, want the object's partial", len(got))
	}
	if e.w.history.loads != 1 {
		t.Fatalf("the same history bytes were read %d times, want once", e.w.history.loads)
	}
}

// panicky panics in GetObject of one key (a bug met by one object's
// bytes while it is read, in a reading goroutine) or in PutObject of one
// key (one met while its partial is made or written, in the handler's).
type panicky struct {
	S3API
	get, put string
}

func (p *panicky) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if aws.ToString(in.Key) == p.get {
		panic("injected panic reading " + p.get)
	}
	return p.S3API.GetObject(ctx, in, o...)
}

func (p *panicky) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	if aws.ToString(in.Key) == p.put {
		panic("injected panic writing " + p.put)
	}
	return p.S3API.PutObject(ctx, in, o...)
}

// TestPanicInOneMessage: a panic processing one message of an SQS
// batch must fail that message alone: the others are processed and the
// response lists exactly the failed one. (aws-lambda-go reports a panic
// of the handler as the invocation's error and ends the process, and one
// in another goroutine ends it at once: every message of the batch would
// come back, those after it never processed, all of them counted towards
// the dead-letter queue.)
func TestPanicInOneMessage(t *testing.T) {
	for _, where := range []string{"read", "write"} {
		t.Run(where, func(t *testing.T) {
			e := newEnv(t)
			logged := captureLog(t)
			bad := e.objs[1]
			p := &panicky{S3API: e.api}
			if where == "read" {
				p.get = bad.key
			} else {
				p.put = e.outKey(t, bad)
			}
			e.w.s3 = p
			batch := map[string][]byte{}
			for i, o := range e.objs[:3] {
				batch[fmt.Sprint("m", i)] = s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))
			}
			var resp any
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("the handler panicked: %v", r)
					}
				}()
				var err error
				resp, err = e.w.handle(context.Background(), sqsEventJSON(batch))
				if err != nil {
					t.Fatal(err)
				}
			}()
			var failed []string
			for _, f := range resp.(events.SQSEventResponse).BatchItemFailures {
				failed = append(failed, f.ItemIdentifier)
			}
			if !slices.Equal(failed, []string{"m1"}) {
				t.Fatalf("failed %q, want [m1]", failed)
			}
			want := e.want(t)
			got := e.outputs(t)
			for _, o := range []sampleObject{e.objs[0], e.objs[2]} {
				if k := e.outKey(t, o); got[k] != want[k] {
					t.Errorf("%s: partial missing or wrong", o.key)
				}
			}
			if len(got) != 2 {
				t.Errorf("%d outputs, want 2", len(got))
			}
			if !strings.Contains(logged.String(), "injected panic") || !strings.Contains(logged.String(), bad.key) {
				t.Errorf("the log does not name the panic and its object:\n%s", logged.String())
			}
		})
	}
}

// stalling blocks GetObject of one key until its context ends: an object
// too slow to read in the time left.
type stalling struct {
	S3API
	key string
}

func (s *stalling) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if aws.ToString(in.Key) == s.key {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.S3API.GetObject(ctx, in, o...)
}

// TestStopsBeforeTheTimeout: Lambda ends an invocation at its
// deadline, and a batch's response not returned by then is lost: every
// message comes back, the ones written too. The worker must stop the
// object it cannot finish before the deadline, with time left to return
// the response listing it (and it alone) as failed, and write nothing of
// it.
func TestStopsBeforeTheTimeout(t *testing.T) {
	e := newEnv(t)
	slow := e.objs[1]
	e.w.s3 = &stalling{S3API: e.api, key: slow.key}
	fast := e.objs[0]
	fastEvent := s3EventJSON(s3Record(logBucket, fast.key, fast.etag, len(fast.body)))
	batch := map[string][]byte{
		"a-fast": fastEvent,
		"b-slow": s3EventJSON(s3Record(logBucket, slow.key, slow.etag, len(slow.body))),
	}
	// The deadline is sized by a run of the fast object (its repeat in
	// the batch rewrites the same partial): some 0.15 s under -race, but
	// on a loaded machine many times that, which a fixed deadline would
	// report as the worker's failure.
	start := time.Now()
	if _, err := e.w.handle(context.Background(), fastEvent); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(max(3*time.Second, 5*time.Since(start)))
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	resp, err := e.w.handle(ctx, sqsEventJSON(batch))
	left := time.Until(deadline)
	if err != nil {
		t.Fatal(err)
	}
	if left < 100*time.Millisecond {
		t.Fatalf("the handler returned %v before the deadline: too late for Lambda to take the response", left)
	}
	var failed []string
	for _, f := range resp.(events.SQSEventResponse).BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	if !slices.Equal(failed, []string{"b-slow"}) {
		t.Fatalf("failed %q, want [b-slow]", failed)
	}
	got := e.outputs(t)
	if k := e.outKey(t, fast); len(got) != 1 || got[k] != e.want(t)[k] {
		t.Fatalf("%d outputs, want the fast object's partial alone", len(got))
	}
}

// TestVersionedResumeReadsItsVersion: in a versioned bucket whose
// key was overwritten since the event, a read of the event's version cut
// mid-body resumes on the same version (versionId and If-Match of its
// ETag) and writes that version's partial.
func TestVersionedResumeReadsItsVersion(t *testing.T) {
	e, ev1, _, out, want1, _ := versionedEnv(t)
	rec := &recordingGets{S3API: e.api}
	e.w.s3 = rec
	e.f.SetTruncateEvery(2) // the history's read whole, the object's cut, its resume whole
	if _, err := e.w.handle(context.Background(), ev1); err != nil {
		t.Fatal(err)
	}
	if e.f.Truncated() == 0 {
		t.Fatal("no body was cut: the test proves nothing")
	}
	e.f.SetTruncateEvery(0)
	vs := e.f.Versions(logBucket, e.objs[0].key) // "null" (before versioning), version 1, version 2
	v1 := vs[len(vs)-2]
	resumed := false
	for _, in := range rec.ins {
		if aws.ToString(in.VersionId) != v1 || aws.ToString(in.IfMatch) != `"`+e.objs[0].etag+`"` {
			t.Errorf("a read of the object asked for version %q, If-Match %q; want %q, %q", aws.ToString(in.VersionId), aws.ToString(in.IfMatch), v1, `"`+e.objs[0].etag+`"`)
		}
		resumed = resumed || in.Range != nil
	}
	if !resumed {
		t.Errorf("no ranged read among %d: the cut body was not resumed", len(rec.ins))
	}
	if acts := e.f.Actions(); !slices.Contains(acts, "s3:GetObjectVersion") {
		t.Fatalf("actions %q: no version was read", acts)
	}
	got := e.outputs(t)
	if len(got) != 1 || got[out] != want1 {
		t.Fatalf("%d outputs; the partial is version 1's: %v", len(got), got[out] == want1)
	}
}

// recordingGets records the GetObject inputs the worker sends.
type recordingGets struct {
	S3API
	ins []s3.GetObjectInput
}

func (r *recordingGets) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	r.ins = append(r.ins, *in)
	return r.S3API.GetObject(ctx, in, o...)
}

// TestTornHistoryRefused: a history uploaded while examples/record
// was writing it, its last line cut, is refused (the object fails,
// naming the history), not read as a history without that line; the
// whole file uploaded next is read and the object then written.
func TestTornHistoryRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	o := e.objs[0]
	whole := sampleHistory(t)
	e.f.PutObject(stateBucket, historyKey, whole[:len(whole)-40])
	_, err := e.w.handle(ctx, s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))))
	if err == nil || !strings.Contains(err.Error(), "s3://"+stateBucket+"/"+historyKey) {
		t.Fatalf("torn history: %v; want an error naming it", err)
	}
	if got := e.outputs(t); len(got) != 0 {
		t.Fatalf("%d partials written from a torn history", len(got))
	}
	e.f.PutObject(stateBucket, historyKey, whole)
	if _, err := e.w.handle(ctx, s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))); err != nil {
		t.Fatal(err)
	}
	if k := e.outKey(t, o); e.outputs(t)[k] != e.want(t)[k] {
		t.Fatal("the partial after the whole history is not the object's")
	}
}

// TestConcurrentVersionsLatestWins: the events of two versions of
// one key handled at once, by two invocations, leave the later
// sequencer's partial, however their conditional writes interleave.
// Each round writes into an output bucket of its own: the setup (and
// its expected partials) is made once, not once a round.
func TestConcurrentVersionsLatestWins(t *testing.T) {
	e, ev1, ev2, out, _, want2 := versionedEnv(t)
	for i := range 8 {
		e.w.out = fmt.Sprint(outBucket, "-", i)
		e.f.CreateBucket(e.w.out)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j, ev := range [][]byte{ev1, ev2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[j] = e.w.handle(context.Background(), ev)
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: %v, %v", i, errs[0], errs[1])
		}
		body, _, _ := e.f.Object(e.w.out, out)
		if keys := e.f.Keys(e.w.out); len(keys) != 1 || string(body) != want2 {
			t.Fatalf("round %d: partials %q; version 2's: %v", i, keys, string(body) == want2)
		}
	}
}
