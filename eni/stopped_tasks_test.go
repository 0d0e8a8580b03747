package eni

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestStoppedTasksHoldNothing: ecsread.ReadTasks now leaves out a
// task described fully stopped (STOPPED, or DELETED after it) whichever
// list named it, but Analyze, which also reads snapshot files put
// together from describe-tasks output, skipped only desired-STOPPED
// tasks described STOPPED: a desired-RUNNING task described STOPPED, and
// a DELETED one, were counted as tasks holding an ENI.
func TestStoppedTasksHoldNothing(t *testing.T) {
	ctx := context.Background()
	base, err := Analyze(ctx, sampleSnapshot(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSnapshot()
	stopped := task("sample", taskSpec{"gone1", "web:3", "m5x02", "STOPPED", true, "ATTACHED", nil})
	deleted := task("sample", taskSpec{"gone2", "web:3", "m5x02", "DELETED", true, "ATTACHED", nil})
	deleted.DesiredStatus = aws.String("STOPPED")
	s.Tasks = append(s.Tasks, stopped, deleted)
	got, err := Analyze(ctx, s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if got.InUse != base.InUse || got.Stopping != base.Stopping || got.Tasks != base.Tasks {
		t.Errorf("in use %d, stopping %d, tasks %+v; want %d, %d, %+v (fully stopped tasks hold nothing)",
			got.InUse, got.Stopping, got.Tasks, base.InUse, base.Stopping, base.Tasks)
	}
}
