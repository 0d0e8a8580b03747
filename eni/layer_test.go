package eni

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// wrapping is a Limits source whose errors say where they come from, as Go
// errors do: fmt.Errorf("...: %w", err).
type wrapping struct{ Limits }

func (w wrapping) Lookup(ctx context.Context, name string) (InstanceType, error) {
	it, err := w.Limits.Lookup(ctx, name)
	if err != nil {
		return InstanceType{}, fmt.Errorf("my limits: %w", err)
	}
	return it, nil
}

// TestLayerSeesWrappedUnknownType: Layer asks the next source when
// one "does not know the type" (an *UnknownTypeError, which Analyze and
// WhatIf recognise with errors.As). A source that wraps that error must
// still fall through to the next one, not end the lookup with an error.
func TestLayerSeesWrappedUnknownType(t *testing.T) {
	empty, err := ParseLimitsJSON(strings.NewReader(`[{"instance_type":"x9.large","max_enis":4}]`), "mine.json")
	if err != nil {
		t.Fatal(err)
	}
	l := Layer(wrapping{empty}, Builtin())
	it, err := l.Lookup(context.Background(), "c5.large")
	if err != nil || it.MaxENIs != 3 {
		t.Fatalf("c5.large through a wrapping source over the built-in table: %+v, %v", it, err)
	}
}
