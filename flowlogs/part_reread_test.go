package flowlogs

import (
	"bytes"
	"testing"
)

// TestPartReadTwice: a Part's Reader read through the Part's own SectionReader, whose offset
// it advanced: a second Reader over the same part (a retry after an error)
// silently read no records.
func TestPartReadTwice(t *testing.T) {
	in := synth(DefaultFormat, 200)
	parts, _, err := Split(bytes.NewReader(in), int64(len(in)), 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range parts {
		var counts [2]int
		for k := range counts {
			r := p.NewReader()
			for r.Scan() {
				counts[k]++
			}
			if r.Err() != nil {
				t.Fatal(r.Err())
			}
		}
		if counts[0] == 0 || counts[0] != counts[1] {
			t.Fatalf("part %d: %d records, then %d from a second Reader", i, counts[0], counts[1])
		}
	}
}
