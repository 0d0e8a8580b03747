package ecsread_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// task is a task of cluster prod with the given statuses.
func task(id, desired, last string) types.Task {
	return types.Task{
		TaskArn:           aws.String("arn:aws:ecs:us-east-1:123456789012:task/prod/" + id),
		ClusterArn:        aws.String("arn:aws:ecs:us-east-1:123456789012:cluster/prod"),
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"),
		DesiredStatus:     aws.String(desired),
		LastStatus:        aws.String(last),
	}
}

// Stopped tasks of a cluster, listed and described in batches of 100. The
// fake endpoint stands in for ECS here; in your code pass
// ecs.NewFromConfig(cfg).
func ExampleListAndDescribeTasks() {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{task("a", "STOPPED", "STOPPED")}}})
	defer srv.Close()
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })

	tasks, failures, err := ecsread.ListAndDescribeTasks(context.Background(), client, "prod", types.DesiredStatusStopped)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(tasks), aws.ToString(tasks[0].LastStatus), len(failures))
	// Output:
	// 1 STOPPED 0
}

// The tasks that hold a cluster's network resources: the running ones and,
// with WithStoppingTasks, those told to stop that have not stopped yet.
func ExampleReadTasks() {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{
		task("a", "RUNNING", "RUNNING"), task("b", "STOPPED", "DEPROVISIONING"), task("c", "STOPPED", "STOPPED"),
	}}})
	defer srv.Close()
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })

	for _, opts := range [][]ecsread.Option{nil, {ecsread.WithStoppingTasks(), ecsread.WithConcurrency(2)}} {
		tasks, _, err := ecsread.ReadTasks(context.Background(), client, "prod", opts...)
		if err != nil {
			log.Fatal(err)
		}
		var statuses []string
		for _, t := range tasks {
			statuses = append(statuses, aws.ToString(t.LastStatus))
		}
		fmt.Println(strings.Join(statuses, " "))
	}
	// Output:
	// RUNNING
	// RUNNING DEPROVISIONING
}
