package main

import (
	"strings"
	"testing"
)

// TestEmptyNumberFlags: README: "a flag given an empty value is
// refused ("empty value for -X: give a value, or leave the flag out")".
// -count, -other-enis and -candidate given empty got the flag package's
// `invalid value "" for flag -count: parse error` and the usage, exit 2,
// where every string flag of the program says the one wording, exit 1.
func TestEmptyNumberFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-whatif", "sample", "-count", ""}, "enibudget: empty value for -count: give a value, or leave the flag out\n"},
		{[]string{"-instance-type", "c5.large", "-other-enis", " "}, "enibudget: empty value for -other-enis: give a value, or leave the flag out\n"},
		{[]string{"-whatif", "sample", "-candidate", ""}, "enibudget: empty value for -candidate: give a value, or leave the flag out\n"},
		{[]string{"-whatif", "sample", "-candidate", "m6i.large:2048:7680", "-candidate", ""}, "enibudget: empty value for -candidate: give a value, or leave the flag out\n"},
	} {
		code, out, stderr := runExit(c.args...)
		if code != 1 || out != "" || stderr != c.want {
			t.Errorf("%q: exit %d, stdout %q, stderr %.200q; want 1 and %q", c.args, code, out, stderr, c.want)
		}
	}
	// A malformed number is still the flag package's usage mistake,
	// saying what would do.
	if code, _, stderr := runExit("-whatif", "sample", "-count", "x"); code != 2 || !strings.Contains(stderr, `invalid value "x" for flag -count: want a whole number`) {
		t.Errorf("-count x: exit %d, stderr %.200q; want 2", code, stderr)
	}
}
