package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/ec2primary"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

const (
	sampleVPC      = "vpc-0d3a9c5e7b1f20468"
	sampleLogGroup = "/vpc/flowlogs"
)

// fakeAWS serves the embedded sample through in-process fakes of ECS, EC2
// and CloudWatch Logs that speak the real wire protocols, restricted to the
// actions of iamPolicy.
type fakeAWS struct {
	ecs  *fakeaws.Server
	ec2  *fakeaws.EC2
	logs *fakeaws.Logs
}

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := sample.ReadFile("sample/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func startFakes(t *testing.T) *fakeAWS {
	t.Helper()
	var dt ecs.DescribeTasksOutput
	var dci ecs.DescribeContainerInstancesOutput
	if err := awswire.Unmarshal(readSample(t, "tasks/describe-tasks.json"), &dt); err != nil {
		t.Fatal(err)
	}
	if err := awswire.Unmarshal(readSample(t, "tasks/describe-container-instances.json"), &dci); err != nil {
		t.Fatal(err)
	}
	var tds []types.TaskDefinition
	for _, n := range []string{"admin", "node-exporter"} {
		var o ecs.DescribeTaskDefinitionOutput
		if err := awswire.Unmarshal(readSample(t, "tasks/describe-task-definition-"+n+".json"), &o); err != nil {
			t.Fatal(err)
		}
		tds = append(tds, *o.TaskDefinition)
	}
	f := &fakeAWS{}
	ecsSrv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "demo", ContainerInstances: dci.ContainerInstances, Tasks: dt.Tasks}}, tds...)
	f.ecs = ecsSrv.Server

	// The flow logs as CloudWatch Logs holds them: one stream per ENI, no
	// header, event timestamp = record start.
	f.logs = fakeaws.NewLogs(fakeaws.LogsOptions{PartialPages: true, EmptyPageEvery: 3})
	f.logs.CreateLogGroup(sampleLogGroup)
	var header string
	err := fs.WalkDir(sample, "sample/flowlogs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		file, err := sample.Open(p)
		if err != nil {
			return err
		}
		defer file.Close()
		zr, err := gzip.NewReader(file)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "version ") {
				header = line
				continue
			}
			fields := strings.Fields(line)
			start, _ := strconv.ParseInt(fields[10], 10, 64)
			f.logs.Put(sampleLogGroup, fields[2], fakeaws.LogEvent{Timestamp: start * 1000, Message: line})
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	format, err := flowlogs.ParseHeader(header)
	if err != nil {
		t.Fatal(err)
	}
	// EC2 describes the sample's instances, subnets, VPCs and its ALB's
	// interfaces (among others', which Load's requester-id filter must
	// leave out), and the flow log delivering to the log group.
	var di ec2.DescribeInstancesOutput
	var ds ec2.DescribeSubnetsOutput
	var dv ec2.DescribeVpcsOutput
	var dn ec2.DescribeNetworkInterfacesOutput
	for name, v := range map[string]any{"tasks/describe-instances.json": &di, "network/describe-subnets.json": &ds, "network/describe-vpcs.json": &dv,
		"network/describe-network-interfaces.json": &dn} {
		if err := awswire.Unmarshal(readSample(t, name), v); err != nil {
			t.Fatal(err)
		}
	}
	if len(dn.NetworkInterfaces) == 0 {
		t.Fatal("the sample has no load balancer interfaces")
	}
	// A task's ENI, which a user with an ALB-like description cannot
	// make a load balancer's node: its requester is ECS's, not ELB's.
	nis := append(dn.NetworkInterfaces, ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-0a1b2c3d4e5f60711"),
		RequesterId: aws.String("578734482556"), Description: aws.String("ELB app/demo-web/5f2e8c1a9b3d4e6f"),
		InterfaceType: ec2types.NetworkInterfaceTypeInterface, PrivateIpAddress: aws.String("10.0.1.101"), VpcId: aws.String(sampleVPC)})
	f.ec2 = fakeaws.NewEC2(fakeaws.EC2Data{Reservations: di.Reservations, Subnets: ds.Subnets, Vpcs: dv.Vpcs, NetworkInterfaces: nis,
		FlowLogs: []fakeaws.FlowLog{{
			ID: "fl-0123456789abcdef0", ResourceID: sampleVPC, LogGroupName: sampleLogGroup, LogFormat: format.String(),
			Destination: "arn:aws:logs:us-east-1:123456789012:log-group:" + sampleLogGroup, MaxAggregationInterval: 60,
		}}})

	var actions []string
	for _, m := range regexp.MustCompile(`"([a-z0-9]+:[A-Za-z]+)"`).FindAllStringSubmatch(iamPolicy, -1) {
		actions = append(actions, m[1])
	}
	for _, s := range []*fakeaws.Server{f.ecs, f.ec2.Server, f.logs.Server} {
		s.Allow(actions...)
		t.Cleanup(s.Close)
	}
	saved := newClients
	t.Cleanup(func() { newClients = saved })
	newClients = func(context.Context) (*clients, error) {
		cfg := fakeaws.Config()
		return &clients{
			ecs:          ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = f.ecs.BaseEndpoint() }),
			ec2Instances: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = f.ec2.BaseEndpoint() }),
			ec2Network:   ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = f.ec2.BaseEndpoint() }),
			ec2FlowLogs:  ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = f.ec2.BaseEndpoint() }),
			logs:         cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.BaseEndpoint = f.logs.BaseEndpoint() }),
			now:          func() time.Time { return time.Date(2026, 11, 25, 11, 10, 0, 0, time.UTC) },
		}, nil
	}
	return f
}

