package eni

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

func TestAnalyzeSample(t *testing.T) {
	r, err := Analyze(context.Background(), sampleSnapshot(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		id                          string
		budget, inUse, left, provis int
		trunking, windows           bool
		tasks                       ModeCounts
		err                         string
	}
	wants := []want{
		{"c5l01", 2, 2, 0, 0, false, false, ModeCounts{AWSVPC: 2, Bridge: 1}, ""},
		{"m5x02", 20, 6, 14, 1, true, false, ModeCounts{AWSVPC: 6, Bridge: 2}, ""},
		// DRAINING: ECS places no new task there, whatever its free
		// slots (its LEFT once said 59, beside a cluster total of 15).
		{"p4d05", 59, 0, 0, 0, false, false, ModeCounts{}, ""},
		{"t3m03", 2, 1, 1, 0, false, false, ModeCounts{AWSVPC: 1, Host: 1}, ""},
		{"w5l04", 2, 2, 0, 0, false, true, ModeCounts{AWSVPC: 2, Default: 1}, ""},
		{"x9l06", 0, 0, 0, 0, false, false, ModeCounts{}, `instance type "x99.large" is not in the built-in`},
	}
	if len(r.Instances) != len(wants) {
		t.Fatalf("%d instances", len(r.Instances))
	}
	for i, w := range wants {
		ir := r.Instances[i]
		if !strings.HasSuffix(ir.ContainerInstanceARN, "/"+w.id) || ir.Budget.ECSTasks != w.budget || ir.ENIsInUse != w.inUse ||
			ir.ENIsLeft != w.left || ir.Provisioning != w.provis || ir.Budget.Trunking != w.trunking || ir.Windows != w.windows ||
			ir.Tasks != w.tasks || !strings.Contains(ir.Err, w.err) || (w.err == "") != (ir.Err == "") {
			t.Errorf("%s: got %+v", w.id, ir)
		}
	}
	if r.Instances[1].PendingTasks != 1 {
		t.Errorf("pending tasks %d", r.Instances[1].PendingTasks)
	}
	left := 0
	for _, ir := range r.Instances {
		left += ir.ENIsLeft
	}
	if left != r.Left {
		t.Errorf("the instances' ENIsLeft add up to %d, the cluster's Left is %d", left, r.Left)
	}
	if r.Budget != 85 || r.InUse != 11 || r.Left != 15 || r.Provisioning != 1 ||
		r.Tasks != (ModeCounts{AWSVPC: 11, Bridge: 3, Host: 1, Default: 1}) {
		t.Fatalf("totals: budget %d in use %d left %d provisioning %d tasks %+v", r.Budget, r.InUse, r.Left, r.Provisioning, r.Tasks)
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "ECS counts only the ENIs it attached") {
		t.Fatal("the report must say that ECS does not count ENIs it did not attach")
	}
	// x9l06's budget is unknown: the totals are the others', and a note
	// says so (its row alone said why, beside a TOTAL that read as whole).
	if want := "1 container instance whose ENI budget is unknown (x9l06) is left out of the cluster's budget, in use and left"; !strings.Contains(strings.Join(r.Notes, " "), want) {
		t.Errorf("notes %q; want one saying %q", r.Notes, want)
	}
}

func TestAnalyzeUsesCustomLimitsForUnknownType(t *testing.T) {
	tab, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\nx99.large\t4\n"), "x99.tsv")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(context.Background(), sampleSnapshot(), Layer(tab, Builtin()))
	if err != nil {
		t.Fatal(err)
	}
	if ir := r.Instances[5]; ir.Err != "" || ir.Budget.ECSTasks != 3 || ir.ENIsLeft != 3 {
		t.Fatalf("%+v", ir)
	}
}

func sampleTD(t *testing.T, s *Snapshot, famRev string) *types.TaskDefinition {
	t.Helper()
	for i := range s.TaskDefinitions {
		if strings.HasSuffix(*s.TaskDefinitions[i].TaskDefinitionArn, "/"+famRev) {
			return &s.TaskDefinitions[i]
		}
	}
	t.Fatalf("no task definition %s", famRev)
	return nil
}

type fitWant struct {
	id      string
	fits    int
	binding string
}

func checkFits(t *testing.T, what string, r *WhatIfResult, fits, placed, short int, per []fitWant) {
	t.Helper()
	if r.Fits != fits || r.Placed != placed || r.Short != short {
		t.Errorf("%s: fits %d placed %d short %d", what, r.Fits, r.Placed, r.Short)
	}
	for _, w := range per {
		found := false
		for _, f := range r.Instances {
			if strings.HasSuffix(f.ContainerInstanceARN, "/"+w.id) {
				found = true
				if f.Fits != w.fits || f.Binding != w.binding {
					t.Errorf("%s %s: fits %d binding %s (%s)", what, w.id, f.Fits, f.Binding, f.Reason)
				}
			}
		}
		if !found {
			t.Errorf("%s: no instance %s", what, w.id)
		}
	}
}

// The migration question on a cluster with tasks in every mode: a bridge
// service with a static host port moved to awsvpc, with and without
// trunking.
func TestWhatIfModeBridgeToAWSVPC(t *testing.T) {
	s := sampleSnapshot()
	ctx := context.Background()
	w, err := WhatIfMode(ctx, s, Builtin(), sampleTD(t, s, "api:7"), 10, netmode.ModeAWSVPC)
	if err != nil {
		t.Fatal(err)
	}
	if w.From != netmode.ModeBridge || w.To != netmode.ModeAWSVPC {
		t.Fatalf("%v -> %v", w.From, w.To)
	}
	// As is: static port 8080 allows one copy per instance, and c5l01
	// already runs one; the DRAINING p4d and the Windows instance take none.
	checkFits(t, "bridge", w.Current, 3, 3, 7, []fitWant{
		{"c5l01", 0, LimitPorts}, {"m5x02", 1, LimitPorts}, {"p4d05", 0, LimitNone},
		{"t3m03", 1, LimitPorts}, {"w5l04", 0, LimitNone}, {"x9l06", 1, LimitPorts},
	})
	// awsvpc without trunking: ENIs bind everywhere; the m5.xlarge's six
	// awsvpc tasks already exceed its 3 ENIs without trunking. api:7 names
	// no OS family (runtimePlatform), so ECS places it in awsvpc mode on
	// the Windows m5.large too: its 2 ENIs are taken, and an empty one
	// holds 2 like the c5.large.
	checkFits(t, "awsvpc", w.WithoutTrunking, 1, 1, 9, []fitWant{
		{"c5l01", 0, LimitENI}, {"m5x02", 0, LimitENI}, {"t3m03", 1, LimitENI}, {"w5l04", 0, LimitENI}, {"x9l06", 0, LimitNone},
	})
	if got := w.WithoutTrunking.ForTheRest; len(got) != 4 || got[0].InstanceType != "m5.xlarge" || got[0].PerInstance != 3 || got[0].Instances != 3 ||
		got[1].InstanceType != "c5.large" || got[1].Instances != 5 || got[2].InstanceType != "m5.large" || got[2].Instances != 5 ||
		got[3].InstanceType != "t3.medium" || got[3].Instances != 5 {
		t.Errorf("for the rest: %+v", got)
	}
	// A new instance runs a task of each daemon service too, which a
	// snapshot of tasks cannot tell: the count says so.
	if !slices.ContainsFunc(w.WithoutTrunking.Notes, func(n string) bool {
		return strings.HasPrefix(n, "A new instance also runs one task of each DAEMON service")
	}) {
		t.Errorf("instances needed without the daemon note: %q", w.WithoutTrunking.Notes)
	}
	// awsvpc with trunking: CPU and memory bind on the Linux instances;
	// t3 cannot trunk.
	checkFits(t, "awsvpc+trunking", w.WithTrunking, 11, 10, 0, []fitWant{
		{"c5l01", 4, LimitMemory}, {"m5x02", 6, LimitCPU}, {"t3m03", 1, LimitENI},
	})
	if !strings.Contains(strings.Join(w.WithTrunking.Notes, "\n"), "t3.medium does not support ENI trunking") {
		t.Errorf("notes: %q", w.WithTrunking.Notes)
	}
	// Deterministic: the same question gives the same answer, byte for byte.
	w2, err := WhatIfMode(ctx, s, Builtin(), sampleTD(t, s, "api:7"), 10, netmode.ModeAWSVPC)
	if err != nil {
		t.Fatal(err)
	}
	a, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(w2)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Fatal("what-if is not deterministic")
	}
}

