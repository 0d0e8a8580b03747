package main

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestDecodeS3Event(t *testing.T) {
	// A key with a space and a plus: S3 sends "a+b%2Bc" for "a b+c".
	const key = "AWSLogs/x/a b+c.log.gz"
	del := s3Record("logs", "other", "e2", 1)
	del["eventName"] = "ObjectRemoved:Delete"
	payload := s3EventJSON(s3Record("logs", key, "e1", 42), del)
	var e events.S3Event
	if err := json.Unmarshal(payload, &e); err != nil {
		t.Fatal(err)
	}
	refs, err := fromS3Event(e)
	if err != nil {
		t.Fatal(err)
	}
	want := []objectRef{{Bucket: "logs", Key: key, Size: 42, ETag: "e1", Sequencer: "0066A1B2C3D4E5F601"}}
	if !reflect.DeepEqual(refs, want) {
		t.Fatalf("got %+v, want %+v", refs, want)
	}
	if k, err := sniff(payload); k != kindS3 || err != nil {
		t.Fatalf("sniff: %v, %v", k, err)
	}
	noETag := s3Record("logs", key, "", 1)
	if err := json.Unmarshal(s3EventJSON(noETag), &e); err != nil {
		t.Fatal(err)
	}
	if _, err := fromS3Event(e); err == nil {
		t.Fatal("a record without ETag was accepted")
	}
}

func TestDecodeSQSBody(t *testing.T) {
	// The message S3 sends when a notification to a queue is configured.
	test := `{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-25T10:00:00.000Z","Bucket":"logs","RequestId":"R","HostId":"H"}`
	if refs, err := fromSQSBody(test); err != nil || refs != nil {
		t.Fatalf("s3:TestEvent: %v, %v; want skipped", refs, err)
	}
	refs, err := fromSQSBody(string(s3EventJSON(s3Record("logs", "k 1", "e", 3))))
	if err != nil || len(refs) != 1 || refs[0].Key != "k 1" {
		t.Fatalf("got %+v, %v", refs, err)
	}
	// Fan-outs: an EventBridge rule targeting the queue, S3 → SNS → SQS.
	eb := eventBridgeJSON("logs", "k 2", "e", 3)
	sns, _ := json.Marshal(map[string]any{"Type": "Notification", "MessageId": "x", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
		"Message": string(s3EventJSON(s3Record("logs", "k 3", "e", 3)))})
	for body, key := range map[string]string{string(eb): "k 2", string(sns): "k 3"} {
		refs, err := fromSQSBody(body)
		if err != nil || len(refs) != 1 || refs[0].Key != key {
			t.Errorf("body %s: got %+v, %v", body, refs, err)
		}
	}
	for _, bad := range []string{"", "not json", `{"hello":1}`, `{"Type":"Notification","TopicArn":"arn:t","Message":"{}"}`, `{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"%zz","eTag":"e"}}}]}`} {
		if _, err := fromSQSBody(bad); err == nil {
			t.Errorf("body %q accepted", bad)
		}
	}
}

func TestDecodeEventBridge(t *testing.T) {
	payload := eventBridgeJSON("logs", "AWSLogs/a b.log.gz", "e1", 7)
	if k, err := sniff(payload); k != kindEventBridge || err != nil {
		t.Fatalf("sniff: %v, %v", k, err)
	}
	var e events.EventBridgeEvent
	if err := json.Unmarshal(payload, &e); err != nil {
		t.Fatal(err)
	}
	refs, err := fromEventBridge(e)
	want := []objectRef{{Bucket: "logs", Key: "AWSLogs/a b.log.gz", Size: 7, ETag: "e1", Sequencer: "0066A1B2C3D4E5F601"}}
	if err != nil || !reflect.DeepEqual(refs, want) {
		t.Fatalf("got %+v, %v; want %+v", refs, err, want)
	}
	e.DetailType = "Object Deleted"
	if _, err := fromEventBridge(e); !errors.Is(err, errNotObjectCreated) {
		t.Fatalf("Object Deleted: %v", err)
	}
}

func TestSniff(t *testing.T) {
	if k, err := sniff(sqsEventJSON(map[string][]byte{"m1": []byte("{}")})); k != kindSQS || err != nil {
		t.Fatalf("SQS: %v, %v", k, err)
	}
	for _, bad := range []string{`[]`, `{}`, `{"Records":[]}`, `{"Records":[{"eventSource":"aws:kinesis"}]}`, `nope`} {
		if k, err := sniff([]byte(bad)); err == nil {
			t.Errorf("%s: kind %v, want an error", bad, k)
		}
	}
}
