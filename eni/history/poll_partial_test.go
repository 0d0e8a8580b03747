package history

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestPrimaryFailureKeepsThePoll: the primary interfaces are an
// addition to what a poll reads (as the network modes are: "one task
// definition must not cost the record of every task"). A Primary that
// fails (ec2:DescribeInstances throttled past its retries, or denied)
// made Poll return before writing anything, so the cluster read so far
// was thrown away: for as long as EC2 kept failing, no task was recorded,
// and one that started and stopped in that time and that ECS forgot
// (after an hour) was lost for good. The poll's error is still returned,
// but what was read is on record, and the primary interface is asked
// again by the next poll.
func TestPrimaryFailureKeepsThePoll(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	throttled := errors.New("ec2: DescribeInstances: ThrottlingException")
	fail := true
	asked := 0
	w := NewWatcher(fc.api, "prod", path)
	w.Now = func() time.Time { return at(5) }
	w.Primary = func(_ context.Context, ids []string) (map[string]PrimaryInterface, error) {
		asked++
		if fail {
			return nil, throttled
		}
		return map[string]PrimaryInterface{"i-0123": {ENI: "eni-p", IPv4: netip.MustParseAddr("10.0.0.10")}}, nil
	}
	st, err := w.Poll(context.Background())
	if !errors.Is(err, throttled) {
		t.Fatalf("Poll: %v, want the Primary error", err)
	}
	if got := w.Index().Tasks(); len(got) != 2 {
		t.Errorf("after a Primary failure the history holds %d tasks, want 2", len(got))
	}
	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatalf("the file: %v", err)
	}
	if b.Len() != 2 || st.Appended == 0 {
		t.Errorf("the file holds %d tasks (%d lines appended), want 2", b.Len(), st.Appended)
	}

	fail = false
	w.Now = func() time.Time { return at(6) }
	mustPoll(t, w, 1) // only the primary interface, asked again
	if asked != 2 {
		t.Errorf("Primary asked %d times, want 2", asked)
	}
	w.Close()
	if ls := lines(t, path); len(ls) != 5 || !strings.Contains(ls[len(ls)-1], "eni-p") {
		t.Errorf("file:\n%s", strings.Join(ls, "\n"))
	}
}

// failDescribeOf fails DescribeTasks calls that name arn, as a throttled
// call the retries gave up on does.
type failDescribeOf struct {
	*ecs.Client
	arn string
	err error
}

func (f *failDescribeOf) DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, opts ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	if slices.Contains(in.Tasks, f.arn) {
		return nil, f.err
	}
	return f.Client.DescribeTasks(ctx, in, opts...)
}

// TestForgottenFailureKeepsThePoll: describing by ARN the tasks the
// file holds as running that ECS no longer lists is a step after the
// cluster was read; when it failed, Poll returned before writing and the
// whole read was lost (a task that started and stopped meanwhile and
// that ECS then forgot never made it to the file).
func TestForgottenFailureKeepsThePoll(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	fc.srv.SetFaults(fakeaws.Faults{})
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	w.Now = func() time.Time { return at(5) }
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()

	// t1 is no longer listed; a new task t2 ran and stopped meanwhile.
	if err := fc.srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	if err := fc.srv.UpdateTask("prod", awsvpcTask("t2", "eni-2", "10.0.1.6", 10, 20)); err != nil {
		t.Fatal(err)
	}
	throttled := errors.New("ThrottlingException: Rate exceeded")
	w = NewWatcher(&failDescribeOf{Client: fc.api, arn: taskARN("t1"), err: throttled}, "prod", path)
	w.Now = func() time.Time { return at(25) }
	_, err := w.Poll(context.Background())
	if !errors.Is(err, throttled) {
		t.Fatalf("Poll: %v, want the DescribeTasks error", err)
	}
	w.Close()
	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatal(err)
	}
	t2, ok := b.Index().Task(taskARN("t2"))
	if !ok || !t2.Valid.End.Equal(at(21)) {
		t.Errorf("t2 in the file: %v %+v; want recorded, stopped at minute 21", ok, t2)
	}
	if t1, ok := b.Index().Task(taskARN("t1")); !ok || !t1.Valid.IsOpen() {
		t.Errorf("t1: %v %+v; want still open (not described)", ok, t1)
	}
}
