package main

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestStrategyAnyCase: -strategy reads its value in any case, as -format
// does (one convention for every keyword flag of the programs).
func TestStrategyAnyCase(t *testing.T) {
	c, l := fakes(t)
	start := t0.Unix() + 30
	l.Put("vpc-flow", "eni-00000000000000000", fakeaws.LogEvent{Timestamp: start * 1000,
		Message: "2 123456789012 eni-00000000000000000 10.0.0.9 10.0.1.1 40000 443 6 1 100 1763640030 1763640090 ACCEPT OK"})
	for _, s := range []string{"get", "GET", "Filter"} {
		args := append([]string{"-log-group", "vpc-flow", "-strategy", s}, window...)
		if code, out, errOut := runCode(t, c, args...); code != 0 {
			t.Errorf("-strategy %s: exit %d:\n%s%s", s, code, out, errOut)
		}
	}
}
