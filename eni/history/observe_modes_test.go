package history

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/iampolicy"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
	"github.com/ecsnet/ecsnet/netmode"
)

// A task definition ECS will not describe (deleted: ClientException), or
// ecs:DescribeTaskDefinition not allowed at all, costs the network modes
// of tasks without an ENI, never the record of every task: each Watcher
// poll failed, and wrote nothing, not even the awsvpc task beside the
// bridge one, whose traffic then could never be attributed once ECS had
// forgotten it. (Found by a review of the task model.)
func TestPollRecordsTasksWhenTaskDefinitionsFail(t *testing.T) {
	gone := bridgeTask("old", 32770, 0, -1)
	gone.TaskDefinitionArn = ptr("arn:aws:ecs:us-east-1:111122223333:task-definition/deleted:1")
	ci := types.ContainerInstance{ContainerInstanceArn: ptr(ciA), Ec2InstanceId: ptr("i-0123"), Status: ptr("ACTIVE"), RegisteredAt: ptr(at(-60))}
	for _, c := range []struct {
		name   string
		denied bool
	}{{"deleted task definition", false}, {"DescribeTaskDefinition not allowed", true}} {
		srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: []types.ContainerInstance{ci},
			Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), gone}}})
		if c.denied {
			var allowed []string
			for _, a := range iampolicy.ECSReadCluster().Actions {
				if a != "ecs:DescribeTaskDefinition" {
					allowed = append(allowed, a)
				}
			}
			srv.Allow(allowed...)
		}
		api := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
		w := NewWatcher(api, "prod", filepath.Join(t.TempDir(), "h.jsonl"))
		st, err := w.Poll(context.Background())
		srv.Close()
		if err != nil {
			t.Fatalf("%s: the poll failed: %v", c.name, err)
		}
		if _, ok := w.Index().TaskByENI("eni-1", at(5)); !ok || st.Tasks != 2 || st.Appended == 0 {
			t.Errorf("%s: %+v; the awsvpc task is not in the history", c.name, st)
		}
		var ae smithy.APIError
		switch {
		case c.denied && (len(st.Problems) != 1 || !errors.As(st.Problems[0], &ae) || ae.ErrorCode() != "AccessDeniedException"):
			t.Errorf("%s: problems %v, want the access denied", c.name, st.Problems)
		case !c.denied && (len(st.Problems) != 0 || st.Failures != 1):
			t.Errorf("%s: %+v, want the task definition as one failure, no problem", c.name, st)
		}
	}
}

// failingDefs is the real client, but DescribeTaskDefinition of one ARN
// fails with an error no retry mends.
type failingDefs struct {
	*ecs.Client
	arn string
}

func (f failingDefs) DescribeTaskDefinition(ctx context.Context, in *ecs.DescribeTaskDefinitionInput, opts ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error) {
	if aws.ToString(in.TaskDefinition) == f.arn {
		// Not retryable: a reset connection would be tried again
		// (ecsread's retry policy), for a minute.
		return nil, errors.New("injected: access denied")
	}
	return f.Client.DescribeTaskDefinition(ctx, in, opts...)
}

// TestObserveKeepsResolvedModes: when one task definition cannot be
// described, the modes already resolved are kept beside NetworkModesErr
// (they were all dropped).
func TestObserveKeepsResolvedModes(t *testing.T) {
	const good, bad = "arn:aws:ecs:us-east-1:111122223333:task-definition/aaa:1", "arn:aws:ecs:us-east-1:111122223333:task-definition/zzz:1"
	a, z := bridgeTask("a", 32770, 0, -1), bridgeTask("z", 32771, 0, -1)
	a.TaskDefinitionArn, z.TaskDefinitionArn = ptr(good), ptr(bad)
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{a, z}}},
		types.TaskDefinition{TaskDefinitionArn: ptr(good), NetworkMode: types.NetworkModeBridge},
		types.TaskDefinition{TaskDefinitionArn: ptr(bad), NetworkMode: types.NetworkModeBridge})
	defer srv.Close()
	api := failingDefs{ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() }), bad}
	// One at a time, in ARN order: aaa is described before zzz fails.
	o, err := Observe(context.Background(), api, "prod", ecsread.WithConcurrency(1))
	if o == nil {
		t.Fatalf("Observe: %v", err)
	}
	if o.NetworkModesErr == nil || o.NetworkModes[good] != netmode.ModeBridge || len(o.Tasks) != 2 {
		t.Errorf("modes %v, error %v, %d tasks; want aaa's mode kept beside the error", o.NetworkModes, o.NetworkModesErr, len(o.Tasks))
	}
}
