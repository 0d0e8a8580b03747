package main

import (
	"testing"
)

// TestEmptyValueWording: enibudget said `-snapshot "": empty; want
// a …`, where the other programs say "empty value for -X: give a value,
// or leave the flag out"; one wording now, the flag's hint after it.
func TestEmptyValueWording(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-snapshot", ""}, "enibudget: empty value for -snapshot: give a value, or leave the flag out (without it, the embedded sample cluster)\n"},
		{[]string{"-whatif", " "}, "enibudget: empty value for -whatif: give a value, or leave the flag out (-whatif sample places the embedded task definition)\n"},
		{[]string{"-cluster", ""}, "enibudget: empty value for -cluster: give a value, or leave the flag out\n"},
	} {
		code, out, stderr := runExit(c.args...)
		if code != 1 || out != "" || stderr != c.want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 1 and %q", c.args, code, out, stderr, c.want)
		}
	}
}
