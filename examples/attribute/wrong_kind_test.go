package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// historyLineSample is the first line of a file record writes.
const historyLineSample = `{"version":"0","detail-type":"ecsnet Task Definition Network Mode","source":"ecsnet.history","time":"2026-11-25T10:00:00Z","resources":["arn:aws:ecs:us-east-1:123456789012:task-definition/admin:3"],"detail":{"taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/admin:3","networkMode":"bridge"}}` + "\n"

var (
	kindFilesOnce sync.Once
	kindFilesDir  string
	kindFiles     map[string]string
)

// inputsOfEveryKind writes one file of each kind the programs take, made as
// the programs make them: -export's directory (history.parquet,
// flowlogs.parquet, intervals/), a -partial file, flow-log text without
// its header line, a record file, describe-subnets output and a price
// table.
func inputsOfEveryKind(t *testing.T) map[string]string {
	t.Helper()
	kindFilesOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kinds")
		if err != nil {
			t.Fatal(err)
		}
		kindFilesDir = dir
		exp := filepath.Join(dir, "exp")
		if code, _, stderr := runCode(t, "-q", "-export", exp); code != 0 {
			t.Fatalf("-export: exit %d: %s", code, stderr)
		}
		partial := filepath.Join(dir, "partial.parquet")
		if code, _, stderr := runCode(t, "-q", "-partial", partial); code != 0 {
			t.Fatalf("-partial: exit %d: %s", code, stderr)
		}
		gz, err := filepath.Glob("sample/flowlogs/AWSLogs/*/vpcflowlogs/*/*/*/*/*.log.gz")
		if err != nil || len(gz) == 0 {
			t.Fatalf("no sample flow logs: %v", err)
		}
		text := gunzipFile(t, gz[0])
		_, rest, _ := strings.Cut(string(text), "\n")
		kindFiles = map[string]string{
			"exp":          exp,
			"history":      filepath.Join(exp, "history.parquet"),
			"flowparquet":  filepath.Join(exp, "flowlogs.parquet"),
			"partial":      partial,
			"noheader":     writeFile(t, dir, "flowlogs.log", rest),
			"jsonl":        writeFile(t, dir, "demo.history.jsonl", historyLineSample),
			"subnets":      "sample/network/describe-subnets.json",
			"describeTask": "sample/tasks/describe-tasks.json",
			"prices":       "../../flowlogs/attribution/pricing/testdata/eu-west-1.json",
		}
	})
	if kindFiles == nil {
		t.Fatal("inputs of every kind not made")
	}
	return kindFiles
}

func TestMain(m *testing.M) {
	code := m.Run()
	if kindFilesDir != "" {
		os.RemoveAll(kindFilesDir)
	}
	os.Exit(code)
}

// TestFlowLogsGivenHistoryTable: -export's directory holds the
// history table beside the flow logs' Parquet; -flowlogs given the
// directory (or history.parquet) read the table as flow logs and blamed
// a field of its 12th row ("field end: value out of range … longer than
// any aggregation interval"), not the file being the wrong kind.
func TestFlowLogsGivenHistoryTable(t *testing.T) {
	in := inputsOfEveryKind(t)
	for _, arg := range []string{in["history"], in["exp"]} {
		code, _, stderr := runCode(t, "-q", "-tasks", "sample/tasks", "-flowlogs", arg)
		if code != 1 || !strings.Contains(stderr, in["history"]+" is a task history table") || !strings.Contains(stderr, "-tasks") ||
			strings.Contains(stderr, "out of range") {
			t.Errorf("-flowlogs %s: exit %d: %s", arg, code, stderr)
		}
	}
}

// TestTasksGivenParquetOfAnotherKind: -tasks given flow logs in
// Parquet or a partial said "not an intervals file of schema version 1
// (its ecsnet.intervals.schema_version is none)": a metadata key of the
// format, not what the file is nor where it goes.
func TestTasksGivenParquetOfAnotherKind(t *testing.T) {
	in := inputsOfEveryKind(t)
	for _, c := range []struct{ file, want string }{
		{in["flowparquet"], "is flow logs (Parquet), not task data: give it to attribute -flowlogs"},
		{in["partial"], "is a partial result (Parquet, as attribute -partial writes), not task data: give it to attribute -merge"},
	} {
		code, _, stderr := runCode(t, "-q", "-tasks", c.file, "-flowlogs", "sample/flowlogs")
		if code != 1 || !strings.Contains(stderr, c.file+" "+c.want) || strings.Contains(stderr, "schema_version") {
			t.Errorf("-tasks %s: exit %d: %s", c.file, code, stderr)
		}
	}
}

