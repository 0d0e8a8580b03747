package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithy "github.com/aws/smithy-go"
)

// conflicter answers the first n conditional PutObjects with S3's 409
// ConditionalRequestConflict (another operation on the key under way),
// writing nothing.
type conflicter struct {
	S3API
	n int
}

func (c *conflicter) PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	if c.n > 0 {
		c.n--
		return nil, &smithy.GenericAPIError{Code: "ConditionalRequestConflict", Message: "A conflicting conditional operation is currently in progress against this resource."}
	}
	return c.S3API.PutObject(ctx, in, optFns...)
}

// After a 409 the key may not exist, and with the worker's policy (no
// s3:ListBucket) HeadObject then answers 403, not 404: write tries again
// rather than failing the event (found by the second read of this
// change). A conflict that lasts is reported with its last cause.
func TestWriteAfterConflictWithoutListBucket(t *testing.T) {
	e := newEnv(t)
	e.f.Allow("s3:GetObject", "s3:PutObject")
	ref := objectRef{Bucket: logBucket, Key: "k", ETag: "e", Sequencer: "0A"}
	w := *e.w
	w.s3 = &conflicter{S3API: e.api, n: 1}
	if err := w.write(context.Background(), "p/new.parquet", ref, []byte("x"), &result{}); err != nil {
		t.Fatalf("409, then a key not there: %v; want the write tried again", err)
	}
	if b, _, ok := e.f.Object(outBucket, "p/new.parquet"); !ok || string(b) != "x" {
		t.Fatalf("written %q, %v", b, ok)
	}
	w.s3 = &conflicter{S3API: e.api, n: maxWriteRaces}
	err := w.write(context.Background(), "p/other.parquet", ref, []byte("y"), &result{})
	if err == nil || !strings.Contains(err.Error(), "not written in 8 tries") || !strings.Contains(err.Error(), "403") {
		t.Fatalf("a conflict that lasts: %v", err)
	}
}
