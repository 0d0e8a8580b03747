package history

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"

	"github.com/ecsnet/ecsnet/netmode"
)

type fakeCluster struct {
	srv *fakeaws.ECS
	api *ecs.Client
}

func newFakeCluster(t *testing.T, tasks ...types.Task) *fakeCluster {
	t.Helper()
	ci := types.ContainerInstance{
		ContainerInstanceArn: ptr(ciA), Ec2InstanceId: ptr("i-0123"), Status: ptr("ACTIVE"), RegisteredAt: ptr(at(-60)),
		Attributes: []types.Attribute{{Name: ptr("ecs.instance-type"), Value: ptr("c5.large")}, {Name: ptr("ecs.availability-zone"), Value: ptr("us-east-1a")}},
	}
	td := types.TaskDefinition{
		TaskDefinitionArn: ptr("arn:aws:ecs:us-east-1:111122223333:task-definition/legacy:2"),
		Family:            ptr("legacy"), Revision: 2, Status: types.TaskDefinitionStatusActive,
		NetworkMode: types.NetworkModeBridge,
	}
	web := types.TaskDefinition{
		TaskDefinitionArn: ptr("arn:aws:ecs:us-east-1:111122223333:task-definition/web:7"),
		Family:            ptr("web"), Revision: 7, Status: types.TaskDefinitionStatusActive,
		NetworkMode: types.NetworkModeAwsvpc,
	}
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: []types.ContainerInstance{ci}, Tasks: tasks}}, td, web)
	t.Cleanup(srv.Close)
	srv.SetPageSize(1) // every list is many pages
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 5, DropEvery: 7})
	api := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	return &fakeCluster{srv: srv, api: api}
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func mustPoll(t *testing.T, w *Watcher, wantAppended int) {
	t.Helper()
	st, err := w.Poll(context.Background())
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	if len(st.Problems) > 0 {
		t.Fatalf("problems: %v", st.Problems)
	}
	if st.Appended != wantAppended {
		t.Fatalf("appended %d lines, want %d (%+v)", st.Appended, wantAppended, st)
	}
}

