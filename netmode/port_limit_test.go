package netmode

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// staticPorts is n bridge mappings with static host ports from first up.
func staticPorts(first int32, n int, proto types.TransportProtocol) []types.PortMapping {
	var ms []types.PortMapping
	for p := first; p < first+int32(n); p++ {
		ms = append(ms, types.PortMapping{ContainerPort: aws.Int32(p), HostPort: aws.Int32(p), Protocol: proto})
	}
	return ms
}

// TestTooManyStaticHostPorts: [API] PortMapping.hostPort: "A container
// instance can have up to 100 reserved ports at a time. This number includes
// the default reserved ports" (reference §4: "Budget for static ports on
// Linux with the default list: 100 - 5 = 95"). A task whose one copy needs
// 96 static TCP host ports can be placed on no instance with the default
// agent settings: PlanPorts says so (port-limit, 0 copies), but Validate,
// whose errors are "what can never run", said nothing.
func TestTooManyStaticHostPorts(t *testing.T) {
	for _, c := range []struct {
		name string
		td   *types.TaskDefinition
		host *Host
		code Code
		sev  Severity
		path string
	}{
		{"bridge 96 tcp", td("bridge", ctr("a", staticPorts(1000, 50, "")...), ctr("b", staticPorts(2000, 46, "")...)), nil,
			CodeTooManyHostPorts, SeverityError, "containerDefinitions[1].portMappings[45].hostPort"},
		{"host 96 tcp", td("host", ctr("a", staticPorts(1000, 96, "")...)), nil,
			CodeTooManyHostPorts, SeverityError, "containerDefinitions[0].portMappings[95].containerPort"},
		{"custom reserved list of 10", td("bridge", ctr("a", staticPorts(1000, 91, "")...)), &Host{ReservedTCP: []uint16{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
			CodeTooManyHostPorts, SeverityError, "containerDefinitions[0].portMappings[90].hostPort"},
		{"tcp and udp together", td("bridge", ctr("a", append(staticPorts(1000, 60, ""), staticPorts(3000, 40, "udp")...)...)), nil,
			CodeTooManyHostPortsTCPAndUDP, SeverityWarning, "containerDefinitions[0].portMappings[95].hostPort"},
	} {
		var opts []Option
		host := Host{}
		if c.host != nil {
			opts, host = append(opts, WithHost(*c.host)), *c.host
		}
		plan, err := PlanPorts(c.td, host)
		if err != nil || plan.Copies != 0 || plan.Constraint != PortLimit {
			t.Fatalf("%s: the test case should not fit by PlanPorts: %v %v", c.name, plan, err)
		}
		var ps Problems
		if !errors.As(Validate(c.td, opts...), &ps) {
			t.Errorf("%s: Validate found no problem; PlanPorts says no copy fits (%s)", c.name, plan.Reason)
			continue
		}
		p := findProblem(ps, c.path, c.code)
		if p == nil || p.Severity != c.sev || !strings.Contains(p.Message, "100") {
			t.Errorf("%s: want %s %s at %s naming the limit, got %v", c.name, c.sev, c.code, c.path, ps)
		}
	}
	// 95 static ports with the 5 default reserved ones is exactly the limit.
	if err := Validate(td("bridge", ctr("a", staticPorts(1000, 95, "")...))); err != nil {
		t.Errorf("95 static ports: %v", err)
	}
}
