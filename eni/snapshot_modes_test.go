package eni

import (
	"strings"
	"testing"
)

const snapshotWithModes = `{
  "format": "ecsnet/eni-snapshot/v1",
  "cluster": "c",
  "describeContainerInstances": [{"containerInstances": []}],
  "describeTasks": [{"tasks": []}],
  "describeTaskDefinition": [
    {"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/a:1", "networkMode": "awsvpc"}},
    {"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/b:1",
      "networkMode": "%s"}}
  ]
}
`

// TestSnapshotUnknownNetworkMode: a task definition whose
// networkMode is no network mode was read without a word, and its tasks
// then said to lack their task definition ("the task definition is not in
// the snapshot"), which it is.
func TestSnapshotUnknownNetworkMode(t *testing.T) {
	_, err := ReadSnapshot(strings.NewReader(strings.Replace(snapshotWithModes, "%s", "bogus", 1)), "snap.json")
	want := `eni: snapshot snap.json: describeTaskDefinition[1]: line 9, column 22: taskDefinition.networkMode: netmode: unknown network mode "bogus"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v\nwant %s…", err, want)
	}
}

// TestSnapshotConflictingTaskDefinition: the same task definition
// (immutable in ECS) given twice with different network modes: the later
// silently won, changing every count of its tasks.
func TestSnapshotConflictingTaskDefinition(t *testing.T) {
	in := strings.Replace(snapshotWithModes, "%s", "awsvpc", 1)
	in = strings.Replace(in, "task-definition/b:1", "task-definition/a:1", 1)
	in = strings.Replace(in, `"networkMode": "awsvpc"}},`, `"networkMode": "host"}},`, 1)
	_, err := ReadSnapshot(strings.NewReader(in), "snap.json")
	want := `eni: snapshot snap.json: describeTaskDefinition[1]: line 9, column 22: taskDefinition.networkMode: task definition arn:aws:ecs:us-east-1:1:task-definition/a:1 given twice, with network modes host (describeTaskDefinition[0]) and awsvpc`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v\nwant %s…", err, want)
	}
	// The same one twice, alike, is fine (two saves put together).
	in = strings.Replace(snapshotWithModes, "%s", "awsvpc", 1)
	in = strings.Replace(in, "task-definition/b:1", "task-definition/a:1", 1)
	if _, err := ReadSnapshot(strings.NewReader(in), "snap.json"); err != nil {
		t.Fatal(err)
	}
}