// actions returns every action the fakes were asked for.
func (f *fakeAWS) actions() []string {
	var out []string
	for _, s := range []*fakeaws.Server{f.ecs, f.ec2.Server, f.logs.Server} {
		out = append(out, s.Actions()...)
	}
	slices.Sort(out)
	return out
}

// TestLiveMatchesSample runs the live paths against fakes holding the
// sample (ECS with the tasks, EC2, CloudWatch Logs with one stream per ENI),
// allowed only iamPolicy's actions: the result must equal the offline run's,
// and every action used must be in the policy (the fakes deny the rest).
func TestLiveMatchesSample(t *testing.T) {
	f := startFakes(t)
	want, _ := runOut(t, "-format", "json")
	got, stderr := runOut(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams", "-format", "json")
	if got != want {
		t.Errorf("live:\n%s\noffline:\n%s\nstderr:\n%s", got, want, stderr)
	}
	used := f.actions()
	for _, a := range used {
		if !strings.Contains(iamPolicy, `"`+a+`"`) {
			t.Errorf("action %s is used but not in the policy", a)
		}
	}
	for _, a := range []string{"ecs:ListTasks", "ecs:DescribeTasks", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances",
		"ecs:DescribeTaskDefinition", "ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeNetworkInterfaces",
		"ec2:DescribeFlowLogs"} {
		if !slices.Contains(used, a) {
			t.Errorf("policy action %s was never used (used: %v)", a, used)
		}
	}
}

// TestLiveTaskStreamsOnly reads only the streams of the history's ENIs (the
// default): the same groups, minus the unknown interfaces' records.
func TestLiveTaskStreamsOnly(t *testing.T) {
	startFakes(t)
	var want, got struct {
		Groups       []json.RawMessage
		Unattributed []struct{ Reason string }
	}
	offline, _ := runOut(t, "-format", "json", "-by", "service")
	live, _ := runOut(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m",
		"-log-format", "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${az-id} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}",
		"-format", "json", "-by", "service")
	if err := json.Unmarshal([]byte(offline), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(live), &got); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got.Groups) != fmt.Sprint(want.Groups) {
		t.Errorf("groups differ:\nlive %s\noffline %s", live, offline)
	}
	for _, u := range got.Unattributed {
		if u.Reason == "unknown ENI" {
			t.Errorf("read a stream of an interface outside the history")
		}
	}
}

// TestLiveWindowMisses: a window the log group has no events in is an
// error naming the group and the window, not a table of zeros.
func TestLiveWindowMisses(t *testing.T) {
	startFakes(t)
	code, out, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "2026-11-20", "-until", "2026-11-21", "-all-streams")
	if code != 1 || out != "" || !strings.Contains(stderr, "log group "+sampleLogGroup) || !strings.Contains(stderr, "2026-11-20 00:00:00 to 2026-11-21 00:00:00 UTC") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestWatcherFile reads the task history from the file a history Watcher
