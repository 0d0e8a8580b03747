package main

import (
	"strings"
	"testing"
)

// TestCandidateRepeated backs the README's "-candidate one at a time,
// repeated": two -candidate flags size the rest with both types, and a
// comma does not separate candidates (it is refused, not split).
func TestCandidateRepeated(t *testing.T) {
	out, _ := runOK(t, "-whatif", "sample", "-count", "10", "-mode", "awsvpc",
		"-candidate", "m5.4xlarge:16384:63000", "-candidate", "m6i.large:2048:7680")
	for _, typ := range []string{"m5.4xlarge (candidate)", "m6i.large (candidate)"} {
		if !strings.Contains(out, typ) {
			t.Errorf("two -candidate flags: %q missing:\n%s", typ, out)
		}
	}
	code, _, errOut := runExit("-whatif", "sample", "-count", "10", "-candidate", "m5.4xlarge:16384:63000,m6i.large:2048:7680")
	if code != 2 || !strings.Contains(errOut, "-candidate") {
		t.Errorf("-candidate A,B: exit %d, stderr %q; want 2 and -candidate refused", code, errOut)
	}
}
