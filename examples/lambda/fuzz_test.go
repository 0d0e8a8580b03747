package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// FuzzEventBodies: an S3 notification or an SQS message body, whatever
// it holds, gives object references that pass their own check, or errors;
// never a panic.
func FuzzEventBodies(f *testing.F) {
	for _, s := range []string{
		`{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"AWSLogs/a+b.log.gz","size":5,"eTag":"e","sequencer":"0A"}}}]}`,
		`{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"%zz","size":5}}}]}`,
		`{"Type":"Notification","TopicArn":"arn:aws:sns:us-east-1:1:t","Message":"{}"}`,
		`{"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"b"},"object":{"key":"k","size":1,"etag":"e"}}}`,
		`{"Event":"s3:TestEvent"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		check := func(refs []objectRef) {
			for _, r := range refs {
				if err := r.check(); err != nil {
					t.Errorf("%q: a reference that fails its check: %v", body, err)
				}
			}
		}
		refs, _ := decodeS3Event([]byte(body))
		check(refs)
		refs, _ = fromSQSBody(body)
		check(refs)
	})
}

// FuzzPayload: whatever event invokes the function, sniff names its kind
// or refuses it with a message, and the kind's decoder gives references
// that pass their check, with partition keys that stay in their
// partition (no '/' of the object key in the date or hour), or errors;
// never a panic.
func FuzzPayload(f *testing.F) {
	for _, s := range []string{
		`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/123456789012_vpcflowlogs_us-east-1_fl-0a_20261125T1005Z_ab12cd34.log.gz","size":5,"eTag":"e"}}}]}`,
		`{"Records":[{"eventSource":"aws:sqs","body":"{\"Event\":\"s3:TestEvent\"}"},{"eventSource":"aws:sqs","body":"{\"Type\":\"Notification\",\"Message\":\"{}\"}"}]}`,
		`{"detail-type":"Object Created","source":"aws.s3","id":"1","detail":{"bucket":{"name":"b"},"object":{"key":"k","size":1,"etag":"\"e\""}}}`,
		`{"detail-type":"Object Created","source":"aws.s3","detail":[]}`,
		`{"Event":"s3:TestEvent"}`,
		`[]`, `null`, `{"Records":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		kind, err := sniff(payload)
		if err != nil {
			if kind != kindUnknown || err.Error() == "" {
				t.Fatalf("sniff(%q) = %v, %v", payload, kind, err)
			}
			return
		}
		var refs []objectRef
		switch kind {
		case kindSQS:
			var e events.SQSEvent
			if json.Unmarshal(payload, &e) == nil {
				for _, m := range e.Records {
					rs, _ := fromSQSBody(m.Body)
					refs = append(refs, rs...)
				}
			}
		case kindS3:
			refs, _ = decodeS3Event(payload)
		case kindEventBridge:
			var e events.EventBridgeEvent
			if json.Unmarshal(payload, &e) == nil {
				rs, err := fromEventBridge(e)
				if err != nil && err.Error() == "" {
					t.Fatal("an error with no message")
				}
				refs = rs
			}
		}
		for _, r := range refs {
			if err := r.check(); err != nil {
				t.Fatalf("%q: a reference that fails its check: %v", payload, err)
			}
			key, err := outputKey("out", "c", r, ".parquet")
			if err != nil {
				continue
			}
			if !strings.HasPrefix(key, "out/cluster=c/date=") || strings.Count(key, "/") != 4 {
				t.Fatalf("%q: output key %q", r.Key, key)
			}
		}
	})
}

// FuzzEnvironment: the function's environment, whatever it holds,
// configures a worker or says what is wrong; GOMEMLIMIT is left as the
// runtime read it, and a memory size gives a limit below it.
func FuzzEnvironment(f *testing.F) {
	f.Add("c", "b", "history.jsonl", "out", "", "", "1769", "")
	f.Add("a/b", "b", "h.parquet", "out", "p/", "topology.json", "-1", "")
	f.Add("", "", "", "", "", "", "9999999999", "1GiB")
	f.Add("c=", "b", "k", "o", "", "", "0x10", "")
	f.Fuzz(func(t *testing.T, cluster, bucket, key, out, prefix, topology, memory, gomemlimit string) {
		env := map[string]string{"CLUSTER": cluster, "HISTORY_BUCKET": bucket, "HISTORY_KEY": key, "OUTPUT_BUCKET": out,
			"OUTPUT_PREFIX": prefix, "TOPOLOGY_KEY": topology, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": memory, "GOMEMLIMIT": gomemlimit}
		getenv := func(k string) string { return env[k] }
		if limit, ok := memoryLimit(getenv); ok {
			mb, err := strconv.ParseInt(memory, 10, 64)
			if gomemlimit != "" || limit <= 0 || err != nil || limit >= mb<<20 {
				t.Fatalf("memoryLimit(%q, GOMEMLIMIT %q) = %d", memory, gomemlimit, limit)
			}
		}
		w, err := configure(getenv)
		if err != nil {
			if w != nil || err.Error() == "" {
				t.Fatalf("configure: %v, %v", w, err)
			}
			return
		}
		if w.cluster == "" || strings.ContainsAny(w.cluster, "/=") || w.out == "" {
			t.Fatalf("configure accepted cluster %q, output %q", w.cluster, w.out)
		}
	})
}

// FuzzHistoryObjects: the objects the worker reads from S3 besides the
// flow logs (the history as JSON lines or an intervals table, the
// topology), whatever they hold, give what it needs or an error with a
// message; never a panic.
func FuzzHistoryObjects(f *testing.F) {
	f.Add([]byte(`{"task": {"taskArn": "arn:aws:ecs:us-east-1:1:task/c/a", "createdAt": 1}}`))
	f.Add([]byte(`{"Subnets":[{"SubnetId":"subnet-1","VpcId":"vpc-1","CidrBlock":"10.0.0.0/24","AvailabilityZone":"us-east-1a"}]}`))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	old := logger
	logger = slog.New(slog.DiscardHandler)
	f.Cleanup(func() { logger = old })
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := readHistory(bytes.NewReader(body), int64(len(body)), "h.jsonl"); err != nil && err.Error() == "" {
			t.Fatal("readHistory: an error with no message")
		}
		if _, err := readTable(bytes.NewReader(body), int64(len(body)), "h.parquet"); err != nil && err.Error() == "" {
			t.Fatal("readTable: an error with no message")
		}
		if _, err := readTopology(bytes.NewReader(body), int64(len(body)), "t.json"); err != nil && err.Error() == "" {
			t.Fatal("readTopology: an error with no message")
		}
	})
}
