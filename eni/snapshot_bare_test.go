package eni_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni"
)

// A bare `aws ecs describe-container-instances` output is the file a user
// has at hand; ReadSnapshot used to take it as an empty snapshot (its
// members are unknown and ignored), and Analyze then reported a budget of 0
// for a cluster of two instances, without a word.
func TestReadSnapshotBareDescribeOutput(t *testing.T) {
	for _, in := range []string{
		`{"containerInstances": [{"containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/a", "status": "ACTIVE",
		  "attributes": [{"name": "ecs.instance-type", "value": "c5.large"}]}], "failures": []}`,
		`{"tasks": [], "failures": []}`,
		`{"taskDefinition": {"family": "web", "networkMode": "awsvpc"}}`,
	} {
		s, err := eni.ReadSnapshot(strings.NewReader(in), "dci.json")
		var se *eni.SnapshotError
		if !errors.As(err, &se) {
			t.Fatalf("ReadSnapshot(bare Describe output) = %v, %v; want a *SnapshotError", s, err)
		}
		if !strings.Contains(err.Error(), "describe") {
			t.Errorf("error %q does not say how to wrap the output", err)
		}
	}
}