// TestTasksGivenHeaderlessFlowLogs: flow logs without their header
// line given to -tasks printed "no JSON value on this line" for every
// line of the file (reading them in the default format, as the parser does without a header, fails:
// a v5 file's records do not fit it; cli.Sniff also knows a record line by its shape).
func TestTasksGivenHeaderlessFlowLogs(t *testing.T) {
	in := inputsOfEveryKind(t)
	code, _, stderr := runCode(t, "-q", "-tasks", in["noheader"], "-flowlogs", "sample/flowlogs")
	if code != 1 || !strings.Contains(stderr, in["noheader"]+" holds flow-log records, not task data: give it to -flowlogs") ||
		strings.Count(stderr, "\n") > 1 {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestNetworkGivenOtherKinds: -network given flow logs or a record
// file answered with encoding/json's words ("invalid character 'v'
// looking for beginning of value", "unexpected data after the top-level
// value"); given describe-tasks output, the member it lacks, but not
// where it goes.
func TestNetworkGivenOtherKinds(t *testing.T) {
	in := inputsOfEveryKind(t)
	for _, c := range []struct{ file, want string }{
		{in["jsonl"], "is a task history (ECS events, one JSON a line, as record writes), not describe-subnets, describe-vpcs or describe-network-interfaces output: give it to attribute -tasks"},
		{in["noheader"], "is flow-log records (text), not describe-subnets, describe-vpcs or describe-network-interfaces output: give it to attribute -flowlogs"},
		// One JSON object: its own error stands, with what it is.
		{in["describeTask"], "no Subnets, Vpcs or NetworkInterfaces member: want aws ec2 describe-subnets, describe-vpcs or describe-network-interfaces output (it is describe-tasks output: give it to attribute -tasks)"},
	} {
		code, _, stderr := runCode(t, "-q", "-tasks", "sample/tasks", "-flowlogs", "sample/flowlogs", "-network", c.file)
		if code != 1 || !strings.Contains(stderr, c.file+" "+c.want) && !strings.Contains(stderr, c.file+": "+c.want) {
			t.Errorf("-network %s: exit %d: %s", c.file, code, stderr)
		}
	}
}

// TestPricesGivenOtherKinds: -prices given describe-subnets output
// said `line 2, column 5: unknown field "Subnets"`, blaming a field when
// the whole file is another kind; given Parquet, encoding/json's
// "invalid character 'P'".
func TestPricesGivenOtherKinds(t *testing.T) {
	in := inputsOfEveryKind(t)
	for _, c := range []struct{ file, want string }{
		{in["subnets"], "is describe-subnets output, not a price table: give it to attribute -network"},
		{in["history"], "is a task history table (Parquet, as attribute -export writes history.parquet and intervals/), not a price table: give it to attribute -tasks"},
	} {
		code, _, stderr := runCode(t, "-q", "-prices", c.file)
		if code != 1 || !strings.Contains(stderr, c.file+" "+c.want) || strings.Contains(stderr, "unknown field") {
			t.Errorf("-prices %s: exit %d: %s", c.file, code, stderr)
		}
	}
	if code, _, stderr := runCode(t, "-q", "-prices", in["prices"]); code != 0 {
		t.Errorf("a price file: exit %d: %s", code, stderr)
	}
}

// TestMergeGivenOtherKinds: -merge given flow logs in Parquet or
// the history table said "not a partials file of schema version 4 (its
// ecsnet.partials.schema_version is none)", and given flow-log text "not
// a Parquet file, or one cut short".
func TestMergeGivenOtherKinds(t *testing.T) {
	in := inputsOfEveryKind(t)
	for _, c := range []struct{ file, want string }{
		{in["flowparquet"], "is flow logs (Parquet), not a partial result: give it to attribute -flowlogs"},
		{in["history"], "is a task history table (Parquet, as attribute -export writes history.parquet and intervals/), not a partial result: give it to attribute -tasks"},
		{in["noheader"], "is flow-log records (text), not a partial result: give it to attribute -flowlogs"},
	} {
		code, _, stderr := runCode(t, "-q", "-merge", c.file)
		if code != 1 || !strings.Contains(stderr, c.file+" "+c.want) || strings.Contains(stderr, "schema_version") {
			t.Errorf("-merge %s: exit %d: %s", c.file, code, stderr)
		}
	}
	if code, _, stderr := runCode(t, "-q", "-merge", in["partial"]); code != 0 {
		t.Errorf("a partial: exit %d: %s", code, stderr)
	}
}
