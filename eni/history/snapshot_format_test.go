package history

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni"
)

// TestNewerSnapshotFormatRefused: a cluster snapshot of a format
// this version does not know (a later ecsnet's "ecsnet/eni-snapshot/v2")
// must be refused naming the file and the format, as eni.ReadSnapshot
// refuses it, not read as if it were v1 (its tasks taken at face value)
// nor skipped without a word (its members renamed: nothing read).
func TestNewerSnapshotFormatRefused(t *testing.T) {
	task := docTask("a", "eni-a", "10.0.0.1", "")
	for name, doc := range map[string]string{
		"v1's members":  `{"format":"ecsnet/eni-snapshot/v2","cluster":"prod","describeTasks":[{"tasks":[` + task + `],"failures":[]}]}`,
		"other members": `{"format":"ecsnet/eni-snapshot/v2","cluster":"prod","snapshot":{"tasks":[` + task + `]}}`,
	} {
		b := NewBuilder()
		st, err := b.Load(strings.NewReader(doc), "snap.json")
		if err == nil || !strings.Contains(err.Error(), "snap.json") || !strings.Contains(err.Error(), `"ecsnet/eni-snapshot/v2"`) {
			t.Errorf("%s: err %v (stats %+v), want an error naming snap.json and format \"ecsnet/eni-snapshot/v2\"", name, err, st)
		}
		if st.Tasks != 0 {
			t.Errorf("%s: %d tasks read from a snapshot of an unknown format", name, st.Tasks)
		}
	}
}

// The Decoder's snapshot format is package eni's.
func TestSnapshotFormatIsENIs(t *testing.T) {
	if snapshotFormat != eni.SnapshotFormat {
		t.Errorf("history reads snapshot format %q, eni writes %q", snapshotFormat, eni.SnapshotFormat)
	}
}
