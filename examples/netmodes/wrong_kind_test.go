package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOtherKindsOfFile: netmodes given flow logs said encoding/
// json's "invalid character 'v' looking for beginning of value", given a
// record file "unexpected data after the top-level value", and given an
// enibudget snapshot "no containerDefinitions", not what it is.
func TestOtherKindsOfFile(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"flowlogs.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n",
			"is flow-log records (text), not a task definition: give it to attribute -flowlogs"},
		{"demo.history.jsonl", `{"version":"0","detail-type":"ECS Task State Change","detail":{"taskArn":"a"}}` + "\n" + `{"version":"0","detail-type":"ECS Task State Change","detail":{"taskArn":"b"}}` + "\n",
			"is a task history (ECS events, one JSON a line, as record writes), not a task definition: give it to attribute -tasks"},
		{"snapshot.json", `{"format": "ecsnet/eni-snapshot/v1", "cluster": "x"}`,
			"no containerDefinitions (want describe-task-definition output, its taskDefinition, or a register-task-definition --cli-input-json file) (it is an ENI snapshot (as enibudget -save writes): give it to enibudget -snapshot)"},
	} {
		f := filepath.Join(t.TempDir(), c.name)
		if err := os.WriteFile(f, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		status := run([]string{f}, &out, &errOut)
		if status != 2 || !strings.Contains(errOut.String(), f+" "+c.want) && !strings.Contains(errOut.String(), f+": "+c.want) || strings.Contains(errOut.String(), "invalid character") {
			t.Errorf("%s: status %d: %s", c.name, status, errOut.String())
		}
	}
}
