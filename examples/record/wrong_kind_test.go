package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileGivenOtherKinds: -file given an enibudget snapshot or
// flow logs said "not a history file: its first line is not an event",
// naming the file twice ("-file F: F:1: …") and not what it is; a user
// who gave the wrong name learns it only from the description of the
// history format.
func TestFileGivenOtherKinds(t *testing.T) {
	startFakes(t)
	for _, k := range []struct{ name, body, want string }{
		{"snapshot.json", `{"format": "ecsnet/eni-snapshot/v1", "cluster": "demo"}` + "\n",
			"is an ENI snapshot (as enibudget -save writes), not a history file: give it to enibudget -snapshot"},
		{"flowlogs.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n",
			"is flow-log records (text), not a history file: give it to attribute -flowlogs"},
	} {
		f := filepath.Join(t.TempDir(), k.name)
		if err := os.WriteFile(f, []byte(k.body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-once", "-q", "-file", f)
		if code != 1 || !strings.Contains(stderr, "-file "+f+" "+k.want) || strings.Count(stderr, f) != 1 {
			t.Errorf("-file %s: exit %d: %s", k.name, code, stderr)
		}
		if b, _ := os.ReadFile(f); string(b) != k.body {
			t.Errorf("-file %s: the file changed", k.name)
		}
	}
}
