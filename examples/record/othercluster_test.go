package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// taskAfterFirstPoll adds a task to the fake cluster at the third
// ListTasks call, the second poll's first.
type taskAfterFirstPoll struct {
	*ecs.Client
	srv   *fakeaws.ECS
	task  types.Task
	calls atomic.Int32
}

func (a *taskAfterFirstPoll) ListTasks(ctx context.Context, in *ecs.ListTasksInput, opts ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	if a.calls.Add(1) == 3 {
		if err := a.srv.UpdateTask("demo", a.task); err != nil {
			return nil, err
		}
	}
	return a.Client.ListTasks(ctx, in, opts...)
}

// TestOtherClusterStopsRecord: the history file is another
// cluster's of the same name (another Region or account: the AWS
// configuration of the moment points elsewhere). The first poll cannot
// tell (the cluster lists nothing yet and the file holds no running
// task), a later one can: the Watcher says ErrOtherCluster, "which no
// later poll can change", and Watcher.Run stops on it. record took it
// for "ECS or EC2 failed this time" and polled on for ever, recording
// nothing and saying "retrying" every interval.
func TestOtherClusterStopsRecord(t *testing.T) {
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	// demo's history in us-west-2 of account 999999999999: a task that stopped.
	line := `{"version":"0","detail-type":"ECS Task State Change","source":"ecsnet.history","time":"2026-11-01T10:00:00Z",` +
		`"resources":["arn:aws:ecs:us-west-2:999999999999:task/demo/old"],"detail":{"taskArn":"arn:aws:ecs:us-west-2:999999999999:task/demo/old",` +
		`"clusterArn":"arn:aws:ecs:us-west-2:999999999999:cluster/demo","lastStatus":"STOPPED","desiredStatus":"STOPPED","version":5,` +
		`"createdAt":1793000000,"stoppedAt":1793000600}}` + "\n"
	if err := os.WriteFile(file, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	ecsSrv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "demo"}})
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{})
	t.Cleanup(ecsSrv.Close)
	t.Cleanup(ec2Srv.Close)
	saved := newClients
	t.Cleanup(func() { newClients = saved })
	newClients = func(context.Context) (*clients, error) {
		cfg := fakeaws.Config()
		return &clients{
			ecs: &taskAfterFirstPoll{
				Client: ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = ecsSrv.BaseEndpoint() }),
				srv:    ecsSrv,
				task: types.Task{
					TaskArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task/demo/new"), LastStatus: aws.String("RUNNING"),
					DesiredStatus: aws.String("RUNNING"), Version: 2, CreatedAt: aws.Time(time.Now()),
				},
			},
			ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = ec2Srv.BaseEndpoint() }),
		}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	code, _, stderr := runCode(t, ctx, "-cluster", "demo", "-file", file, "-interval", "20ms", "-q")
	if code != 1 || !strings.Contains(stderr, "give each cluster its own file") || strings.Contains(stderr, "retrying") || time.Since(start) > 2*time.Second {
		t.Errorf("exit %d after %v, stderr:\n%.600s\nwant exit 1 at once on ErrOtherCluster", code, time.Since(start).Round(time.Millisecond), stderr)
	}
}