func TestWhatIfEachMode(t *testing.T) {
	s := sampleSnapshot()
	ctx := context.Background()
	run := func(famRev string, n int, opt WhatIfOptions) *WhatIfResult {
		r, err := WhatIf(ctx, s, Builtin(), sampleTD(t, s, famRev), n, opt)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// awsvpc as registered: the trunked m5.xlarge has 14 branch ENIs left but CPU binds.
	checkFits(t, "web", run("web:3", 100, WhatIfOptions{}), 0+6+1, 7, 93, []fitWant{
		{"c5l01", 0, LimitENI}, {"m5x02", 6, LimitCPU}, {"t3m03", 1, LimitENI}, {"x9l06", 0, LimitNone},
	})
	// bridge with dynamic ports: CPU or memory binds, not ports.
	checkFits(t, "worker", run("worker:2", 5, WhatIfOptions{}), 2+3+3+3, 5, 0, []fitWant{
		{"c5l01", 2, LimitCPU}, {"m5x02", 3, LimitCPU}, {"t3m03", 3, LimitCPU}, {"x9l06", 3, LimitMemory},
	})
	// host mode on port 80: taken on t3m03.
	checkFits(t, "proxy", run("proxy:1", 5, WhatIfOptions{}), 3, 3, 2, []fitWant{
		{"c5l01", 1, LimitPorts}, {"t3m03", 0, LimitPorts},
	})
	// Windows: only the Windows instance; its CPU is all reserved.
	checkFits(t, "iis", run("iis:1", 1, WhatIfOptions{}), 0, 0, 1, []fitWant{{"w5l04", 0, LimitCPU}, {"c5l01", 0, LimitNone}})
	checkFits(t, "win-web", run("win-web:1", 1, WhatIfOptions{Trunking: TrunkingOn}), 0, 0, 1, []fitWant{{"w5l04", 0, LimitENI}})
	if _, err := WhatIf(ctx, s, Builtin(), sampleTD(t, s, "iis:1"), 1, WhatIfOptions{Mode: netmode.ModeBridge}); err == nil {
		t.Fatal("bridge mode for a Windows task must be an error")
	}
	if _, err := WhatIf(ctx, s, Builtin(), sampleTD(t, s, "web:3"), -1, WhatIfOptions{}); err == nil {
		t.Fatal("negative count must be an error")
	}
}

func TestTaskSize(t *testing.T) {
	td := &types.TaskDefinition{Cpu: ptr("1 vCPU"), Memory: ptr("2 GB")}
	if c, m, err := taskSize(td); err != nil || c != 1024 || m != 2048 {
		t.Fatalf("%d %d %v", c, m, err)
	}
	if _, _, err := taskSize(&types.TaskDefinition{Cpu: ptr("lots")}); err == nil {
		t.Fatal("bad cpu accepted")
	}
}

func ptr[T any](v T) *T { return &v }

func BenchmarkAnalyzeBigCluster(b *testing.B) {
	s := bigCluster()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Analyze(ctx, s, Builtin()); err != nil {
			b.Fatal(err)
		}
	}
}

