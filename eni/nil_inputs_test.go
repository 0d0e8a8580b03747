package eni

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestNilInputsAreErrors: Analyze and WhatIf panicked on a nil snapshot or
// nil Limits (a nil task definition was already an error): no panic, ever.
func TestNilInputsAreErrors(t *testing.T) {
	ctx := context.Background()
	s := &Snapshot{Cluster: "prod"}
	if _, err := Analyze(ctx, nil, Builtin()); err == nil {
		t.Error("Analyze(nil snapshot): no error")
	}
	if _, err := Analyze(ctx, s, nil); err == nil {
		t.Error("Analyze(nil Limits): no error")
	}
	td := &types.TaskDefinition{}
	if _, err := WhatIf(ctx, nil, Builtin(), td, 1, WhatIfOptions{}); err == nil {
		t.Error("WhatIf(nil snapshot): no error")
	}
	if _, err := WhatIf(ctx, s, nil, td, 1, WhatIfOptions{}); err == nil {
		t.Error("WhatIf(nil Limits): no error")
	}
}

// TestBudgetForNilLimits: Analyze and WhatIf now refuse nil Limits
// with an error instead of a panic; BudgetFor, the third entry point
// given Limits, still panicked.
func TestBudgetForNilLimits(t *testing.T) {
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("BudgetFor(nil Limits) panicked: %v", p)
		}
	}()
	if _, err := BudgetFor(context.Background(), nil, "c5.large", BudgetOptions{}); err == nil {
		t.Error("BudgetFor(nil Limits): no error")
	}
}

// TestLayerSkipsNil: a nil source in Layer (an optional file not given)
// panicked at the first lookup; it is left out.
func TestLayerSkipsNil(t *testing.T) {
	it, err := Layer(nil, Builtin(), nil).Lookup(context.Background(), "c5.large")
	if err != nil || it.MaxENIs != 3 {
		t.Errorf("Layer(nil, Builtin(), nil): %+v, %v; want c5.large's 3 ENIs", it, err)
	}
}
