package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestMeetsUnknownOp: a target with a comparison meets does not know
// is an error, checked before the benchmarks run and said in the summary,
// not a panic after hours of benchmarks.
func TestMeetsUnknownOp(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panicked: %v", r)
		}
	}()
	bad := target{name: "x", value: func(round) float64 { return 1 }, op: comparison(0), limit: 1, format: "%.1f"}
	if ok, err := bad.meets(1); ok || err == nil || !strings.Contains(err.Error(), "unknown comparison") {
		t.Errorf("meets with no comparison: %v, %v; want an error", ok, err)
	}
	if err := checkTargets([]target{targets[0], bad}); err == nil {
		t.Error("checkTargets let a target without a comparison through")
	}
	if err := checkTargets(targets); err != nil {
		t.Errorf("the targets: %v", err)
	}
	saved := targets
	defer func() { targets = saved }()
	targets = []target{bad}
	var b bytes.Buffer
	writeSummary(&b, []round{{}})
	if !strings.Contains(b.String(), "not judged: ") {
		t.Errorf("summary of a target without a comparison:\n%s", b.String())
	}
}
