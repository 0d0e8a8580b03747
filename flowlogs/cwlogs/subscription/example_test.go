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
