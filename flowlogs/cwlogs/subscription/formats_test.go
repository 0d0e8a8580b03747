package subscription

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestRecordsOfSeveralFlowLogsInOneStream: several flow logs may write
// one log group, and when they cover the same ENI they share its stream
// (VPC user guide, flow-logs-cwl: "Several flow logs writing the same ENI
// into the same group share one combined stream"), so one subscription
// envelope can hold lines of two formats. ec2format.Formats returns them
// all; Records must parse each line with the format its field count
// matches, as cwlogs and package source do, not stop at the first line of
// the other format and lose the rest of the envelope.
func TestRecordsOfSeveralFlowLogsInOneStream(t *testing.T) {
	custom, err := flowlogs.ParseLogFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${start} ${end} ${action} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	e, err := Decode(gz(t, `{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"vpc-flow","logStream":"eni-0a1b2c3d4e5f67890",
"subscriptionFilters":["all"],"logEvents":[
{"id":"1","timestamp":1700000000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK"},
{"id":"2","timestamp":1700000000000,"message":"2 eni-0a1b2c3d4e5f67890 10.0.0.2 10.0.0.1 9000 1700000000 1700000060 ACCEPT OK"},
{"id":"3","timestamp":1700000000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.0.2 10.0.0.1 49152 443 6 12 100 1700000000 1700000060 ACCEPT OK"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var bytes int64
	var n int
	for r, err := range e.Records(flowlogs.DefaultFormat, custom) {
		if err != nil {
			t.Fatalf("after %d records: %v", n, err)
		}
		n++
		bytes += r.Bytes
	}
	if n != 3 || bytes != 840+9000+100 {
		t.Fatalf("%d records, %d bytes; want 3, %d", n, bytes, 840+9000+100)
	}
	// One format, or none (the default), reads as before.
	n = 0
	for _, err := range e.Records(nil) {
		if err == nil {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("default format alone: %d records before the custom line's error, want 1", n)
	}
}

// TestBadBase64SaysWhat: a payload that is neither gzip nor JSON is
// taken for base64 (Lambda's awslogs.data, a Kinesis record's data in a
// Lambda event); when it is not valid base64 either, the error must say
// that it is this package's payload that is bad and how it was read, as
// the gzip and JSON errors do ("subscription: gzip: ...", "subscription:
// envelope 0: ..."), not a bare "illegal base64 data at input byte 0".
func TestBadBase64SaysWhat(t *testing.T) {
	_, err := Decode([]byte("!!!!"))
	if err == nil || !strings.HasPrefix(err.Error(), "subscription: ") || !strings.Contains(err.Error(), "base64") {
		t.Fatalf("got %v", err)
	}
	_, err = DecodeLambda([]byte(`{"awslogs":{"data":"H4sI*not base64*"}}`))
	if err == nil || !strings.HasPrefix(err.Error(), "subscription: ") {
		t.Fatalf("got %v", err)
	}
}
