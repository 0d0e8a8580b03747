package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// objectAPI is the part of *s3.Client an objectCache uses.
type objectAPI interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// objectCache holds a value decoded from one S3 object (the task history,
// the EC2 topology) across the invocations of a warm container. Each Get
// costs one HeadObject; the object is read and decoded again only when
// its ETag changed, so a file replaced in S3 is seen by the next object
// processed, without a cold start. Its Last-Modified is taken from every
// HeadObject: the same bytes uploaded again (the same ETag) are not read
// again, but their new time is what GetModified returns.
type objectCache[T any] struct {
	client objectAPI
	bucket string
	key    string
	what   string // "history", "topology": how errors name the object
	// decode reads the value from the object's body: size is its length
	// as HeadObject reported it, name its s3:// URL, which decode's
	// errors should give. A value it returns without error is cached.
	decode func(body io.Reader, size int64, name string) (T, error)

	mu       sync.Mutex
	etag     string
	value    T
	modified time.Time // the object's Last-Modified at the last HeadObject
	loaded   bool      // value is the object's of ETag etag
	loads    int       // how many times the object was read (for tests)
}

func newObjectCache[T any](client objectAPI, what, bucket, key string, decode func(io.Reader, int64, string) (T, error)) *objectCache[T] {
	return &objectCache[T]{client: client, what: what, bucket: bucket, key: key, decode: decode}
}

// Get returns the value of the object as it is now.
func (c *objectCache[T]) Get(ctx context.Context) (T, error) {
	v, _, err := c.GetVersion(ctx)
	return v, err
}

// objectVersion names the version of an object a value was read from.
type objectVersion struct {
	ETag     string    // as S3 gives it, quoted
	Modified time.Time // Last-Modified at the last HeadObject; zero if S3 gave none
}

// GetVersion returns the value of the object as it is now, and which
// version of the object it is.
func (c *objectCache[T]) GetVersion(ctx context.Context) (T, objectVersion, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, err := c.get(ctx)
	if apiCode(err) == "PreconditionFailed" {
		v, err = c.get(ctx) // replaced between HEAD and GET: once more
	}
	if err != nil {
		return v, objectVersion{}, err
	}
	return v, objectVersion{ETag: c.etag, Modified: c.modified}, nil
}

func (c *objectCache[T]) get(ctx context.Context) (T, error) {
	var zero T
	name := "s3://" + c.bucket + "/" + c.key
	head, err := c.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(c.key)})
	if err != nil {
		return zero, fmt.Errorf("%s %s: %w", c.what, name, err)
	}
	etag := aws.ToString(head.ETag)
	if c.loaded && etag == c.etag {
		c.modified = aws.ToTime(head.LastModified) // the same bytes, uploaded again maybe
		return c.value, nil
	}
	// The value of another version is let go before the new one is read:
	// a container near its memory limit would otherwise hold both, and
	// the decode's garbage, at once (a Parquet history is read whole).
	c.value, c.etag, c.loaded = zero, "", false
	// If-Match pins the read to the version just seen: an object replaced
	// between HEAD and GET fails (412) rather than be cached under the
	// wrong ETag.
	out, err := c.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(c.key), IfMatch: aws.String(etag)})
	if err != nil {
		return zero, fmt.Errorf("%s %s: %w", c.what, name, err)
	}
	defer out.Body.Close()
	v, err := c.decode(out.Body, aws.ToInt64(head.ContentLength), name)
	if err != nil {
		return zero, err // the next Get reads the object again
	}
	c.value, c.etag, c.loaded = v, etag, true
	c.modified = aws.ToTime(head.LastModified)
	c.loads++
	return v, nil
}
