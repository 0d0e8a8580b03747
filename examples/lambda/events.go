package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// objectRef names one S3 object version an event announced.
type objectRef struct {
	Bucket  string
	Key     string // URL-decoded
	Size    int64
	ETag    string // without quotes, as S3 events carry it
	Version string // "" when the bucket is not versioned
	// Sequencer orders the events of one key (see laterSequencer); "" in a
	// hand-made event.
	Sequencer string
}

func (o objectRef) String() string { return "s3://" + o.Bucket + "/" + o.Key }

// errNotObjectCreated marks records the worker ignores on purpose (another
// event name, S3's test event), as opposed to records it cannot read.
var errNotObjectCreated = errors.New("not an object-created event")

// fromS3Event returns the ObjectCreated records of a direct S3 notification
// (or the body of an SQS message carrying one). eventName has no "s3:"
// prefix in the payload ("ObjectCreated:Put"); keys are URL form-encoded
// (space → "+"), which events.S3Object decodes into URLDecodedKey.
// A record the worker cannot use does not stop the others: the refs of
// the good ones are returned with the errors of the bad ones, joined, so
// that the good objects are written and the bad ones still reported.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
func fromS3Event(e events.S3Event) ([]objectRef, error) {
	var (
		refs []objectRef
		errs []error
	)
	for i, r := range e.Records {
		ref, ok, err := fromS3Record(r)
		if err != nil {
			errs = append(errs, fmt.Errorf("record %d: %w", i, err))
		} else if ok {
			refs = append(refs, ref)
		}
	}
	return refs, errors.Join(errs...)
}

// fromS3Record returns the object of one record, and false for a record
// of another event than ObjectCreated.
func fromS3Record(r events.S3EventRecord) (objectRef, bool, error) {
	if !strings.HasPrefix(r.EventName, "ObjectCreated:") {
		return objectRef{}, false, nil
	}
	ref := objectRef{
		Bucket:    r.S3.Bucket.Name,
		Key:       r.S3.Object.URLDecodedKey,
		Size:      r.S3.Object.Size,
		ETag:      strings.Trim(r.S3.Object.ETag, `"`),
		Version:   r.S3.Object.VersionID,
		Sequencer: r.S3.Object.Sequencer,
	}
	if ref.Key == "" && r.S3.Object.Key != "" {
		// aws-lambda-go before URLDecodedKey existed, or a hand-made event.
		k, err := url.QueryUnescape(r.S3.Object.Key)
		if err != nil {
			return objectRef{}, false, fmt.Errorf("s3://%s/ key %q: %w", ref.Bucket, r.S3.Object.Key, err)
		}
		ref.Key = k
	}
	if err := ref.check(); err != nil {
		return objectRef{}, false, err
	}
	return ref, true, nil
}

