package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
)

// historyAPI is the part of *s3.Client the history cache uses.
type historyAPI interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// historyCache holds the task history index read from S3 across the
// invocations of a warm container: a key ending in ".parquet" is the task
// history as a table (eni/history/intervals, as examples/attribute -export
// writes it), any other a Watcher's file as examples/record writes it, or
// anything history.Builder.Load reads. Each Get costs one HeadObject; the
// file is read again only when its ETag changed.
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
	if apiCode(err) == "PreconditionFailed" {
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
	name := "s3://" + c.bucket + "/" + c.key
	if strings.HasSuffix(c.key, ".parquet") {
		ix, err := readTable(out.Body, aws.ToInt64(head.ContentLength), name)
		if err != nil {
			return nil, err
		}
		c.index, c.etag = ix, etag
		c.loads++
		return c.index, nil
	}
	b := history.NewBuilder()
	st, err := b.Load(out.Body, name)
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

// maxTableBytes bounds the history table read into memory: Parquet is
// read from its end, so the object is held whole. A row takes some tens
// of bytes compressed, so this is millions of ownership intervals, in a
// function of 1 GB (template.json). A variable for tests.
var maxTableBytes int64 = 256 << 20

// readTable reads the task history as an intervals table of size bytes
// (as HeadObject reported it) and rebuilds the history from it.
func readTable(body io.Reader, size int64, name string) (*history.Index, error) {
	if size > maxTableBytes {
		return nil, fmt.Errorf("history %s: %d bytes, more than the %d this worker reads into memory", name, size, maxTableBytes)
	}
	b, err := io.ReadAll(io.LimitReader(body, maxTableBytes+1))
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", name, err)
	}
	if int64(len(b)) > maxTableBytes {
		return nil, fmt.Errorf("history %s: more than the %d bytes this worker reads into memory", name, maxTableBytes)
	}
	rows, err := intervals.ReadParquet(bytes.NewReader(b), int64(len(b)), name)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	ix, err := intervals.Index(rows)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", name, err)
	}
	if len(ix.Tasks()) == 0 {
		return nil, fmt.Errorf("history %s: no tasks", name)
	}
	return ix, nil
}
