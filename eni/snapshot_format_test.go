package eni_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni"
)

// TestNewerSnapshotSaysFormat: a snapshot a later ecsnet wrote
// ("ecsnet/eni-snapshot/v2") is refused for its format, whatever its
// members hold: not as a bare Describe output (a v2 holding "tasks"), nor
// with a type error in a member that v2 may have changed.
func TestNewerSnapshotSaysFormat(t *testing.T) {
	for name, doc := range map[string]string{
		"tasks member":     `{"format": "ecsnet/eni-snapshot/v2", "cluster": "prod", "tasks": []}`,
		"cluster object":   `{"format": "ecsnet/eni-snapshot/v2", "cluster": {"name": "prod"}}`,
		"takenAt a number": `{"format": "ecsnet/eni-snapshot/v2", "cluster": "prod", "takenAt": 1795000000}`,
	} {
		_, err := eni.ReadSnapshot(strings.NewReader(doc), "snap.json")
		if err == nil || !strings.Contains(err.Error(), "snap.json") || !strings.Contains(err.Error(), `"ecsnet/eni-snapshot/v2"`) {
			t.Errorf("%s: %v, want an error naming snap.json and its format", name, err)
		}
	}
}
