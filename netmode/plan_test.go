package netmode

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// pm builds a port mapping: hostPort < 0 means omitted.
func pm(containerPort, hostPort int32, proto types.TransportProtocol) types.PortMapping {
	m := types.PortMapping{ContainerPort: aws.Int32(containerPort), Protocol: proto}
	if hostPort >= 0 {
		m.HostPort = aws.Int32(hostPort)
	}
	return m
}

func rangeMapping(r string) types.PortMapping {
	return types.PortMapping{ContainerPortRange: aws.String(r)}
}

func taskDef(mode types.NetworkMode, containers ...[]types.PortMapping) *types.TaskDefinition {
	td := &types.TaskDefinition{NetworkMode: mode}
	for i, ms := range containers {
		td.ContainerDefinitions = append(td.ContainerDefinitions, types.ContainerDefinition{
			Name: aws.String([]string{"web", "sidecar", "third"}[i]), PortMappings: ms,
		})
	}
	return td
}

func ports(n int, from uint16) []uint16 {
	var ps []uint16
	for i := 0; i < n; i++ {
		ps = append(ps, from+uint16(i))
	}
	return ps
}

func TestPlanPorts(t *testing.T) {
	tests := []struct {
		name       string
		td         *types.TaskDefinition
		host       Host
		copies     int
		constraint Constraint
		static     int
		dynamic    int
		reason     string
	}{
		{"awsvpc unbounded", taskDef("awsvpc", []types.PortMapping{pm(80, 80, "")}), Host{}, Unbounded, NoPortConstraint, 0, 0, "ENI"},
		{"none unbounded", taskDef("none"), Host{}, Unbounded, NoPortConstraint, 0, 0, "no host ports"},
		{"bridge no mappings", taskDef("bridge", nil), Host{}, Unbounded, NoPortConstraint, 0, 0, "no port mappings"},
		{"host no mappings", taskDef("host", nil), Host{}, Unbounded, NoPortConstraint, 0, 0, "no port mappings"},
		{"host with ports", taskDef("host", []types.PortMapping{pm(8080, -1, ""), pm(8125, 8125, "udp")}), Host{}, 1, StaticHostPort, 2, 0, "host mode"},
		{"bridge static", taskDef("", []types.PortMapping{pm(80, 8080, "")}), Host{}, 1, StaticHostPort, 1, 0, "8080/tcp"},
		// The default ranges hold the reserved agent ports 51678 and 51679.
		{"bridge dynamic default range", taskDef("bridge", []types.PortMapping{pm(80, 0, "")}), Host{}, 28232 - 2, DynamicPortRange, 0, 1, "32768-60999"},
		{"bridge dynamic two ports", taskDef("bridge", []types.PortMapping{pm(80, -1, "")}, []types.PortMapping{pm(9000, 0, "")}), Host{DynamicRange: PortRange{100, 199}}, 50, DynamicPortRange, 0, 2, "2 dynamic"},
		{"bridge dynamic tcp+udp independent", taskDef("bridge", []types.PortMapping{pm(53, 0, "tcp"), pm(53, 0, "udp")}), Host{DynamicRange: PortRange{100, 109}}, 10, DynamicPortRange, 0, 2, ""},
		{"bridge dynamic minus in use", taskDef("bridge", []types.PortMapping{pm(80, 0, "")}), Host{DynamicRange: PortRange{100, 109}, InUseTCP: []uint16{22, 100, 105}}, 8, DynamicPortRange, 0, 1, ""},
		{"bridge range needs contiguous block", taskDef("bridge", []types.PortMapping{rangeMapping("7000-7004")}), Host{DynamicRange: PortRange{100, 119}, InUseTCP: []uint16{103, 110}}, 2, DynamicPortRange, 0, 5, ""},
		// The agent maps containerPortRange dynamically in "default/bridge/nat
		// network modes" (aws/amazon-ecs-agent#3506): 10 contiguous ports a copy.
		{"windows default port range", with(taskDef("", []types.PortMapping{rangeMapping("8000-8009")}), windows), Host{OS: Windows, DynamicRange: PortRange{100, 124}}, 2, DynamicPortRange, 0, 10, "10 dynamic host ports"},
		{"bridge windows range", taskDef("", []types.PortMapping{pm(80, 0, "")}), Host{OS: Windows}, 16384 - 2, DynamicPortRange, 0, 1, "49152-65535"},
		{"bridge static+dynamic", taskDef("bridge", []types.PortMapping{pm(80, 8080, ""), pm(81, 0, "")}), Host{}, 1, StaticHostPort, 1, 1, ""},
		{"static on reserved port", taskDef("bridge", []types.PortMapping{pm(22, 22, "")}), Host{}, 0, ReservedPort, 1, 0, "RESOURCE:PORTS"},
		// A non-nil empty list is no reserved ports: what an instance that
		// registered no PORTS resource has (HostFromContainerInstance). No
		// agent setting gives it: ECS_RESERVED_PORTS=[] keeps the defaults.
		{"static on replaced reserved list", taskDef("bridge", []types.PortMapping{pm(22, 22, "")}), Host{ReservedTCP: []uint16{}}, 1, StaticHostPort, 1, 0, ""},
		{"reserved udp", taskDef("bridge", []types.PortMapping{pm(53, 53, "udp")}), Host{ReservedUDP: []uint16{53}}, 0, ReservedPort, 1, 0, "53/udp"},
		{"tcp reserved doesn't block udp", taskDef("bridge", []types.PortMapping{pm(22, 22, "udp")}), Host{}, 1, StaticHostPort, 1, 0, ""},
		{"static in use", taskDef("host", []types.PortMapping{pm(8080, 8080, "")}), Host{InUseTCP: []uint16{22, 8080}}, 0, PortInUse, 1, 0, "already in use"},
		{"self conflict", taskDef("bridge", []types.PortMapping{pm(80, 8080, "")}, []types.PortMapping{pm(81, 8080, "")}), Host{}, 0, SelfConflict, 2, 0, "mapped twice"},
		{"100 port limit", taskDef("bridge", []types.PortMapping{pm(80, 8080, ""), pm(81, 8081, "")}), Host{InUseTCP: ports(94, 10000)}, 0, PortLimit, 2, 0, "Too many ports registered"},
		{"100 port limit exactly", taskDef("bridge", []types.PortMapping{pm(80, 8080, "")}), Host{InUseTCP: ports(94, 10000)}, 1, StaticHostPort, 1, 0, ""},
		{"dynamic ports ignore 100 limit", taskDef("bridge", []types.PortMapping{pm(80, 0, "")}), Host{InUseTCP: ports(95, 10000), DynamicRange: PortRange{100, 101}}, 2, DynamicPortRange, 0, 1, ""},
		{"static + dynamic range exhausted", taskDef("bridge", []types.PortMapping{pm(80, 8080, ""), pm(81, 0, "")}), Host{DynamicRange: PortRange{100, 100}, InUseTCP: []uint16{100}}, 0, DynamicPortRange, 1, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := PlanPorts(tt.td, tt.host)
			if err != nil {
				t.Fatal(err)
			}
			if p.Copies != tt.copies || p.Constraint != tt.constraint {
				t.Errorf("got %d copies (%v), want %d (%v): %s", p.Copies, p.Constraint, tt.copies, tt.constraint, p.Reason)
			}
			if p.StaticPorts() != tt.static || p.DynamicPorts() != tt.dynamic {
				t.Errorf("got %d static + %d dynamic, want %d + %d", p.StaticPorts(), p.DynamicPorts(), tt.static, tt.dynamic)
			}
			if !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("reason %q doesn't mention %q", p.Reason, tt.reason)
			}
		})
	}
}

