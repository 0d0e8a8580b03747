package netmode

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Protocol is a port-mapping transport protocol, numbered as in IP (and VPC
// Flow Logs): 6 for TCP, 17 for UDP. The zero value is not a protocol.
type Protocol uint8

const (
	TCP Protocol = 6
	UDP Protocol = 17
)

func (p Protocol) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return "proto(" + strconv.Itoa(int(p)) + ")"
}

// ProtocolOf maps a port mapping's protocol to a Protocol. ECS defaults an
// omitted protocol to tcp and "treats any other specified value as tcp"
// ([API] PortMapping.protocol), so only "udp" is UDP.
func ProtocolOf(p types.TransportProtocol) Protocol {
	if p == types.TransportProtocolUdp {
		return UDP
	}
	return TCP
}

// PortRange is an inclusive range of ports. The zero value is empty.
type PortRange struct {
	First, Last uint16
}

// IsZero reports whether r is the zero PortRange.
func (r PortRange) IsZero() bool { return r == PortRange{} }

// Len is the number of ports in r (0 for the zero range or First > Last).
func (r PortRange) Len() int {
	if r.IsZero() || r.First > r.Last {
		return 0
	}
	return int(r.Last) - int(r.First) + 1
}

// Contains reports whether p is in r.
func (r PortRange) Contains(p uint16) bool { return r.Len() > 0 && p >= r.First && p <= r.Last }

// Overlaps reports whether r and o share a port.
func (r PortRange) Overlaps(o PortRange) bool {
	return r.Len() > 0 && o.Len() > 0 && r.First <= o.Last && o.First <= r.Last
}

// String formats r as ECS does ("8000-8010"), or a single port as "8000".
func (r PortRange) String() string {
	if r.First == r.Last {
		return strconv.Itoa(int(r.First))
	}
	return strconv.Itoa(int(r.First)) + "-" + strconv.Itoa(int(r.Last))
}

// ParseContainerPortRange parses a port mapping's containerPortRange
// ("first-last"). ECS requires 1 <= first < last <= 65535 ([API]
// PortMapping.containerPortRange).
func ParseContainerPortRange(s string) (PortRange, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return PortRange{}, fmt.Errorf("netmode: containerPortRange %q: want \"first-last\"", s)
	}
	first, err1 := parsePort(a)
	last, err2 := parsePort(b)
	if err1 != nil || err2 != nil {
		return PortRange{}, fmt.Errorf("netmode: containerPortRange %q: ports must be integers between 1 and 65535", s)
	}
	if first >= last {
		return PortRange{}, fmt.Errorf("netmode: containerPortRange %q: the first port must be less than the last", s)
	}
	return PortRange{first, last}, nil
}

func parsePort(s string) (uint16, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("netmode: port %q: want an integer between 1 and 65535", s)
	}
	return uint16(n), nil
}

// Default reserved and dynamic ports of the ECS container agent (reference §3
// and §4; [AGENT] agent/config/config_unix.go, config_windows.go,
// agent/utils/ephemeral_ports*.go).
var (
	// LinuxReservedPorts is the Linux agent's default ECS_RESERVED_PORTS:
	// SSH, the Docker daemon ports and the agent's introspection and
	// credentials ports. The API docs call 51678-51680 reserved, but the
	// agent adds 51680 (Prometheus metrics) only when
	// ECS_ENABLE_PROMETHEUS_METRICS=true.
	LinuxReservedPorts = []uint16{22, 2375, 2376, 51678, 51679}

	// WindowsReservedPorts is the Windows agent's default list. The agent
	// also reserves 80 when IAM roles for tasks are enabled.
	WindowsReservedPorts = []uint16{53, 135, 139, 445, 2375, 2376, 3389, 5985, 5986, 51678, 51679}

	// LinuxDynamicRange is the kernel's default ip_local_port_range, which
	// the agent (>= 1.70.0) uses when ECS_DYNAMIC_HOST_PORT_RANGE is unset.
	// Older docs cite 32768-61000 for the ECS-optimized AMI.
	LinuxDynamicRange = PortRange{32768, 60999}

	// LinuxFallbackDynamicRange is used when ip_local_port_range can't be read.
	LinuxFallbackDynamicRange = PortRange{49153, 65535}

	// WindowsDynamicRange is hard-coded in the Windows agent.
	WindowsDynamicRange = PortRange{49152, 65535}
)

// MaxReservedPorts is ECS's limit of reserved ports per container instance:
// the agent's reserved list plus every static host port of running bridge
// and host tasks. Dynamically assigned ports don't count ([API]
// PortMapping.hostPort). Placement past it fails with "Too many ports
// registered".
const MaxReservedPorts = 100

// DefaultReservedPorts returns a copy of the agent's default reserved TCP
// ports for os.
func DefaultReservedPorts(os OSFamily) []uint16 {
	if os == Windows {
		return slices.Clone(WindowsReservedPorts)
	}
	return slices.Clone(LinuxReservedPorts)
}

// DefaultDynamicRange returns the dynamic host port range the agent uses for
// os when ECS_DYNAMIC_HOST_PORT_RANGE is unset (Linux: the kernel default).
func DefaultDynamicRange(os OSFamily) PortRange {
	if os == Windows {
		return WindowsDynamicRange
	}
	return LinuxDynamicRange
}

