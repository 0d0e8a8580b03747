package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlowLogGivenAsTasks: a flow-log file given to -tasks (plain or as
// delivered, gzip) is named as such in one line, not answered with a
// JSON error for each of its lines.
func TestFlowLogGivenAsTasks(t *testing.T) {
	dir := writeSample(t)
	files, err := filepath.Glob(filepath.Join(dir, "sample", "flowlogs", "AWSLogs", "*", "vpcflowlogs", "*", "*", "*", "*", "*.log.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("sample deliveries: %v (%d)", err, len(files))
	}
	plain := filepath.Join(t.TempDir(), "flows.log")
	if err := os.WriteFile(plain, []byte("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41030 8080 6 17 21279 1795602844 1795602902 ACCEPT OK\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{files[0], plain} {
		code, out, stderr := runCode(t, "-tasks", f, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"))
		if code != 1 || out != "" || !strings.Contains(stderr, f+" holds flow-log records, not task data: give it to -flowlogs") || strings.Count(stderr, "\n") > 1 {
			t.Errorf("-tasks %s: exit %d, stdout %q, stderr %q; want one line naming it a flow log", f, code, out, stderr)
		}
	}
}

// TestJSONGivenAsFlowLogs: describe output given to -flowlogs (with or
// without a byte-order mark) is named as JSON meant for -tasks or
// -network, not answered with a missing field of line 1.
func TestJSONGivenAsFlowLogs(t *testing.T) {
	dir := writeSample(t)
	tasks := filepath.Join(dir, "sample", "tasks")
	b, err := os.ReadFile(filepath.Join(tasks, "describe-tasks.json"))
	if err != nil {
		t.Fatal(err)
	}
	bom := filepath.Join(t.TempDir(), "bom.json")
	if err := os.WriteFile(bom, append([]byte("\uFEFF\n"), b...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(tasks, "describe-tasks.json"), bom} {
		code, out, stderr := runCode(t, "-tasks", tasks, "-flowlogs", f)
		if code != 1 || out != "" || !strings.Contains(stderr, f+" holds JSON, not flow-log records") {
			t.Errorf("-flowlogs %s: exit %d, stdout %q, stderr %q", f, code, out, stderr)
		}
	}
}
