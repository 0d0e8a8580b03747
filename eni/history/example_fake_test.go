package history_test

import (
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// fakeProd starts a fake ECS endpoint holding cluster prod as
// testdata/describe-tasks.json shows it (a running awsvpc task of service
// api and a bridge task of service worker) with the container instance
// they run on, and returns an ECS client for it. The examples use it in
// place of ecs.NewFromConfig(cfg), so that they run without an AWS
// account; the caller closes the server.
func fakeProd() (*fakeaws.ECS, *ecs.Client) {
	instance := types.ContainerInstance{
		ContainerInstanceArn: aws.String("arn:aws:ecs:us-east-1:111122223333:container-instance/prod/aaaa"),
		Ec2InstanceId:        aws.String("i-0123456789abcdef0"),
		Status:               aws.String("ACTIVE"),
		RegisteredAt:         aws.Time(time.Date(2026, 11, 25, 7, 59, 0, 0, time.UTC)),
		Attributes: []types.Attribute{
			{Name: aws.String("ecs.instance-type"), Value: aws.String("m5.large")},
			{Name: aws.String("ecs.availability-zone"), Value: aws.String("us-east-1a")},
		},
	}
	// DescribeTasks does not say a task's network mode; the history asks
	// the task definitions of tasks without an ENI.
	worker := types.TaskDefinition{
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:111122223333:task-definition/worker:4"),
		Family:            aws.String("worker"), Revision: 4, Status: types.TaskDefinitionStatusActive,
		NetworkMode: types.NetworkModeBridge,
	}
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{
		Name: "prod", ContainerInstances: []types.ContainerInstance{instance}, Tasks: prodTasks(),
	}}, worker)
	api := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	return srv, api
}

// prodTasks are the tasks of testdata/describe-tasks.json.
func prodTasks() []types.Task {
	data, err := os.ReadFile("testdata/describe-tasks.json")
	if err != nil {
		panic(err)
	}
	var described ecs.DescribeTasksOutput
	if err := awswire.Unmarshal(data, &described); err != nil {
		panic(err)
	}
	return described.Tasks
}

// stopTask makes the fake report the task of prodTasks with that ID as ECS
// reports a task that stopped at t: STOPPED, with a higher version.
func stopTask(srv *fakeaws.ECS, id string, t time.Time) {
	for _, task := range prodTasks() {
		if strings.HasSuffix(aws.ToString(task.TaskArn), "/"+id) {
			task.LastStatus, task.DesiredStatus = aws.String("STOPPED"), aws.String("STOPPED")
			task.Version += 3
			task.StoppedAt = aws.Time(t)
			if err := srv.UpdateTask("prod", task); err != nil {
				panic(err)
			}
			return
		}
	}
	panic("no task " + id)
}
