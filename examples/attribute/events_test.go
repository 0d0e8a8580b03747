package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
)

// sampleEvents is the sample's describe-tasks output as EventBridge
// "ECS Task State Change" events, one JSON a line, as a rule to
// CloudWatch Logs or Firehose delivers them: a RUNNING event per task at
// its start, and for a stopped task a STOPPED event at its stop too (the
// RUNNING one without stoppedAt, as ECS sent it then). reverse writes
// them latest first.
func sampleEvents(t *testing.T, reverse bool) string {
	t.Helper()
	data, err := os.ReadFile("sample/tasks/describe-tasks.json")
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Tasks []map[string]any }
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) == 0 {
		t.Fatal("no tasks in the sample")
	}
	type event struct {
		time string
		line []byte
	}
	var events []event
	add := func(task map[string]any, status, at string) {
		e := map[string]any{
			"version": "0", "id": fmt.Sprintf("e%02d-%s", len(events), status),
			"detail-type": "ECS Task State Change", "source": "aws.ecs",
			"account": "123456789012", "region": "us-east-1", "time": at,
			"resources": []any{task["taskArn"]}, "detail": task,
		}
		line, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, event{at, line})
	}
	for _, task := range out.Tasks {
		started, _ := task["startedAt"].(string)
		if started == "" {
			t.Fatalf("sample task %v has no startedAt", task["taskArn"])
		}
		if stopped, ok := task["stoppedAt"].(string); ok {
			running := map[string]any{}
			for k, v := range task {
				running[k] = v
			}
			for _, k := range []string{"stoppedAt", "stoppingAt", "executionStoppedAt", "stopCode", "stoppedReason"} {
				delete(running, k)
			}
			running["lastStatus"], running["desiredStatus"] = "RUNNING", "RUNNING"
			add(running, "RUNNING", started)
			add(task, "STOPPED", stopped)
			continue
		}
		add(task, "RUNNING", started)
	}
	slices.SortStableFunc(events, func(a, b event) int { return strings.Compare(a.time, b.time) })
	if reverse {
		slices.Reverse(events)
	}
	var b strings.Builder
	for _, e := range events {
		b.Write(e.line)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestTasksFromEvents: -tasks takes EventBridge task events (the history
// builder reads them), but no run of attribute had been given any. The
// sample cluster's tasks given as events, beside its container instances,
// EC2 instances and task definitions, attribute the sample's flow logs as
// its describe-tasks output does: the same groups, unattributed
// remainder and total, in either order of the events.
func TestTasksFromEvents(t *testing.T) {
	dir := t.TempDir()
	var others []string
	for _, f := range []string{"describe-container-instances.json", "describe-instances.json", "describe-task-definition-admin.json", "describe-task-definition-node-exporter.json"} {
		others = append(others, filepath.Join("sample/tasks", f))
	}
	common := []string{"-flowlogs", "sample/flowlogs", "-network", "sample/network", "-format", "json", "-q"}
	wantOut, _ := runOut(t, append(common, "-tasks", strings.Join(append([]string{"sample/tasks/describe-tasks.json"}, others...), ","))...)
	var want report.Document
	if err := json.Unmarshal([]byte(wantOut), &want); err != nil {
		t.Fatal(err)
	}
	if len(want.Groups) < 5 {
		t.Fatalf("the sample attributes to %d tasks: too few to compare", len(want.Groups))
	}
	for _, reverse := range []bool{false, true} {
		events := writeFile(t, dir, fmt.Sprintf("events-%v.jsonl", reverse), sampleEvents(t, reverse))
		gotOut, _ := runOut(t, append(common, "-tasks", strings.Join(append([]string{events}, others...), ","))...)
		var got report.Document
		if err := json.Unmarshal([]byte(gotOut), &got); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"groups", got.Groups, want.Groups},
			{"unattributed", got.Unattributed, want.Unattributed},
			{"total", got.Total, want.Total},
		} {
			g, _ := json.Marshal(c.got)
			w, _ := json.Marshal(c.want)
			if string(g) != string(w) {
				t.Errorf("reverse %v: %s from events differ from describe-tasks':\n%s\nwant:\n%s", reverse, c.what, g, w)
			}
		}
	}
}

// TestEventsGivenAsFlowLogs: the events file given where flow logs go
// is named for what it is and where it goes, not read as records.
func TestEventsGivenAsFlowLogs(t *testing.T) {
	events := writeFile(t, t.TempDir(), "events.jsonl", sampleEvents(t, false))
	code, _, stderr := runCode(t, "-q", "-tasks", "sample/tasks", "-flowlogs", events)
	if code != 1 || !strings.Contains(stderr, events+" is a task history (ECS events, one JSON a line, as record writes), not flow-log records: give it to attribute -tasks") {
		t.Errorf("-flowlogs EVENTS: exit %d: %s", code, stderr)
	}
}