func TestWatcherRestartedMidRun(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	path := filepath.Join(t.TempDir(), "history.jsonl")
	clock := at(5)
	primary := func(ctx context.Context, ids []string) (map[string]PrimaryInterface, error) {
		out := map[string]PrimaryInterface{}
		for _, id := range ids {
			out[id] = PrimaryInterface{ENI: "eni-prim-" + id, IPv4: netip.MustParseAddr("10.0.0.10")}
		}
		return out, nil
	}
	start := func() *Watcher {
		w := NewWatcher(fc.api, "prod", path)
		w.Now = func() time.Time { return clock }
		w.Primary = primary
		return w
	}

	w := start()
	mustPoll(t, w, 5) // network mode of legacy:2, t1, b1, the instance, its primary interface
	mustPoll(t, w, 0) // nothing changed: nothing written

	// Between polls t1 stops, a short-lived task s1 starts and stops (it is
	// only ever seen STOPPED), and t2 takes t1's IP.
	clock = at(40)
	s1 := awsvpcTask("s1", "eni-s1", "10.0.1.7", 12, 14)
	t2 := awsvpcTask("t2", "eni-2", "10.0.1.5", 31, -1)
	for _, tk := range []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30), s1, t2} {
		if err := fc.srv.UpdateTask("prod", tk); err != nil {
			t.Fatal(err)
		}
	}
	mustPoll(t, w, 3)
	if len(lines(t, path)) != 8 {
		t.Fatalf("%d lines", len(lines(t, path)))
	}

	// Crash in the middle of the next write: half a line at the end.
	w.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	torn := `{"version":"0","detail-type":"ECS Task State Change","source":"ecsnet.history","detail":{"taskArn":"arn:aws:ecs:us-e`
	f.WriteString(torn)
	f.Close()

	w = start()
	rec, err := w.Open()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Lines != 8 || rec.Dropped != int64(len(torn)) || rec.Completed {
		t.Fatalf("recovery %+v", rec)
	}
	mustPoll(t, w, 0) // the restarted watcher writes nothing it already had

	// s1 and t1 age out of ECS (an hour after stopping); t2 stops.
	clock = at(120)
	fc.srv.SetMissing(taskARN("s1"), taskARN("t1"))
	fc.srv.UpdateTask("prod", awsvpcTask("t2", "eni-2", "10.0.1.5", 31, 90))
	mustPoll(t, w, 1)
	w.Close()

	got := lines(t, path)
	if len(got) != 9 {
		t.Fatalf("%d lines:\n%s", len(got), strings.Join(got, "\n"))
	}
	seen := map[string]bool{}
	for _, l := range got {
		if seen[l] {
			t.Fatalf("duplicate line %s", l)
		}
		seen[l] = true
	}

	// The file alone gives the whole history, through the ordinary loader.
	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	for _, c := range []struct {
		ip   string
		min  int
		want string
	}{{"10.0.1.5", 10, "t1"}, {"10.0.1.7", 13, "s1"}, {"10.0.1.5", 35, "t2"}, {"10.0.1.5", 95, ""}} {
		tk, ok := x.TaskByIP(netip.MustParseAddr(c.ip), at(c.min))
		if (c.want == "") == ok || (ok && tk.ID() != c.want) {
			t.Errorf("%s at %d: got %v, want %q", c.ip, c.min, tk, c.want)
		}
	}
	in, ok := x.InstanceByIP(netip.MustParseAddr("10.0.0.10"), at(10))
	if !ok || in.ENI != "eni-prim-i-0123" || in.InstanceType != "c5.large" || in.Cluster() != "prod" {
		t.Fatalf("instance %+v", in)
	}
	if tk, ok := x.TaskByHostPort(ciA, 32768, netmode.TCP, at(100)); !ok || tk.ID() != "b1" || tk.NetworkMode != netmode.ModeBridge {
		t.Fatalf("host port: %+v", tk)
	}
	if len(fc.srv.Faulted()) == 0 {
		t.Fatal("no faults were injected")
	}

	// A third start reads the same history.
	w = start()
	defer w.Close()
	if _, err := w.Open(); err != nil {
		t.Fatal(err)
	}
	if a, b := taskSet(w.Index()), taskSet(x); !reflect.DeepEqual(a, b) {
		t.Fatal("reopened history differs from the loaded file")
	}
}

func taskSet(x *Index) []Task {
	var out []Task
	for _, t := range x.Tasks() {
		out = append(out, *t)
	}
	return out
}

func TestWatcherCompletesLineMissingOnlyItsNewline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	data, _ := os.ReadFile("testdata/events.jsonl")
	first, _, _ := strings.Cut(string(data), "\n")
	os.WriteFile(path, []byte(first), 0o644)
	w := NewWatcher(nil, "prod", path)
	defer w.Close()
	rec, err := w.Open()
	if err != nil || !rec.Completed || rec.Lines != 1 {
		t.Fatalf("%+v %v", rec, err)
	}
	if b, _ := os.ReadFile(path); string(b) != first+"\n" {
		t.Fatal("newline not added")
	}
	if _, ok := w.Index().Task(evTask); !ok {
		t.Fatal("task lost")
	}
}

func TestWatcherRefusesCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	os.WriteFile(path, []byte("{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":7}}\n{}\n"), 0o644)
	w := NewWatcher(nil, "prod", path)
	_, err := w.Open()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || pe.Path != "detail.taskArn" {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); len(b) == 0 {
		t.Fatal("file modified")
	}
}

// countingAPI cancels the context on the n-th poll.
type countingAPI struct {
	ECSAPI
	polls  int
	stopAt int
	cancel context.CancelFunc
}

func (c *countingAPI) ListContainerInstances(ctx context.Context, in *ecs.ListContainerInstancesInput, f ...func(*ecs.Options)) (*ecs.ListContainerInstancesOutput, error) {
	if in.NextToken == nil {
		c.polls++
		if c.polls == c.stopAt {
			c.cancel()
		}
	}
	return c.ECSAPI.ListContainerInstances(ctx, in, f...)
}

