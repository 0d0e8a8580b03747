package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

const sampleDir = "../attribute/sample/tasks/"

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(sampleDir + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := awswire.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// startFakes serves attribute's sample cluster "demo" from fakes of ECS and
// EC2 that speak the real wire protocols, allowing only iamPolicy's
// actions but those denied, and points the program's real SDK clients at
// them.
func startFakes(t *testing.T, denied ...string) {
	t.Helper()
	startFakesWith(t, nil, denied...)
}

// startFakesWith is startFakes with more container instances in the
// cluster.
func startFakesWith(t *testing.T, more []types.ContainerInstance, denied ...string) {
	t.Helper()
	startFakesEdited(t, more, nil, denied...)
}

// startFakesEdited is startFakesWith with the sample's tasks changed by
// edit, when it is not nil.
func startFakesEdited(t *testing.T, more []types.ContainerInstance, edit func([]types.Task), denied ...string) {
	t.Helper()
	var dt ecs.DescribeTasksOutput
	var dci ecs.DescribeContainerInstancesOutput
	var di ec2.DescribeInstancesOutput
	readJSON(t, "describe-tasks.json", &dt)
	readJSON(t, "describe-container-instances.json", &dci)
	readJSON(t, "describe-instances.json", &di)
	var tds []types.TaskDefinition
	for _, n := range []string{"admin", "node-exporter"} {
		var o ecs.DescribeTaskDefinitionOutput
		readJSON(t, "describe-task-definition-"+n+".json", &o)
		tds = append(tds, *o.TaskDefinition)
	}
	if edit != nil {
		edit(dt.Tasks)
	}
	ecsSrv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "demo", ContainerInstances: append(dci.ContainerInstances, more...), Tasks: dt.Tasks}}, tds...)
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{Reservations: di.Reservations})
	var actions []string
	for _, m := range regexp.MustCompile(`"([a-z0-9]+:[A-Za-z]+)"`).FindAllStringSubmatch(iamPolicy, -1) {
		if !slices.Contains(denied, m[1]) {
			actions = append(actions, m[1])
		}
	}
	for _, s := range []*fakeaws.Server{ecsSrv.Server, ec2Srv.Server} {
		s.Allow(actions...)
		t.Cleanup(s.Close)
	}
	saved := newClients
	t.Cleanup(func() { newClients = saved })
	newClients = func(context.Context) (*clients, error) {
		cfg := fakeaws.Config()
		return &clients{
			ecs: ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = ecsSrv.BaseEndpoint() }),
			ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = ec2Srv.BaseEndpoint() }),
		}, nil
	}
}

func runCode(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Code("record", run(ctx, args, &out, &errOut), &errOut)
	return code, out.String(), errOut.String()
}

