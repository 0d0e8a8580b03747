package netmode_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/netmode"
)

// TestPortLimitTCPAndUDPPlanAgreesWithValidate: 60 TCP and 40 UDP
// static host ports pass the 100 only if the protocols share the limit,
// which Validate calls undocumented ("placement may fail", a warning);
// the plan of the same task must not say placement fails for certain.
func TestPortLimitTCPAndUDPPlanAgreesWithValidate(t *testing.T) {
	var ms []string
	for p := 1000; p < 1060; p++ {
		ms = append(ms, fmt.Sprintf(`{"containerPort": %d, "hostPort": %d}`, p, p))
	}
	for p := 2000; p < 2040; p++ {
		ms = append(ms, fmt.Sprintf(`{"containerPort": %d, "hostPort": %d, "protocol": "udp"}`, p, p))
	}
	td, err := netmode.Load([]byte(`{"family": "mix", "networkMode": "bridge", "containerDefinitions": [{"name": "a", "memory": 128, "portMappings": [`+strings.Join(ms, ",")+`]}]}`), "mix.json")
	if err != nil {
		t.Fatal(err)
	}
	verr := netmode.Validate(td)
	if verr == nil || !strings.Contains(verr.Error(), string(netmode.CodeTooManyHostPortsTCPAndUDP)) || strings.Contains(verr.Error(), string(netmode.CodeTooManyHostPorts)+"]") {
		t.Fatalf("Validate: %v", verr)
	}
	plan, err := netmode.PlanPorts(td, netmode.Host{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Constraint != netmode.PortLimit {
		t.Fatalf("constraint %v", plan.Constraint)
	}
	if !strings.Contains(plan.Reason, "TCP and UDP share") {
		t.Errorf("Validate says placement may fail (a warning: whether TCP and UDP share the limit is not documented), the plan says it fails: %q", plan.Reason)
	}
}
