package eni

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestInstanceDescribedTwiceCountedOnce: a snapshot put together from several describe-container-instances
// outputs can describe an instance twice (the doc invites assembling one
// by hand; tasks are already deduplicated for the same reason). The
// instance, its budget and its tasks must be counted once, or the cluster
// budget, ENIs in use and what-if capacity double.
func TestInstanceDescribedTwiceCountedOnce(t *testing.T) {
	ctx := context.Background()
	s := sampleSnapshot()
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	dci := m["describeContainerInstances"].([]any)
	m["describeContainerInstances"] = append(dci, dci[0]) // the same output twice
	raw, _ := json.Marshal(m)
	twice, err := ReadSnapshot(bytes.NewReader(raw), "merged.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Analyze(ctx, s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	got, err := Analyze(ctx, twice, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Instances) != len(want.Instances) || got.Budget != want.Budget || got.InUse != want.InUse ||
		got.Left != want.Left || got.Tasks != want.Tasks {
		t.Errorf("instances %d budget %d in use %d left %d tasks %+v; want %d %d %d %d %+v", len(got.Instances), got.Budget, got.InUse,
			got.Left, got.Tasks, len(want.Instances), want.Budget, want.InUse, want.Left, want.Tasks)
	}
	if !strings.Contains(strings.Join(got.Notes, " "), "more than once") {
		t.Errorf("no note about the repeated instance: %q", got.Notes)
	}
	wOnce, err := WhatIf(ctx, s, Builtin(), sampleTD(t, s, "web:3"), 50, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wTwice, err := WhatIf(ctx, twice, Builtin(), sampleTD(t, twice, "web:3"), 50, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if wTwice.Fits != wOnce.Fits || len(wTwice.Instances) != len(wOnce.Instances) {
		t.Errorf("what-if fits %d on %d instances; want %d on %d", wTwice.Fits, len(wTwice.Instances), wOnce.Fits, len(wOnce.Instances))
	}
}

// TestDisconnectedAgentTakesNoNewTasks: [API]
// ContainerInstance.agentConnected: "Only instances connected to an agent
// can accept task placement requests." An instance whose agent is
// disconnected has no free ENI slots for new tasks and a what-if must
// place nothing there.
func TestDisconnectedAgentTakesNoNewTasks(t *testing.T) {
	ctx := context.Background()
	s := sampleSnapshot()
	c5 := &s.ContainerInstances[1] // m5x02: ACTIVE, 14 ENI slots left
	if !strings.HasSuffix(aws.ToString(c5.ContainerInstanceArn), "/m5x02") {
		t.Fatal("fixture changed")
	}
	c5.AgentConnected = false
	r, err := Analyze(ctx, s, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	for _, ir := range r.Instances {
		if strings.HasSuffix(ir.ContainerInstanceARN, "/m5x02") && ir.ENIsLeft != 0 {
			t.Errorf("disconnected m5x02: %d ENIs left, want 0", ir.ENIsLeft)
		}
	}
	w, err := WhatIf(ctx, s, Builtin(), sampleTD(t, s, "web:3"), 5, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range w.Instances {
		if strings.HasSuffix(f.ContainerInstanceARN, "/m5x02") && (f.Fits != 0 || f.Skipped == "") {
			t.Errorf("disconnected m5x02: fits %d skipped %q", f.Fits, f.Skipped)
		}
	}
}
