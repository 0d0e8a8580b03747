package netmode

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestDynamicCursorSharedByProtocols: the agent keeps one
// last-assigned host port for TCP and UDP alike ([AGENT]
// agent/utils/ephemeral_ports.go, tracker). A copy of a 10-port UDP range
// and one TCP port on range 100-199 advances that one scan by 11 ports, so
// the agent places 9 copies (UDP 100-109, TCP 110, UDP 111-120, ... UDP
// 188-197, TCP 198; the 10th needs 10 contiguous UDP ports and finds only
// the single ports 110, 121, ... 199). PlanPorts kept a scan per protocol
// and said 10 copies fit.
func TestDynamicCursorSharedByProtocols(t *testing.T) {
	td := taskDef("bridge", []types.PortMapping{
		{ContainerPortRange: aws.String("5000-5009"), Protocol: types.TransportProtocolUdp},
		pm(80, 0, ""),
	})
	p, err := PlanPorts(td, Host{DynamicRange: PortRange{100, 199}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Copies != 9 || p.Constraint != DynamicPortRange {
		t.Errorf("got %d copies (%v), want 9 (dynamic-port-range): %s", p.Copies, p.Constraint, p.Reason)
	}
}

// TestDynamicPortsInTaskOrder: the agent assigns a container's
// dynamic host ports mapping by mapping, in order ([AGENT]
// agent/api/task/task.go dockerPortMap). Range 100-114 with 105 and 108 in
// use, one TCP port then a 5-port TCP range: the first copy gets 100 and
// 109-113, the second 114 and then finds no 5 contiguous free ports (101-104,
// 106-107 are left), so one copy fits. PlanPorts handed out the range first
// (100-104, then 106; 109-113, then 114) and said two fit.
func TestDynamicPortsInTaskOrder(t *testing.T) {
	td := taskDef("bridge", []types.PortMapping{pm(80, 0, ""), rangeMapping("7000-7004")})
	p, err := PlanPorts(td, Host{DynamicRange: PortRange{100, 114}, InUseTCP: []uint16{105, 108}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Copies != 1 || p.Constraint != DynamicPortRange {
		t.Errorf("got %d copies (%v), want 1 (dynamic-port-range): %s", p.Copies, p.Constraint, p.Reason)
	}
}
