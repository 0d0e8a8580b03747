package main

import (
	"bytes"
	"testing"
)

// TestEmptyValueWording: netmodes said `-X "": empty; omit the
// flag …`, the other programs "empty value for -X: give a value, or leave
// the flag out"; one wording now, the flag's hint after it.
func TestEmptyValueWording(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-reserved", ""}, "netmodes: empty value for -reserved: give a value, or leave the flag out (without it, the agent's default)\n"},
		{[]string{"-in-use", " "}, "netmodes: empty value for -in-use: give a value, or leave the flag out (leave it out when no static host port is in use)\n"},
		{[]string{"-sample", ""}, "netmodes: empty value for -sample: give a value, or leave the flag out\n"},
	} {
		var out, errOut bytes.Buffer
		if status := run(c.args, &out, &errOut); status != 2 || out.Len() > 0 || errOut.String() != c.want {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, status, errOut.String(), c.want)
		}
	}
}
