package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/eni/history"
)

// historyAPI is the part of *s3.Client the history cache uses.
type historyAPI interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// historyCache holds the task history index read from S3 (a Watcher's
// file as examples/record writes it, or anything history.Builder.Load
// reads) across the invocations of a warm container. Each Get costs one
// HeadObject; the file is read again only when its ETag changed.
type historyCache struct {
	client historyAPI
	bucket string
	key    string

	mu    sync.Mutex
	etag  string
	index *history.Index
	loads int // how many times the file was read (for tests and logs)
}

// Get returns the index of the current history file.
func (c *historyCache) Get(ctx context.Context) (*history.Index, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ix, err := c.get(ctx)
	if isPreconditionFailed(err) {
		ix, err = c.get(ctx) // replaced between HEAD and GET: once more
	}
	return ix, err
}

func (c *historyCache) get(ctx context.Context) (*history.Index, error) {
	head, err := c.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(c.key)})
	if err != nil {
		return nil, fmt.Errorf("history s3://%s/%s: %w", c.bucket, c.key, err)
	}
	etag := aws.ToString(head.ETag)
	if c.index != nil && etag == c.etag {
		return c.index, nil
	}
	// If-Match pins the read to the version just seen: a file replaced
	// between HEAD and GET fails (412) rather than be cached under the
	// wrong ETag.
	out, err := c.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(c.key), IfMatch: aws.String(etag)})
	if err != nil {
		return nil, fmt.Errorf("history s3://%s/%s: %w", c.bucket, c.key, err)
	}
	defer out.Body.Close()
	b := history.NewBuilder()
	st, err := b.Load(out.Body, "s3://"+c.bucket+"/"+c.key)
	if err != nil {
		// A history with bad lines would attribute silently less: refuse it
		// and let the event source retry (or dead-letter) the objects.
		return nil, fmt.Errorf("history: %d bad values: %w", st.Errors, err)
	}
	if st.Tasks == 0 {
		return nil, fmt.Errorf("history s3://%s/%s: no task observations", c.bucket, c.key)
	}
	c.index, c.etag = b.Index(), etag
	c.loads++
	return c.index, nil
}

// isPreconditionFailed reports whether err is S3's 412.
func isPreconditionFailed(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "PreconditionFailed"
}
