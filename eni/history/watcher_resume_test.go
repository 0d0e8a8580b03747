package history

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestWatcherResumeClosesTaskECSForgot: a task the history holds as
// running, that stops and that ECS forgets (DescribeTasks shows stopped
// tasks "for at least one hour") while the Watcher is down, must not stay
// open for ever when the Watcher resumes its file: ECS answers MISSING for
// it, which bounds its stop to an hour before that poll. Left open, it
// holds its address (and host ports) past its life, and whatever is later
// given the address counts as the task.
func TestWatcherResumeClosesTaskECSForgot(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	poll := func(now time.Time) {
		t.Helper()
		w := NewWatcher(fc.api, "prod", path)
		w.Now = func() time.Time { return now }
		defer w.Close()
		if _, err := w.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	poll(at(5)) // t1 running

	// record is down for three hours: t1 stops at minute 30 and ECS forgets it.
	if err := fc.srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	poll(at(180))

	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	tk, ok := x.Task(taskARN("t1"))
	if !ok {
		t.Fatal("t1 missing")
	}
	if tk.Valid.IsOpen() || tk.Valid.End.After(at(120)) {
		t.Errorf("t1 valid %v: want closed by %v (ECS forgot it before the poll at %v)", tk.Valid, at(120), at(180))
	}
	if got, ok := x.TaskByIP(mustAddr("10.0.1.5"), at(170)); ok {
		t.Errorf("10.0.1.5 at minute 170 is still %s's", got.ID())
	}
}

// TestWatcherRefusesFileOfAnotherCluster: a history file keeps one
// cluster's history (the Watcher's Cluster). Resumed with another cluster
// (a -file or -cluster typo in record), the Watcher must refuse, naming
// both, rather than mix the second cluster's tasks into the first one's
// file.
func TestWatcherRefusesFileOfAnotherCluster(t *testing.T) {
	stg := awsvpcTask("s1", "eni-9", "10.9.0.5", 0, -1)
	stg.TaskArn = ptr("arn:aws:ecs:us-east-1:111122223333:task/staging/s1")
	stg.ClusterArn = ptr("arn:aws:ecs:us-east-1:111122223333:cluster/staging")
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{
		{Name: "prod", Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}},
		{Name: "staging", Tasks: []types.Task{stg}},
	})
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	if _, err := pollOnce(clientOf(srv), "prod", path, at(5)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	_, err := pollOnce(clientOf(srv), "staging", path, at(6))
	if err == nil || !strings.Contains(err.Error(), "prod") || !strings.Contains(err.Error(), "staging") {
		t.Errorf("Poll of staging on prod's file: err = %v, want a refusal naming both clusters", err)
	}
	unchanged(t, path, before, "staging's poll on prod's file")
}
