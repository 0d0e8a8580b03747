package iampolicy_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/iampolicy"
)

func all() []iampolicy.Statement {
	return []iampolicy.Statement{iampolicy.ECSReadCluster(), iampolicy.ECSClusterARN(), iampolicy.EC2InstanceTypes(), iampolicy.EC2PrimaryInterfaces(),
		iampolicy.EC2Topology(), iampolicy.FlowLogFormat(), iampolicy.CloudWatchLogsRead(), iampolicy.S3Read(), iampolicy.S3ReadObject()}
}

// worker are the fan-out worker's statements: the only ones that write,
// and only its own outputs (partials, its queue's messages, its logs).
func worker() []iampolicy.Statement {
	return []iampolicy.Statement{iampolicy.S3WritePartials(), iampolicy.SQSEventSource(), iampolicy.LambdaLogs()}
}

// Every statement is sorted and named once; every statement of the
// library's read paths is read-only.
func TestStatements(t *testing.T) {
	sids := map[string]bool{}
	for _, s := range worker() {
		if sids[s.Sid] || !slices.IsSorted(s.Actions) || len(s.Actions) == 0 {
			t.Errorf("%s: twice, or actions %v", s.Sid, s.Actions)
		}
		sids[s.Sid] = true
	}
	for _, s := range all() {
		if sids[s.Sid] {
			t.Errorf("Sid %s twice", s.Sid)
		}
		sids[s.Sid] = true
		if !slices.IsSorted(s.Actions) || len(s.Actions) == 0 {
			t.Errorf("%s: actions %v", s.Sid, s.Actions)
		}
		for _, a := range s.Actions {
			ok := false
			for _, p := range []string{":Describe", ":List", ":Get", ":Filter"} {
				if strings.Contains(a, p) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s: %s is not a read", s.Sid, a)
			}
		}
	}
}

func TestJSON(t *testing.T) {
	p := iampolicy.JSON(iampolicy.S3Read(), iampolicy.FlowLogFormat())
	var doc struct {
		Version   string
		Statement []struct {
			Sid, Effect, Resource string
			Action                []string
		}
	}
	if err := json.Unmarshal([]byte(p), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2012-10-17" || len(doc.Statement) != 2 || doc.Statement[0].Effect != "Allow" ||
		doc.Statement[0].Resource != "*" || fmt.Sprint(doc.Statement[1].Action) != "[ec2:DescribeFlowLogs]" {
		t.Fatalf("%s", p)
	}
	if got := iampolicy.Actions(iampolicy.S3Read(), iampolicy.S3Read(), iampolicy.FlowLogFormat()); fmt.Sprint(got) != "[ec2:DescribeFlowLogs s3:GetObject s3:ListBucket]" {
		t.Fatalf("actions %v", got)
	}
}