// awsvpc tasks need the agent's task-ENI capability on the instance.
func TestWhatIfNeedsTaskENICapability(t *testing.T) {
	s := sampleSnapshot()
	ci := &s.ContainerInstances[2] // t3m03
	var attrs []types.Attribute
	for _, a := range ci.Attributes {
		if *a.Name != AttrTaskENI {
			attrs = append(attrs, a)
		}
	}
	ci.Attributes = attrs
	r, err := WhatIf(context.Background(), s, Builtin(), sampleTD(t, s, "web:3"), 1, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkFits(t, "web", r, 6, 1, 0, []fitWant{{"t3m03", 0, LimitNone}, {"m5x02", 6, LimitCPU}})
	for _, f := range r.Instances {
		if strings.HasSuffix(f.ContainerInstanceARN, "/t3m03") && !strings.Contains(f.Skipped, AttrTaskENI) {
			t.Fatalf("skip reason %q", f.Skipped)
		}
	}
}

// Types that are not in the cluster can be sized too.
func TestWhatIfCandidates(t *testing.T) {
	s := sampleSnapshot()
	// A Linux task definition that says so: the Windows candidate is the
	// wrong OS. (Without runtimePlatform it would fit there; see below.)
	linux := *sampleTD(t, s, "api:7")
	linux.RuntimePlatform = &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyLinux}
	r, err := WhatIf(context.Background(), s, Builtin(), &linux, 10, WhatIfOptions{
		Mode: netmode.ModeAWSVPC, Trunking: TrunkingOff,
		Candidates: []Candidate{
			{InstanceType: "m5.4xlarge", CPU: 16384, Memory: 63000},              // 8 ENIs: 7 tasks
			{InstanceType: "c6i.large", CPU: 2048, Memory: 3700, Trunking: true}, // trunking off wins
			{InstanceType: "x99.large", CPU: 2048, Memory: 3700},                 // unknown limits
			{InstanceType: "m5.large", CPU: 2048, Memory: 7680, Windows: true},   // wrong OS
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]TypeNeed{}
	for _, n := range r.ForTheRest {
		if n.Candidate {
			got[n.InstanceType] = n
		}
	}
	if n := got["m5.4xlarge"]; n.PerInstance != 7 || n.Instances != 2 || n.Binding != LimitENI {
		t.Errorf("m5.4xlarge %+v", n)
	}
	if n := got["c6i.large"]; n.PerInstance != 2 || n.Instances != 5 {
		t.Errorf("c6i.large %+v", n)
	}
	if n := got["x99.large"]; n.PerInstance != 0 || !strings.Contains(n.Reason, "unknown") {
		t.Errorf("x99.large %+v", n)
	}
	if n := got["m5.large"]; n.PerInstance != 0 || !strings.Contains(n.Reason, "windows") {
		t.Errorf("m5.large %+v", n)
	}
	if r.ForTheRest[0].InstanceType != "m5.4xlarge" {
		t.Errorf("fewest instances first: %+v", r.ForTheRest[0])
	}
	// runtimePlatform omitted: no OS family, so the Windows candidate is
	// sized like any other (m5.large: 3 ENIs, 2 awsvpc tasks).
	unset, err := WhatIf(context.Background(), s, Builtin(), sampleTD(t, s, "api:7"), 10, WhatIfOptions{
		Mode: netmode.ModeAWSVPC, Trunking: TrunkingOff,
		Candidates: []Candidate{{InstanceType: "m5.large", CPU: 2048, Memory: 7680, Windows: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range unset.ForTheRest {
		if n.Candidate && (n.PerInstance != 2 || n.Binding != LimitENI) {
			t.Errorf("Windows m5.large candidate for a task without runtimePlatform: %+v", n)
		}
	}
	on, err := WhatIf(context.Background(), s, Builtin(), sampleTD(t, s, "api:7"), 10, WhatIfOptions{
		Mode: netmode.ModeAWSVPC, Candidates: []Candidate{{InstanceType: "c6i.large", CPU: 2048, Memory: 3700, Trunking: true}}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range on.ForTheRest {
		if n.Candidate {
			found = true
			if n.PerInstance != 7 || n.Binding != LimitMemory {
				t.Errorf("c6i.large with trunking %+v", n)
			}
		}
	}
	if !found {
		t.Errorf("the c6i.large candidate is missing from %+v", on.ForTheRest)
	}
}

func withoutAttr(ci types.ContainerInstance, name string) types.ContainerInstance {
	var keep []types.Attribute
	for _, a := range ci.Attributes {
		if aws.ToString(a.Name) != name {
			keep = append(keep, a)
		}
	}
	ci.Attributes = keep
	return ci
}

// An instance whose agent does not run awsvpc tasks (no
// ecs.capability.task-eni: a Windows instance bootstrapped without
// -EnableTaskENI, or a Linux agent with ECS_ENABLE_TASK_ENI=false) takes no
// awsvpc task: Analyze gives it no budget, as WhatIf places nothing there.
func TestAnalyzeNeedsTaskENICapability(t *testing.T) {
	const cl = "noeni"
	s := &Snapshot{Cluster: cl, TaskDefinitions: sampleSnapshot().TaskDefinitions}
	s.ContainerInstances = []types.ContainerInstance{
		withoutAttr(containerInstance(cl, ciSpec{"w5l01", "m5.large", "windows", "", 2048, 7680}, 0, 0, nil, 0, 0), AttrTaskENI),
		containerInstance(cl, ciSpec{"w5l02", "m5.large", "windows", "", 2048, 7680}, 0, 0, nil, 0, 0),
	}
	ctx := context.Background()
	r, err := Analyze(ctx, s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	w, err := WhatIf(ctx, s, Builtin(), sampleTD(t, sampleSnapshot(), "win-web:1"), 5, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	no, yes := r.Instances[0], r.Instances[1]
	if no.Err != "" || no.Budget.ECSTasks != 0 || no.Budget.Tasks != 0 || no.ENIsLeft != 0 || no.Budget.MaxENIs != 3 ||
		!strings.Contains(strings.Join(no.Budget.Notes, " "), AttrTaskENI) {
		t.Errorf("instance without %s: %+v", AttrTaskENI, no)
	}
	if yes.Budget.ECSTasks != 2 || yes.ENIsLeft != 2 {
		t.Errorf("instance with %s: %+v", AttrTaskENI, yes)
	}
	if r.Budget != 2 || r.Left != 2 || r.Left != w.Fits {
		t.Errorf("Analyze: budget %d, left %d; WhatIf fits %d; want 2, 2, 2", r.Budget, r.Left, w.Fits)
	}
	if !strings.Contains(w.Instances[0].Skipped, AttrTaskENI) {
		t.Errorf("WhatIf on the instance without %s: %+v", AttrTaskENI, w.Instances[0])
	}
}

// A snapshot put together by hand can describe a task twice; its ENI is
// counted once, by the newest description.
func TestAnalyzeCountsATaskOnce(t *testing.T) {
	s := sampleSnapshot()
	var web09 types.Task
	for _, tk := range s.Tasks {
		if aws.ToString(tk.TaskArn) == taskARN("sample", "web09") {
			web09 = tk
		}
	}
	stopping := web09
	stopping.DesiredStatus, stopping.LastStatus = aws.String("STOPPED"), aws.String("DEACTIVATING")
	stopped := web09
	stopped.DesiredStatus, stopped.LastStatus, stopped.Version = aws.String("STOPPED"), aws.String("STOPPED"), 9
	stoppedSameVersion := stopped
	stoppedSameVersion.Version = web09.Version
	older := stopping // told to stop at version 3 (contrived: the version decides)
	older.Version = 3
	newer := web09
	newer.Version = 4
	for _, c := range []struct {
		name                   string
		copies                 []types.Task
		inUse, left, stopping_ int
		awsvpc                 int
	}{
		// Equal versions: desired STOPPED wins over RUNNING, in either order.
		{"running then stopping", []types.Task{web09, stopping}, 1, 1, 1, 0},
		{"stopping then running", []types.Task{stopping, web09}, 1, 1, 1, 0},
		// A higher version wins, whatever the statuses and the order.
		{"stopped, version 9", []types.Task{stopped, web09}, 0, 2, 0, 0},
		// Equal versions: the later lifecycle state wins, in either order.
		{"stopped then stopping", []types.Task{stoppedSameVersion, stopping}, 0, 2, 0, 0},
		{"stopping then stopped", []types.Task{stopping, stoppedSameVersion}, 0, 2, 0, 0},
		{"version 4 over 3", []types.Task{older, newer}, 1, 1, 0, 1},
		// The same description twice.
		{"duplicate", []types.Task{web09, web09}, 1, 1, 0, 1},
	} {
		snap := sampleSnapshot()
		var tasks []types.Task
		for _, tk := range snap.Tasks {
			if aws.ToString(tk.TaskArn) != taskARN("sample", "web09") {
				tasks = append(tasks, tk)
			}
		}
		snap.Tasks = append(tasks, c.copies...)
		r, err := Analyze(context.Background(), snap, Builtin())
		if err != nil {
			t.Fatal(err)
		}
		t3 := r.Instances[3]
		if t3.ENIsInUse != c.inUse || t3.ENIsLeft != c.left || t3.Stopping != c.stopping_ || t3.Tasks.AWSVPC != c.awsvpc {
			t.Errorf("%s: in use %d left %d stopping %d awsvpc %d; want %d %d %d %d", c.name,
				t3.ENIsInUse, t3.ENIsLeft, t3.Stopping, t3.Tasks.AWSVPC, c.inUse, c.left, c.stopping_, c.awsvpc)
		}
		if !strings.Contains(strings.Join(r.Notes, " "), "1 task appeared more than once") {
			t.Errorf("%s: no note about the repeated task: %q", c.name, r.Notes)
		}
	}
}

// An EC2 Windows task definition need not set runtimePlatform ("A
// platform family is specified only for tasks using the Fargate launch
// type"; ECS's own Windows EC2 examples omit it). ECS then places it by
// constraints and resources, on Windows instances too.
func TestWhatIfWindowsTaskDefinitionWithoutRuntimePlatform(t *testing.T) {
	const cl = "win"
	td := taskDef("win-web:1", types.NetworkModeAwsvpc, false, 512, 1024, 0, pm(80, -1, types.TransportProtocolTcp))
	iis := taskDef("iis:1", "", false, 512, 1024, 0, pm(80, 0, types.TransportProtocolTcp))
	s := &Snapshot{Cluster: cl, TaskDefinitions: []types.TaskDefinition{td, iis}}
	s.ContainerInstances = []types.ContainerInstance{
		containerInstance(cl, ciSpec{"w5l01", "m5.large", "windows", "", 2048, 7680}, 0, 0, nil, 0, 0),
		containerInstance(cl, ciSpec{"w5l02", "m5.large", "windows", "", 2048, 7680}, 0, 0, nil, 0, 0),
	}
	ctx := context.Background()
	w, err := WhatIf(ctx, s, Builtin(), &td, 4, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// m5.large: 3 ENIs -> 2 awsvpc tasks per instance, CPU 2048/512 = 4.
	checkFits(t, "awsvpc without runtimePlatform on Windows", w, 4, 4, 0, []fitWant{{"w5l01", 2, LimitENI}, {"w5l02", 2, LimitENI}})
	if w.Mode != netmode.ModeAWSVPC {
		t.Errorf("mode %v", w.Mode)
	}
	// networkMode omitted too: default (NAT) mode on Windows instances;
	// dynamic host ports, so CPU binds (4 per instance).
	d, err := WhatIf(ctx, s, Builtin(), &iis, 10, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkFits(t, "default mode", d, 8, 8, 2, []fitWant{{"w5l01", 4, LimitCPU}, {"w5l02", 4, LimitCPU}})
	if d.Mode != netmode.ModeDefault {
		t.Errorf("networkMode and runtimePlatform omitted, Windows-only cluster: mode %v, want default", d.Mode)
	}
	m, err := WhatIfMode(ctx, s, Builtin(), &iis, 10, netmode.ModeAWSVPC)
	if err != nil {
		t.Fatal(err)
	}
	if m.From != netmode.ModeDefault || m.WithoutTrunking.Fits != 4 {
		t.Errorf("WhatIfMode from %v (want default), awsvpc fits %d (want 4)", m.From, m.WithoutTrunking.Fits)
	}
	// An explicit Linux family still keeps the task off Windows instances.
	linux := td
	linux.RuntimePlatform = &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyLinux}
	l, err := WhatIf(ctx, s, Builtin(), &linux, 4, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Fits != 0 || !strings.Contains(l.Instances[0].Skipped, "for linux") || len(l.ForTheRest) != 0 {
		t.Errorf("LINUX task definition on Windows instances: fits %d, %+v, for the rest %+v", l.Fits, l.Instances[0], l.ForTheRest)
	}
}

// On a mixed cluster a task definition without an OS family is counted on
// both OSes, each in the mode its OS gives an omitted networkMode, and the
// result says so.
func TestWhatIfMixedClusterWithoutRuntimePlatform(t *testing.T) {
	s := sampleSnapshot()
	ctx := context.Background()
	// bridge with dynamic ports (worker:2): Windows EC2 runs no bridge tasks.
	w, err := WhatIf(ctx, s, Builtin(), sampleTD(t, s, "worker:2"), 5, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkFits(t, "worker", w, 11, 5, 0, []fitWant{{"w5l04", 0, LimitNone}})
	if !strings.Contains(w.Instances[4].Skipped, "bridge tasks run only on EC2 Linux") {
		t.Errorf("w5l04: %+v", w.Instances[4])
	}
	// networkMode omitted, no OS family: bridge on Linux, default on Windows.
	iis := *sampleTD(t, s, "iis:1")
	iis.RuntimePlatform = nil
	r, err := WhatIf(ctx, s, Builtin(), &iis, 1, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(r.Notes, "\n")
	if r.Mode != netmode.ModeBridge || !strings.Contains(notes, "bridge mode on Linux instances and in default (NAT) mode on Windows") ||
		!strings.Contains(notes, "attribute:ecs.os-type == linux") {
		t.Errorf("mode %v, notes %q", r.Mode, r.Notes)
	}
	// c5l01 has 1280 CPU units left (1024 per copy); w5l04 none.
	checkFits(t, "iis without runtimePlatform", r, 4, 1, 0, []fitWant{{"c5l01", 1, LimitCPU}, {"w5l04", 0, LimitCPU}})
}

// Analyze resolves an omitted networkMode by the instance's OS: a Windows
// EC2 task definition that omits networkMode and runtimePlatform runs in
// Windows default (NAT) mode on a Windows instance.
func TestAnalyzeWindowsDefaultModeWithoutRuntimePlatform(t *testing.T) {
	const cl = "win"
	td := taskDef("iis:1", "", false, 1024, 2048, 0, pm(80, 0, types.TransportProtocolTcp))
	s := &Snapshot{Cluster: cl, TaskDefinitions: []types.TaskDefinition{td}}
	s.ContainerInstances = []types.ContainerInstance{
		containerInstance(cl, ciSpec{"c5l01", "c5.large", "linux", "", 2048, 3788}, 1024, 2048, nil, 1, 0),
		containerInstance(cl, ciSpec{"w5l01", "m5.large", "windows", "", 2048, 7680}, 1024, 2048, nil, 1, 0),
	}
	s.Tasks = []types.Task{
		task(cl, taskSpec{"iis01", "iis:1", "w5l01", "RUNNING", false, "", bind(49152, 80)}),
		task(cl, taskSpec{"iis02", "iis:1", "c5l01", "RUNNING", false, "", bind(32768, 80)}),
	}
	r, err := Analyze(context.Background(), s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Instances[1].Tasks; got != (ModeCounts{Default: 1}) {
		t.Errorf("task without networkMode on a Windows instance counted as %+v; want Default 1", got)
	}
	if got := r.Instances[0].Tasks; got != (ModeCounts{Bridge: 1}) {
		t.Errorf("task without networkMode on a Linux instance counted as %+v; want Bridge 1", got)
	}
}

// "If this attribute exists, the instance has a trunk network interface"
// (ECS guide, container instance attributes): the attribute's presence
// decides, whatever its value (an ECS id, not an ENI ID).
func TestTrunkAttributePresenceIsTrunking(t *testing.T) {
	const cl = "trunk"
	ci := containerInstance(cl, ciSpec{"m5x01", "m5.xlarge", "linux", "x", 4096, 15575}, 0, 0, nil, 0, 0)
	for i := range ci.Attributes {
		if aws.ToString(ci.Attributes[i].Name) == AttrTrunkID {
			ci.Attributes[i].Value = nil
		}
	}
	s := &Snapshot{Cluster: cl, ContainerInstances: []types.ContainerInstance{ci}}
	r, err := Analyze(context.Background(), s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if ir := r.Instances[0]; !ir.Trunk || ir.TrunkID != "" || !ir.Budget.Trunking || ir.Budget.ECSTasks != 20 {
		t.Errorf("m5.xlarge with a value-less %s attribute: trunk %v (id %q), budget trunking %v, %d; want trunking, 20",
			AttrTrunkID, ir.Trunk, ir.TrunkID, ir.Budget.Trunking, ir.Budget.ECSTasks)
	}
	// The sample's trunked instance carries the UUID-like id ECS gives.
	r, err = Analyze(context.Background(), sampleSnapshot(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if ir := r.Instances[1]; !ir.Trunk || !strings.HasPrefix(ir.TrunkID, "5c1e7a3d-") || r.Instances[0].Trunk {
		t.Errorf("sample: m5x02 trunk %v id %q; c5l01 trunk %v", ir.Trunk, ir.TrunkID, r.Instances[0].Trunk)
	}
}

// A task definition's placementConstraints (type memberOf, cluster query
// language) limit which instances ECS places it on: WhatIf applies the
// attribute comparisons and notes what it cannot evaluate.
func TestWhatIfPlacementConstraints(t *testing.T) {
	s := sampleSnapshot()
	ctx := context.Background()
	run := func(td types.TaskDefinition, exprs ...string) *WhatIfResult {
		t.Helper()
		td.PlacementConstraints = nil
		for _, e := range exprs {
			td.PlacementConstraints = append(td.PlacementConstraints, types.TaskDefinitionPlacementConstraint{
				Type: types.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: aws.String(e)})
		}
		w, err := WhatIf(ctx, s, Builtin(), &td, 5, WhatIfOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	web := *sampleTD(t, s, "web:3")
	// Only the t3.medium qualifies (1 ENI left).
	w := run(web, "attribute:ecs.instance-type == t3.medium")
	checkFits(t, "== t3.medium", w, 1, 1, 4, []fitWant{{"t3m03", 1, LimitENI}, {"m5x02", 0, LimitNone}, {"c5l01", 0, LimitNone}})
	if !strings.Contains(w.Instances[1].Skipped, `its ecs.instance-type is "m5.xlarge"`) {
		t.Errorf("m5x02 skipped: %q", w.Instances[1].Skipped)
	}
	if len(w.ForTheRest) != 1 || w.ForTheRest[0].InstanceType != "t3.medium" || w.ForTheRest[0].Instances != 2 {
		t.Errorf("for the rest: only t3.medium qualifies: %+v", w.ForTheRest)
	}
	if !strings.Contains(strings.Join(w.Notes, "\n"), "placement constraints are checked") {
		t.Errorf("notes %q", w.Notes)
	}
	// in, and-joined, != and quotes; the OS constraint keeps web off Windows.
	w = run(web, "attribute:ecs.instance-type in [m5.xlarge, 't3.medium', c5.large] and attribute:ecs.os-type != 'windows'")
	checkFits(t, "in and !=", w, 7, 5, 0, []fitWant{{"m5x02", 6, LimitCPU}, {"t3m03", 1, LimitENI}, {"w5l04", 0, LimitNone}, {"x9l06", 0, LimitNone}})
	// An attribute no instance has: none qualifies, != included.
	w = run(web, "attribute:stack != prod")
	if w.Fits != 0 || !strings.Contains(w.Instances[0].Skipped, "no stack attribute") {
		t.Errorf("!= on a missing attribute: fits %d, %+v", w.Fits, w.Instances[0])
	}
	// not_in on a missing attribute: none qualifies either.
	w = run(web, "attribute:stack not_in [prod, staging]")
	if w.Fits != 0 || !strings.Contains(w.Instances[0].Skipped, "no stack attribute") {
		t.Errorf("not_in on a missing attribute: fits %d, %+v", w.Fits, w.Instances[0])
	}
	// What it cannot evaluate is noted and does not restrict.
	w = run(web, "attribute:ecs.instance-type =~ t3.*", "task:group == databases")
	notes := strings.Join(w.Notes, "\n")
	if w.Fits != 7 || !strings.Contains(notes, `"attribute:ecs.instance-type =~ t3.*" was not evaluated`) ||
		!strings.Contains(notes, `"task:group == databases" was not evaluated`) {
		t.Errorf("unevaluated constraints: fits %d, notes %q", w.Fits, w.Notes)
	}
	// Candidates: an attribute they describe is evaluated, others count as met.
	td := web
	td.PlacementConstraints = []types.TaskDefinitionPlacementConstraint{
		{Type: types.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: aws.String("attribute:ecs.availability-zone == us-east-1a")},
		{Type: types.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: aws.String("attribute:ecs.os-type == linux")},
	}
	c, err := WhatIf(ctx, s, Builtin(), &td, 5, WhatIfOptions{Candidates: []Candidate{
		{InstanceType: "m5.4xlarge", CPU: 16384, Memory: 63000},
		{InstanceType: "m5.large", CPU: 2048, Memory: 7680, Windows: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range c.ForTheRest {
		switch {
		case n.InstanceType == "m5.4xlarge" && (n.PerInstance != 7 || !n.Candidate):
			t.Errorf("linux candidate: %+v", n)
		case n.InstanceType == "m5.large" && (n.PerInstance != 0 || !strings.Contains(n.Reason, `"attribute:ecs.os-type == linux" is not met`)):
			t.Errorf("windows candidate: %+v", n)
		case !n.Candidate:
			t.Errorf("no instance has ecs.availability-zone, so no type in the cluster qualifies: %+v", n)
		}
	}
	if !strings.Contains(strings.Join(c.Notes, "\n"), "m5.4xlarge (candidate): placement constraint \"attribute:ecs.availability-zone == us-east-1a\" names attributes") {
		t.Errorf("notes %q", c.Notes)
	}
	// A trunking candidate has the trunk attribute, as ECS registers it:
	// a constraint to instances without a trunk excludes it. (Found by a
	// second read.)
	td.PlacementConstraints = []types.TaskDefinitionPlacementConstraint{
		{Type: types.TaskDefinitionPlacementConstraintTypeMemberOf, Expression: aws.String("attribute:ecs.awsvpc-trunk-id !exists")}}
	c, err = WhatIf(ctx, s, Builtin(), &td, 50, WhatIfOptions{Candidates: []Candidate{
		{InstanceType: "m5.4xlarge", CPU: 16384, Memory: 63000, Trunking: true}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range c.ForTheRest {
		if n.Candidate && n.PerInstance > 0 {
			t.Errorf("a trunking candidate fits %d copies of a task constrained to instances without a trunk: %+v", n.PerInstance, n)
		}
	}
}

// A task definition validated only for other launch types is not placed on
// EC2 container instances.
func TestWhatIfRequiresCompatibilities(t *testing.T) {
	s := sampleSnapshot()
	td := *sampleTD(t, s, "web:3")
	td.RequiresCompatibilities = []types.Compatibility{types.CompatibilityFargate}
	w, err := WhatIf(context.Background(), s, Builtin(), &td, 3, WhatIfOptions{Candidates: []Candidate{{InstanceType: "m5.4xlarge", CPU: 16384, Memory: 63000}}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Fits != 0 || w.Short != 3 || len(w.ForTheRest) != 1 || w.ForTheRest[0].PerInstance != 0 ||
		!strings.Contains(strings.Join(w.Notes, " "), "requiresCompatibilities is FARGATE, without EC2") {
		t.Errorf("FARGATE-only: fits %d short %d, for the rest %+v, notes %q", w.Fits, w.Short, w.ForTheRest, w.Notes)
	}
	for _, f := range w.Instances {
		if !strings.Contains(f.Skipped, "requiresCompatibilities") {
			t.Errorf("%s: %q", f.ContainerInstanceARN, f.Skipped)
		}
	}
	td.RequiresCompatibilities = []types.Compatibility{types.CompatibilityFargate, types.CompatibilityEc2}
	if w, err = WhatIf(context.Background(), s, Builtin(), &td, 3, WhatIfOptions{}); err != nil || w.Fits != 7 {
		t.Errorf("FARGATE and EC2: fits %d, %v", w.Fits, err)
	}
}

// TestWhatIfModeMovesPorts: a task moved to another mode is counted as ECS
// would register it there: a bridge host port remapped from its container
// port becomes the container port in awsvpc and host mode (ECS refuses a
// mismatch), and none mode has no port mappings, each said in a note. The
// what-if once counted the copies as they were, which ECS refuses to
// register, with no note. The task definition given is not changed.
func TestWhatIfModeMovesPorts(t *testing.T) {
	s := sampleSnapshot()
	remap := taskDef("remap:1", types.NetworkModeBridge, false, 256, 512, 0, pm(80, 8081, types.TransportProtocolTcp))
	for _, c := range []struct {
		to   netmode.Mode
		note string
	}{
		{netmode.ModeAWSVPC, "in awsvpc mode a host port is its container port: counted with remap's host port 8081 as 80 (clients"},
		{netmode.ModeHost, "in host mode a host port is its container port: counted with remap's host port 8081 as 80 (clients"},
		{netmode.ModeNone, "none mode has no port mappings: counted without the port mappings of remap (1)."},
	} {
		r, err := WhatIf(context.Background(), s, Builtin(), &remap, 3, WhatIfOptions{Mode: c.to, Trunking: TrunkingOn})
		if err != nil {
			t.Fatalf("%s: %v", c.to, err)
		}
		if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.HasPrefix(n, c.note) }) {
			t.Errorf("%s: notes %q lack %q", c.to, r.Notes, c.note)
		}
		if c.to == netmode.ModeHost {
			// One copy an instance: each binds port 80.
			for _, f := range r.Instances {
				if f.Fits > 1 {
					t.Errorf("host mode: %d copies on %s, each binding port 80", f.Fits, f.ContainerInstanceARN)
				}
			}
		}
	}
	if hp := remap.ContainerDefinitions[0].PortMappings[0].HostPort; hp == nil || *hp != 8081 {
		t.Errorf("the task definition given was changed: host port %v", hp)
	}
}

func TestT1HasNoTrunking(t *testing.T) {
	// The T family has no ENI trunking (reference §8; the ECS guide's
	// table leaves it out, amazon-ecs-developer-guide#126): t1 too, which
	// read as "unknown" and was sent to look it up.
	it, err := Builtin().Lookup(context.Background(), "t1.micro")
	if err != nil || it.Trunking.Status != TrunkingUnsupported {
		t.Errorf("t1.micro: %+v, %v", it.Trunking, err)
	}
}

// TestWhatIfNamesAnUnregisteredTaskDefinition: a task definition from a
// file (not registered: revision 0) is named by its family, as netmodes
// names it, not "api:0", a revision no task definition has.
func TestWhatIfNamesAnUnregisteredTaskDefinition(t *testing.T) {
	s := sampleSnapshot()
	td := *sampleTD(t, s, "api:7")
	td.Revision = 0
	r, err := WhatIf(context.Background(), s, Builtin(), &td, 1, WhatIfOptions{})
	if err != nil || r.TaskDefinition != "api" {
		t.Errorf("named %q (%v), want api", r.TaskDefinition, err)
	}
}
