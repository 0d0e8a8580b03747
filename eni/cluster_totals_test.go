package eni

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestClusterTotalsOnlyActiveOrDraining: [API] ContainerInstance.status —
// REGISTERING (trunk ENI still being provisioned), REGISTRATION_FAILED
// (never joined), DEREGISTERING (terminated, trunk being removed) and
// INACTIVE (deregistered; describable, e.g. in a snapshot assembled from
// describe-container-instances) instances are not capacity of the cluster.
// Their budgets must not be added to the cluster's Budget, nor their
// slots to InUse, and a note must say which instances were left out.
func TestClusterTotalsOnlyActiveOrDraining(t *testing.T) {
	ctx := context.Background()
	base, err := Analyze(ctx, sampleSnapshot(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSnapshot()
	for _, st := range []struct{ id, status string }{
		{"c5l91", "INACTIVE"}, {"c5l92", "REGISTRATION_FAILED"}, {"c5l93", "DEREGISTERING"}, {"c5l94", "REGISTERING"},
	} {
		ci := containerInstance("sample", ciSpec{st.id, "c5.large", "linux", "", 2048, 3788}, 256, 512, nil, 1, 0)
		ci.Status = aws.String(st.status)
		s.ContainerInstances = append(s.ContainerInstances, ci)
		s.Tasks = append(s.Tasks, task("sample", taskSpec{"w" + st.id, "web:3", st.id, "RUNNING", true, "ATTACHED", nil}))
	}
	got, err := Analyze(ctx, s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if got.Budget != base.Budget || got.InUse != base.InUse || got.Left != base.Left {
		t.Errorf("cluster budget %d, in use %d, left %d; want %d, %d, %d (instances neither ACTIVE nor DRAINING are not cluster capacity)",
			got.Budget, got.InUse, got.Left, base.Budget, base.InUse, base.Left)
	}
	notes := strings.Join(got.Notes, "\n")
	for _, id := range []string{"c5l91", "c5l92", "c5l93", "c5l94"} {
		if !strings.Contains(notes, id) {
			t.Errorf("no report note names %s, left out of the totals:\n%s", id, notes)
		}
	}
	// The instances themselves are still reported, with their own budget.
	if len(got.Instances) != len(base.Instances)+4 {
		t.Errorf("%d instances reported, want %d", len(got.Instances), len(base.Instances)+4)
	}
}

// TestTasksOnAnUndescribedInstanceAreNoted: a task whose container
// instance is not in the snapshot (DescribeContainerInstances answered
// MISSING for it, or it was deregistered between ListContainerInstances
// and ListTasks) was dropped from every count without a word: the
// cluster's task and ENI totals silently missed it.
func TestTasksOnAnUndescribedInstanceAreNoted(t *testing.T) {
	s := sampleSnapshot()
	s.Tasks = append(s.Tasks,
		task("sample", taskSpec{"webx1", "web:3", "gone01", "RUNNING", true, "ATTACHED", nil}),
		task("sample", taskSpec{"webx2", "web:3", "gone01", "RUNNING", true, "ATTACHED", nil}))
	r, err := Analyze(context.Background(), s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(r.Notes, "\n")
	if !strings.Contains(notes, "gone01") || !strings.Contains(notes, "2 tasks") {
		t.Errorf("no note on the 2 tasks of container instance gone01, which the snapshot does not describe:\n%s", notes)
	}
	if base, _ := Analyze(context.Background(), sampleSnapshot(), Builtin()); strings.Contains(strings.Join(base.Notes, " "), "not in the snapshot") {
		t.Errorf("a note where every task's instance is described: %q", base.Notes)
	}
}

// TestInstanceWithoutARNTakesNoFargateTasks: tasks are matched to their
// instance by containerInstanceArn, and Fargate tasks have none: an
// instance without an ARN (a hand-made snapshot) was given every Fargate
// task of the cluster, their ENIs counted in its use.
func TestInstanceWithoutARNTakesNoFargateTasks(t *testing.T) {
	ctx := context.Background()
	s := sampleSnapshot()
	ci := containerInstance("sample", ciSpec{"c5l99", "c5.large", "linux", "", 2048, 3788}, 256, 512, nil, 1, 0)
	ci.ContainerInstanceArn = nil
	s.ContainerInstances = append(s.ContainerInstances, ci)
	ft := task("sample", taskSpec{"fargate1", "web:3", "", "RUNNING", true, "ATTACHED", nil})
	ft.ContainerInstanceArn, ft.LaunchType = nil, "FARGATE"
	s.Tasks = append(s.Tasks, ft)
	got, err := Analyze(ctx, s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	for _, ir := range got.Instances {
		if ir.ContainerInstanceARN == "" && (ir.ENIsInUse != 0 || ir.Tasks.AWSVPC != 0) {
			t.Errorf("the instance without an ARN: %d ENIs in use, %d awsvpc tasks; want none (the Fargate task is no instance's)", ir.ENIsInUse, ir.Tasks.AWSVPC)
		}
	}
}
