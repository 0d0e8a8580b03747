package main

import (
	"testing"
)

// TestCoalescedRewriteCounted: S3 documents that "if two writes are
// made to a single non-versioned object at the same time, it is possible
// that only a single event notification will be sent" (Amazon S3 user
// guide, Event notifications, Important). An object delivered and at once
// rewritten in place (recompressed, re-encrypted: the same records, another
// ETag) may so be announced by the first write's event alone. The worker
// skipped that event as stale (412), trusting "its new version's event
// counts it", and then nothing counted the object: the merged report
// silently lacked its records. It must count the object once, as it is now.
func TestCoalescedRewriteCounted(t *testing.T) {
	e := newEnv(t)
	o := e.objs[0]
	e.f.PutObject(logBucket, o.key, recompressed(t, o.body, nil))
	if e.etag(t, logBucket, o.key) == o.etag {
		t.Fatal("the rewrite kept the ETag")
	}
	// Every object's event with the ETag of its first write: the
	// rewrite's own event is the one S3 did not send.
	e.deliver(t, "sqs", seq(len(e.objs)))
	out := e.outputs(t)
	if len(out) != len(e.objs) {
		t.Fatalf("%d partials for %d objects: the rewritten object, announced once, is counted by none", len(out), len(e.objs))
	}
	checkMergeIsWhole(t, out)
}
