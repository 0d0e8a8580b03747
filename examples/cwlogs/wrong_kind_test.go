package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCursorGivenOtherKinds: -cursor given a record file, flow logs
// or describe output (a wrong name on the command line) said encoding/
// json's "invalid character '{' after top-level value" or "holds no read
// position", then "remove it to read from the start": advice to delete
// the user's history or flow logs. It says what the file is, to give
// another name, and leaves it as it was.
func TestCursorGivenOtherKinds(t *testing.T) {
	c, _ := fakes(t)
	for _, k := range []struct{ name, body, want string }{
		{"demo.history.jsonl", `{"version":"0","detail-type":"ECS Task State Change","detail":{"taskArn":"a"}}` + "\n" + `{"version":"0","detail-type":"ECS Task State Change","detail":{"taskArn":"b"}}` + "\n",
			"is a task history (ECS events, one JSON a line, as record writes), not a read position this program saved"},
		{"flowlogs.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n",
			"is flow-log records (text), not a read position this program saved"},
		{"describe-subnets.json", `{"Subnets": [{"SubnetId": "subnet-1"}]}`,
			"is describe-subnets output, not a read position this program saved"},
	} {
		f := filepath.Join(t.TempDir(), k.name)
		if err := os.WriteFile(f, []byte(k.body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCode(t, c, "-log-group", "vpc-flow", "-cursor", f)
		if code != 1 || !strings.Contains(stderr, "-cursor "+f+" "+k.want) || strings.Contains(stderr, "remove it") ||
			!strings.Contains(stderr, "give -cursor another file") {
			t.Errorf("-cursor %s: exit %d: %s", k.name, code, stderr)
		}
		if b, _ := os.ReadFile(f); string(b) != k.body {
			t.Errorf("-cursor %s: the file changed", k.name)
		}
	}
}
