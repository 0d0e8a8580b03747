package eni

import (
	"context"
	"strings"
	"testing"
)

// TestNegativeInputsGiveNoImpossibleBudget: OtherENIs is a count of
// attached ENIs, and a published trunking limit is a count of tasks. A
// negative one must not make more tasks "get an ENI" than ECS places, more
// ENIs than the type holds, or a negative budget.
func TestNegativeInputsGiveNoImpossibleBudget(t *testing.T) {
	b, err := BudgetFor(context.Background(), Builtin(), "c5.large", BudgetOptions{OtherENIs: -3})
	if err != nil {
		t.Fatal(err)
	}
	if b.Tasks > b.ECSTasks || b.InstanceENIs > b.MaxENIs || b.OtherENIs < 0 {
		t.Errorf("OtherENIs -3: tasks %d of ECS's %d, %d ENIs of max %d, other %d", b.Tasks, b.ECSTasks, b.InstanceENIs, b.MaxENIs, b.OtherENIs)
	}
	if len(b.Notes) == 0 {
		t.Error("no note about the negative OtherENIs")
	}
	it := InstanceType{Name: "x9.large", MaxENIs: 3, Trunking: Trunking{Status: TrunkingSupported, Tasks: -5}}
	b = TypeBudget(it, BudgetOptions{Trunking: true})
	if b.ECSTasks < 0 || b.Tasks < 0 || b.InstanceENIs < 1 || b.Trunking {
		t.Errorf("trunking limit -5: ECS tasks %d, tasks %d, ENIs %d, trunking %v; want the max ENIs - 1 budget", b.ECSTasks, b.Tasks, b.InstanceENIs, b.Trunking)
	}
}

// TestWithoutMismatchNoteMatchesTheBudget: on a type whose published
// limit without trunking differs from EC2's max ENIs - 1 (c6in.32xlarge:
// 13 published, 16 ENIs), a budget WITH trunking uses the trunking limit
// (120); its note must not say that max ENIs - 1 (15) "is used".
func TestWithoutMismatchNoteMatchesTheBudget(t *testing.T) {
	b, err := BudgetFor(context.Background(), Builtin(), "c6in.32xlarge", BudgetOptions{Trunking: true})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Trunking || b.ECSTasks != 120 {
		t.Fatalf("trunking %v, ECS tasks %d; want on, 120", b.Trunking, b.ECSTasks)
	}
	for _, n := range b.Notes {
		if strings.Contains(n, "so 15 is used") {
			t.Errorf("note contradicts the budget of %d tasks: %q", b.ECSTasks, n)
		}
	}
	off, _ := BudgetFor(context.Background(), Builtin(), "c6in.32xlarge", BudgetOptions{})
	if off.ECSTasks != 15 || !strings.Contains(strings.Join(off.Notes, " "), "13") {
		t.Errorf("without trunking: %d tasks, notes %q; want 15 with a note on the published 13", off.ECSTasks, off.Notes)
	}
}
