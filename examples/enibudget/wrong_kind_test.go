package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kindFile writes body to name in a new directory.
func kindFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	flowLogsText = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
		"2 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.5 10.0.2.7 443 49152 6 10 8400 1795600800 1795600860 ACCEPT OK\n"
	historyLines = `{"version":"0","detail-type":"ecsnet Task Definition Network Mode","source":"ecsnet.history","time":"2026-11-25T10:00:00Z","detail":{"taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/admin:3","networkMode":"bridge"}}` + "\n" +
		`{"version":"0","detail-type":"ecsnet Task Definition Network Mode","source":"ecsnet.history","time":"2026-11-25T10:00:00Z","detail":{"taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:1","networkMode":"host"}}` + "\n"
	pricesJSON            = `{"region": "eu-west-1", "currency": "USD", "classes": {"same_az": {"in_per_gb": 0, "out_per_gb": 0}}}` + "\n"
	describeInstancesJSON = `{"containerInstances": [{"ec2InstanceId": "i-0123456789abcdef0"}], "failures": []}` + "\n"
)

// TestSnapshotGivenOtherKinds: -snapshot given describe-container-
// instances output said "no container instances", of a file that holds
// them; given a record file, the same; given flow logs, encoding/json's
// "invalid character 'v' looking for beginning of value".
func TestSnapshotGivenOtherKinds(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"describe-container-instances.json", describeInstancesJSON, "is describe-container-instances output, not an ENI snapshot"},
		{"demo.history.jsonl", historyLines, "is a task history (ECS events, one JSON a line, as record writes), not an ENI snapshot"},
		{"flowlogs.log", flowLogsText, "is flow-log records (text), not an ENI snapshot: give it to attribute -flowlogs"},
	} {
		f := kindFile(t, c.name, c.body)
		code, _, stderr := runExit("-snapshot", f)
		if code != 1 || !strings.Contains(stderr, "-snapshot "+f+" "+c.want) || !strings.Contains(stderr, "-save") ||
			strings.Contains(stderr, "no container instances") || strings.Contains(stderr, "invalid character") {
			t.Errorf("-snapshot %s: exit %d: %s", c.name, code, stderr)
		}
	}
}

// TestLimitsGivenOtherKinds: -limits given a price table said
// "want a JSON array of objects, got an object"; given a gzip or Parquet
// file, printed its first bytes to the terminal as an unknown column
// ("column \x1f\x8b…: unknown column").
func TestLimitsGivenOtherKinds(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"prices.json", pricesJSON, "is a price table (JSON), not an instance-type limits file: give it to attribute -prices"},
		{"flowlogs.parquet", "PAR1\x15\x04\x15\x80\x80\x01\x00\x00\x00\x00PAR1", "is a Parquet file, not an instance-type limits file"},
		{"limits.tsv", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "is a binary file, not an instance-type limits file"},
	} {
		f := kindFile(t, c.name, c.body)
		code, _, stderr := runExit("-limits", f, "-instance-type", "c5.large")
		if code != 1 || !strings.Contains(stderr, "-limits "+f+" "+c.want) || strings.Contains(stderr, "unknown column") {
			t.Errorf("-limits %s: exit %d: %q", c.name, code, stderr)
		}
	}
}

// TestWhatIfGivenOtherKinds: -whatif given describe-tasks output
// said "no containerDefinitions" and not what the file is, and given flow
// logs encoding/json's "invalid character".
func TestWhatIfGivenOtherKinds(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		// One JSON object: the error says what it lacks, and what it is.
		{"describe-tasks.json", `{"tasks": [{"taskArn": "arn:aws:ecs:us-east-1:1:task/c/a"}], "failures": []}`, ": no containerDefinitions (want describe-task-definition output, its taskDefinition, or a register-task-definition --cli-input-json file) (it is describe-tasks output: give it to attribute -tasks)"},
		{"flowlogs.log", flowLogsText, " is flow-log records (text), not a task definition: give it to attribute -flowlogs"},
		{"snapshot.json", `{"format": "ecsnet/eni-snapshot/v1", "cluster": "x"}`, ": no containerDefinitions (want describe-task-definition output, its taskDefinition, or a register-task-definition --cli-input-json file) (it is an ENI snapshot (as enibudget -save writes): give it to enibudget -snapshot)"},
	} {
		f := kindFile(t, c.name, c.body)
		code, _, stderr := runExit("-whatif", f)
		if code != 1 || !strings.Contains(stderr, "-whatif "+f+c.want) || strings.Contains(stderr, "invalid character") {
			t.Errorf("-whatif %s: exit %d: %s", c.name, code, stderr)
		}
	}
}
