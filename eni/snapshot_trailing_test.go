package eni

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// TestSnapshotTrailingData: awswire.Walk (and so ElementStart) now
// refuses data after the document, but ReadSnapshot decoded the file
// with one json.Decoder.Decode, which leaves what follows unread. A
// snapshot with a stray byte after it loaded, and an error in one of its
// Describe outputs lost its place in the file: inFile's ElementStart
// found nothing, so the error kept the line of the member's own text
// (line 1) instead of the file's (line 3).
func TestSnapshotTrailingData(t *testing.T) {
	const doc = "{\"describeTasks\": [\n  {\"tasks\": []},\n  {\"tasks\": 5}\n]}\n"
	_, err := ReadSnapshot(strings.NewReader(doc), "snap.json")
	var we *awswire.Error
	if !errors.As(err, &we) || we.Line != 3 {
		t.Fatalf("without trailing data: %v, want an error placed on line 3", err)
	}
	for _, in := range []string{doc + "}\n", "{\"describeTasks\": []}\n}", "{}\n{}\n"} {
		_, err := ReadSnapshot(strings.NewReader(in), "snap.json")
		var we *awswire.Error
		if !errors.As(err, &we) {
			t.Errorf("ReadSnapshot(%q) = %v, want an *awswire.Error", in, err)
			continue
		}
		if want := strings.Count(in[:strings.LastIndexByte(strings.TrimSpace(in), '}')], "\n") + 1; we.Line != want {
			t.Errorf("ReadSnapshot(%q): error at line %d (%v), want line %d, where the data after the document is", in, we.Line, err, want)
		}
	}
}

// TestSnapshotTrailingDataColumn: the data after the document is
// placed at its first byte.
func TestSnapshotTrailingDataColumn(t *testing.T) {
	_, err := ReadSnapshot(strings.NewReader("{}\n  {}\n"), "snap.json")
	var we *awswire.Error
	if !errors.As(err, &we) || we.Line != 2 || we.Column != 3 {
		t.Errorf("ReadSnapshot: %v, want an error at line 2, column 3", err)
	}
}
