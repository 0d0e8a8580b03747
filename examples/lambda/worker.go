package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
	"github.com/ecsnet/ecsnet/flowlogs/s3source"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// S3API is the part of *s3.Client the worker uses.
type S3API interface {
	historyAPI
	s3source.API
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

var _ S3API = (*s3.Client)(nil)

// worker attributes one flow-log object per event record and writes its
// partial result.
type worker struct {
	s3      S3API
	history *historyCache
	cluster string // the cluster= partition of the output
	out     string // output bucket
	prefix  string // output key prefix, e.g. "partials/"
}

// partialExt is the file extension of what encodePartial writes.
const partialExt = ".parquet"

// encodePartial encodes what one flow-log object contributed: its
// attribution.Partial as a partials file, which `attribute -merge`,
// attribution.Merge or the SQL of sqlattr add up exactly. It is written
// from the stream, one task at a time: memory is what a Lambda is billed
// for, and a whole Partial of a large cluster's object is as big again
// as the rollups.
func encodePartial(a *attribution.Attributor) ([]byte, error) {
	var b bytes.Buffer
	p, tasks := a.PartialStream()
	if err := partials.WriteStream(&b, p, tasks); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// process attributes one object and writes its partial. The output key
// depends only on the object (bucket, key, ETag), so running it twice for
// the same event rewrites the same bytes under the same key.
func (w *worker) process(ctx context.Context, ref objectRef) error {
	key, err := outputKey(w.prefix, w.cluster, ref, partialExt)
	if err != nil {
		return err
	}
	ix, err := w.history.Get(ctx)
	if err != nil {
		return err
	}
	k, _ := source.ParseKey(ref.Key) // outputKey parsed it already
	src := &oneObject{
		Bucket: s3source.Bucket{Client: pinned{w.s3, `"` + ref.ETag + `"`, ref.Version}, Bucket: ref.Bucket},
		obj:    source.Object{Name: ref.Key, Size: ref.Size, Key: k},
	}
	a := attribution.New(ix)
	if err := a.AddAll(source.Records(ctx, src, source.WithConcurrency(1), parquetsource.WithDecoder())); err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	body, err := encodePartial(a)
	if err != nil {
		return fmt.Errorf("%s: encoding the partial: %w", ref, err)
	}
	_, err = w.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:      aws.String(w.out),
		Key:         aws.String(key),
		Body:        bytes.NewReader(body),
		ContentType: aws.String("application/vnd.apache.parquet"),
		Metadata: map[string]string{ // where the partial came from, for audits
			"source-bucket": ref.Bucket, "source-key": ref.Key, "source-etag": ref.ETag,
		},
	})
	if err != nil {
		return fmt.Errorf("%s: writing s3://%s/%s: %w", ref, w.out, key, err)
	}
	return nil
}

// oneObject is a source.Source of the one object version an event named.
type oneObject struct {
	s3source.Bucket
	obj source.Object
}

func (o *oneObject) List(context.Context) ([]source.Object, error) {
	return []source.Object{o.obj}, nil
}

// pinned makes every GetObject read the event's object version: in a
// versioned bucket by its version ID, and always conditional on its ETag,
// so if the key was overwritten since (unversioned bucket) the read fails
// (412) instead of attributing the new bytes under the old version's
// output name; the new version's own event writes its partial.
type pinned struct {
	s3source.API
	etag    string
	version string
}

func (p pinned) GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if in.IfMatch == nil {
		c := *in
		c.IfMatch = aws.String(p.etag)
		if p.version != "" {
			c.VersionId = aws.String(p.version)
		}
		in = &c
	}
	return p.API.GetObject(ctx, in, optFns...)
}

// handle processes one invocation, whichever source sent it.
func (w *worker) handle(ctx context.Context, payload json.RawMessage) (any, error) {
	kind, err := sniff(payload)
	if err != nil {
		return nil, err
	}
	switch kind {
	case kindSQS:
		var e events.SQSEvent
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, fmt.Errorf("SQS event: %w", err)
		}
		return w.handleSQS(ctx, e), nil
	case kindS3:
		var e events.S3Event
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, fmt.Errorf("S3 event: %w", err)
		}
		refs, err := fromS3Event(e)
		if err != nil {
			return nil, err
		}
		return nil, w.processAll(ctx, refs)
	default: // kindEventBridge
		var e events.EventBridgeEvent
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, fmt.Errorf("EventBridge event: %w", err)
		}
		refs, err := fromEventBridge(e)
		if errors.Is(err, errNotObjectCreated) {
			return nil, nil // a rule wider than needed: nothing to do, nothing to retry
		}
		if err != nil {
			return nil, err
		}
		return nil, w.processAll(ctx, refs)
	}
}

// processAll processes every ref and returns all failures joined: async
// invocations (direct S3, EventBridge) retry the whole event, which is
// safe because every object's output is idempotent.
func (w *worker) processAll(ctx context.Context, refs []objectRef) error {
	var errs []error
	for _, r := range refs {
		if err := w.process(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// handleSQS processes a batch and reports the messages that failed, so
// only they become visible again (the event source mapping needs
// FunctionResponseTypes: ReportBatchItemFailures).
// https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
func (w *worker) handleSQS(ctx context.Context, e events.SQSEvent) events.SQSEventResponse {
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, m := range e.Records {
		refs, err := fromSQSBody(m.Body)
		if err == nil {
			err = w.processAll(ctx, refs)
		}
		if err != nil {
			logf("message %s: %v", m.MessageId, err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}
