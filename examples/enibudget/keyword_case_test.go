package main

import "testing"

// TestModeAnyCase: -mode reads its value in any case, as -format does
// (one convention for every keyword flag of the programs); the report
// names the mode as the API spells it.
func TestModeAnyCase(t *testing.T) {
	want, _ := runOK(t, "-whatif", "sample", "-count", "10", "-mode", "awsvpc")
	if got, _ := runOK(t, "-whatif", "sample", "-count", "10", "-mode", "AWSVPC"); got != want {
		t.Errorf("-mode AWSVPC:\n%s\nwant the report of -mode awsvpc:\n%s", got, want)
	}
}
