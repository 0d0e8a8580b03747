package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

const (
	sampleDir   = "../attribute/sample"
	logBucket   = "flowlogs"
	stateBucket = "state"
	historyKey  = "history/demo.history.jsonl"
	outBucket   = "partials"
	keyPrefix   = "flow logs+1/"
)

// sampleObject is one flow-log file of the embedded sample, as uploaded.
type sampleObject struct {
	key  string
	body []byte
	etag string // without quotes, as events carry it
}

// sampleHistory is the sample cluster's task data as one history file.
func sampleHistory(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, f := range []string{"describe-tasks.json", "describe-container-instances.json", "describe-instances.json"} {
		data, err := os.ReadFile(filepath.Join(sampleDir, "tasks", f))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// env is a fake S3 holding the sample's flow logs and history, and a worker
// pointed at it through the real SDK client.
type env struct {
	f    *fakeaws.S3
	c    *s3.Client
	api  *putter
	w    *worker
	objs []sampleObject
}

func newEnv(t testing.TB) *env {
	t.Helper()
	f := fakeaws.NewS3()
	t.Cleanup(f.Close)
	c := s3.NewFromConfig(fakeaws.Config(), func(o *s3.Options) {
		o.BaseEndpoint = f.BaseEndpoint()
		o.UsePathStyle = true
	})
	e := &env{f: f, c: c}
	root := filepath.Join(sampleDir, "flowlogs")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		// A prefix with a space and a plus: S3 events encode the key.
		key := keyPrefix + filepath.ToSlash(rel)
		f.PutObject(logBucket, key, body)
		e.objs = append(e.objs, sampleObject{key: key, body: body, etag: e.etag(t, logBucket, key)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.objs) < 3 {
		t.Fatalf("sample has %d flow-log objects", len(e.objs))
	}
	f.PutObject(stateBucket, historyKey, sampleHistory(t))
	f.CreateBucket(outBucket)
	e.api = &putter{Client: c, f: f}
	e.w = &worker{
		s3:      e.api,
		history: newHistoryCache(e.api, stateBucket, historyKey),
		cluster: "demo",
		out:     outBucket,
		prefix:  "ecsnet/partials",
	}
	return e
}

func (e *env) etag(t testing.TB, bucket, key string) string {
	t.Helper()
	h, err := e.c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Trim(aws.ToString(h.ETag), `"`)
}

// outputs returns every object of the output bucket, key → body, read
// through the SDK.
func (e *env) outputs(t testing.TB) map[string]string {
	t.Helper()
	ctx := context.Background()
	got := map[string]string{}
	p := s3.NewListObjectsV2Paginator(e.c, &s3.ListObjectsV2Input{Bucket: aws.String(outBucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			out, err := e.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(outBucket), Key: o.Key})
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(out.Body)
			out.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			got[aws.ToString(o.Key)] = string(b)
		}
	}
	return got
}

// want is what the outputs must be: each sample object attributed alone,
// in memory, without S3, under its output key, with the options given
// (the worker's: a topology, or none).
func (e *env) want(t testing.TB, opts ...attribution.Option) map[string]string {
	t.Helper()
	b := history.NewBuilder()
	if _, err := b.Load(bytes.NewReader(sampleHistory(t)), "history"); err != nil {
		t.Fatal(err)
	}
	ix := b.Index()
	want := map[string]string{}
	for _, o := range e.objs {
		a := attribution.New(ix, opts...)
		dir := filepath.Join(sampleDir, "flowlogs")
		file := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(o.key, keyPrefix)))
		if err := a.AddAll(source.Records(context.Background(), source.Files{file})); err != nil {
			t.Fatal(err)
		}
		k, err := source.ParseKey(o.key)
		if err != nil {
			t.Fatal(err)
		}
		pp, tasks := a.PartialStream()
		body, err := encodePartial(pp, tasks, attribution.Input{Name: k.DeliveryName()})
		if err != nil {
			t.Fatal(err)
		}
		want[e.outKey(t, o)] = string(body)
	}
	return want
}

// outKey is the output key of a sample object.
func (e *env) outKey(t testing.TB, o sampleObject) string {
	t.Helper()
	k, err := outputKey(e.w.prefix, e.w.cluster, objectRef{Bucket: logBucket, Key: o.key}, partialExt)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// putter is the SDK client with injectable PutObject failures; every
// call, PutObject included, goes to the fake S3 over the wire.
type putter struct {
	*s3.Client
	f        *fakeaws.S3
	mu       sync.Mutex
	puts     int
	failPuts int // the next failPuts calls fail
}

func (p *putter) PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	p.mu.Lock()
	if p.failPuts > 0 {
		p.failPuts--
		p.mu.Unlock()
		return nil, fmt.Errorf("injected PutObject failure")
	}
	p.puts++
	p.mu.Unlock()
	return p.Client.PutObject(ctx, in, optFns...)
}

// s3Record is one record of an S3 event notification, its key URL
// form-encoded the way S3 sends it.
func s3Record(bucket, key, etag string, size int) map[string]any {
	return map[string]any{
		"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
		"eventTime": "2026-11-25T10:05:12.345Z", "eventName": "ObjectCreated:Put",
		"s3": map[string]any{
			"s3SchemaVersion": "1.0",
			"bucket":          map[string]any{"name": bucket, "arn": "arn:aws:s3:::" + bucket},
			"object": map[string]any{"key": url.QueryEscape(key), "size": size, "eTag": etag,
				"sequencer": "0066A1B2C3D4E5F601"},
		},
	}
}

func s3EventJSON(recs ...map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"Records": recs})
	return b
}

func sqsEventJSON(bodies map[string][]byte) []byte {
	ids := make([]string, 0, len(bodies))
	for id := range bodies {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var recs []map[string]any
	for _, id := range ids {
		recs = append(recs, map[string]any{
			"messageId": id, "receiptHandle": "rh-" + id, "body": string(bodies[id]),
			"eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "awsRegion": "us-east-1",
		})
	}
	b, _ := json.Marshal(map[string]any{"Records": recs})
	return b
}

func eventBridgeJSON(bucket, key, etag string, size int) []byte {
	b, _ := json.Marshal(map[string]any{
		"version": "0", "id": "ev-" + etag, "detail-type": "Object Created", "source": "aws.s3",
		"account": "123456789012", "time": "2026-11-25T10:05:12Z", "region": "us-east-1",
		"resources": []string{"arn:aws:s3:::" + bucket},
		"detail": map[string]any{
			"version": "0", "bucket": map[string]any{"name": bucket},
			"object":     map[string]any{"key": key, "size": size, "etag": etag, "sequencer": "0066A1B2C3D4E5F601"},
			"request-id": "R1", "requester": "123456789012", "reason": "PutObject",
		},
	})
	return b
}
