package main

import (
	"context"
	"strings"
	"testing"
)

// TestReadsTheFieldsAttributeReads: the worker's partial is what
// the object contributes as `attribute` reads it (the package doc: "what
// the object contributed per task, which merges exactly with every other
// object's"; SCALE.md: the worker's path is flowlogs.NewReader with
// WithFields(attribution.Fields()…)). attribute decodes only the fields
// attribution reads, so a bad value in another one (here a record's
// version) does not stop it; the worker decoded every field and failed
// the object on every retry, into the dead-letter queue, its records
// missing from the merge that attribute counts.
func TestReadsTheFieldsAttributeReads(t *testing.T) {
	e := newEnv(t)
	o := e.objs[0]
	want := e.want(t)[e.outKey(t, o)]
	body := recompressed(t, o.body, func(s string) string {
		lines := strings.SplitAfter(s, "\n")
		if !strings.HasPrefix(lines[1], "5 ") {
			t.Fatalf("the sample's first record is not version 5: %q", lines[1])
		}
		lines[1] = "x" + lines[1][1:] // a version attribution never reads
		return strings.Join(lines, "")
	})
	e.f.PutObject(logBucket, o.key, body)
	etag := e.etag(t, logBucket, o.key)
	if _, err := e.w.handle(context.Background(), s3EventJSON(s3Record(logBucket, o.key, etag, len(body)))); err != nil {
		t.Fatalf("an object attribute reads, with a bad value in a field attribution does not read: %v", err)
	}
	if got := e.outputs(t)[e.outKey(t, o)]; got != want {
		t.Fatalf("the partial differs from the object's as attribute reads it (%d bytes, want %d)", len(got), len(want))
	}
}
