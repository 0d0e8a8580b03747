package main

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestRecordFieldsControlBytes: a log event's interface-id (any
// writer of the log group puts what it likes there; the parser keeps
// the field as written) reached the terminal raw, in the totals' ENI
// column and in the records -records prints.
func TestRecordFieldsControlBytes(t *testing.T) {
	c, l := fakes(t)
	start := t0.Unix() + 30
	l.Put("vpc-flow", "eni-00000000000000000", fakeaws.LogEvent{Timestamp: start * 1000,
		Message: "2 123456789012 eni-\x1b]0;owned\x07 10.0.0.9 10.0.1.1 40000 443 6 1 100 1763640030 1763640090 ACCEPT OK"})
	for _, extra := range [][]string{nil, {"-records"}} {
		args := append(append([]string{"-log-group", "vpc-flow", "-strategy", "get"}, window...), extra...)
		code, out, errOut := runCode(t, c, args...)
		if code != 0 || !strings.Contains(out, "owned") {
			t.Fatalf("%v: exit %d, the record not shown:\n%s%s", extra, code, out, errOut)
		}
		if strings.ContainsAny(out+errOut, "\x1b\x07") {
			t.Errorf("%v: control bytes of a record reach the terminal raw:\n%q", extra, out)
		}
	}
}
