package history

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestWatcherRefusesFileOfSameNamedClusterElsewhere: a cluster is named
// by its ARN; "prod" in us-east-1 and "prod" in eu-west-1 (or in another
// account) are two clusters. A Watcher given the name "prod" with a client
// of the other region must refuse the file of the first, as it refuses
// "staging" on prod's file: else it appends the second cluster's tasks to
// the first one's history and, describing the first one's open tasks in
// the wrong region, gets MISSING for them and closes running tasks.
func TestWatcherRefusesFileOfSameNamedClusterElsewhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	poll := func(api *ecs.Client, now time.Time) error {
		w := NewWatcher(api, "prod", path)
		w.Now = func() time.Time { return now }
		defer w.Close()
		_, err := w.Poll(context.Background())
		return err
	}

	east := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}}})
	t.Cleanup(east.Close)
	eastAPI := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = east.BaseEndpoint() })
	if err := poll(eastAPI, at(5)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	euTask := awsvpcTask("e1", "eni-9", "10.9.0.5", 0, -1)
	euTask.TaskArn = ptr("arn:aws:ecs:eu-west-1:111122223333:task/prod/e1")
	euTask.ClusterArn = ptr("arn:aws:ecs:eu-west-1:111122223333:cluster/prod")
	eu := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{euTask}}})
	eu.Region = "eu-west-1"
	t.Cleanup(eu.Close)
	euAPI := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = eu.BaseEndpoint() })
	err := poll(euAPI, at(180))
	if err == nil || !strings.Contains(err.Error(), "us-east-1") || !strings.Contains(err.Error(), "eu-west-1") {
		t.Errorf("Poll of eu-west-1's prod on us-east-1 prod's file: err = %v, want a refusal naming both cluster ARNs", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("eu-west-1's poll was appended to us-east-1's history file:\n%s", after[len(before):])
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
	poll := func(api ECSAPI, now time.Time) {
		t.Helper()
		w := NewWatcher(api, "prod", path)
		w.Now = func() time.Time { return now }
		defer w.Close()
		if _, err := w.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	east := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}}})
	t.Cleanup(east.Close)
	poll(ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = east.BaseEndpoint() }), at(5))
	before, _ := os.ReadFile(path)

	empty := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod"}})
	empty.Region = "eu-west-1"
	t.Cleanup(empty.Close)
	poll(listsOnly{ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = empty.BaseEndpoint() })}, at(180))
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("a poll that could not tell its cluster's ARN wrote:\n%s", after[len(before):])
	}
}

// TestWatcherAsksTheClusterARNWhenNothingIsListed: a cluster scaled to
// zero while the Watcher was down lists no task and no container instance
// to read its ARN off; DescribeClusters tells it, and the tasks ECS has
// forgotten are closed, as in a cluster that still runs something.
func TestWatcherAsksTheClusterARNWhenNothingIsListed(t *testing.T) {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}}})
	srv.Account = "111122223333" // the account of the tasks' ARNs
	t.Cleanup(srv.Close)
	api := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	poll := func(now time.Time) PollStats {
		t.Helper()
		w := NewWatcher(api, "prod", path)
		w.Now = func() time.Time { return now }
		defer w.Close()
		st, err := w.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	poll(at(5))
	if err := srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	if st := poll(at(180)); len(st.Problems) > 0 {
		t.Errorf("problems: %v", st.Problems)
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

// TestWatcherRefusesFileOfSameNamedEmptyClusterElsewhere: DescribeClusters
// tells the ARN of a cluster that lists nothing, and "prod" of another
// region is refused on the file of this one's, as when it runs tasks.
func TestWatcherRefusesFileOfSameNamedEmptyClusterElsewhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	east := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}}})
	t.Cleanup(east.Close)
	w := NewWatcher(ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = east.BaseEndpoint() }), "prod", path)
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	before, _ := os.ReadFile(path)

	eu := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod"}})
	eu.Region, eu.Account = "eu-west-1", "111122223333"
	t.Cleanup(eu.Close)
	w = NewWatcher(ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = eu.BaseEndpoint() }), "prod", path)
	defer w.Close()
	_, err := w.Poll(context.Background())
	if err == nil || !strings.Contains(err.Error(), "us-east-1") || !strings.Contains(err.Error(), "eu-west-1") {
		t.Errorf("Poll of eu-west-1's empty prod on us-east-1 prod's file: err = %v, want a refusal naming both cluster ARNs", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("eu-west-1's poll wrote to us-east-1's history file:\n%s", after[len(before):])
	}
}

// TestWatcherWithoutDescribeClusters: ecs:DescribeClusters is optional (a
// policy written before the Watcher asked it): denied, the poll goes on,
// closes nothing, and says why in its problems.
func TestWatcherWithoutDescribeClusters(t *testing.T) {
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}}})
	srv.Account = "111122223333"
	t.Cleanup(srv.Close)
	srv.Allow("ecs:ListTasks", "ecs:DescribeTasks", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances", "ecs:DescribeTaskDefinition")
	api := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	w := NewWatcher(api, "prod", path)
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	before, _ := os.ReadFile(path)
	if err := srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	w = NewWatcher(api, "prod", path)
	w.Now = func() time.Time { return at(180) }
	defer w.Close()
	st, err := w.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Problems) != 1 || !strings.Contains(st.Problems[0].Error(), "DescribeClusters") || !strings.Contains(st.Problems[0].Error(), "none is closed") {
		t.Errorf("problems %v: want one saying DescribeClusters failed and nothing was closed", st.Problems)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("a poll without the cluster's ARN wrote:\n%s", after[len(before):])
	}
}
