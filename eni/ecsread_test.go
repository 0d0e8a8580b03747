package eni

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func fakeFor(s *Snapshot) *fakeaws.ECS {
	return fakeaws.NewECS([]fakeaws.ECSCluster{{Name: s.Cluster, ContainerInstances: s.ContainerInstances, Tasks: s.Tasks}}, s.TaskDefinitions...)
}

func clientFor(srv *fakeaws.ECS) *ecs.Client {
	return ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
}

// bigCluster has 201 container instances and 650 running tasks (plus
// 77 stopped ones), so every Describe call needs several batches.
func bigCluster() *Snapshot { return clusterOf(201, 650, 77) }

func clusterOf(instances, running, stopped int) *Snapshot {
	s := sampleSnapshot()
	s.Cluster = "big"
	s.ContainerInstances = nil
	s.Tasks = nil
	for i := 0; i < instances; i++ {
		s.ContainerInstances = append(s.ContainerInstances,
			containerInstance("big", ciSpec{fmt.Sprintf("ci%04d", i), "c5.large", "linux", "", 2048, 3788}, 0, 0, nil, 0, 0))
	}
	for i := 0; i < running+stopped; i++ {
		t := task("big", taskSpec{fmt.Sprintf("t%05d", i), "web:3", fmt.Sprintf("ci%04d", i%instances), "RUNNING", true, "ATTACHED", nil})
		if i >= running {
			t.DesiredStatus, t.LastStatus = aws.String("STOPPED"), aws.String("STOPPED")
		}
		s.Tasks = append(s.Tasks, t)
	}
	return s
}

