package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestExpectedBucketOwner: a bucket name is global, and a bucket
// deleted can be created again by another account. With
// EXPECTED_BUCKET_OWNER (template.json sets it to the stack's account)
// every request the worker makes (the history, the flow-log object, the
// partial) says which account must own the bucket, and S3 refuses the
// request (403) to a bucket of another: the partials, which describe the
// account's traffic, are never written into, nor the history read from,
// a stranger's bucket.
func TestExpectedBucketOwner(t *testing.T) {
	for _, c := range []struct {
		owner string
		ok    bool
	}{{fakeaws.BucketOwner, true}, {"210987654321", false}, {"", true}} {
		e := newEnv(t)
		w, err := configure(func(k string) string {
			return map[string]string{"CLUSTER": "demo", "HISTORY_BUCKET": stateBucket, "HISTORY_KEY": historyKey,
				"OUTPUT_BUCKET": outBucket, "OUTPUT_PREFIX": "ecsnet/partials", "EXPECTED_BUCKET_OWNER": c.owner}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		w.setClient(e.api)
		o := e.objs[0]
		_, err = w.handle(context.Background(), eventBridgeJSON(logBucket, o.key, o.etag, len(o.body)))
		if got := len(e.outputs(t)); c.ok && (err != nil || got != 1) {
			t.Errorf("owner %q: %v, %d partials, want one written", c.owner, err, got)
		} else if !c.ok && (err == nil || !strings.Contains(err.Error(), "StatusCode: 403") || got != 0) {
			t.Errorf("owner %q of another account: %v, %d partials, want 403 and none", c.owner, err, got)
		}
	}
}

// TestTemplateBucketOwnerAndTLS: the template sets
// EXPECTED_BUCKET_OWNER to the stack's account, and the bucket the stack
// creates for the partials refuses requests without TLS.
func TestTemplateBucketOwnerAndTLS(t *testing.T) {
	data, err := os.ReadFile("template.json")
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties json.RawMessage
		}
	}
	if err := json.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	var fn struct {
		Environment struct{ Variables map[string]any }
	}
	if err := json.Unmarshal(tpl.Resources["Worker"].Properties, &fn); err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(fn.Environment.Variables["EXPECTED_BUCKET_OWNER"]); string(b) != `{"Ref":"AWS::AccountId"}` {
		t.Errorf("EXPECTED_BUCKET_OWNER = %s, want {\"Ref\":\"AWS::AccountId\"}", b)
	}
	tls := false
	for _, r := range tpl.Resources {
		if r.Type != "AWS::S3::BucketPolicy" {
			continue
		}
		var p struct {
			Bucket         map[string]string
			PolicyDocument struct {
				Statement []struct {
					Effect    string
					Principal any
					Action    any
					Condition map[string]map[string]any
				}
			}
		}
		if err := json.Unmarshal(r.Properties, &p); err != nil {
			t.Fatal(err)
		}
		if p.Bucket["Ref"] != "PartialBucket" {
			continue
		}
		for _, s := range p.PolicyDocument.Statement {
			if s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*" && s.Condition["Bool"]["aws:SecureTransport"] == "false" {
				tls = true
			}
		}
	}
	if !tls {
		t.Error("no bucket policy of PartialBucket denies requests without TLS (aws:SecureTransport false)")
	}
}