func TestWatcherRun(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	fc.srv.SetFaults(fakeaws.Faults{})
	ctx, cancel := context.WithCancel(context.Background())
	api := &countingAPI{ECSAPI: fc.api, stopAt: 3, cancel: cancel}
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(api, "prod", path)
	w.Interval = time.Millisecond
	defer w.Close()
	done := make(chan struct{})
	go func() { // snapshots while Run polls (checked by -race)
		defer close(done)
		for ctx.Err() == nil {
			w.Index().TaskByENI("eni-1", at(1))
		}
	}()
	if err := w.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	<-done
	if api.polls != 3 {
		t.Fatalf("%d polls", api.polls)
	}
	sc := bufio.NewScanner(strings.NewReader(strings.Join(lines(t, path), "\n")))
	n := 0
	for sc.Scan() {
		n++
	}
	if n != 2 { // t1 and the instance
		t.Fatalf("%d lines", n)
	}
}

// FuzzWatcherOpen: whatever the file holds, Open either refuses it
// untouched or leaves a file that opens again cleanly to the same history.
func FuzzWatcherOpen(f *testing.F) {
	data, _ := os.ReadFile("testdata/events.jsonl")
	first, _, _ := strings.Cut(string(data), "\n")
	f.Add([]byte(first + "\n" + first[:40]))
	f.Add([]byte(first))
	f.Add([]byte("\n\n{}\n"))
	f.Fuzz(checkOpenRepairs)
}

func checkOpenRepairs(t *testing.T, in []byte) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "prod", path)
	_, err := w.Open()
	if err != nil {
		if got, _ := os.ReadFile(path); !bytes.Equal(got, in) {
			t.Fatal("refused file was modified")
		}
		return
	}
	want := taskSet(w.Index())
	w.Close()
	w2 := NewWatcher(nil, "prod", path)
	defer w2.Close()
	rec, err := w2.Open()
	if err != nil || rec.Dropped != 0 || rec.Completed {
		t.Fatalf("second open: %+v %v", rec, err)
	}
	if !reflect.DeepEqual(taskSet(w2.Index()), want) {
		t.Fatal("history changed between opens")
	}
}

// TestWatcherOpenCutsAnywhere tears a history file at every 97th byte
// (fuzzing finds more; this runs everywhere, deterministically).
func TestWatcherOpenCutsAnywhere(t *testing.T) {
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= len(data); n += 97 {
		t.Run(strconv.Itoa(n), func(t *testing.T) { checkOpenRepairs(t, data[:n]) })
	}
	checkOpenRepairs(t, bytes.TrimSuffix(data, []byte("\n")))
}

func TestWatcherRecoversFromFailedWrite(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	defer w.Close()
	mustPoll(t, w, 2) // t1 and the instance
	fc.srv.UpdateTask("prod", awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30))

	w.f.Close() // the disk goes away under the watcher
	_, err := w.Poll(context.Background())
	var we *WriteError
	if !errors.As(err, &we) {
		t.Fatalf("err = %v", err)
	}
	mustPoll(t, w, 1) // reopened from the file: the stop is written once
	mustPoll(t, w, 0)
	if n := len(lines(t, path)); n != 3 {
		t.Fatalf("%d lines", n)
	}
}

func TestDecoderLineInPrettyPrintedFile(t *testing.T) {
	data, err := os.ReadFile("testdata/describe-tasks.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), `"hostPort": 32768,`, `"hostPort": "32768",`, 1)
	wantLine := 1 + strings.Count(bad[:strings.Index(bad, `"hostPort": "32768"`)], "\n")
	_, err = NewBuilder().Load(strings.NewReader(bad), "describe-tasks.json")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != wantLine || pe.Path != "tasks[1].containers[0].networkBindings[0].hostPort" {
		t.Fatalf("err = %v, want line %d", err, wantLine)
	}
}
