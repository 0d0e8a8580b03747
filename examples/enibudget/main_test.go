package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func runOK(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("%v: %v\nstderr: %s", args, err, errOut.String())
	}
	return out.String(), errOut.String()
}

func TestSampleSnapshotIsEniTestdata(t *testing.T) {
	want, err := os.ReadFile("../../eni/testdata/sample-snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, sampleSnapshot) {
		t.Fatal("sample-snapshot.json differs from eni/testdata/sample-snapshot.json: copy it")
	}
}

func TestOfflineTable(t *testing.T) {
	out, _ := runOK(t)
	for _, s := range []string{"cluster sample", "m5x02", "TOTAL", "85", "ECS counts only the ENIs it attached", `"x99.large" is not in the built-in`} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestJSONShapes(t *testing.T) {
	out, _ := runOK(t, "-json")
	var c struct {
		Cluster struct {
			Name      string `json:"name"`
			Budget    int    `json:"budget"`
			Left      int    `json:"left"`
			Instances []struct {
				ContainerInstanceARN string `json:"containerInstanceArn"`
				Budget               int    `json:"budget"`
				Tasks                struct {
					AWSVPC int `json:"awsvpc"`
				} `json:"tasks"`
			} `json:"instances"`
		} `json:"cluster"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.Cluster.Name != "sample" || c.Cluster.Budget != 85 || c.Cluster.Left != 15 ||
		len(c.Cluster.Instances) != 6 || c.Cluster.Instances[1].Tasks.AWSVPC != 6 {
		t.Fatalf("%v %+v", err, c)
	}
	out, _ = runOK(t, "-json", "-instance-type", "c5.large", "-trunking")
	var b struct {
		Limits struct {
			MaxENIs    int    `json:"maxENIs"`
			IPv6PerENI int    `json:"ipv6PerENI"`
			Source     string `json:"source"`
			DataAsOf   string `json:"dataAsOf"`
		} `json:"limits"`
		Budget struct {
			ECSTasks       int    `json:"ecsTasks"`
			InstanceENIs   int    `json:"instanceENIs"`
			TrunkingStatus string `json:"trunkingStatus"`
			Source         string `json:"source"`
		} `json:"budget"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil || b.Budget.ECSTasks != 10 || b.Budget.InstanceENIs != 12 || b.Budget.TrunkingStatus != "supported" || b.Budget.Source != "built-in" ||
		b.Limits.MaxENIs != 3 || b.Limits.IPv6PerENI != 10 || b.Limits.Source != "built-in" || b.Limits.DataAsOf != eni.DataVintage {
		t.Fatalf("%v %s", err, out)
	}
	out, _ = runOK(t, "-json", "-whatif", "sample", "-count", "10", "-mode", "awsvpc")
	var w struct {
		WhatIf []struct {
			Label      string `json:"label"`
			Placed     int    `json:"placed"`
			Short      int    `json:"short"`
			ForTheRest []struct {
				InstanceType string `json:"instanceType"`
				Instances    int    `json:"instances"`
			} `json:"forTheRest"`
		} `json:"whatif"`
	}
	if err := json.Unmarshal([]byte(out), &w); err != nil || len(w.WhatIf) != 3 || w.WhatIf[0].Placed != 3 || w.WhatIf[1].Short != 9 ||
		w.WhatIf[1].ForTheRest[0].InstanceType != "m5.xlarge" || w.WhatIf[1].ForTheRest[0].Instances != 3 || w.WhatIf[2].Short != 0 {
		t.Fatalf("%v %s", err, out)
	}
}

func TestFlagsAndErrors(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "s.json")
	if err := os.WriteFile(snap, sampleSnapshot, 0o644); err != nil {
		t.Fatal(err)
	}
	lim := filepath.Join(dir, "l.tsv")
	if err := os.WriteFile(lim, []byte("instance_type\tmax_enis\nx99.large\t4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runOK(t, "-snapshot", snap, "-limits", lim)
	if strings.Contains(out, "x99.large\" is not") || !strings.Contains(out, "88") {
		t.Fatalf("custom limits not used:\n%s", out)
	}
	// The closing note names the file the budgets came from, not only the
	// built-in data.
	if !strings.Contains(out, "note: budgets of types not read live use "+lim+", and the built-in ENI data") {
		t.Errorf("the note does not name -limits:\n%s", out)
	}
	out, _ = runOK(t, "-whatif", "sample", "-count", "10", "-mode", "awsvpc", "-candidate", "m5.4xlarge:16384:63000")
	if !strings.Contains(out, "2 × m5.4xlarge (candidate)  7 per instance") || !strings.Contains(out, "note: (candidate) types are sized with the CPU units and MiB given with -candidate") {
		t.Fatalf("candidate:\n%s", out)
	}
	out, _ = runOK(t, "-whatif", "sample", "-count", "2")
	if !strings.Contains(out, "2 more of api:7, as is") {
		t.Fatalf("%s", out)
	}
	out, _ = runOK(t, "-instance-type", "m5.large", "-other-enis", "1")
	if !strings.Contains(out, "ECS counts only ENIs it attached") || !strings.Contains(out, "10 IPv4, 10 IPv6") ||
		!strings.Contains(out, "built-in data                 "+eni.DataVintage) {
		t.Fatalf("%s", out)
	}
	for _, args := range [][]string{
		{"-instance-type", "x99.large"},
		{"-snapshot", filepath.Join(dir, "missing.json")},
		{"-snapshot", snap, "-cluster", "x"},
		{"-whatif", lim},
		{"-whatif", "sample", "-mode", "bogus"},
		{"-whatif", "sample", "-candidate", "m5.large"},
		{"-whatif", "sample", "-candidate", "m5.large:x:1"},
		{"-whatif", "sample", "-candidate", "m5.large:1:1:gpu"},
		{"stray"},
	} {
		if err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

// -cluster reads live with config.LoadDefaultConfig: the endpoints and
// credentials come from the environment, pointed at the fakes.
func TestLiveCluster(t *testing.T) {
	ecsSrv := liveSampleECS(t)
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: []fakeaws.EC2InstanceType{
		{InstanceType: "x99.large", MaxENIs: 4, IPv4PerENI: 10}, {InstanceType: "c5.large", MaxENIs: 3, IPv4PerENI: 10}}})
	defer ec2Srv.Close()
	// The fakes allow only what -iam-policy prints: every call -cluster
	// makes must be in it.
	policy, _ := runOK(t, "-iam-policy")
	var allowedECS, allowedEC2 []string
	for _, m := range regexp.MustCompile(`"([a-z0-9]+:[A-Za-z]+)"`).FindAllStringSubmatch(policy, -1) {
		a := m[1]
		if strings.HasPrefix(a, "ecs:") {
			allowedECS = append(allowedECS, a)
		} else {
			allowedEC2 = append(allowedEC2, a)
		}
	}
	ecsSrv.Allow(allowedECS...)
	ec2Srv.Allow(allowedEC2...)
	dir := t.TempDir()
	liveEnv(t, ecsSrv.URL, ec2Srv.URL)
	saved := filepath.Join(dir, "saved.json")
	// Progress is drawn on a terminal only: pretend stderr is one.
	defer cli.AsTerminal()()
	out, errOut := runOK(t, "-cluster", "live", "-save", saved, "-stopping")
	if !strings.Contains(out, "cluster live") || strings.Contains(out, "is not in the") || !strings.Contains(errOut, "describe tasks: 16/16") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
	if _, err := os.Stat(saved); err != nil {
		t.Fatal(err)
	}
	out2, _ := runOK(t, "-snapshot", saved, "-limits", writeLimits(t, dir))
	if !strings.Contains(out2, "cluster live") {
		t.Fatalf("%s", out2)
	}
}

// liveSampleECS serves the embedded sample's instances, tasks and task
// definitions as the cluster "live", for the test's life.
func liveSampleECS(t *testing.T) *fakeaws.ECS {
	t.Helper()
	s, err := eni.ReadSnapshot(bytes.NewReader(sampleSnapshot), "sample")
	if err != nil {
		t.Fatal(err)
	}
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "live", ContainerInstances: s.ContainerInstances, Tasks: s.Tasks}}, s.TaskDefinitions...)
	t.Cleanup(srv.Close)
	return srv
}

