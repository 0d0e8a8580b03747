package eni

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

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
		{"p4d05", 59, 0, 59, 0, false, false, ModeCounts{}, ""},
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
	if r.Budget != 85 || r.InUse != 11 || r.Left != 15 || r.Provisioning != 1 ||
		r.Tasks != (ModeCounts{AWSVPC: 11, Bridge: 3, Host: 1, Default: 1}) {
		t.Fatalf("totals: budget %d in use %d left %d provisioning %d tasks %+v", r.Budget, r.InUse, r.Left, r.Provisioning, r.Tasks)
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "ECS counts only the ENIs it attached") {
		t.Fatal("the report must say that ECS does not count ENIs it did not attach")
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
	// awsvpc tasks already exceed its 3 ENIs without trunking.
	checkFits(t, "awsvpc", w.WithoutTrunking, 1, 1, 9, []fitWant{
		{"c5l01", 0, LimitENI}, {"m5x02", 0, LimitENI}, {"t3m03", 1, LimitENI}, {"x9l06", 0, LimitNone},
	})
	if got := w.WithoutTrunking.ForTheRest; len(got) != 3 || got[0].InstanceType != "m5.xlarge" || got[0].PerInstance != 3 || got[0].Instances != 3 ||
		got[1].InstanceType != "c5.large" || got[1].Instances != 5 || got[2].InstanceType != "t3.medium" || got[2].Instances != 5 {
		t.Errorf("for the rest: %+v", got)
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
	r, err := WhatIf(context.Background(), s, Builtin(), sampleTD(t, s, "api:7"), 10, WhatIfOptions{
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
