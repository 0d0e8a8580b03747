package history

import (
	"strings"
	"testing"
)

// TestSnapshotConflictingTaskDefinition: eni.ReadSnapshot now
// refuses a task definition (immutable in ECS) given twice with two
// network modes, "the later must not win without a word"; the history's
// Decoder reads the same snapshot files (attribute -tasks) and let the
// later win without a word.
func TestSnapshotConflictingTaskDefinition(t *testing.T) {
	const snap = `{
  "format": "ecsnet/eni-snapshot/v1",
  "cluster": "c",
  "describeContainerInstances": [{"containerInstances": []}],
  "describeTasks": [{"tasks": []}],
  "describeTaskDefinition": [
    {"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/a:1", "networkMode": "host"}},
    {"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/a:1",
      "networkMode": "awsvpc"}}
  ]
}
`
	b := NewBuilder()
	_, err := b.Load(strings.NewReader(snap), "snap.json")
	if err == nil || !strings.Contains(err.Error(), "given twice") || !strings.Contains(err.Error(), "snap.json:9:") {
		t.Errorf("Load: %v; want an error at line 9: the task definition given twice with two modes", err)
	}
}