func TestReadHelpersExactUnderFaults(t *testing.T) {
	big := bigCluster()
	srv := fakeFor(big)
	defer srv.Close()
	srv.SetPageSize(37)
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 7, DropEvery: 13})
	gone := []string{*big.Tasks[17].TaskArn, *big.Tasks[601].TaskArn}
	srv.SetMissing(gone...)
	c := clientFor(srv)
	ctx := context.Background()

	var mu sync.Mutex
	var stages []string
	progress := ecsread.WithProgress(func(p ecsread.Progress) {
		mu.Lock()
		defer mu.Unlock()
		stages = append(stages, fmt.Sprintf("%s %d/%d", p.Stage, p.Done, p.Total))
	})
	arns, err := ecsread.ListTaskARNs(ctx, c, ecs.ListTasksInput{Cluster: aws.String("big")}, progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(arns) != 650 {
		t.Fatalf("listed %d running tasks", len(arns))
	}
	tasks, failures, err := ecsread.DescribeTasks(ctx, c, "big", arns, ecsread.WithConcurrency(3), progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 648 || len(failures) != 2 {
		t.Fatalf("described %d tasks, %d failures", len(tasks), len(failures))
	}
	seen := map[string]bool{}
	for i, tk := range tasks {
		if seen[*tk.TaskArn] {
			t.Fatalf("task %s twice", *tk.TaskArn)
		}
		seen[*tk.TaskArn] = true
		if i > 0 && *tasks[i-1].TaskArn > *tk.TaskArn {
			t.Fatal("tasks not in the order of the ARNs")
		}
	}
	for i, f := range failures {
		if *f.Arn != gone[i] || aws.ToString(f.Reason) != "MISSING" {
			t.Fatalf("failure %d: %+v", i, f)
		}
	}
	stopped, sf, err := ecsread.ListAndDescribeTasks(ctx, c, "big", types.DesiredStatusStopped)
	if err != nil || len(stopped) != 77 || len(sf) != 0 {
		t.Fatalf("stopped: %d %v %v", len(stopped), sf, err)
	}
	snap, err := ReadCluster(ctx, c, "big", ecsread.WithConcurrency(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.ContainerInstances) != 201 || len(snap.Tasks) != 648 || len(snap.Failures) != 2 || len(snap.TaskDefinitions) != 1 {
		t.Fatalf("snapshot: %d instances, %d tasks, %d failures, %d task definitions",
			len(snap.ContainerInstances), len(snap.Tasks), len(snap.Failures), len(snap.TaskDefinitions))
	}
	calls := srv.Calls()
	// 650 tasks in batches of 100 = 7 calls per describe round; two
	// rounds. Under faults a served call may rarely be retried (the
	// client lost the answer), so only the minimum is exact here; see
	// TestDescribeBatchesOf100 for the exact count.
	if calls["ecs:DescribeTasks"] < 7+1+7 || calls["ecs:DescribeContainerInstances"] < 3 {
		t.Fatalf("calls %v", calls)
	}
	if srv.Faulted()["ecs:DescribeTasks"] == 0 || srv.Faulted()["ecs:ListTasks"] == 0 {
		t.Fatalf("faults not exercised: %v", srv.Faulted())
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(strings.Join(stages, "\n"), "describe tasks 650/650") {
		t.Fatalf("progress: %v", stages)
	}
	// Within one DescribeTasks call, progress never goes backwards.
	last := -1
	for _, st := range stages {
		var done, total int
		if _, err := fmt.Sscanf(st, "describe tasks %d/%d", &done, &total); err != nil {
			last = -1
			continue
		}
		if done < last {
			t.Fatalf("progress went back: %v", stages)
		}
		last = done
	}
}

func TestReadErrorsWrapSDKError(t *testing.T) {
	srv := fakeFor(sampleSnapshot())
	defer srv.Close()
	_, err := ReadCluster(context.Background(), clientFor(srv), "nope")
	var ae interface{ ErrorCode() string }
	if !errors.As(err, &ae) || ae.ErrorCode() != "ClusterNotFoundException" || !strings.Contains(err.Error(), "ListContainerInstances nope") {
		t.Fatalf("got %v", err)
	}
}

func marshalSorted[T any](t *testing.T, xs []T, key func(T) string) []string {
	t.Helper()
	out := make([]string, len(xs))
	for i, x := range xs {
		b, err := awswire.Marshal(&x)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = key(x) + "\x00" + string(b)
	}
	sort.Strings(out)
	return out
}

func sameSnapshot(t *testing.T, got, want *Snapshot) {
	t.Helper()
	eq := func(what string, a, b []string) {
		if len(a) != len(b) {
			t.Fatalf("%s: %d vs %d", what, len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s differ:\n%s\n---\n%s", what, a[i], b[i])
			}
		}
	}
	ci := func(c types.ContainerInstance) string { return *c.ContainerInstanceArn }
	tk := func(c types.Task) string { return *c.TaskArn }
	td := func(c types.TaskDefinition) string { return *c.TaskDefinitionArn }
	eq("container instances", marshalSorted(t, got.ContainerInstances, ci), marshalSorted(t, want.ContainerInstances, ci))
	eq("tasks", marshalSorted(t, got.Tasks, tk), marshalSorted(t, want.Tasks, tk))
	eq("task definitions", marshalSorted(t, got.TaskDefinitions, td), marshalSorted(t, want.TaskDefinitions, td))
	if got.Cluster != want.Cluster || len(got.Failures) != len(want.Failures) {
		t.Fatalf("cluster %q/%q failures %v/%v", got.Cluster, want.Cluster, got.Failures, want.Failures)
	}
}

// A live read through the real SDK and a save/load round trip give back
// exactly the cluster the fake serves.
func TestSnapshotLiveAndRoundTrip(t *testing.T) {
	want := sampleSnapshot()
	srv := fakeFor(want)
	defer srv.Close()
	srv.SetPageSize(2)
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 2, ServerErrorEvery: 5})
	got, err := ReadCluster(context.Background(), clientFor(srv), "sample")
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, got, want)
	var b bytes.Buffer
	if err := got.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSnapshot(&b, "roundtrip.json")
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, back, want)
	if !back.TakenAt.Equal(got.TakenAt.Truncate(1e9)) && !back.TakenAt.Equal(got.TakenAt) {
		t.Fatalf("takenAt %v vs %v", back.TakenAt, got.TakenAt)
	}
}

func TestReadSnapshotFromCLIOutputAndErrors(t *testing.T) {
	// Hand-assembled from `aws ecs describe-*` output: ISO-8601 times.
	cli := `{
  "cluster": "cli",
  "describeContainerInstances": [{"containerInstances": [{"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/cli/a",
     "registeredAt": "2026-11-20T08:00:00.123000+00:00", "attributes": [{"name": "ecs.instance-type", "value": "c5.large"}]}],
     "failures": []}],
  "describeTasks": [{"tasks": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:1:task/cli/x", "reason": "MISSING"}]}],
  "describeTaskDefinition": []
}`
	s, err := ReadSnapshot(strings.NewReader(cli), "cli.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.ContainerInstances) != 1 || s.ContainerInstances[0].RegisteredAt.Year() != 2026 || len(s.Failures) != 1 {
		t.Fatalf("%+v", s)
	}
	bad := `{"cluster": "x", "describeTasks": [{"tasks": [{"taskArn": "a"}]}, {"tasks": [{"taskArn": 7}]}]}`
	_, err = ReadSnapshot(strings.NewReader(bad), "bad.json")
	var se *SnapshotError
	var we *awswire.Error
	if !errors.As(err, &se) || se.Member != "describeTasks[1]" || !errors.As(err, &we) || !strings.Contains(err.Error(), "bad.json") {
		t.Fatalf("got %v", err)
	}
	_, err = ReadSnapshot(strings.NewReader("{\n\"cluster\": }"), "syntax.json")
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("got %v", err)
	}
	_, err = ReadSnapshot(strings.NewReader(`{"format": "other/v9"}`), "fmt.json")
	if !errors.As(err, &se) || se.Member != "format" {
		t.Fatalf("got %v", err)
	}
}

