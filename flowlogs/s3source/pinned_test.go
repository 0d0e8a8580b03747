package s3source

import (
	"context"
	"errors"
	"strings"
	"testing"

	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestOpenPinnedToListedETag: an object replaced between List and
// Open is not read as the listed one. Its Object carries the listing's
// ETag and size, which callers record as what they read (and use to tell
// a copy under another key, so that nothing is counted twice); the read
// must fail (PreconditionFailed, naming the key) rather than attribute the
// new bytes under the listed version.
func TestOpenPinnedToListedETag(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	key := objs[0].key
	b := &Bucket{Client: client(f), Bucket: "logs", Prefix: key}
	ctx := context.Background()
	listed, err := b.List(ctx)
	if err != nil || len(listed) != 1 {
		t.Fatalf("List: %v, %v", listed, err)
	}
	other, _, _ := f.Object("logs", objs[2].key)
	f.PutObject("logs", key, other) // replaced after the listing

	var ids []int64
	err = source.Each(ctx, fixed{b, listed}, func(_ source.Object, r *flowlogs.Reader) error {
		for r.Scan() {
			ids = append(ids, r.Record().Bytes)
		}
		return nil
	})
	var ae smithy.APIError
	var oe *source.ObjectError
	if !errors.As(err, &ae) || ae.ErrorCode() != "PreconditionFailed" || !errors.As(err, &oe) || oe.Name != key {
		t.Fatalf("read of an object replaced since the listing: %d records %v, err %v; want PreconditionFailed naming %s", len(ids), ids, err, key)
	}
	if !strings.Contains(err.Error(), listed[0].ETag) {
		t.Errorf("the error does not say which version was listed: %v", err)
	}
	if len(ids) != 0 {
		t.Fatalf("records of the new object read: %v", ids)
	}
}

// fixed is a Bucket whose List returns a listing made before.
type fixed struct {
	*Bucket
	objs []source.Object
}

func (f fixed) List(context.Context) ([]source.Object, error) { return f.objs, nil }
