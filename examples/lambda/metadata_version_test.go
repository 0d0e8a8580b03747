package main

import (
	"context"
	"strconv"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// TestMetadataSchemaVersion: a partial's S3 metadata names its
// schema version and rule version, as its Parquet footer and columns do,
// so that partials of another version under an OUTPUT_PREFIX (a worker
// upgraded or rolled back without a new prefix, which attribute -merge and
// the SQL reduce then refuse) are found with HeadObject or an S3
// Inventory's metadata, without reading each file.
func TestMetadataSchemaVersion(t *testing.T) {
	e := newEnv(t)
	meta := firstPartialMeta(t, e)
	if got, want := meta["partials-schema-version"], strconv.Itoa(partials.SchemaVersion); got != want {
		t.Errorf("partials-schema-version %q, want %q (metadata %v)", got, want, meta)
	}
	if got, want := meta["rule-version"], strconv.Itoa(attribution.RuleVersion); got != want {
		t.Errorf("rule-version %q, want %q (metadata %v)", got, want, meta)
	}
}

// firstPartialMeta has the worker attribute the first flow-log object and
// returns the S3 metadata of the partial it wrote.
func firstPartialMeta(t *testing.T, e *env) map[string]string {
	t.Helper()
	o := e.objs[0]
	if _, err := e.w.handle(context.Background(), s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))); err != nil {
		t.Fatal(err)
	}
	_, meta, ok := e.f.Object(outBucket, e.outKey(t, o))
	if !ok {
		t.Fatal("partial not written")
	}
	return meta
}
