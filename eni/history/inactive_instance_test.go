package history

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestStoppedTasksKeepTheirInstance: a poll records every task ECS
// still shows, stopped within the last hour included ("its first poll
// records every task ECS still shows ..., so the new file stands alone";
// a restarted Watcher "neither loses nor duplicates history"). A
// bridge-mode task's host ports are the history of its container
// instance, and ListContainerInstances leaves out INACTIVE
// (deregistered) instances: the instance of a task that stopped with it,
// while no Watcher ran, was never recorded, so that task's traffic (on
// the instance's primary interface) could not be told to be its.
// DescribeContainerInstances still describes the instance by ARN.
func TestStoppedTasksKeepTheirInstance(t *testing.T) {
	const ciB = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/bbbb"
	gone := types.ContainerInstance{
		ContainerInstanceArn: ptr(ciB), Ec2InstanceId: ptr("i-0bbb"), Status: ptr("INACTIVE"), RegisteredAt: ptr(at(-30)),
		Attributes: []types.Attribute{{Name: ptr("ecs.instance-type"), Value: ptr("c5.large")}},
	}
	b1 := bridgeTask("b1", 32768, 0, 20)
	b1.ContainerInstanceArn = ptr(ciB)
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: []types.ContainerInstance{gone}, Tasks: []types.Task{b1}}})
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(clientOf(srv), "prod", path)
	w.Now = func() time.Time { return at(40) }
	var asked []string
	w.Primary = func(_ context.Context, ids []string) (map[string]PrimaryInterface, error) {
		asked = append(asked, ids...)
		return map[string]PrimaryInterface{"i-0bbb": {ENI: "eni-b", IPv4: netip.MustParseAddr("10.0.0.20")}}, nil
	}
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	in, ok := x.InstanceByENI("eni-b", at(10))
	if !ok || in.ARN != ciB {
		t.Fatalf("instance of b1 not in the history (Primary asked for %v)", asked)
	}
	if tk, ok := x.TaskByHostPort(in.ARN, 32768, netmode.TCP, at(10)); !ok || tk.ID() != "b1" {
		t.Errorf("host port 32768 of %s at minute 10: %v %v", in.ARN, tk, ok)
	}
}
