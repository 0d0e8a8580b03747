package netmode

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestSkippedMappingsAreNotNoMappings: a bridge task whose only port
// mapping has no valid containerPort (ECS rejects it: "Invalid
// 'containerPort' setting") was planned with the reason "the task has no
// port mappings", beside a note saying its mapping was skipped.
func TestSkippedMappingsAreNotNoMappings(t *testing.T) {
	td := taskDef("bridge", []types.PortMapping{{HostPort: aws.Int32(15000)}})
	p, err := PlanPorts(td, Host{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notes) != 1 || strings.Contains(p.Reason, "has no port mappings") {
		t.Errorf("reason %q, notes %q: want the skipped mapping noted and not called absent", p.Reason, p.Notes)
	}
}
