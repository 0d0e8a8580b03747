package eni

import (
	"strings"
	"testing"
)

// TestSnapshotFormatQuotedShort: a snapshot's format is user data,
// quoted short in the error like every other value (awswire.Quote).
func TestSnapshotFormatQuotedShort(t *testing.T) {
	huge := "ecsnet/eni-snapshot/" + strings.Repeat("v", 2<<20)
	_, err := ReadSnapshot(strings.NewReader(`{"format":"`+huge+`","cluster":"prod"}`), "snap.json")
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "snap.json") {
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		t.Errorf("error of %d bytes: %.200s", len(msg), msg)
	}
}

// TestTakenAtOutsideJSONYears: a takenAt whose offset puts it in
// the year 10000 (or -1) in UTC was taken, and WriteJSON (which writes it
// in UTC) then failed, as did a JSON report of the budget.
func TestTakenAtOutsideJSONYears(t *testing.T) {
	for _, tm := range []string{`"9999-12-31T23:00:00-05:00"`, `"0000-01-01T00:30:00+01:00"`} {
		s, err := ReadSnapshot(strings.NewReader(`{"cluster":"c","takenAt":`+tm+`}`), "snap.json")
		if err == nil {
			var b strings.Builder
			t.Errorf("takenAt %s: taken as %v (WriteJSON: %v), want an error", tm, s.TakenAt, s.WriteJSON(&b))
		} else if !strings.Contains(err.Error(), "takenAt") {
			t.Errorf("takenAt %s: %v, want it placed at takenAt", tm, err)
		}
	}
}
