package main

import (
	"strings"
	"testing"
)

// TestEmptyTop: README: "a flag given an empty value is refused
// ("empty value for -X: give a value, or leave the flag out")". -top ""
// got the flag package's `invalid value "" for flag -top: parse error`
// and the usage, exit 2, where every other flag says the one wording.
func TestEmptyTop(t *testing.T) {
	c, _ := fakes(t)
	code, out, stderr := runCode(t, c, "-log-group", "vpc-flow", "-top", "")
	if code != 1 || out != "" || stderr != "cwlogs: empty value for -top: give a value, or leave the flag out\n" {
		t.Errorf("-top \"\": exit %d, stdout %q, stderr %.200q", code, out, stderr)
	}
	code, _, stderr = runCode(t, c, "-log-group", "vpc-flow", "-top", "x")
	if code != 2 || !strings.Contains(stderr, `invalid value "x" for flag -top`) {
		t.Errorf("-top x: exit %d, stderr %.200q; want 2, the flag package's usage mistake", code, stderr)
	}
}
