package main

import "testing"

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
