package main

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// metaRecorder records the user metadata of every PutObject the worker
// sends, then sends it on.
type metaRecorder struct {
	S3API
	mu   sync.Mutex
	meta []map[string]string
}

func (m *metaRecorder) PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	m.mu.Lock()
	m.meta = append(m.meta, in.Metadata)
	m.mu.Unlock()
	return m.S3API.PutObject(ctx, in, optFns...)
}

// TestMetadataASCII: S3 takes user metadata over REST only as
// US-ASCII, at most 2 KB of names and values together (UsingMetadata;
// botocore refuses non-ASCII metadata before sending it). The partial's
// source-key was the decoded key as is, so a flow log delivered under a
// prefix with a non-ASCII character (or a long key) had every PutObject
// of its partials refused: objects counted never, failing to the
// dead-letter queue.
func TestMetadataASCII(t *testing.T) {
	for _, prefix := range []string{"flöw lögs/", strings.Repeat("é", 420) + "/"} {
		e := newEnv(t)
		rec := &metaRecorder{S3API: e.w.s3}
		e.w.s3 = rec
		o := e.objs[0]
		key := prefix + strings.TrimPrefix(o.key, keyPrefix)
		if len(key) > 1024 {
			t.Fatalf("key of %d bytes, more than S3's 1,024", len(key))
		}
		e.f.PutObject(logBucket, key, o.body)
		etag := e.etag(t, logBucket, key)
		if _, err := e.w.handle(context.Background(), s3EventJSON(s3Record(logBucket, key, etag, len(o.body)))); err != nil {
			t.Fatal(err)
		}
		if len(rec.meta) == 0 {
			t.Fatal("no PutObject")
		}
		for _, m := range rec.meta {
			size := 0
			for k, v := range m {
				size += len(k) + len(v)
				for i := 0; i < len(v); i++ {
					if v[i] < 0x20 || v[i] > 0x7e {
						t.Errorf("metadata %s = %q: not printable US-ASCII, which S3 refuses", k, v)
						break
					}
				}
			}
			if size > 2048 {
				t.Errorf("metadata of %d bytes, more than S3's 2 KB", size)
			}
		}
		// The key still names its object, for an audit.
		if got, ok := rec.meta[0]["source-key"]; ok {
			if dec := unescapeMeta(t, got); dec != key {
				t.Errorf("source-key %q decodes to %q, want %q", got, dec, key)
			}
		} else if len(key) < 512 {
			t.Errorf("source-key of %q left out", key)
		}
		if _, err := e.c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(outBucket),
			Key: aws.String(e.outKeyOf(t, key))}); err != nil {
			t.Fatalf("partial not written: %v", err)
		}
	}
}

// outKeyOf is the output key of the log bucket's object key.
func (e *env) outKeyOf(t *testing.T, key string) string {
	t.Helper()
	k, err := outputKey(e.w.prefix, e.w.cluster, objectRef{Bucket: logBucket, Key: key}, partialExt)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func unescapeMeta(t *testing.T, v string) string {
	t.Helper()
	s, err := url.PathUnescape(v)
	if err != nil {
		t.Fatalf("metadata %q: %v", v, err)
	}
	return s
}

// TestDirectTestEvent: S3 sends its s3:TestEvent "when you
// configure an event notification on a bucket" (notification content
// structure; the page names no destination it spares). The SQS path
// skipped it; a function notified directly refused it as an unknown
// event, which Lambda's async retry then ran twice more and sent to the
// dead-letter target, among the real failures.
func TestDirectTestEvent(t *testing.T) {
	e := newEnv(t)
	test := `{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-25T10:00:00.000Z","Bucket":"flowlogs","RequestId":"R","HostId":"H"}`
	if _, err := e.w.handle(context.Background(), []byte(test)); err != nil {
		t.Fatalf("s3:TestEvent invoked directly: %v; want skipped", err)
	}
	for _, bad := range []string{`{}`, `{"Event":"s3:TestEvent","Records":[{"eventSource":"aws:kinesis"}]}`} {
		if _, err := e.w.handle(context.Background(), []byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestMetadataHistoryVersion: a partial recorded its source object but
// not which task history attributed it: when a partial's numbers are
// questioned after the history was uploaded again, nothing said which one
// made them. Its metadata names the history's ETag and Last-Modified.
func TestMetadataHistoryVersion(t *testing.T) {
	e := newEnv(t)
	meta := firstPartialMeta(t, e)
	head, err := e.c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(stateBucket), Key: aws.String(historyKey)})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Trim(aws.ToString(head.ETag), `"`); meta["history-etag"] != want {
		t.Errorf("history-etag %q, want the history's ETag %q (metadata %v)", meta["history-etag"], want, meta)
	}
	if want := head.LastModified.UTC().Format(time.RFC3339); meta["history-modified"] != want {
		t.Errorf("history-modified %q, want %q", meta["history-modified"], want)
	}
}