func TestPlanPortsErrors(t *testing.T) {
	if _, err := PlanPorts(nil, Host{}); err == nil {
		t.Error("nil td: want error")
	}
	if _, err := PlanPorts(taskDef("nat"), Host{}); err == nil {
		t.Error("unknown mode: want error")
	}
	if _, err := PlanPorts(taskDef("bridge"), Host{DynamicRange: PortRange{200, 100}}); err == nil || !strings.Contains(err.Error(), "Host.DynamicRange 200-100") {
		t.Errorf("bad range: err = %v, want an error naming Host.DynamicRange", err)
	}
	p, err := PlanPorts(taskDef("bridge", []types.PortMapping{rangeMapping("9-1"), pm(0, 0, "")}), Host{})
	if err != nil || len(p.Notes) != 2 {
		t.Errorf("unusable mappings: got %v, notes %q", err, p.Notes)
	}
}

func TestParseAgentPortSettings(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    []uint16
		wantNil bool
		wantErr bool
	}{
		{"", nil, true, false},
		{"  ", nil, true, false},
		{"null", nil, true, false},
		// The agent's Config.Merge fills an empty list with the default
		// (utils.ZeroOrNil is true for a slice of length 0), so "[]" is
		// no setting, like a blank value. (This row wanted an empty,
		// non-nil slice, "no reserved ports", before the agent's Merge
		// was taken into account.)
		{"[]", nil, true, false},
		{" [ ] ", nil, true, false},
		{"[22, 80, 5000, 8080]", []uint16{22, 80, 5000, 8080}, false, false},
		{"22,80", nil, true, true},
		{"[70000]", nil, true, true},
	} {
		got, err := ParseReservedPorts(tt.in)
		if (err != nil) != tt.wantErr || (got == nil) != tt.wantNil || len(got) != len(tt.want) {
			t.Errorf("ParseReservedPorts(%q) = %v, %v", tt.in, got, err)
		}
	}
	for _, tt := range []struct {
		in   string
		want PortRange
		ok   bool
	}{
		{"100-200", PortRange{100, 200}, true},
		{" 32768-60999 ", PortRange{32768, 60999}, true},
		// The agent reads the range with nat.ParsePortRangeToInt, which
		// doesn't trim either side.
		{"100 - 200", PortRange{}, false},
		{"100- 200", PortRange{}, false},
		{"5000", PortRange{5000, 5000}, true},
		{"200-100", PortRange{}, false},
		{"0-100", PortRange{}, false},
		{"100-65536", PortRange{}, false},
		{"a-b", PortRange{}, false},
		{"", PortRange{}, false},
	} {
		got, err := ParseDynamicHostPortRange(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseDynamicHostPortRange(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// The agent reads ECS_RESERVED_PORTS with json.Decoder into []uint16 and then
// merges its defaults into every field for which utils.ZeroOrNil is true;
// ZeroOrNil is true for a slice of length 0 (agent/config/config.go Merge,
// agent/utils/utils.go ZeroOrNil). So ECS_RESERVED_PORTS=[] leaves the default
// list [22 2375 2376 51678 51679] in force; it does not clear it.
func TestReservedPortsEmptyArrayKeepsAgentDefaults(t *testing.T) {
	got, err := ParseReservedPorts("[]")
	if err != nil {
		t.Fatal(err)
	}
	if got != nil {
		t.Errorf(`ParseReservedPorts("[]") = %#v; the agent treats an empty list as unset and keeps its default list, so want nil`, got)
	}
	h := Host{ReservedTCP: got}
	p, err := PlanPorts(taskDef("bridge", []types.PortMapping{pm(22, 22, "")}), h)
	if err != nil {
		t.Fatal(err)
	}
	if p.Constraint != ReservedPort || p.Copies != 0 {
		t.Errorf("hostPort 22 with ECS_RESERVED_PORTS=[]: plan %d copies (%v), want 0 (reserved-port): 22 stays reserved", p.Copies, p.Constraint)
	}
}

// Port 0 is not a host port: ParseDynamicHostPortRange rejects it, so a Host
// literal with DynamicRange{0, 9} is an invalid Host (PlanPorts' doc: "It
// returns an error only for ... an invalid Host"), not 10 usable ports.
func TestDynamicRangeIncludingPortZero(t *testing.T) {
	for _, r := range []PortRange{{0, 9}, {0, 65535}} {
		p, err := PlanPorts(taskDef("bridge", []types.PortMapping{pm(80, 0, "")}), Host{DynamicRange: r, ReservedTCP: []uint16{}})
		if err == nil || !strings.Contains(err.Error(), "Host.DynamicRange "+r.String()) || !strings.Contains(err.Error(), "port 0") {
			t.Errorf("DynamicRange %v: plan %d copies, err %v; want an invalid-Host error naming Host.DynamicRange and port 0", r, p.Copies, err)
		}
	}
	// The zero range is the OS default, not a range from port 0.
	if _, err := PlanPorts(taskDef("bridge", []types.PortMapping{pm(80, 0, "")}), Host{DynamicRange: PortRange{}}); err != nil {
		t.Errorf("zero DynamicRange: %v", err)
	}
	p, err := PlanPorts(taskDef("bridge", []types.PortMapping{pm(80, 0, "")}), Host{DynamicRange: PortRange{1, 9}, ReservedTCP: []uint16{}})
	if err != nil || p.Copies != 9 {
		t.Errorf("DynamicRange 1-9: %d copies, %v; want 9", p.Copies, err)
	}
}

func TestParseContainerPortRange(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want PortRange
		ok   bool
	}{
		{"8000-8010", PortRange{8000, 8010}, true},
		{"1-65535", PortRange{1, 65535}, true},
		// The agent parses containerPortRange with nat.ParsePortRangeToInt
		// (agent/utils/ephemeral_ports.go): strconv.ParseUint on each side,
		// no trimming.
		{" 8000 - 8010", PortRange{}, false},
		{"8000-8010 ", PortRange{}, false},
		{"8000 -8010", PortRange{}, false},
		{"8000-8000", PortRange{}, false},
		{"9000-8000", PortRange{}, false},
		{"0-10", PortRange{}, false},
		{"8000-65536", PortRange{}, false},
		{"8000", PortRange{}, false},
		{"+8000-8010", PortRange{}, false},
	} {
		got, err := ParseContainerPortRange(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseContainerPortRange(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestProtocolText(t *testing.T) {
	for _, p := range []Protocol{TCP, UDP, 0, 1} {
		b, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Protocol
		if err := back.UnmarshalText(b); err != nil || back != p {
			t.Errorf("round trip %v (%s): got %v, %v", p, b, back, err)
		}
	}
	for _, in := range []string{"", "TCP", "sctp", "proto(256)", "proto(-1)", "proto(6"} {
		var p Protocol
		if err := p.UnmarshalText([]byte(in)); err == nil || !strings.Contains(err.Error(), "unknown protocol") {
			t.Errorf("UnmarshalText(%q) = %v (%v), want an error", in, err, p)
		}
	}
}

func TestConstraintText(t *testing.T) {
	for c := range Constraint(len(constraintNames) + 1) {
		b, err := c.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Constraint
		if err := back.UnmarshalText(b); err != nil || back != c {
			t.Errorf("round trip %v (%s): got %v, %v", c, b, back, err)
		}
	}
	var c Constraint
	if err := c.UnmarshalText([]byte("Reserved-Port")); err == nil || !strings.Contains(err.Error(), "unknown constraint") {
		t.Errorf("UnmarshalText(Reserved-Port) = %v, want an error", err)
	}
}

func TestHostFromContainerInstance(t *testing.T) {
	res := func(name string, ps ...string) types.Resource {
		return types.Resource{Name: aws.String(name), Type: aws.String("STRINGSET"), StringSetValue: ps}
	}
	ci := &types.ContainerInstance{
		Attributes:          []types.Attribute{{Name: aws.String("ecs.os-type"), Value: aws.String("windows")}},
		RegisteredResources: []types.Resource{res("PORTS", "53", "3389"), res("PORTS_UDP")},
		RemainingResources:  []types.Resource{res("PORTS", "53", "3389", "8080"), res("PORTS_UDP", "8125")},
	}
	h, err := HostFromContainerInstance(ci)
	if err != nil {
		t.Fatal(err)
	}
	if h.OS != Windows || len(h.ReservedTCP) != 2 || len(h.InUseTCP) != 3 || len(h.InUseUDP) != 1 || h.ReservedUDP == nil {
		t.Errorf("got %+v", h)
	}
	p, err := PlanPorts(taskDef("", []types.PortMapping{pm(80, 8080, "")}), h)
	if err != nil || p.Constraint != PortInUse || p.Registered != 4 {
		t.Errorf("plan = %+v, %v", p, err)
	}
	ci.RemainingResources = []types.Resource{res("PORTS", "http")}
	if _, err := HostFromContainerInstance(ci); err == nil || !strings.Contains(err.Error(), "remainingResources[0].stringSetValue[0]") {
		t.Errorf("bad port: err = %v", err)
	}
}