// Each fault on its own, and all together: the snapshot is exact — every
// running task once, nothing lost, nothing doubled.
func TestReadClusterExactUnderEachFault(t *testing.T) {
	big := clusterOf(120, 420, 10)
	want := map[string]bool{}
	for _, tk := range big.Tasks {
		if aws.ToString(tk.DesiredStatus) == "RUNNING" {
			want[*tk.TaskArn] = true
		}
	}
	for _, f := range []fakeaws.Faults{
		{ThrottleEvery: 2},
		{ServerErrorEvery: 2},
		{DropEvery: 3},
		{ThrottleEvery: 5, ServerErrorEvery: 7, DropEvery: 4},
	} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			srv := fakeFor(big)
			defer srv.Close()
			srv.SetPageSize(45)
			srv.SetFaults(f)
			snap, err := ReadCluster(context.Background(), clientFor(srv), "big", ecsread.WithConcurrency(4))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, tk := range snap.Tasks {
				if got[*tk.TaskArn] || !want[*tk.TaskArn] {
					t.Fatalf("task %s doubled or unexpected", *tk.TaskArn)
				}
				got[*tk.TaskArn] = true
			}
			if len(got) != len(want) || len(snap.ContainerInstances) != 120 || len(snap.Failures) != 0 || len(snap.TaskDefinitions) != 1 {
				t.Fatalf("%d tasks, %d instances, %d failures", len(got), len(snap.ContainerInstances), len(snap.Failures))
			}
			faulted := 0
			for _, n := range srv.Faulted() {
				faulted += n
			}
			if faulted == 0 {
				t.Fatal("no fault injected")
			}
		})
	}
}

// Tasks told to stop keep their ENI until it is deleted: read with
// ecsread.WithStoppingTasks they count as in use; fully stopped ones never do.
func TestStoppingTasksHoldENIs(t *testing.T) {
	s := sampleSnapshot()
	deprov := task("sample", taskSpec{"web10", "web:3", "t3m03", "DEPROVISIONING", true, "DETACHING", nil})
	deprov.DesiredStatus = aws.String("STOPPED")
	gone := task("sample", taskSpec{"web11", "web:3", "t3m03", "STOPPED", true, "DELETED", nil})
	gone.DesiredStatus = aws.String("STOPPED")
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "sample", ContainerInstances: s.ContainerInstances,
		Tasks: append(append([]types.Task{}, s.Tasks...), deprov, gone)}}, s.TaskDefinitions...)
	defer srv.Close()
	ctx := context.Background()
	for _, stopping := range []bool{false, true} {
		var opts []ecsread.Option
		if stopping {
			opts = append(opts, ecsread.WithStoppingTasks())
		}
		snap, err := ReadCluster(ctx, clientFor(srv), "sample", opts...)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Analyze(ctx, snap, Builtin())
		if err != nil {
			t.Fatal(err)
		}
		t3 := r.Instances[3]
		wantInUse, wantLeft, wantStopping := 1, 1, 0
		if stopping {
			wantInUse, wantLeft, wantStopping = 2, 0, 1
		}
		if t3.InstanceType != "t3.medium" || t3.ENIsInUse != wantInUse || t3.ENIsLeft != wantLeft || t3.Stopping != wantStopping ||
			t3.Tasks.AWSVPC != 1 || r.Stopping != wantStopping {
			t.Fatalf("stopping=%v: %+v", stopping, t3)
		}
	}
}

// flipAPI moves one task from desired RUNNING to desired STOPPED right
// after the first ListTasks call, as a deployment or a scale-in does at any
// moment during a live read.
type flipAPI struct {
	*ecs.Client
	srv     *fakeaws.ECS
	cluster string
	task    types.Task
	last    string // the task's lastStatus after the flip
	once    sync.Once
}

func (f *flipAPI) ListTasks(ctx context.Context, in *ecs.ListTasksInput, opts ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	out, err := f.Client.ListTasks(ctx, in, opts...)
	f.once.Do(func() {
		t := f.task
		t.DesiredStatus, t.LastStatus = aws.String("STOPPED"), aws.String(f.last)
		if err := f.srv.UpdateTask(f.cluster, t); err != nil {
			panic(err)
		}
	})
	return out, err
}

