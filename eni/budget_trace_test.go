package eni

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// reviewCluster is one ACTIVE c5.large without a trunk running two awsvpc
// tasks, one m5.xlarge with a trunk, and one DRAINING c5.large with none.
func reviewCluster() *Snapshot {
	const cl = "review"
	s := &Snapshot{Cluster: cl}
	s.TaskDefinitions = []types.TaskDefinition{taskDef("web:1", types.NetworkModeAwsvpc, false, 128, 256, 0)}
	s.ContainerInstances = []types.ContainerInstance{
		containerInstance(cl, ciSpec{"old01", "c5.large", "linux", "", 2048, 3788}, 256, 512, nil, 2, 0),
		containerInstance(cl, ciSpec{"new02", "m5.xlarge", "linux", "5c1e7a3d-92b4-4f0e-8d6a-1b2c3d4e5f02", 4096, 15575}, 0, 0, nil, 0, 0),
		draining(containerInstance(cl, ciSpec{"drn03", "c5.large", "linux", "", 2048, 3788}, 0, 0, nil, 0, 0)),
	}
	for _, id := range []string{"web01", "web02"} {
		s.Tasks = append(s.Tasks, task(cl, taskSpec{id, "web:1", "old01", "RUNNING", true, "ATTACHED", nil}))
	}
	return s
}

// TestTrunkingOnUntrunkedInstanceSaysSo: with TrunkingOn an instance
// that has no trunk network interface is counted at the trunking limit.
// The ECS guide: "Only new Amazon EC2 instances launched after opting in
// to awsvpcTrunking receive the increased ENI limits and the trunk network
// interface. Previously launched instances do not receive these features
// regardless of the actions taken" ([DG] container-instance-eni.md). The
// copies counted on it fit only once it is replaced, and the result must
// say so, on the instance and in a note; an instance that has a trunk
// needs no such word.
func TestTrunkingOnUntrunkedInstanceSaysSo(t *testing.T) {
	s := reviewCluster()
	r, err := WhatIf(context.Background(), s, Builtin(), &s.TaskDefinitions[0], 5, WhatIfOptions{Trunking: TrunkingOn})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]InstanceFit{}
	for _, f := range r.Instances {
		byID[shortARN(f.ContainerInstanceARN)] = f
	}
	old := byID["old01"]
	if old.ByENI != 8 {
		t.Fatalf("old01 ByENI = %d, want 8 (10 with trunking - 2 in use)", old.ByENI)
	}
	if !strings.Contains(old.Reason, "no trunk") && !strings.Contains(old.Reason, "replaced") {
		t.Errorf("old01 reason %q does not say the instance has no trunk and must be replaced to get these ENIs", old.Reason)
	}
	if nw := byID["new02"]; strings.Contains(nw.Reason, "no trunk") {
		t.Errorf("new02 has a trunk, yet its reason says otherwise: %q", nw.Reason)
	}
	notes := strings.Join(r.Notes, "\n")
	if !strings.Contains(notes, "old01") || !strings.Contains(notes, "launched after") {
		t.Errorf("no note that old01 gets the trunking limit only when replaced by an instance launched after opting in: %q", r.Notes)
	}
	if strings.Contains(notes, "new02") {
		t.Errorf("a note names new02, which has a trunk: %q", r.Notes)
	}
	// As is, nothing is hypothetical: no such note.
	r, err = WhatIf(context.Background(), s, Builtin(), &s.TaskDefinitions[0], 5, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(r.Notes, "\n"), "launched after") {
		t.Errorf("as-is result carries the relaunch note: %q", r.Notes)
	}
}

// TestNotActiveLeftExplained: an instance that is not ACTIVE gets
// ENIsLeft 0 whatever its free ENIs ([API] ContainerInstance.status: ECS
// places new tasks on ACTIVE instances only); like the agent-disconnected
// case, the budget must say why, or a report row "budget 2, in use 0,
// left 0" cannot be traced.
func TestNotActiveLeftExplained(t *testing.T) {
	r, err := Analyze(context.Background(), reviewCluster(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	for _, ir := range r.Instances {
		if shortARN(ir.ContainerInstanceARN) != "drn03" {
			continue
		}
		if ir.Budget.ECSTasks != 2 || ir.ENIsInUse != 0 || ir.ENIsLeft != 0 {
			t.Fatalf("drn03 budget %d in use %d left %d; want 2 0 0", ir.Budget.ECSTasks, ir.ENIsInUse, ir.ENIsLeft)
		}
		if !strings.Contains(strings.Join(ir.Budget.Notes, "\n"), "DRAINING") {
			t.Errorf("drn03: left 0 of a budget of 2 with none in use, and no note says why (status DRAINING): %q", ir.Budget.Notes)
		}
		return
	}
	t.Fatal("drn03 not in the report")
}

// TestBudgetSourceTraceable: with limits stacked by Layer, one
// instance's numbers may come from a limits file and another's from the
// built-in table (or EC2, live); the report must say which for each
// budget, as InstanceType.Source does for a lookup.
func TestBudgetSourceTraceable(t *testing.T) {
	file, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\nm5.xlarge\t4\n"), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(context.Background(), reviewCluster(), Layer(file, Builtin()))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"old01": "built-in", "new02": "mine.tsv + built-in", "drn03": "built-in"}
	for _, ir := range r.Instances {
		id := shortARN(ir.ContainerInstanceARN)
		if ir.Budget.Source != want[id] {
			t.Errorf("%s: Budget.Source = %q, want %q", id, ir.Budget.Source, want[id])
		}
	}
	it, err := Builtin().Lookup(context.Background(), "c5.large")
	if err != nil {
		t.Fatal(err)
	}
	if b := TypeBudget(it, BudgetOptions{}); b.Source != "built-in" {
		t.Errorf("TypeBudget(c5.large).Source = %q, want built-in", b.Source)
	}
}
