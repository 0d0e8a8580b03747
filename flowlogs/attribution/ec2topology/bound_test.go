package ec2topology

import "testing"

// TestDocumentedBound: Read's doc says it refuses more than 1 GiB;
// TestReadBound lowers the variable, so the figure is checked here.
func TestDocumentedBound(t *testing.T) {
	if MaxSize != 1<<30 || maxReadBytes != MaxSize {
		t.Errorf("Read's bound %d (variable %d), want 1 GiB as its doc says", MaxSize, maxReadBytes)
	}
}
