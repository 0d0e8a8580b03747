package ecsread_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestReadTasksDropsDeletedTasks: DELETED is the task lifecycle's
// state after STOPPED (StatusRank; [DG] task-lifecycle.md): a task ECS
// reports DELETED has stopped and holds nothing. ReadTasks with
// WithStoppingTasks drops desired-STOPPED tasks "if it has stopped by
// then", but compared lastStatus with "STOPPED" only, so it returned a
// DELETED task among those that still hold network resources.
func TestReadTasksDropsDeletedTasks(t *testing.T) {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{
		task("a", "RUNNING", "RUNNING"), task("b", "STOPPED", "DEPROVISIONING"),
		task("c", "STOPPED", "STOPPED"), task("d", "STOPPED", "DELETED"),
	}}})
	defer srv.Close()
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	tasks, _, err := ecsread.ReadTasks(context.Background(), client, "prod", ecsread.WithStoppingTasks())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range tasks {
		arn := aws.ToString(tk.TaskArn)
		got = append(got, arn[strings.LastIndexByte(arn, '/')+1:]+"="+aws.ToString(tk.LastStatus))
	}
	if want := "a=RUNNING b=DEPROVISIONING"; strings.Join(got, " ") != want {
		t.Errorf("ReadTasks: %s; want %s", strings.Join(got, " "), want)
	}
}

// stopBeforeDescribe stops tasks right after the first ListTasks call,
// before they are described: a task ECS stops while a large cluster is
// read (between its listing and its description).
type stopBeforeDescribe = stopAfterFirstList

// TestReadTasksWithoutStoppingDropsStopped: without
// WithStoppingTasks, ReadTasks reads "only tasks desired RUNNING" (Option)
// and the tasks "that hold, or may still hold, its network resources". A
// task listed as desired RUNNING that ECS describes fully STOPPED (it
// stopped between ListTasks and DescribeTasks) holds nothing, and came
// back all the same.
func TestReadTasksWithoutStoppingDropsStopped(t *testing.T) {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{
		task("a", "RUNNING", "RUNNING"), task("b", "RUNNING", "RUNNING"),
	}}})
	defer srv.Close()
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	api := &stopBeforeDescribe{Client: client, srv: srv, stop: []types.Task{task("b", "STOPPED", "STOPPED")}}
	tasks, _, err := ecsread.ReadTasks(context.Background(), api, "prod")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range tasks {
		arn := aws.ToString(tk.TaskArn)
		got = append(got, arn[strings.LastIndexByte(arn, '/')+1:]+"="+aws.ToString(tk.DesiredStatus)+"/"+aws.ToString(tk.LastStatus))
	}
	if want := "a=RUNNING/RUNNING"; strings.Join(got, " ") != want {
		t.Errorf("ReadTasks: %s; want %s", strings.Join(got, " "), want)
	}
}
