package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	smithy "github.com/aws/smithy-go"
)

func testECSCluster() ECSCluster {
	c := ECSCluster{Name: "prod"}
	for i := 0; i < 7; i++ {
		c.ContainerInstances = append(c.ContainerInstances, types.ContainerInstance{
			ContainerInstanceArn: aws.String(fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/ci%02d", i)),
			Ec2InstanceId:        aws.String(fmt.Sprintf("i-%017d", i)),
			Status:               aws.String("ACTIVE"),
			Attributes:           []types.Attribute{{Name: aws.String("ecs.instance-type"), Value: aws.String("c5.large")}},
		})
	}
	c.ContainerInstances[6].Status = aws.String("INACTIVE")
	for i := 0; i < 280; i++ {
		t := types.Task{
			TaskArn:              aws.String(fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/prod/t%04d", i)),
			ContainerInstanceArn: c.ContainerInstances[i%6].ContainerInstanceArn,
			DesiredStatus:        aws.String("RUNNING"),
			LastStatus:           aws.String("RUNNING"),
			TaskDefinitionArn:    aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"),
			Group:                aws.String("service:web"),
			LaunchType:           types.LaunchTypeEc2,
		}
		if i%2 == 1 {
			t.TaskDefinitionArn = aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/worker:1")
			t.Group = aws.String("family:worker")
		}
		if i >= 250 {
			t.DesiredStatus, t.LastStatus = aws.String("STOPPED"), aws.String("STOPPED")
		}
		c.Tasks = append(c.Tasks, t)
	}
	return c
}

func newECSClient(s *ECS) *ecs.Client {
	return ecs.NewFromConfig(Config(), func(o *ecs.Options) { o.BaseEndpoint = s.BaseEndpoint() })
}

func ecsListAll(t *testing.T, c *ecs.Client, in *ecs.ListTasksInput) []string {
	t.Helper()
	var out []string
	p := ecs.NewListTasksPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.TaskArns...)
	}
	return out
}

func TestFakeECSPagingFiltersAndFaults(t *testing.T) {
	srv := NewECS([]ECSCluster{testECSCluster()}, types.TaskDefinition{
		Family: aws.String("web"), Revision: 3, NetworkMode: types.NetworkModeAwsvpc,
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"),
	})
	defer srv.Close()
	srv.SetPageSize(7)
	srv.SetFaults(Faults{ThrottleEvery: 3, ServerErrorEvery: 5, DropEvery: 11})
	c := newECSClient(srv)
	ctx := context.Background()

	running := ecsListAll(t, c, &ecs.ListTasksInput{Cluster: aws.String("prod")})
	if len(running) != 250 || !sort.StringsAreSorted(running) {
		t.Fatalf("running: %d", len(running))
	}
	seen := map[string]bool{}
	for _, a := range running {
		if seen[a] {
			t.Fatalf("duplicate %s", a)
		}
		seen[a] = true
	}
	stopped := ecsListAll(t, c, &ecs.ListTasksInput{Cluster: aws.String(srv.ClusterARN("prod")), DesiredStatus: types.DesiredStatusStopped, MaxResults: aws.Int32(100)})
	if len(stopped) != 30 {
		t.Fatalf("stopped: %d", len(stopped))
	}
	if n := len(ecsListAll(t, c, &ecs.ListTasksInput{Cluster: aws.String("prod"), Family: aws.String("web")})); n != 125 {
		t.Fatalf("family web: %d", n)
	}
	if n := len(ecsListAll(t, c, &ecs.ListTasksInput{Cluster: aws.String("prod"), ServiceName: aws.String("web"), ContainerInstance: aws.String("ci00")})); n != 42 {
		t.Fatalf("service web on ci00: %d", n)
	}

	var cis []string
	p := ecs.NewListContainerInstancesPaginator(c, &ecs.ListContainerInstancesInput{Cluster: aws.String("prod"), MaxResults: aws.Int32(4)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cis = append(cis, page.ContainerInstanceArns...)
	}
	if len(cis) != 6 {
		t.Fatalf("container instances (INACTIVE excluded): %d", len(cis))
	}

	srv.SetMissing(running[5])
	out, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: append(running[:99:99], "t0001")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tasks) != 99 || len(out.Failures) != 1 || *out.Failures[0].Arn != running[5] || *out.Failures[0].Reason != "MISSING" {
		t.Fatalf("describe: %d tasks, failures %+v", len(out.Tasks), out.Failures)
	}
	if aws.ToString(out.Tasks[0].TaskDefinitionArn) == "" || out.Tasks[0].LaunchType != types.LaunchTypeEc2 {
		t.Fatalf("task fields lost: %+v", out.Tasks[0])
	}
	_, err = c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("prod"), Tasks: running[:101]})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterException" {
		t.Fatalf("101 tasks: %v", err)
	}
	_, err = c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("nope")})
	if !errors.As(err, &ae) || ae.ErrorCode() != "ClusterNotFoundException" {
		t.Fatalf("unknown cluster: %v", err)
	}
	dci, err := c.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("prod"), ContainerInstances: cis})
	if err != nil || len(dci.ContainerInstances) != 6 || aws.ToString(dci.ContainerInstances[0].Attributes[0].Value) != "c5.large" {
		t.Fatalf("describe instances: %v %+v", err, dci)
	}
	td, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web")})
	if err != nil || td.TaskDefinition.NetworkMode != types.NetworkModeAwsvpc || td.TaskDefinition.Revision != 3 {
		t.Fatalf("describe task definition: %v", err)
	}
	if srv.Faulted()["ecs:ListTasks"] == 0 {
		t.Fatal("no faults were injected")
	}

	// Move a task to STOPPED between reads.
	moved := types.Task{TaskArn: aws.String(running[0]), DesiredStatus: aws.String("STOPPED"), LastStatus: aws.String("STOPPED")}
	if err := srv.UpdateTask("prod", moved); err != nil {
		t.Fatal(err)
	}
	if n := len(ecsListAll(t, c, &ecs.ListTasksInput{Cluster: aws.String("prod"), DesiredStatus: types.DesiredStatusStopped})); n != 31 {
		t.Fatalf("stopped after update: %d", n)
	}
}
