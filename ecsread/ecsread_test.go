package ecsread_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// stopAfterFirstList tells tasks to stop right after the first ListTasks
// call (the desired-RUNNING listing), as a deployment or a scale-in does at
// any moment during a live read.
type stopAfterFirstList struct {
	*ecs.Client
	srv  *fakeaws.ECS
	stop []types.Task
	once sync.Once
}

func (s *stopAfterFirstList) ListTasks(ctx context.Context, in *ecs.ListTasksInput, opts ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	out, err := s.Client.ListTasks(ctx, in, opts...)
	s.once.Do(func() {
		for _, t := range s.stop {
			if err := s.srv.UpdateTask("prod", t); err != nil {
				panic(err)
			}
		}
	})
	return out, err
}

// A task told to stop between ReadTasks' two listings is listed by both;
// it is returned once, as its later (desired-STOPPED) description, among
// the stopping tasks, or not at all once it has stopped.
func TestReadTasksOncePerTask(t *testing.T) {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{
		task("a", "RUNNING", "RUNNING"), task("b", "RUNNING", "RUNNING"), task("c", "STOPPED", "DEPROVISIONING"),
		task("d", "RUNNING", "RUNNING"),
	}}})
	defer srv.Close()
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	api := &stopAfterFirstList{Client: client, srv: srv, stop: []types.Task{
		task("b", "STOPPED", "DEACTIVATING"), // still stopping at the second listing
		task("d", "STOPPED", "STOPPED"),      // stopped by then
	}}
	tasks, failures, err := ecsread.ReadTasks(context.Background(), api, "prod", ecsread.WithStoppingTasks(), ecsread.WithConcurrency(2))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range tasks {
		arn := aws.ToString(tk.TaskArn)
		got = append(got, arn[strings.LastIndexByte(arn, '/')+1:]+"="+aws.ToString(tk.DesiredStatus)+"/"+aws.ToString(tk.LastStatus))
	}
	if want := "a=RUNNING/RUNNING b=STOPPED/DEACTIVATING c=STOPPED/DEPROVISIONING"; strings.Join(got, " ") != want || len(failures) != 0 {
		t.Errorf("ReadTasks: %s, failures %v; want %s", strings.Join(got, " "), failures, want)
	}
}
