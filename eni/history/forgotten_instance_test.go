package history

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
	"github.com/ecsnet/ecsnet/netmode"
)

const ciB = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/bbbb"

// forgottenB1 writes a file holding bridge task b1 running on ciB (not
// in the file), and serves a cluster where b1 stopped at minute 20 with
// ciB, now INACTIVE, and where ECS no longer lists b1.
func forgottenB1(t *testing.T) (path string, srv *fakeaws.ECS, client *hideTasks) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "h.jsonl")

	// The file holds b1 running on ciB, and not ciB (ECS did not
	// describe it to the poll that recorded b1).
	running := bridgeTask("b1", 32768, 0, -1)
	running.ContainerInstanceArn = ptr(ciB)
	before := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{running}}})
	t.Cleanup(before.Close)
	w := NewWatcher(clientOf(before), "prod", path)
	w.Now = func() time.Time { return at(5) }
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, ok := w.Index().Instance(ciB); ok {
		t.Fatal("setup: ciB already in the history")
	}

	// Now b1 has stopped with its instance, and ECS no longer lists it.
	gone := types.ContainerInstance{
		ContainerInstanceArn: ptr(ciB), Ec2InstanceId: ptr("i-0bbb"), Status: ptr("INACTIVE"), RegisteredAt: ptr(at(-30)), Version: 9,
		Attributes: []types.Attribute{{Name: ptr("ecs.instance-type"), Value: ptr("c5.large")}},
	}
	stopped := bridgeTask("b1", 32768, 0, 20)
	stopped.ContainerInstanceArn = ptr(ciB)
	srv = fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: []types.ContainerInstance{gone},
		Tasks: []types.Task{stopped, awsvpcTask("t1", "eni-1", "10.0.1.5", 30, -1)}}})
	srv.Account = "111122223333"
	t.Cleanup(srv.Close)
	return path, srv, &hideTasks{Client: clientOf(srv), arns: []string{taskARN("b1")}}
}

// hideTasks is a client of a cluster whose ListTasks no longer returns
// some tasks that DescribeTasks still describes: ECS has stopped listing
// them.
type hideTasks struct {
	*ecs.Client
	arns []string
}

func (h *hideTasks) ListTasks(ctx context.Context, in *ecs.ListTasksInput, opts ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	out, err := h.Client.ListTasks(ctx, in, opts...)
	if err == nil {
		out.TaskArns = slices.DeleteFunc(out.TaskArns, func(a string) bool { return slices.Contains(h.arns, a) })
	}
	return out, err
}

// TestForgottenTaskKeepsItsInstance: a task the file holds as
// running that ECS no longer lists is described by ARN after Observe
// read the container instances; its INACTIVE container instance
// (deregistered as the task stopped; ListContainerInstances leaves it
// out) was not described, so the task's host ports had no instance, and
// its traffic no task, whereas a task read by the lists gets its
// INACTIVE instance described (TestStoppedTasksKeepTheirInstance). Now
// the instances of such tasks that neither the poll nor the history
// knows are described too, with one DescribeContainerInstances call, and
// only once.
func TestForgottenTaskKeepsItsInstance(t *testing.T) {
	path, srv, client := forgottenB1(t)
	w := NewWatcher(client, "prod", path)
	w.Now = func() time.Time { return at(40) }
	var asked []string
	w.Primary = func(_ context.Context, ids []string) (map[string]PrimaryInterface, error) {
		asked = append(asked, ids...)
		return map[string]PrimaryInterface{"i-0bbb": {ENI: "eni-b", IPv4: netip.MustParseAddr("10.0.0.20")}}, nil
	}
	st, err := w.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// PollStats counts b1 and ciB, described after the lists' tasks
	// and instances, as it counts those.
	if st.Tasks != 2 || st.Instances != 1 {
		t.Errorf("poll stats %d tasks, %d instances; want 2 (t1, b1) and 1 (ciB; t1.s is not in the cluster)", st.Tasks, st.Instances)
	}
	w.Now = func() time.Time { return at(41) }
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	// ciA (t1's) is described by each poll's Observe, ciB once.
	if n := srv.Calls()["ecs:DescribeContainerInstances"]; n != 3 {
		t.Errorf("%d DescribeContainerInstances calls, want 3 (one a poll for t1's instance, one for b1's)", n)
	}
	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	in, ok := x.InstanceByENI("eni-b", at(10))
	if !ok || in.ARN != ciB || in.Status != "INACTIVE" {
		t.Fatalf("b1's instance in the history: %+v %v (Primary asked for %v)", in, ok, asked)
	}
	if tk, ok := x.TaskByHostPort(in.ARN, 32768, netmode.TCP, at(10)); !ok || tk.ID() != "b1" || !tk.Valid.End.Equal(at(20)) {
		t.Errorf("host port 32768 of %s at minute 10: %+v %v", in.ARN, tk, ok)
	}
}

// failInstance is hideTasks whose DescribeContainerInstances fails while
// fail is set when asked for ciB.
type failInstance struct {
	*hideTasks
	fail bool
}

func (f *failInstance) DescribeContainerInstances(ctx context.Context, in *ecs.DescribeContainerInstancesInput, opts ...func(*ecs.Options)) (*ecs.DescribeContainerInstancesOutput, error) {
	if f.fail && slices.Contains(in.ContainerInstances, ciB) {
		return nil, errors.New("denied")
	}
	return f.hideTasks.DescribeContainerInstances(ctx, in, opts...)
}

// TestForgottenTaskInstanceFailureKeepsTaskOpen: when describing a
// forgotten task's instance fails, the task is not recorded stopped
// without it (no later poll would ask for the instance again): it stays
// open, the poll returns a *PartialPollError, and the next poll records
// both.
func TestForgottenTaskInstanceFailureKeepsTaskOpen(t *testing.T) {
	path, _, client := forgottenB1(t)
	api := &failInstance{hideTasks: client, fail: true}
	w := NewWatcher(api, "prod", path)
	w.Now = func() time.Time { return at(40) }
	_, err := w.Poll(context.Background())
	var pe *PartialPollError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "1 task the file holds as running that ECS no longer lists (their container instances) (ecsread: DescribeContainerInstances prod: denied") {
		t.Fatalf("poll: %v, want a *PartialPollError naming b1's instance", err)
	}
	if tk, ok := w.Index().Task(taskARN("b1")); !ok || !tk.Valid.End.IsZero() {
		t.Fatalf("b1 after the failed instance call: %+v %v, want it still open", tk, ok)
	}
	api.fail = false
	w.Now = func() time.Time { return at(41) }
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	x := w.Index()
	if tk, ok := x.Task(taskARN("b1")); !ok || !tk.Valid.End.Equal(at(20)) {
		t.Errorf("b1: %+v %v, want stopped at minute 20", tk, ok)
	}
	if in, ok := x.Instance(ciB); !ok || in.Status != "INACTIVE" {
		t.Errorf("ciB: %+v %v", in, ok)
	}
}