// ParseReservedPorts parses an ECS_RESERVED_PORTS or ECS_RESERVED_PORTS_UDP
// value the way the agent does: a JSON array of ports such as
// "[22, 2375, 2376, 51678, 51679]". A blank value returns (nil, nil): the
// agent then keeps its default list. "[]" returns an empty, non-nil slice:
// the variable replaces the default list, it doesn't add to it.
func ParseReservedPorts(s string) ([]uint16, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var ports []uint16
	if err := json.Unmarshal([]byte(s), &ports); err != nil {
		return nil, fmt.Errorf("netmode: reserved ports %q: expected a JSON array like [1,2,3]: %v", s, err)
	}
	if ports == nil {
		// "null": the agent sees no list and keeps its default.
		return nil, nil
	}
	return ports, nil
}

// ParseDynamicHostPortRange parses an ECS_DYNAMIC_HOST_PORT_RANGE value
// ("first-last", e.g. "100-200", or a single port) the way the agent does;
// an invalid value makes the agent fall back to its default range, so
// callers that model the agent should use DefaultDynamicRange on error.
func ParseDynamicHostPortRange(s string) (PortRange, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		b = a
	}
	first, err1 := parsePort(a)
	last, err2 := parsePort(b)
	if err1 != nil || err2 != nil || first > last {
		return PortRange{}, fmt.Errorf("netmode: dynamic host port range %q: want \"first-last\" with 1 <= first <= last <= 65535", s)
	}
	return PortRange{first, last}, nil
}

// Host describes one container instance's host ports, as PlanPorts needs
// them. The zero value is a Linux instance with the agent defaults and no
// tasks running.
type Host struct {
	OS OSFamily

	// ReservedTCP and ReservedUDP are the agent's reserved ports
	// (ECS_RESERVED_PORTS, ECS_RESERVED_PORTS_UDP). A nil ReservedTCP means
	// the default list for OS; a non-nil empty slice means none, because the
	// variable replaces the default rather than adding to it. The UDP
	// default is empty.
	ReservedTCP, ReservedUDP []uint16

	// DynamicRange is ECS_DYNAMIC_HOST_PORT_RANGE; the zero value means
	// DefaultDynamicRange(OS).
	DynamicRange PortRange

	// InUseTCP and InUseUDP are the static host ports already registered on
	// the instance: DescribeContainerInstances remainingResources PORTS and
	// PORTS_UDP. They may include the reserved ports; ports are counted once.
	InUseTCP, InUseUDP []uint16

	// PortLimit is the per-instance reserved-port limit; 0 means
	// MaxReservedPorts.
	PortLimit int
}

func (h Host) reservedTCP() []uint16 {
	if h.ReservedTCP == nil {
		return DefaultReservedPorts(h.OS)
	}
	return h.ReservedTCP
}

func (h Host) dynamicRange() PortRange {
	if h.DynamicRange.IsZero() {
		return DefaultDynamicRange(h.OS)
	}
	return h.DynamicRange
}

func (h Host) portLimit() int {
	if h.PortLimit <= 0 {
		return MaxReservedPorts
	}
	return h.PortLimit
}

// HostFromContainerInstance builds a Host from a DescribeContainerInstances
// result: the reserved ports are registeredResources PORTS/PORTS_UDP (what
// the agent registered), the ports in use are remainingResources
// PORTS/PORTS_UDP, and the OS family is the ecs.os-type attribute. The
// dynamic range is not in the API; it is the OS default.
func HostFromContainerInstance(ci *types.ContainerInstance) (Host, error) {
	if ci == nil {
		return Host{}, fmt.Errorf("netmode: nil container instance")
	}
	var h Host
	for _, a := range ci.Attributes {
		if a.Name != nil && *a.Name == "ecs.os-type" && a.Value != nil && strings.EqualFold(*a.Value, "windows") {
			h.OS = Windows
		}
	}
	var err error
	if h.ReservedTCP, err = resourcePorts(ci.RegisteredResources, "PORTS", "registeredResources"); err != nil {
		return Host{}, err
	}
	if h.ReservedUDP, err = resourcePorts(ci.RegisteredResources, "PORTS_UDP", "registeredResources"); err != nil {
		return Host{}, err
	}
	if h.InUseTCP, err = resourcePorts(ci.RemainingResources, "PORTS", "remainingResources"); err != nil {
		return Host{}, err
	}
	if h.InUseUDP, err = resourcePorts(ci.RemainingResources, "PORTS_UDP", "remainingResources"); err != nil {
		return Host{}, err
	}
	if h.ReservedTCP == nil {
		// Registered without a PORTS resource: nothing reserved rather
		// than the default list, which would be a guess.
		h.ReservedTCP = []uint16{}
	}
	return h, nil
}

func resourcePorts(rs []types.Resource, name, field string) ([]uint16, error) {
	for i, r := range rs {
		if r.Name == nil || *r.Name != name {
			continue
		}
		ports := make([]uint16, 0, len(r.StringSetValue))
		for j, s := range r.StringSetValue {
			p, err := parsePort(s)
			if err != nil {
				return nil, fmt.Errorf("netmode: %s[%d].stringSetValue[%d]: %w", field, i, j, err)
			}
			ports = append(ports, p)
		}
		return ports, nil
	}
	return nil, nil
}

// MarshalText implements encoding.TextMarshaler ("tcp", "udp").
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
