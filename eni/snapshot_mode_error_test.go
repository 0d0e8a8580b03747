package eni

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/netmode"
)

// TestSnapshotModeError: a snapshot's networkMode that is no network
// mode is a *SnapshotError placed at the member, and the *netmode.ModeError
// behind it (as netmode.Load and history.Builder.Load give for the same
// mistake) is still there for errors.As, not flattened to its text.
func TestSnapshotModeError(t *testing.T) {
	in := "{\"cluster\":\"c\",\"describeTaskDefinition\":[{\"taskDefinition\":{\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:1:task-definition/f:1\",\n\"networkMode\":\"AWSVPC\"}}]}"
	_, err := ReadSnapshot(strings.NewReader(in), "snap.json")
	if err == nil {
		t.Fatal("unknown networkMode accepted")
	}
	var se *SnapshotError
	if !errors.As(err, &se) {
		t.Errorf("not a *SnapshotError: %v", err)
	}
	var me *netmode.ModeError
	if !errors.As(err, &me) || me.Value != "AWSVPC" {
		t.Errorf("errors.As finds no *netmode.ModeError for %q: %v", "AWSVPC", err)
	}
	msg := err.Error()
	if n := strings.Count(msg, "snap.json"); n != 1 {
		t.Errorf("file named %d times: %v", n, msg)
	}
	if !strings.Contains(msg, "line 2, column 15: taskDefinition.networkMode:") {
		t.Errorf("position lost: %v", msg)
	}
}
