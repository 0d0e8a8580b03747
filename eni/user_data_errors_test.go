package eni

import (
	"strings"
	"testing"
)

// A takenAt that is no time is quoted in the error: short, whatever its
// size (a 2 MiB object or number).
func TestSnapshotBadTakenAtQuotedShort(t *testing.T) {
	huge := strings.Repeat("9", 2<<20)
	for _, v := range []string{huge, `{"x":"` + huge + `"}`, `"` + huge + `"`} {
		_, err := ReadSnapshot(strings.NewReader(`{"cluster":"c","takenAt":`+v+`}`), "snap.json")
		if err == nil {
			t.Fatal("no error for a bad takenAt")
		}
		if msg := err.Error(); len(msg) > 300 || !strings.Contains(msg, "takenAt") {
			t.Errorf("error of %d bytes: %.200s", len(msg), msg)
		}
	}
}

// A line longer than the TSV reader's 1 MiB bound is an error placed at
// its line, like every other mistake in the file.
func TestLimitsTSVLongLinePlaced(t *testing.T) {
	in := "instance_type\tmax_enis\nx1.large\t2\n# " + strings.Repeat("n", 2<<20) + "\nx2.large\t3\n"
	_, err := ParseLimitsTSV(strings.NewReader(in), "limits.tsv")
	if err == nil || !strings.Contains(err.Error(), "limits.tsv:3:") {
		t.Errorf("err = %v, want it at limits.tsv:3", err)
	}
}

// Column names and values from the file are quoted in errors, short and
// without control bytes: a header cell or a value is user data.
func TestLimitsErrorsQuoteUserData(t *testing.T) {
	huge := strings.Repeat("9x", 300<<10)
	for _, c := range []struct{ tsv, json string }{
		{tsv: "instance_type\tmax_enis\t\x1b[2J\n"},
		{tsv: "instance_type\tmax_enis\t" + huge + "\n"},
		{tsv: "instance_type\tmax_enis\nx1.large\t" + huge + "\n"},
		{tsv: "instance_type\tmax_enis\tbare_metal\nx1.large\t2\t" + huge + "\n"},
		{json: `[{"instance_type":"x1.large","max_enis":2,"\u001b[2J":1}]`},
		{json: `[{"instance_type":"x1.large","max_enis":"` + huge + `"}]`},
	} {
		var err error
		if c.tsv != "" {
			_, err = ParseLimitsTSV(strings.NewReader(c.tsv), "limits")
		} else {
			_, err = ParseLimitsJSON(strings.NewReader(c.json), "limits")
		}
		if err == nil {
			t.Fatalf("%.60q: no error", c.tsv+c.json)
		}
		if msg := err.Error(); len(msg) > 400 || strings.ContainsRune(msg, 0x1b) {
			t.Errorf("%.60q: error of %d bytes: %.200q", c.tsv+c.json, len(msg), msg)
		}
	}
}