// TestRecordResumeAndRead records the sample cluster, restarts on the same
// file (after a crash that tore its last line), and reads the file back as
// attribute -tasks does: the same tasks as the saved describe output.
func TestRecordResumeAndRead(t *testing.T) {
	startFakes(t)
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once")
	if code != 0 || !strings.Contains(stderr, file+": new history file") || !regexp.MustCompile(`cluster demo: 7 tasks, 2 container instances, 0 failures; \d+ lines appended, 7 tasks in the history`).MatchString(stderr) {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	first, _ := os.ReadFile(file)
	code, _, stderr = runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once")
	if code != 0 || !strings.Contains(stderr, "continuing, "+itoa(bytes.Count(first, []byte("\n")))+" lines read back, 7 tasks known") ||
		!strings.Contains(stderr, "; 0 lines appended") {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	// A crash mid-write leaves half a line.
	f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"detail-type": "ECS Task State Change", "deta`)
	f.Close()
	code, _, stderr = runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q")
	if code != 0 || !strings.Contains(stderr, "a torn last line (46 bytes) was cut off") || strings.Contains(stderr, "lines appended") {
		t.Fatalf("after a crash: exit %d\n%s", code, stderr)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(after, first) {
		t.Errorf("the file changed across restarts:\n%s\nwas\n%s", after, first)
	}

	// What attribute -tasks reads.
	b := history.NewBuilder()
	if _, err := b.LoadFiles(file); err != nil {
		t.Fatal(err)
	}
	want := history.NewBuilder()
	names, _ := filepath.Glob(sampleDir + "*.json")
	if _, err := want.LoadFiles(names...); err != nil {
		t.Fatal(err)
	}
	arns := func(ix *history.Index) (out []string) {
		for _, t := range ix.Tasks() {
			out = append(out, t.ARN+" "+t.NetworkMode.String()+" "+t.ENI)
		}
		slices.Sort(out)
		return out
	}
	if got, w := arns(b.Index()), arns(want.Index()); !slices.Equal(got, w) {
		t.Errorf("recorded tasks %v\nwant %v", got, w)
	}
	for _, in := range b.Index().Instances() {
		if in.ENI == "" {
			t.Errorf("instance %s without its primary ENI", in.ARN)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestRunsUntilStopped: without -once it polls every -interval until
// stopped, then says where the history is.
func TestRunsUntilStopped(t *testing.T) {
	startFakes(t)
	// Stopped as its third poll starts (forgetsATask's stop, which
	// forgets nothing here), not after a time.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inner := newClients
	newClients = func(ctx context.Context) (*clients, error) {
		c, err := inner(ctx)
		if err != nil {
			return nil, err
		}
		c.ecs = &forgetsATask{Client: c.ecs.(*ecs.Client), from: math.MaxInt, stopPolls: 2, stop: cancel}
		return c, nil
	}
	file := filepath.Join(t.TempDir(), "h.jsonl")
	code, _, stderr := runCode(t, ctx, "-cluster", "demo", "-file", file, "-interval", "50ms")
	if code != 0 || strings.Count(stderr, "cluster demo: 7 tasks") < 2 || !strings.Contains(stderr, "record: stopped; "+file+" holds 7 tasks") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

func TestFlags(t *testing.T) {
	startFakes(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 1, "-cluster is required"},
		{[]string{"-cluster", "x", "-interval", "2h"}, 1, "must be under an hour"},
		{[]string{"-cluster", "x", "-interval", "0s"}, 1, "must be positive"},
		{[]string{"-cluster", "x", "-once", "-interval", "5m"}, 1, "-interval does not apply with -once"},
		{[]string{"-iam-policy", "-cluster", "x"}, 1, "give it alone"},
		{[]string{"-h"}, 0, "Usage: record"},
		{[]string{"-nope"}, 2, "not defined"},
		{[]string{"-cluster", "x", "stray"}, 1, "unexpected argument"},
		{[]string{"-cluster", "nope", "-file", filepath.Join(dir, "h.jsonl")}, 1, "record: cluster nope: ListTasks nope RUNNING: "},
		{[]string{"-cluster", "nope", "-file", filepath.Join(dir, "h.jsonl"), "-once"}, 1, "record: cluster nope: "},
	} {
		code, _, stderr := runCode(t, context.Background(), c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "h.jsonl")); !os.IsNotExist(err) {
		t.Errorf("a failed first poll left a new history file: %v", err)
	}
	// A cluster ARN names the default file by the cluster's name.
	t.Chdir(dir)
	code, _, stderr := runCode(t, context.Background(), "-cluster", "arn:aws:ecs:us-east-1:123456789012:cluster/demo", "-once", "-q")
	if _, err := os.Stat("demo.history.jsonl"); code != 0 || err != nil {
		t.Errorf("-cluster ARN: exit %d, %v: %s", code, err, stderr)
	}
	code, out, _ := runCode(t, context.Background(), "-iam-policy")
	if code != 0 || !strings.Contains(out, `"ecs:DescribeTasks"`) {
		t.Errorf("-iam-policy: %d %s", code, out)
	}
}

// Every action of -iam-policy is needed. Without ecs:DescribeTaskDefinition
// the first poll cannot learn the network mode of the bridge and host
// tasks (nor would any later poll), which leaves them out of attribution:
// record fails, as it does without ec2:DescribeInstances, and leaves no
// new file, rather than exit 0 with a history that lacks them.
func TestFirstPollFailsWithoutDescribeTaskDefinition(t *testing.T) {
	startFakes(t, "ecs:DescribeTaskDefinition")
	file := filepath.Join(t.TempDir(), "h.jsonl")
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once")
	if code != 1 || !strings.Contains(stderr, "network modes") || !strings.Contains(stderr, "AccessDenied") {
		t.Errorf("exit %d without ecs:DescribeTaskDefinition:\n%s", code, stderr)
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("a failed first poll left a new history file")
	}
}

// TestIntervalTakesDurationForms: -interval reads durations as -since does
// in the other programs (cli.Duration): "1d" failed with flag's bare
// "parse error", exit 2 and the whole usage; now it is read, and refused
// for what it is, and a value no form fits says which forms would do.
func TestIntervalTakesDurationForms(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-cluster", "x", "-interval", "1d"}, 1, "record: -interval 24h0m0s: must be under an hour"},
		{[]string{"-cluster", "x", "-interval", "soon"}, 2, `invalid value "soon" for flag -interval: ` + cli.DurationForms},
		{[]string{"-h"}, 0, "(default 1m0s)"},
	} {
		code, _, stderr := runCode(t, context.Background(), c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %.300q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// A first-poll problem that is not the network modes (here an instance
// ECS describes without an ARN, which the history reports and skips) is
// printed and the poll goes on: only the network modes error fails it.
func TestFirstPollOtherProblemIsNotNetworkModes(t *testing.T) {
	startFakesWith(t, []types.ContainerInstance{{Ec2InstanceId: aws.String("i-0fffffffffffffff0")}})
	file := filepath.Join(t.TempDir(), "h.jsonl")
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once")
	if !strings.Contains(stderr, "containerInstanceArn") {
		t.Fatalf("the instance without an ARN was not reported:\n%s", stderr)
	}
	if code != 0 || strings.Contains(stderr, "network modes") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("no history file: %v", err)
	}
}
