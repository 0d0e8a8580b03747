package eni

import (
	"strings"
	"testing"
)

// A whole-input reader refuses input past its bound, naming the file and
// the bound, instead of reading it all into memory.
func TestWholeInputBounds(t *testing.T) {
	defer func(s, l int64) { maxSnapshotBytes, maxLimitsJSONBytes = s, l }(maxSnapshotBytes, maxLimitsJSONBytes)
	maxSnapshotBytes, maxLimitsJSONBytes = 64, 64
	big := `{"cluster": "prod", "describeContainerInstances": []}` + strings.Repeat(" ", 100)
	_, err := ReadSnapshot(strings.NewReader(big), "snap.json")
	if err == nil || !strings.Contains(err.Error(), "snap.json") || !strings.Contains(err.Error(), "larger than 64 bytes") {
		t.Errorf("ReadSnapshot of %d bytes: %v, want an error naming snap.json and the bound", len(big), err)
	}
	bigLimits := `[{"instance_type":"x9.large","max_enis":4}]` + strings.Repeat(" ", 100)
	_, err = ParseLimitsJSON(strings.NewReader(bigLimits), "limits.json")
	if err == nil || !strings.Contains(err.Error(), "limits.json") || !strings.Contains(err.Error(), "larger than 64 bytes") {
		t.Errorf("ParseLimitsJSON of %d bytes: %v, want an error naming limits.json and the bound", len(bigLimits), err)
	}
	// At the bound, both still read.
	if _, err := ReadSnapshot(strings.NewReader(big[:64]), "snap.json"); err != nil {
		t.Errorf("ReadSnapshot at the bound: %v", err)
	}
	if _, err := ParseLimitsJSON(strings.NewReader(bigLimits[:64]), "limits.json"); err != nil {
		t.Errorf("ParseLimitsJSON at the bound: %v", err)
	}
}