// decodeS3Event decodes an S3 notification record by record: a record
// events.S3EventRecord refuses (a key that is not URL form-encoding fails
// aws-lambda-go's decoding of the whole event) is an error of its own,
// naming its bucket and raw key, and the other records are still
// returned (see fromS3Event).
func decodeS3Event(body []byte) ([]objectRef, error) {
	var raw struct {
		Records []json.RawMessage `json:"Records"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("S3 event: %w", err)
	}
	var (
		e    events.S3Event
		errs []error
	)
	for i, m := range raw.Records {
		var r events.S3EventRecord
		if err := json.Unmarshal(m, &r); err != nil {
			var name struct {
				S3 struct {
					Bucket struct{ Name string } `json:"bucket"`
					Object struct{ Key string }  `json:"object"`
				} `json:"s3"`
			}
			_ = json.Unmarshal(m, &name)
			errs = append(errs, fmt.Errorf("record %d: s3://%s/ key %q: %w", i, name.S3.Bucket.Name, name.S3.Object.Key, err))
			continue
		}
		e.Records = append(e.Records, r)
	}
	refs, err := fromS3Event(e)
	return refs, errors.Join(append(errs, err)...)
}

func (o objectRef) check() error {
	switch {
	case o.Bucket == "":
		return errors.New("no bucket name")
	case o.Key == "":
		return errors.New("no object key")
	case o.ETag == "":
		// The read is pinned to the ETag: without it, bytes written
		// after the event could be read as the event's.
		return fmt.Errorf("%s: no ETag", o)
	}
	return nil
}

// fromSQSBody decodes one SQS message body: an S3 event notification, or
// the s3:TestEvent S3 sends once when the notification is configured, which
// is skipped (no refs, no error). Two common fan-outs are unwrapped too: an
// EventBridge rule with the queue as target (the body is the EventBridge
// event), and S3 → SNS → SQS without raw message delivery (the body is an
// SNS envelope whose Message is the S3 notification).
func fromSQSBody(body string) ([]objectRef, error) {
	var probe struct {
		Event      string          `json:"Event"`
		Records    json.RawMessage `json:"Records"`
		DetailType *string         `json:"detail-type"`
		Type       string          `json:"Type"`
		TopicArn   string          `json:"TopicArn"`
		Message    *string         `json:"Message"`
	}
	if err := json.Unmarshal([]byte(body), &probe); err != nil {
		return nil, fmt.Errorf("body is not JSON: %w", err)
	}
	switch {
	case probe.Event == "s3:TestEvent" && probe.Records == nil:
		return nil, nil
	case probe.DetailType != nil:
		var e events.EventBridgeEvent
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, fmt.Errorf("EventBridge event: %w", err)
		}
		refs, err := fromEventBridge(e)
		if errors.Is(err, errNotObjectCreated) {
			return nil, nil
		}
		return refs, err
	case probe.Type == "Notification" && probe.TopicArn != "" && probe.Message != nil:
		refs, err := fromSQSBody(*probe.Message)
		if err != nil {
			return refs, fmt.Errorf("SNS message from %s: %w", probe.TopicArn, err)
		}
		return refs, nil
	case probe.Records == nil:
		return nil, errors.New("body is not an S3 event notification (no Records)")
	}
	return decodeS3Event([]byte(body))
}

// s3EventBridgeDetail is the detail of an EventBridge "Object Created"
// event from aws.s3 (aws-lambda-go defines none).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
type s3EventBridgeDetail struct {
	Version string `json:"version"`
	Bucket  struct {
		Name string `json:"name"`
	} `json:"bucket"`
	Object struct {
		Key       string `json:"key"`
		Size      int64  `json:"size"`
		ETag      string `json:"etag"`
		VersionID string `json:"version-id"`
		Sequencer string `json:"sequencer"`
	} `json:"object"`
	RequestID string `json:"request-id"`
	Requester string `json:"requester"`
	Reason    string `json:"reason"`
}

// fromEventBridge decodes an aws.s3 "Object Created" event. Whether
// EventBridge URL-encodes detail.object.key is not documented; AWS's
// examples show keys as stored, so the key is taken as is (a "+" in a key
// stays a "+"). See the team's notes, ../shared/reference/scale-out.md §3 [unverified].
func fromEventBridge(e events.EventBridgeEvent) ([]objectRef, error) {
	if e.Source != "aws.s3" || e.DetailType != "Object Created" {
		return nil, fmt.Errorf("%w: EventBridge %q from %q", errNotObjectCreated, e.DetailType, e.Source)
	}
	var d s3EventBridgeDetail
	if err := json.Unmarshal(e.Detail, &d); err != nil {
		return nil, fmt.Errorf("EventBridge event %s: detail: %w", e.ID, err)
	}
	ref := objectRef{Bucket: d.Bucket.Name, Key: d.Object.Key, Size: d.Object.Size,
		ETag: strings.Trim(d.Object.ETag, `"`), Version: d.Object.VersionID, Sequencer: d.Object.Sequencer}
	if err := ref.check(); err != nil {
		return nil, fmt.Errorf("EventBridge event %s: %w", e.ID, err)
	}
	return []objectRef{ref}, nil
}

// eventKind tells which event source invoked the function, from the
// payload's shape: SQS and S3 records name their eventSource, EventBridge
// events carry a detail-type.
type eventKind int

const (
	kindUnknown eventKind = iota
	kindS3
	kindSQS
	kindEventBridge
	kindS3Test // S3's s3:TestEvent, sent when a notification is configured
)

func sniff(payload []byte) (eventKind, error) {
	var p struct {
		Records []struct {
			EventSource string `json:"eventSource"`
		} `json:"Records"`
		DetailType *string `json:"detail-type"`
		Event      string  `json:"Event"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return kindUnknown, fmt.Errorf("event is not a JSON object: %w", err)
	}
	switch {
	case p.Event == "s3:TestEvent" && p.Records == nil && p.DetailType == nil:
		return kindS3Test, nil
	case p.DetailType != nil:
		return kindEventBridge, nil
	case len(p.Records) > 0 && p.Records[0].EventSource == "aws:sqs":
		return kindSQS, nil
	case len(p.Records) > 0 && p.Records[0].EventSource == "aws:s3":
		return kindS3, nil
	}
	return kindUnknown, errors.New("event is neither an S3 notification, an SQS batch nor an EventBridge event")
}