// With ecsread.WithStoppingTasks a task told to stop between the
// desired-RUNNING and desired-STOPPED listings is listed by both; the
// snapshot holds it once, as its later (stopping) description, and Analyze
// counts its ENI once.
func TestStoppingTasksReadOnce(t *testing.T) {
	for _, c := range []struct {
		last                                string
		copies, inUse, left, stopping, vpcs int
	}{
		{"DEACTIVATING", 1, 1, 1, 1, 0}, // still holds its ENI
		{"STOPPED", 0, 0, 2, 0, 0},      // gone by the second read
	} {
		s := sampleSnapshot()
		srv := fakeFor(s)
		var web09 types.Task
		for _, tk := range s.Tasks {
			if aws.ToString(tk.TaskArn) == taskARN("sample", "web09") {
				web09 = tk
			}
		}
		api := &flipAPI{Client: clientFor(srv), srv: srv, cluster: "sample", task: web09, last: c.last}
		ctx := context.Background()
		snap, err := ReadCluster(ctx, api, "sample", ecsread.WithStoppingTasks())
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, tk := range snap.Tasks {
			if aws.ToString(tk.TaskArn) == taskARN("sample", "web09") {
				n++
				if aws.ToString(tk.DesiredStatus) != "STOPPED" {
					t.Errorf("%s: kept the earlier (desired RUNNING) description", c.last)
				}
			}
		}
		if n != c.copies || len(snap.Tasks) != len(s.Tasks)-1+c.copies {
			t.Errorf("%s: web09 is in the snapshot %d times (want %d), %d tasks", c.last, n, c.copies, len(snap.Tasks))
		}
		r, err := Analyze(ctx, snap, Builtin())
		if err != nil {
			t.Fatal(err)
		}
		t3 := r.Instances[3] // t3m03: one awsvpc task (web09), budget 2
		if t3.ENIsInUse != c.inUse || t3.ENIsLeft != c.left || t3.Stopping != c.stopping || t3.Tasks.AWSVPC != c.vpcs {
			t.Errorf("%s: t3m03 in use %d, left %d, stopping %d, awsvpc %d; want %d %d %d %d", c.last,
				t3.ENIsInUse, t3.ENIsLeft, t3.Stopping, t3.Tasks.AWSVPC, c.inUse, c.left, c.stopping, c.vpcs)
		}
		if strings.Contains(strings.Join(r.Notes, " "), "more than once") {
			t.Errorf("%s: ReadCluster left a repeated task for Analyze: %q", c.last, r.Notes)
		}
	}
}

// A task definition ECS won't describe is a failure, not a failed read.
func TestReadClusterUndescribableTaskDefinition(t *testing.T) {
	s := sampleSnapshot()
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "sample", ContainerInstances: s.ContainerInstances, Tasks: s.Tasks}},
		s.TaskDefinitions[1:]...) // web:3 is gone
	defer srv.Close()
	snap, err := ReadCluster(context.Background(), clientFor(srv), "sample")
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Failures) != 1 || aws.ToString(snap.Failures[0].Arn) != tdARN("web:3") ||
		!strings.Contains(aws.ToString(snap.Failures[0].Reason), "ClientException") {
		t.Fatalf("failures %+v", snap.Failures)
	}
	r, err := Analyze(context.Background(), snap, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	// web tasks still count as awsvpc by their ENI attachment.
	if r.Tasks.AWSVPC != 11 || r.InUse != 11 {
		t.Fatalf("%+v in use %d", r.Tasks, r.InUse)
	}
	if _, _, err := ecsread.DescribeTaskDefinitions(context.Background(), clientFor(srv), []string{tdARN("web:3")}); err == nil {
		t.Fatal("the exported helper is strict by default")
	}
	tds, fails, err := ecsread.DescribeTaskDefinitions(context.Background(), clientFor(srv), []string{tdARN("web:3"), tdARN("web:3")}, ecsread.WithLenient())
	if err != nil || len(tds) != 0 || len(fails) != 1 || aws.ToString(fails[0].Arn) != tdARN("web:3") {
		t.Fatalf("lenient: %v, %d definitions, failures %+v", err, len(tds), fails)
	}
}

// Without faults the call counts are exact: one DescribeTasks per 100
// tasks, one DescribeContainerInstances per 100 instances, one
// DescribeTaskDefinition per distinct task definition.
func TestDescribeBatchesOf100(t *testing.T) {
	srv := fakeFor(bigCluster())
	defer srv.Close()
	if _, err := ReadCluster(context.Background(), clientFor(srv), "big"); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if calls["ecs:DescribeTasks"] != 7 || calls["ecs:DescribeContainerInstances"] != 3 || calls["ecs:DescribeTaskDefinition"] != 1 ||
		calls["ecs:ListTasks"] != 7 || calls["ecs:ListContainerInstances"] != 3 {
		t.Fatalf("calls %v", calls)
	}
}
