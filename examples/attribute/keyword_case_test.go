package main

import "testing"

// TestByAnyCase: -by reads its value in any case, as -format does (one
// convention for every keyword flag of the programs).
func TestByAnyCase(t *testing.T) {
	_, want, _ := runCode(t, "-by", "service")
	code, got, stderr := runCode(t, "-by", "Service")
	if code != 0 || got != want {
		t.Errorf("-by Service: exit %d, stderr %q; want the report of -by service", code, stderr)
	}
}