// liveEnv points the default AWS config at the fake ECS and EC2 endpoints,
// with fake credentials and no shared files or instance metadata.
func liveEnv(t *testing.T, ecsURL, ec2URL string) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_ECS": ecsURL, "AWS_ENDPOINT_URL_EC2": ec2URL,
		"AWS_ACCESS_KEY_ID": "AKIDFAKE", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_REGION": "us-east-1",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_ENDPOINT_URL": "",
		// The SDK falls back to these when AWS_REGION or AWS_PROFILE is
		// empty: a test that clears AWS_REGION must not find the caller's.
		"AWS_DEFAULT_REGION": "", "AWS_DEFAULT_PROFILE": "",
	} {
		t.Setenv(k, v)
	}
}

// A live cluster with no container instances (Fargate only, or an Auto
// Scaling group scaled to zero) is refused as a -snapshot without them is,
// with or without -whatif, and nothing is saved.
func TestLiveClusterWithoutInstances(t *testing.T) {
	s, err := eni.ReadSnapshot(bytes.NewReader(sampleSnapshot), "sample")
	if err != nil {
		t.Fatal(err)
	}
	ecsSrv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "fargate-only", Tasks: nil}}, s.TaskDefinitions...)
	defer ecsSrv.Close()
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{})
	defer ec2Srv.Close()
	liveEnv(t, ecsSrv.URL, ec2Srv.URL)
	saved := filepath.Join(t.TempDir(), "saved.json")
	for _, args := range [][]string{
		{"-cluster", "fargate-only", "-q"},
		{"-cluster", "fargate-only", "-q", "-whatif", "sample", "-count", "3", "-save", saved},
	} {
		var out, errOut bytes.Buffer
		code := cli.Code("enibudget", run(context.Background(), args, &out, &errOut), &errOut)
		if code != 1 || out.Len() > 0 || !strings.Contains(errOut.String(), "-cluster fargate-only: no container instances") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 saying the cluster has no container instances", args, code, out.String(), errOut.String())
		}
	}
	if _, err := os.Stat(saved); err == nil {
		t.Error("-save wrote the snapshot of a cluster it refused")
	}
}

