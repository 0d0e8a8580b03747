package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestOneBadRecordDoesNotStopTheOthers: an S3 notification (direct, or the
// body of an SQS message) with a record the worker cannot use — here one
// without an ETag, or with a key that is not valid URL form-encoding — and
// a good record. The bad record must be reported (an error, so that it is
// retried and dead-lettered), and the good object's partial written all the
// same.
func TestOneBadRecordDoesNotStopTheOthers(t *testing.T) {
	noETag := func(e *env) map[string]any { return s3Record(logBucket, e.objs[1].key, "", 1) }
	badKey := func(e *env) map[string]any {
		r := s3Record(logBucket, e.objs[1].key, e.objs[1].etag, 1)
		r["s3"].(map[string]any)["object"].(map[string]any)["key"] = "AWSLogs/%zz.log.gz"
		return r
	}
	for name, bad := range map[string]func(*env) map[string]any{"no ETag": noETag, "bad key encoding": badKey} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			o := e.objs[0]
			good := s3Record(logBucket, o.key, o.etag, len(o.body))
			_, err := e.w.handle(context.Background(), s3EventJSON(bad(e), good))
			if err == nil {
				t.Error("direct S3 event with a bad record: no error, nothing to retry")
			}
			if got := e.outputs(t); len(got) != 1 {
				t.Errorf("direct S3 event: %d partials written, want the good record's (%v)", len(got), err)
			}

			e = newEnv(t)
			resp, err := e.w.handle(context.Background(), sqsEventJSON(map[string][]byte{"m1": s3EventJSON(bad(e), good)}))
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(resp); !strings.Contains(string(b), `"itemIdentifier":"m1"`) {
				t.Errorf("SQS: response %s, want m1 reported", b)
			}
			if got := e.outputs(t); len(got) != 1 {
				t.Errorf("SQS message: %d partials written, want the good record's", len(got))
			}
		})
	}
}

// TestErrorsNameTheObject: whatever step fails, the error of an event names
// the flow-log object it was about (Lambda logs it; the SQS path logs it
// beside the message ID only).
func TestErrorsNameTheObject(t *testing.T) {
	e := newEnv(t)
	o := e.objs[0]
	e.w.history = newHistoryCache(e.api, stateBucket, "history/missing.jsonl") // the history cannot be read
	_, err := e.w.handle(context.Background(), s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))))
	if err == nil {
		t.Fatal("no error without a history")
	}
	if want := "s3://" + logBucket + "/" + o.key; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name the object %s", err, want)
	}
}

// TestTemplateGrantsTheKeysWritten: for every PartialPrefix the template
// accepts, the role's WritePartials statement covers the keys the worker
// writes with OUTPUT_PREFIX set to it (otherwise every PutObject is denied).
func TestTemplateGrantsTheKeysWritten(t *testing.T) {
	_, raw := loadTemplate(t)
	params := raw.(map[string]any)["Parameters"].(map[string]any)
	pp := params["PartialPrefix"].(map[string]any)
	allowed := func(v string) bool {
		p, ok := pp["AllowedPattern"].(string)
		return !ok || regexp.MustCompile(`^(?:`+p+`)$`).MatchString(v)
	}
	for _, prefix := range []string{"ecsnet/partials", "ecsnet/partials/", "partials/", ""} {
		if !allowed(prefix) {
			continue // CloudFormation refuses the stack
		}
		tpl := resolvedTemplate(t, map[string]string{"PartialPrefix": prefix})
		var role struct {
			Policies []struct {
				PolicyDocument struct {
					Statement []struct {
						Sid      string
						Resource map[string]any
					}
				}
			}
		}
		if err := json.Unmarshal(tpl.Resources["WorkerRole"].Properties, &role); err != nil {
			t.Fatal(err)
		}
		var resource string
		for _, s := range role.Policies[0].PolicyDocument.Statement {
			if s.Sid == "WritePartials" {
				resource, _ = s.Resource["Fn::Sub"].(string)
			}
		}
		arn := strings.NewReplacer("${AWS::Partition}", "aws", "${PartialBucket}", outBucket, "${PartialPrefix}", prefix).Replace(resource)
		key, err := outputKey(prefix, "demo", objectRef{Bucket: logBucket, Key: "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1000Z_4c1e82d3.log.gz"}, partialExt)
		if err != nil {
			t.Fatal(err)
		}
		// IAM's wildcard: * matches any characters, '/' included.
		re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(arn), `\*`, ".*") + "$")
		if obj := "arn:aws:s3:::" + outBucket + "/" + key; !re.MatchString(obj) {
			t.Errorf("PartialPrefix %q (accepted by the template): the worker writes %s, the role grants s3:PutObject on %s only", prefix, obj, arn)
		}
	}
}
