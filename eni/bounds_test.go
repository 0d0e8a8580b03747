package eni

import "testing"

// TestDocumentedBounds: ReadSnapshot's doc says input larger than
// 1 GiB is refused, ParseLimitsJSON's that it refuses more than 16 MiB;
// the tests of the refusals lower the variables, so the figures the docs
// give are checked here.
func TestDocumentedBounds(t *testing.T) {
	if MaxSnapshotSize != 1<<30 || maxSnapshotBytes != MaxSnapshotSize {
		t.Errorf("snapshot bound %d (variable %d), want 1 GiB as ReadSnapshot's doc says", MaxSnapshotSize, maxSnapshotBytes)
	}
	if MaxLimitsSize != 16<<20 || maxLimitsJSONBytes != MaxLimitsSize {
		t.Errorf("limits bound %d (variable %d), want 16 MiB as ParseLimitsJSON's doc says", MaxLimitsSize, maxLimitsJSONBytes)
	}
}
