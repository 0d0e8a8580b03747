package attribution

import (
	"errors"
	"strings"
	"testing"
)

// TestMergeOverflowMessage: Merge refusing parts whose totals add up
// past 2^64-1 said "record 1 would make the bytes total pass 2^64-1; it
// and every later record were not counted", the message of a record
// refused by an Attributor: no record is refused, nothing was counted in
// part (Merge returns no sum), and the record number is meaningless.
func TestMergeOverflowMessage(t *testing.T) {
	a := newTestEngine().partial()
	big := *a
	big.Total.Records = ^uint64(0)
	_, err := Merge(&big, &big)
	var oe *OverflowError
	if !errors.As(err, &oe) || oe.Field != "records" {
		t.Fatalf("got %v, want an *OverflowError of records", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "record ") || strings.Contains(msg, "not counted") || !strings.Contains(msg, "records total") ||
		!strings.Contains(msg, "partial 2") || strings.Count(msg, "attribution:") != 1 {
		t.Errorf("message %q: want the partial named, its sum's records total said to pass 2^64-1, and no record", msg)
	}
}
