package s3source

import (
	"context"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestWrongRegionNamesBucketRegion: a bucket in another Region
// than the client's is answered 301 PermanentRedirect, whose message
// ("must be addressed using the specified endpoint") names no Region;
// S3 gives it in the x-amz-bucket-region header. The error must name
// it, so the user knows which Region to use, for the listing and for a
// GetObject alike, and the answer is not tried again.
func TestWrongRegionNamesBucketRegion(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	f.SetRegion("logs", "eu-west-1") // the client is us-east-1's
	b := &Bucket{Client: client(f), Bucket: "logs", Prefix: "prod/AWSLogs/"}
	_, err := b.List(context.Background())
	if err == nil || !strings.Contains(err.Error(), "PermanentRedirect") || !strings.Contains(err.Error(), "eu-west-1") {
		t.Errorf("List of a bucket in eu-west-1 from us-east-1: %v; want an error naming the bucket's Region eu-west-1", err)
	}
	var key string // one whose name does not say eu-west-1 already
	for _, o := range objs {
		if !strings.Contains(o.key, "eu-west-1") {
			key = o.key
			break
		}
	}
	_, err = b.Open(context.Background(), source.Object{Name: key})
	if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "eu-west-1") {
		t.Errorf("Open of an object in eu-west-1 from us-east-1: %v; want an error naming the key and the Region eu-west-1", err)
	}
	if n := f.Faulted()["s3:ListBucket"] + f.Calls()["s3:ListBucket"]; n > 1 {
		t.Errorf("ListObjectsV2 sent %d times for a 301; want once", n)
	}
}

// TestArchivedObjectSaysRestore: an object a lifecycle rule moved
// to Glacier Flexible Retrieval (or Deep Archive) is refused, 403
// InvalidObjectState; the error must name the object and its storage
// class and say that it must be restored first, not only that "the
// operation is not valid for the object's storage class".
func TestArchivedObjectSaysRestore(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	key := objs[len(objs)/2].key
	if !f.SetStorageClass("logs", key, "DEEP_ARCHIVE") {
		t.Fatal("no such object")
	}
	b := &Bucket{Client: client(f), Bucket: "logs", Prefix: "prod/AWSLogs/"}
	_, err := b.Open(context.Background(), source.Object{Name: key})
	if err == nil {
		t.Fatal("Open of an archived object succeeded")
	}
	for _, want := range []string{key, "DEEP_ARCHIVE", "restore"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open of an object in DEEP_ARCHIVE: %v; want it to say %q", err, want)
		}
	}
	if n := f.Faulted()["s3:GetObject"] + f.Calls()["s3:GetObject"]; n > 1 {
		t.Errorf("GetObject sent %d times for a 403 InvalidObjectState; want once", n)
	}
}
