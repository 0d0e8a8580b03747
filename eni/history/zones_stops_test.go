package history

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSameInstantInOtherZoneChangesNothing: the AWS CLI prints a
// task's times with the local offset, EventBridge in UTC. The same
// observation (same version) read from both changes nothing, whichever
// comes first, and the task's times are in UTC either way.
func TestSameInstantInOtherZoneChangesNothing(t *testing.T) {
	cli := `{"tasks":[{"taskArn":"` + taskARN("t1") + `","clusterArn":"` + cluster + `","lastStatus":"RUNNING","desiredStatus":"RUNNING","version":3,"createdAt":"2026-11-25T19:00:00.123000+09:00"}]}`
	ev := `{"version":"0","detail-type":"ECS Task State Change","time":"2026-11-25T10:00:01Z","detail":{"taskArn":"` + taskARN("t1") + `","clusterArn":"` + cluster + `","lastStatus":"RUNNING","desiredStatus":"RUNNING","version":3,"createdAt":"2026-11-25T10:00:00.123Z"}}`
	for _, order := range [][]string{{cli, ev}, {ev, cli}} {
		b := NewBuilder()
		if _, err := b.Load(strings.NewReader(order[0]), "first"); err != nil {
			t.Fatal(err)
		}
		st, err := b.Load(strings.NewReader(order[1]), "second")
		if err != nil {
			t.Fatal(err)
		}
		if st.Changed != 0 {
			t.Errorf("the same observation with another offset changed %d", st.Changed)
		}
		tk, _ := b.Index().Task(taskARN("t1"))
		if tk.CreatedAt.Location() != time.UTC {
			t.Errorf("createdAt %v, want it in UTC", tk.CreatedAt)
		}
	}
}

// TestStoppedEventWithoutStopTimes: a task an event shows STOPPED,
// without stoppedAt, executionStoppedAt or stoppingAt (an export that
// dropped them), had stopped by the event's time: its address must not stay
// its own for ever, taking traffic of whatever holds it later.
func TestStoppedEventWithoutStopTimes(t *testing.T) {
	stopped := `{"version":"0","detail-type":"ECS Task State Change","time":"2026-11-25T10:30:00Z","detail":{"taskArn":"` + taskARN("t1") + `","clusterArn":"` + cluster + `","lastStatus":"STOPPED","desiredStatus":"STOPPED","version":6,"createdAt":"2026-11-25T10:00:00Z","attachments":[{"id":"a","type":"eni","status":"DELETED","details":[{"name":"networkInterfaceId","value":"eni-1"},{"name":"privateIPv4Address","value":"10.0.1.5"}]}]}}`
	dup := strings.Replace(stopped, `"time":"2026-11-25T10:30:00Z"`, `"time":"2026-11-25T10:40:00Z"`, 1)
	b := NewBuilder()
	if _, err := b.Load(strings.NewReader(dup+"\n"+stopped+"\n"), "events"); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	tk, _ := x.Task(taskARN("t1"))
	if !tk.Valid.End.Equal(at(30)) {
		t.Errorf("valid %v, want it closed at the first STOPPED event's time %v", tk.Valid, at(30))
	}
	if got, ok := x.TaskByIP(mustAddr("10.0.1.5"), at(90)); ok {
		t.Errorf("10.0.1.5 an hour after the task stopped is still %s's", got.ID())
	}
	// A later-read observation with the real stoppedAt sets the end.
	withTimes := awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 20)
	withTimes.Version = 6
	if _, err := b.AddTasks(withTimes); err != nil {
		t.Fatal(err)
	}
	if tk, _ := b.Index().Task(taskARN("t1")); !tk.Valid.End.Equal(at(21)) {
		t.Errorf("valid %v, want the end at stoppedAt %v", tk.Valid, at(21))
	}
}

// TestInstanceKeepsClusterARN: DescribeContainerInstances does not
// report the cluster; the Watcher takes it from the tasks on the instance,
// else from its Cluster as given (a name). When the instance's tasks go
// away, the name must not replace the ARN already known (and write the
// instance's line again), nor the ARN come back as a change later.
func TestInstanceKeepsClusterARN(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	defer w.Close()
	w.Now = func() time.Time { return at(5) }
	mustPoll(t, w, 2) // the task, the instance
	if err := fc.srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	// The task is gone (ECS answers MISSING, but it is too young to be
	// closed an hour back); the instance is unchanged.
	if st, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	} else if st.Appended != 0 {
		t.Errorf("appended %d lines for an unchanged instance:\n%s", st.Appended, strings.Join(lines(t, path)[2:], "\n"))
	}
	if in, _ := w.Index().Instance(ciA); in.ClusterARN != cluster {
		t.Errorf("instance cluster %q, want %q", in.ClusterARN, cluster)
	}
}
