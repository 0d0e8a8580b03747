package ec2topology

import (
	"strings"
	"testing"
)

// Read refuses input past its bound, naming the file and the bound,
// instead of reading it all into memory.
func TestReadBound(t *testing.T) {
	defer func(m int64) { maxReadBytes = m }(maxReadBytes)
	maxReadBytes = 64
	doc := `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`
	if _, err := Read(strings.NewReader(doc), "vpcs.json"); err != nil {
		t.Fatalf("under the bound: %v", err)
	}
	big := doc + strings.Repeat(" ", 100)
	_, err := Read(strings.NewReader(big), "vpcs.json")
	if err == nil || !strings.Contains(err.Error(), "vpcs.json") || !strings.Contains(err.Error(), "larger than 64 bytes") {
		t.Errorf("Read of %d bytes: %v, want an error naming vpcs.json and the bound", len(big), err)
	}
}