// (the record program) keeps: the same answer as the saved describe
// output gives.
func TestWatcherFile(t *testing.T) {
	startFakes(t)
	c, err := newClients(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	w := history.NewWatcher(c.ecs, "demo", file)
	w.Primary = func(ctx context.Context, ids []string) (map[string]history.PrimaryInterface, error) {
		return ec2primary.Lookup(ctx, c.ec2Instances, ids)
	}
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	dir := writeSample(t)
	network := filepath.Join(dir, "sample", "network")
	args := []string{"-format", "csv", "-by", "task", "-network", network + "/describe-subnets.json," + network + "/describe-vpcs.json," + network + "/describe-network-interfaces.json",
		"-flowlogs", filepath.Join(dir, "sample", "flowlogs")}
	want, _ := runOut(t, append(args, "-tasks", sampleTasks(t, dir))...)
	got, _ := runOut(t, append(args, "-tasks", file)...)
	if got != want {
		t.Errorf("from the Watcher's file:\n%s\nfrom describe output:\n%s", got, want)
	}
}

// TestLiveUntilAlone: -until without -since reads the hour before it.
func TestLiveUntilAlone(t *testing.T) {
	startFakes(t)
	want, _ := runOut(t, "-format", "json")
	got, stderr := runOut(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-until", "2026-11-25T11:00:00Z", "-all-streams", "-format", "json")
	if got != want {
		t.Errorf("live:\n%s\nstderr:\n%s", got, stderr)
	}
}

// TestNetworkNotWithCluster: -h says -network is "(live: read with
// -cluster)" and the error for -network with the sample says "-network
// applies with -tasks", yet -cluster with -network ran, read the subnets
// and VPCs live and silently replaced them with the files. It is refused
// before anything is read.
func TestNetworkNotWithCluster(t *testing.T) {
	f := startFakes(t)
	dir := writeSample(t)
	code, out, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams",
		"-network", filepath.Join(dir, "sample", "network"), "-format", "json")
	if code != 1 || out != "" || !strings.Contains(stderr, "-network applies with -tasks: -cluster reads the subnets, VPCs and load balancer nodes live") {
		t.Errorf("-cluster with -network: exit %d, stderr %q; want exit 1 saying -network does not apply with -cluster", code, stderr)
	}
	if used := f.actions(); len(used) > 0 {
		t.Errorf("refused, yet called %v", used)
	}
}

// TestLivePartialInputs: a partial of a log group names each stream it
// read with the window, so hourly partials add up to the whole run and
// the same hour read twice is refused rather than counted twice, also
// when one run was given the group by ARN (which it could not read).
func TestLivePartialInputs(t *testing.T) {
	startFakes(t)
	dir := t.TempDir()
	partial := func(name, since, until string) string {
		p := filepath.Join(dir, name+".parquet")
		group := sampleLogGroup
		if name == "middle" { // by ARN: the same streams, named alike
			group = "arn:aws:logs:us-east-1:123456789012:log-group:" + sampleLogGroup + ":*"
		}
		_, stderr := runOut(t, "-cluster", "demo", "-log-group", group, "-all-streams", "-since", since, "-until", until, "-partial", p)
		if !strings.Contains(stderr, "wrote "+p) || strings.Contains(stderr, "no inputs named") {
			t.Fatalf("-partial %s: %s", name, stderr)
		}
		return p
	}
	early := partial("early", "2026-11-25T10:00:00Z", "2026-11-25T10:30:00Z")
	late := partial("late", "2026-11-25T10:30:00Z", "2026-11-25T11:30:00Z")
	middle := partial("middle", "2026-11-25T10:15:00Z", "2026-11-25T10:45:00Z")
	want, _ := runOut(t, "-format", "json")
	if got, _ := runOut(t, "-merge", early, late, "-format", "json"); got != want {
		t.Errorf("two windows merged:\n%s\nwant the offline run's:\n%s", got, want)
	}
	code, out, stderr := runCode(t, "-merge", early, middle)
	if code != 1 || out != "" || !strings.Contains(stderr, "-merge "+middle+": holds records that "+early+" holds too (it read logs:"+sampleLogGroup+"/eni-") ||
		!strings.Contains(stderr, "[2026-11-25T10:15:00Z, 2026-11-25T10:45:00Z), and that one logs:"+sampleLogGroup+"/eni-") {
		t.Errorf("overlapping windows: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