// When no instance in the cluster can take the task and no -candidate is
// given, -whatif says so and how to size another type, instead of an empty
// list.
func TestWhatIfNoTypeCanTakeTheRest(t *testing.T) {
	dir := t.TempDir()
	td := filepath.Join(dir, "fargate.json")
	if err := os.WriteFile(td, []byte(`{"family": "api", "revision": 1, "networkMode": "awsvpc", "cpu": "256", "memory": "512",
		"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [{"name": "api", "image": "x", "essential": true}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runOK(t, "-whatif", td, "-count", "3")
	if !strings.Contains(out, "for the 3 that don't fit: no instance type in the cluster can take them") ||
		!strings.Contains(out, "-candidate TYPE:CPU:MEMORY") || strings.Contains(out, "one of:") ||
		!strings.Contains(out, "requiresCompatibilities is FARGATE, without EC2") {
		t.Errorf("stdout:\n%s", out)
	}
	// With a candidate, the list has it (and says it takes none).
	out, _ = runOK(t, "-whatif", td, "-count", "3", "-candidate", "m6i.large:2048:7680")
	if !strings.Contains(out, "for the 3 that don't fit, one of:") || !strings.Contains(out, "m6i.large (candidate)  none fit on an empty instance") {
		t.Errorf("stdout:\n%s", out)
	}
}

func writeLimits(t *testing.T, dir string) string {
	p := filepath.Join(dir, "x99.json")
	if err := os.WriteFile(p, []byte(`[{"instance_type": "x99.large", "max_enis": 4}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNoSilentZeros: flags that do not apply, and files that hold nothing
// of the expected shape, end with exit 1 and a message naming the flag or
// file.
func TestNoSilentZeros(t *testing.T) {
	dir := t.TempDir()
	emptySnap := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(emptySnap, []byte(`{"cluster": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyLimits := filepath.Join(dir, "limits.json")
	if err := os.WriteFile(emptyLimits, []byte(`[]`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-count", "3"}, "-count applies with -whatif only"},
		{[]string{"-mode", "awsvpc"}, "-mode applies with -whatif only"},
		{[]string{"-candidate", "m5.large:1:1"}, "-candidate applies with -whatif only"},
		{[]string{"-trunking"}, "-trunking applies with -instance-type only"},
		{[]string{"-other-enis", "2"}, "-other-enis applies with -instance-type only"},
		{[]string{"-stopping"}, "-stopping applies with -cluster only"},
		{[]string{"-instance-type", "c5.large", "-save", "x.json"}, "-save does not apply to -instance-type"},
		{[]string{"-instance-type", "c5.large", "-snapshot", "x.json"}, "-snapshot does not apply"},
		{[]string{"-whatif", "sample", "-count", "0"}, "-count 0: must be at least 1"},
		{[]string{"-format", "csv"}, `-format "csv": want table or json`},
		{[]string{"-snapshot", emptySnap}, "-snapshot " + emptySnap + ": no container instances"},
		{[]string{"-limits", emptyLimits}, "-limits " + emptyLimits + ": no instance types"},
		{[]string{"-snapshot", ""}, "empty value for -snapshot: give a value, or leave the flag out (without it, the embedded sample cluster)"},
		{[]string{"-whatif", ""}, "empty value for -whatif: give a value, or leave the flag out (-whatif sample places"},
		{[]string{"-cluster", ""}, "empty value for -cluster: give a value, or leave the flag out"},
		{[]string{"-cluster", " "}, "empty value for -cluster: give a value, or leave the flag out"},
		{[]string{"-whatif", "sample", "-count", "20", "-candidate", "nosuch.type:1024:2048"},
			`-candidate nosuch.type:1024:2048: instance type "nosuch.type" is not in the built-in`},
		{[]string{"-instance-type", "c5.large", "-other-enis", "99"}, "-other-enis 99: c5.large takes at most 3 ENIs"},
		{[]string{"-instance-type", "c5.large", "-trunking", "-other-enis", "2"}, "-other-enis 2: c5.large takes at most 3 ENIs"},
	} {
		var out, errOut bytes.Buffer
		code := cli.Code("enibudget", run(context.Background(), c.args, &out, &errOut), &errOut)
		if code != 1 || out.Len() > 0 || !strings.Contains(errOut.String(), c.want) || strings.Count(errOut.String(), "enibudget:") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 1 and %q", c.args, code, out.String(), errOut.String(), c.want)
		}
	}
	var errOut bytes.Buffer
	if code := cli.Code("enibudget", run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &errOut), &errOut); code != 0 || !strings.Contains(errOut.String(), "-whatif") ||
		!strings.Contains(errOut.String(), "Usage: enibudget") || strings.Contains(errOut.String(), "Usage of") {
		t.Errorf("-h: exit %d, stderr %q", code, errOut.String())
	}
}

// TestErrorsSayWhereAndWhat: a file that can't be used is named with the
// flag that gave it, and the message says what is wrong with it (empty,
// cut short), not the decoder's bare EOF.
func TestErrorsSayWhereAndWhat(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string { return writeFile(t, dir, name, string(data)) }
	empty := write("empty.json", nil)
	blank := write("blank.json", []byte("\n  \n"))
	cut := bytes.TrimRight(sampleSnapshot[:len(sampleSnapshot)/2], " \n")
	trunc := write("trunc.json", cut)
	missing := filepath.Join(dir, "missing.json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-snapshot", empty}, "-snapshot " + empty + ": the file is empty"},
		{[]string{"-snapshot", blank}, "-snapshot " + blank + ": the file is empty"},
		{[]string{"-snapshot", trunc}, "-snapshot " + trunc + ": the file is cut short: its JSON stops unfinished at line " + fmt.Sprint(1+bytes.Count(cut, []byte("\n")))},
		{[]string{"-snapshot", missing}, "-snapshot: open " + missing},
		{[]string{"-whatif", empty}, "-whatif " + empty + ": the file is empty"},
		{[]string{"-whatif", trunc}, "-whatif " + trunc + ": line "},
		{[]string{"-whatif", missing}, "-whatif: open " + missing},
		{[]string{"-whatif", "sample", "-mode", "bogus"}, `-mode: unknown network mode "bogus"`},
	} {
		var out, errOut bytes.Buffer
		code := cli.Code("enibudget", run(context.Background(), c.args, &out, &errOut), &errOut)
		if code != 1 || out.Len() > 0 || !strings.Contains(errOut.String(), c.want) || strings.Count(errOut.String(), "enibudget:") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 1 and %q", c.args, code, out.String(), errOut.String(), c.want)
		}
	}
}

// TestSaveOnEveryPath: -save writes the snapshot used, also of the
// embedded sample and of -snapshot, and the saved file reads back to the
// same report.
func TestSaveOnEveryPath(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "sample.json")
	want, errOut := runOK(t, "-save", saved)
	if !strings.Contains(errOut, saved) {
		t.Errorf("stderr %q does not name %s", errOut, saved)
	}
	again := filepath.Join(dir, "again.json")
	got, _ := runOK(t, "-snapshot", saved, "-save", again)
	if got != want {
		t.Errorf("the saved sample reads back differently:\n%s\nwant\n%s", got, want)
	}
	a, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("saving a saved snapshot changed it")
	}
	runOK(t, "-whatif", "sample", "-save", filepath.Join(dir, "whatif.json"))
	if _, err := os.Stat(filepath.Join(dir, "whatif.json")); err != nil {
		t.Errorf("-save with -whatif: %v", err)
	}
}

// TestMessagesNameFlags: what the program prints names its flags, never
// the library's Go functions and options.
func TestMessagesNameFlags(t *testing.T) {
	var outs []string
	for _, args := range [][]string{nil, {"-format", "json"}, {"-instance-type", "c5.large", "-trunking"}, {"-whatif", "sample", "-count", "40"},
		{"-whatif", "sample", "-count", "40", "-format", "json"},
		// The mode what-if's reasons too (they once named eni.ParseLimitsTSV).
		{"-whatif", "sample", "-count", "20", "-mode", "awsvpc"}, {"-whatif", "sample", "-count", "20", "-mode", "awsvpc", "-format", "json"}} {
		out, errOut := runOK(t, args...)
		outs = append(outs, out, errOut)
	}
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"-instance-type", "m5.larg"}, &bytes.Buffer{}, &errOut)
	if err == nil || !strings.Contains(err.Error(), "-limits FILE") || !strings.Contains(err.Error(), "-cluster") || !strings.Contains(err.Error(), "known names near it: m5.large") ||
		strings.Count(err.Error(), eni.DataVintage) != 1 {
		t.Errorf("unknown type: %v", err)
	} else {
		outs = append(outs, err.Error())
	}
	err = run(context.Background(), []string{"-whatif", "sample", "-count", "20", "-mode", "awsvpc", "-candidate", "nosuch.type:1024:2048"}, &bytes.Buffer{}, &errOut)
	if err == nil || !strings.Contains(err.Error(), "-limits FILE") {
		t.Errorf("unknown candidate: %v", err)
	} else {
		outs = append(outs, err.Error())
	}
	for _, o := range outs {
		for _, goName := range []string{"eni.", "BudgetOptions", "WithStoppingTasks", "ec2limits", "ParseLimits"} {
			if strings.Contains(o, goName) {
				t.Errorf("output names %s:\n%s", goName, o)
			}
		}
	}
}

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden pins the sample's outputs: the cluster table, one type's
// budget and a what-if comparison, as text and JSON.
func TestGolden(t *testing.T) {
	for name, args := range map[string][]string{
		"cluster.golden":      nil,
		"cluster.json.golden": {"-format", "json"},
		"type.golden":         {"-instance-type", "c5.large", "-trunking"},
		"whatif.golden":       {"-whatif", "sample", "-count", "10", "-mode", "awsvpc"},
	} {
		out, _ := runOK(t, args...)
		golden := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("%q differs from %s (go test ./examples/enibudget -update to accept):\n%s", args, golden, out)
		}
	}
}

// TestIAMPolicy: enibudget reads a live cluster like attribute, record and
// cwlogs do, and prints the policy that needs as they do (-iam-policy):
// eni's, which eni tests complete and minimal, and TestLiveCluster runs
// -cluster with only its actions allowed. Like theirs, it takes no other
// flag but -q, which every program takes.
func TestIAMPolicy(t *testing.T) {
	out, errOut := runOK(t, "-iam-policy")
	if out != eni.IAMPolicy() || errOut != "" || !strings.Contains(out, `"ec2:DescribeInstanceTypes"`) {
		t.Errorf("-iam-policy: stdout %q, stderr %q; want eni.IAMPolicy()", out, errOut)
	}
	for _, args := range [][]string{{"-iam-policy", "-cluster", "x"}} {
		var out, errOut bytes.Buffer
		code := cli.Code("enibudget", run(context.Background(), args, &out, &errOut), &errOut)
		if code != 1 || out.Len() > 0 || !strings.Contains(errOut.String(), "-iam-policy prints the policy and exits: give it alone") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 1 and give it alone", args, code, out.String(), errOut.String())
		}
	}
}

// TestQuietEverywhere: -q means the same in every program, no progress
// or info lines on stderr with problems still shown, so a script may
// pass it always; enibudget refused it without -cluster, where it just
// has less to silence. The line saying where -save wrote is info.
func TestQuietEverywhere(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "s.json")
	want, errOut := runOK(t, "-save", saved)
	if !strings.Contains(errOut, "saved the snapshot") {
		t.Fatalf("-save: stderr %q", errOut)
	}
	for _, args := range [][]string{{"-q"}, {"-q", "-save", saved}, {"-q", "-snapshot", saved}} {
		if got, errOut := runOK(t, args...); got != want || errOut != "" {
			t.Errorf("%q: stderr %q, stdout:\n%s\nwant the report without -q, and nothing on stderr", args, errOut, got)
		}
	}
	for _, args := range [][]string{{"-q", "-instance-type", "c5.large"}, {"-q", "-whatif", "sample"}} {
		if _, errOut := runOK(t, args...); errOut != "" {
			t.Errorf("%q: stderr %q, want nothing", args, errOut)
		}
	}
}

// TestLimitsErrorsNameTheFlag: -snapshot and -whatif errors name the flag
// and say "the file is empty" or "cut short"; -limits parse errors came
// out bare ("empty.tsv:0: no header line", "cut.json:1: unexpected EOF").
func TestLimitsErrorsNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	empty, blank, cut := write("empty.tsv", ""), write("blank.json", " \n"), write("cut.json", "[{\"instance_type\": \"x99.large\",\n")
	bad, headless := write("bad.tsv", "instance_type\tmax_enis\nx99.large\tlots\n"), write("comments.tsv", "# only a comment\n")
	for _, c := range []struct{ file, want string }{
		{empty, "-limits " + empty + ": the file is empty (want a .tsv file with a header line"},
		{blank, "-limits " + blank + ": the file is empty"},
		{cut, "-limits " + cut + ": the file is cut short: its JSON stops unfinished at line 1"},
		{bad, "-limits " + bad + `:2: column max_enis: "lots" is not an integer`},
		{headless, "-limits " + headless + ":1: no header line"},
	} {
		var out, errOut bytes.Buffer
		code := cli.Code("enibudget", run(context.Background(), []string{"-limits", c.file, "-instance-type", "c5.large"}, &out, &errOut), &errOut)
		if code != 1 || out.Len() > 0 || !strings.Contains(errOut.String(), c.want) || strings.Count(errOut.String(), "enibudget:") != 1 {
			t.Errorf("-limits %s: exit %d, stderr %q; want 1 and %q", c.file, code, errOut.String(), c.want)
		}
	}
}

// TestWhatIfRefusesTheModeItHas: -mode bridge for a task definition that
// is already bridge compared nothing: it printed the same placement twice
// ("as is" and "bridge") with exit 0. With networkMode and the OS family
// omitted, the mode is each instance's OS's, so -mode bridge is the same
// only in a cluster without Windows instances (the sample has one). A
// task definition already in awsvpc takes -mode awsvpc: that compares
// trunking off and on.
func TestWhatIfRefusesTheModeItHas(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	container := `"containerDefinitions": [{"name": "api", "image": "x", "cpu": 256, "memory": 512, "essential": true}]`
	omitted := write("omitted.json", `{"family": "api", "revision": 1, `+container+`}`)
	linuxOmitted := write("linux.json", `{"family": "api", "revision": 1, "runtimePlatform": {"operatingSystemFamily": "LINUX"}, `+container+`}`)
	awsvpc := write("awsvpc.json", `{"family": "api", "revision": 1, "networkMode": "awsvpc", `+container+`}`)
	s, err := eni.ReadSnapshot(bytes.NewReader(sampleSnapshot), "sample")
	if err != nil {
		t.Fatal(err)
	}
	linux := s.ContainerInstances[:0]
	for _, ci := range s.ContainerInstances {
		if !slices.ContainsFunc(ci.Attributes, func(a types.Attribute) bool {
			return aws.ToString(a.Name) == eni.AttrOSType && aws.ToString(a.Value) == "windows"
		}) {
			linux = append(linux, ci)
		}
	}
	if len(linux) == len(s.ContainerInstances) {
		t.Fatal("the sample has no Windows instance to leave out")
	}
	s.ContainerInstances = linux
	var snap bytes.Buffer
	if err := s.WriteJSON(&snap); err != nil {
		t.Fatal(err)
	}
	linuxOnly := write("linux-only.json", snap.String())
	for _, c := range []struct {
		args []string
		want string // "" for no error
	}{
		{[]string{"-whatif", "sample", "-count", "5", "-mode", "bridge"},
			"-mode bridge: the task definition is already in network mode bridge; leave -mode out, or name another mode"},
		{[]string{"-whatif", linuxOmitted, "-mode", "bridge"}, "-mode bridge: the task definition is already in network mode bridge"},
		{[]string{"-whatif", omitted, "-mode", "bridge"}, ""},
		{[]string{"-whatif", omitted, "-mode", "bridge", "-snapshot", linuxOnly},
			"-mode bridge: the task definition omits networkMode, so it is already in network mode bridge on every instance of cluster sample (none is Windows)"},
		{[]string{"-whatif", awsvpc, "-mode", "awsvpc"}, ""},
		{[]string{"-whatif", "sample", "-mode", "host"}, ""},
	} {
		var out, errOut bytes.Buffer
		code := cli.Code("enibudget", run(context.Background(), c.args, &out, &errOut), &errOut)
		switch {
		case c.want == "" && code != 0:
			t.Errorf("%q: exit %d, stderr %q; want a comparison", c.args, code, errOut.String())
		case c.want != "" && (code != 1 || out.Len() > 0 || !strings.Contains(errOut.String(), c.want)):
			t.Errorf("%q: exit %d, stderr %q, stdout:\n%s\nwant exit 1 and %q", c.args, code, errOut.String(), out.String(), c.want)
		}
	}
}

// writeFile writes body to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
