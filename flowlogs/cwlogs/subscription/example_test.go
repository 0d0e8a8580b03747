package subscription_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/subscription"
)

// lambdaEvent builds what a Lambda function subscribed to a flow-log group
// receives.
func lambdaEvent() []byte {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(`{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"vpc-flow-logs",
"logStream":"eni-0a1b2c3d4e5f67890","subscriptionFilters":["to-lambda"],"logEvents":[
{"id":"1","timestamp":1763640000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 49152 443 6 10 840 1763640000 1763640060 ACCEPT OK"},
{"id":"2","timestamp":1763640000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 198.51.100.7 10.0.1.5 51000 22 6 1 40 1763640000 1763640060 REJECT OK"}]}`))
	zw.Close()
	ev, _ := json.Marshal(map[string]any{"awslogs": map[string]string{"data": base64.StdEncoding.EncodeToString(z.Bytes())}})
	return ev
}

// Parse flow-log records in a Lambda handler.
func ExampleDecodeLambda() {
	env, err := subscription.DecodeLambda(lambdaEvent())
	if err != nil {
		log.Fatal(err)
	}
	for r, err := range env.Records(flowlogs.DefaultFormat) { // nothing for a CONTROL_MESSAGE
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(env.LogStream, r.Action, r.SrcAddr, r.DstPort, r.Bytes)
	}
	// Output:
	// eni-0a1b2c3d4e5f67890 ACCEPT 10.0.1.5 443 840
	// eni-0a1b2c3d4e5f67890 REJECT 198.51.100.7 22 40
}

// gzipped is how CloudWatch Logs hands an envelope to Kinesis Data Streams
// and Firehose: the gzip bytes of its JSON.
func gzipped(envelope string) []byte {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(envelope))
	zw.Close()
	return z.Bytes()
}

// Decode one Kinesis Data Streams record's data (in a consumer, the
// kinesis.GetRecords output's Records[i].Data; in a Lambda function with a
// Kinesis trigger, the base64 Records[i].kinesis.data, which Decode also
// accepts).
func ExampleDecode() {
	data := gzipped(`{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"vpc-flow-logs",
"logStream":"eni-0a1b2c3d4e5f67890","subscriptionFilters":["to-kinesis"],"logEvents":[
{"id":"1","timestamp":1763640000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 49152 443 6 10 840 1763640000 1763640060 ACCEPT OK"}]}`)
	for _, payload := range [][]byte{data, []byte(base64.StdEncoding.EncodeToString(data))} {
		env, err := subscription.Decode(payload)
		if err != nil {
			log.Fatal(err)
		}
		for r, err := range env.Records(nil) {
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println(env.LogGroup, env.LogStream, r.SrcAddr, r.DstAddr, r.DstPort, r.Bytes)
		}
	}
	// Output:
	// vpc-flow-logs eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 443 840
	// vpc-flow-logs eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 443 840
}

// Read an object Firehose delivered to S3: the gzip envelopes of several
// records back to back, including the CONTROL_MESSAGE CloudWatch Logs sends
// when the subscription is created.
func ExampleAll() {
	var object []byte
	object = append(object, gzipped(`{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"",
"subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1763639990000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}`)...)
	for _, ev := range []string{
		`{"id":"1","timestamp":1763640000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 49152 443 6 10 840 1763640000 1763640060 ACCEPT OK"}`,
		`{"id":"2","timestamp":1763640060000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.2.9 10.0.1.5 443 49152 6 8 6120 1763640060 1763640120 ACCEPT OK"}`,
	} {
		object = append(object, gzipped(`{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"vpc-flow-logs",
"logStream":"eni-0a1b2c3d4e5f67890","subscriptionFilters":["to-firehose"],"logEvents":[`+ev+`]}`)...)
	}

	var envelopes, records int
	var bytesSeen int64
	for env, err := range subscription.All(bytes.NewReader(object)) { // in a tool: the S3 GetObject body
		if err != nil {
			log.Fatal(err)
		}
		envelopes++
		for r, err := range env.Records(nil) { // nothing for the control message
			if err != nil {
				log.Fatal(err)
			}
			records++
			bytesSeen += r.Bytes
		}
	}
	fmt.Println(envelopes, "envelopes,", records, "records,", bytesSeen, "bytes")
	// Output:
	// 3 envelopes, 2 records, 6960 bytes
}
