package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestEmptyInUse: -in-use describes the instance, as -reserved and
// -dynamic-range do, and those refuse an empty value (an unset shell
// variable, which would describe another instance than meant). -in-use
// "$PORTS" with PORTS unset planned an instance with no port in use and
// exited 0: copies that fit 1283 where 0 would.
func TestEmptyInUse(t *testing.T) {
	for _, v := range []string{"", " "} {
		var out, errOut bytes.Buffer
		status := run([]string{"-in-use", v}, &out, &errOut)
		if status != 2 || out.Len() > 0 || !strings.Contains(errOut.String(), `netmodes: empty value for -in-use: give a value, or leave the flag out (leave it out when no static host port is in use)`) {
			t.Errorf("-in-use %q: exit %d, stderr %q, %d bytes on stdout; want 2 and the flag named", v, status, errOut.String(), out.Len())
		}
	}
}
