package flowlogs

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// The intern tables are bounded in count (maxSymbols) so memory stays
// bounded on hostile input; values up to a line's length (1 MiB) would
// still let them keep 64 Ki values of 1 MiB each. A long value is not
// kept: the Reader's memory does not grow with such input.
func TestInternKeepsNoLongValues(t *testing.T) {
	var in bytes.Buffer
	in.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n")
	for i := range 64 {
		eni := fmt.Sprintf("eni-%d-%s", i, strings.Repeat("a", 16<<10))
		fmt.Fprintf(&in, "2 123456789012 %s 10.0.0.1 10.0.0.2 1 2 6 1 100 1700000000 1700000060 ACCEPT OK\n", eni)
	}
	r := NewReader(&in)
	n := 0
	for r.Scan() {
		if !strings.HasPrefix(r.Record().InterfaceID, fmt.Sprintf("eni-%d-", n)) {
			t.Fatalf("record %d: interface %.20q", n, r.Record().InterfaceID)
		}
		n++
	}
	if r.Err() != nil || n != 64 {
		t.Fatalf("%d records, %v", n, r.Err())
	}
	kept := 0
	if tab := r.syms.t[FieldInterfaceID]; tab != nil {
		for _, s := range tab.strs {
			kept += len(s)
		}
	}
	if kept > 64<<10 {
		t.Errorf("the interface-id table keeps %d bytes after 64 values of 16 KiB", kept)
	}
}
