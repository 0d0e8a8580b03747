package history

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// pollOnce polls cluster once with a Watcher of its own on path, its
// lines stamped now, as record does when it starts.
func pollOnce(api ECSAPI, cluster, path string, now time.Time) (PollStats, error) {
	w := NewWatcher(api, cluster, path)
	w.Now = func() time.Time { return now }
	defer w.Close()
	return w.Poll(context.Background())
}

// clientOf is the SDK's ECS client of srv.
func clientOf(srv *fakeaws.ECS) *ecs.Client {
	return ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
}

// prodWithT1 is a fake ECS whose cluster prod runs t1 (of account
// 111122223333, as the tasks' ARNs say).
func prodWithT1(t *testing.T) *fakeaws.ECS {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}}})
	srv.Account = "111122223333"
	t.Cleanup(srv.Close)
	return srv
}

// unchanged reports what a poll appended to path, which held before.
func unchanged(t *testing.T, path string, before []byte, what string) {
	t.Helper()
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("%s wrote:\n%s", what, after[len(before):])
	}
}

// TestWatcherRefusesFileOfSameNamedClusterElsewhere: a cluster is named
// by its ARN; "prod" in us-east-1 and "prod" in eu-west-1 (or in another
// account) are two clusters. A Watcher given the name "prod" with a client
// of the other region must refuse the file of the first, as it refuses
// "staging" on prod's file: else it appends the second cluster's tasks to
// the first one's history and, describing the first one's open tasks in
// the wrong region, gets MISSING for them and closes running tasks. So
// also when the other region's prod runs nothing: DescribeClusters tells
// its ARN.
func TestWatcherRefusesFileOfSameNamedClusterElsewhere(t *testing.T) {
	euTask := awsvpcTask("e1", "eni-9", "10.9.0.5", 0, -1)
	euTask.TaskArn = ptr("arn:aws:ecs:eu-west-1:111122223333:task/prod/e1")
	euTask.ClusterArn = ptr("arn:aws:ecs:eu-west-1:111122223333:cluster/prod")
	for _, c := range []struct {
		name  string
		tasks []types.Task
	}{{"running a task", []types.Task{euTask}}, {"running nothing", nil}} {
		path := filepath.Join(t.TempDir(), "prod.history.jsonl")
		if _, err := pollOnce(clientOf(prodWithT1(t)), "prod", path, at(5)); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(path)

		eu := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: c.tasks}})
		eu.Region, eu.Account = "eu-west-1", "111122223333"
		t.Cleanup(eu.Close)
		_, err := pollOnce(clientOf(eu), "prod", path, at(180))
		if err == nil || !strings.Contains(err.Error(), "us-east-1") || !strings.Contains(err.Error(), "eu-west-1") {
			t.Errorf("%s: Poll of eu-west-1's prod on us-east-1 prod's file: err = %v, want a refusal naming both cluster ARNs", c.name, err)
		}
		unchanged(t, path, before, c.name+": eu-west-1's poll on us-east-1's file")
	}
}

// listsOnly is an ECS client without DescribeClusters: a caller's own
// implementation of ECSAPI.
type listsOnly struct{ ECSAPI }

// TestWatcherClosesNothingWithoutTheClusterARN: given a cluster name and
// a client that lists nothing (a cluster of that name scaled to zero, in
// this region or another) and cannot describe clusters, the Watcher cannot
// tell whether it reaches the file's cluster: it must not close the file's
// open tasks for ECS's MISSING, which another region's ECS answers for
// every one of them.
func TestWatcherClosesNothingWithoutTheClusterARN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	if _, err := pollOnce(clientOf(prodWithT1(t)), "prod", path, at(5)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	empty := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod"}})
	empty.Region = "eu-west-1"
	t.Cleanup(empty.Close)
	if _, err := pollOnce(listsOnly{clientOf(empty)}, "prod", path, at(180)); err != nil {
		t.Fatal(err)
	}
	unchanged(t, path, before, "a poll that could not tell its cluster's ARN")
}

// TestWatcherAsksTheClusterARNWhenNothingIsListed: a cluster scaled to
// zero while the Watcher was down lists no task and no container instance
// to read its ARN off; DescribeClusters tells it, and the tasks ECS has
// forgotten are closed, as in a cluster that still runs something.
func TestWatcherAsksTheClusterARNWhenNothingIsListed(t *testing.T) {
	srv := prodWithT1(t)
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	if _, err := pollOnce(clientOf(srv), "prod", path, at(5)); err != nil {
		t.Fatal(err)
	}
	if err := srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	if st, err := pollOnce(clientOf(srv), "prod", path, at(180)); err != nil || len(st.Problems) > 0 {
		t.Fatalf("poll: %v, problems %v", err, st.Problems)
	}
	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatal(err)
	}
	if tk, ok := b.Index().Task(taskARN("t1")); !ok || tk.Valid.IsOpen() || tk.Valid.End.After(at(120)) {
		t.Errorf("t1 %v (found %v): want closed by %v", tk.Valid, ok, at(120))
	}
	if n := srv.Calls()["ecs:DescribeClusters"]; n != 1 {
		t.Errorf("%d DescribeClusters calls, want 1", n)
	}
}

// TestWatcherWithoutDescribeClusters: ecs:DescribeClusters is optional (a
// policy written before the Watcher asked it): denied, the poll goes on,
// closes nothing, and says why in its problems.
func TestWatcherWithoutDescribeClusters(t *testing.T) {
	srv := prodWithT1(t)
	srv.Allow("ecs:ListTasks", "ecs:DescribeTasks", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances", "ecs:DescribeTaskDefinition")
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	if _, err := pollOnce(clientOf(srv), "prod", path, at(5)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if err := srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	st, err := pollOnce(clientOf(srv), "prod", path, at(180))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Problems) != 1 || !strings.Contains(st.Problems[0].Error(), "DescribeClusters") || !strings.Contains(st.Problems[0].Error(), "none is closed") {
		t.Errorf("problems %v: want one saying DescribeClusters failed and nothing was closed", st.Problems)
	}
	unchanged(t, path, before, "a poll without the cluster's ARN")
	// Denied once, the Watcher does not ask (and report) again each poll.
	w := NewWatcher(clientOf(srv), "prod", path)
	defer w.Close()
	for range 3 {
		st, err := w.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Problems) > 1 {
			t.Errorf("problems %v", st.Problems)
		}
	}
	if n := srv.Faulted()["ecs:DescribeClusters"]; n != 2 { // the first Watcher's call, then this one's
		t.Errorf("DescribeClusters denied %d times, want 2 (once a Watcher)", n)
	}
}

// TestRunStopsOnAnotherClustersFile: a file of "prod" in another region is
// refused only once the first poll has read the cluster's ARN; no later
// poll can change that, so Run returns the refusal (ErrOtherCluster)
// rather than hand it to OnPollError every interval.
func TestRunStopsOnAnotherClustersFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	if _, err := pollOnce(clientOf(prodWithT1(t)), "prod", path, at(5)); err != nil {
		t.Fatal(err)
	}
	eu := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod"}})
	eu.Region, eu.Account = "eu-west-1", "111122223333"
	t.Cleanup(eu.Close)
	w := NewWatcher(clientOf(eu), "prod", path)
	defer w.Close()
	w.Interval = time.Millisecond
	calls := 0
	w.OnPollError = func(error) { calls++ }
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := w.Run(ctx); !errors.Is(err, ErrOtherCluster) || calls != 0 {
		t.Errorf("Run: %v after %d OnPollError calls; want ErrOtherCluster at once", err, calls)
	}
}
