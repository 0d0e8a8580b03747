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
// PortMapping.containerPortRange). White space is not allowed anywhere: the
// agent parses the value with docker/go-connections nat.ParsePortRangeToInt
// ([AGENT] agent/utils/ephemeral_ports.go), which hands each side to
// strconv.ParseUint untrimmed, so " 8000 - 8010" fails there.
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

// parsePort parses a port between 1 and 65535 as strconv.ParseUint does:
// white space is an error, as in the agent's parsers.
func parsePort(s string) (uint16, error) {
	n, err := strconv.ParseUint(s, 10, 16)
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
// "[22, 2375, 2376, 51678, 51679]". A non-empty list replaces the agent's
// default list; it doesn't add to it. A blank value, "null" and the empty
// list "[]" all return (nil, nil): the agent keeps its default list, so an
// empty list cannot clear the defaults.
//
// Why "[]" keeps them: the agent decodes the variable into a []uint16
// ([AGENT] agent/config/parse.go parseReservedPorts), and Config.Merge then
// fills every field for which utils.ZeroOrNil is true with its default
// ([AGENT] agent/config/config.go Merge, agent/utils/utils.go ZeroOrNil).
// ZeroOrNil is true for any slice of length 0, empty or nil alike.
func ParseReservedPorts(s string) ([]uint16, error) {
	// The agent's json.Decoder skips white space, and a blank value is
	// io.EOF to it: no list.
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var ports []uint16
	if err := json.Unmarshal([]byte(s), &ports); err != nil {
		return nil, fmt.Errorf("netmode: reserved ports %q: expected a JSON array like [1,2,3]: %v", s, err)
	}
	if len(ports) == 0 {
		// "null" or "[]": the agent's Merge treats the empty list as
		// unset and keeps its default.
		return nil, nil
	}
	return ports, nil
}

// ParseDynamicHostPortRange parses an ECS_DYNAMIC_HOST_PORT_RANGE value
// ("first-last", e.g. "100-200", or a single port) the way the agent does;
// an invalid value makes the agent fall back to its default range, so
// callers that model the agent should use DefaultDynamicRange on error.
// White space around the whole value is ignored, as for the other
// environment values here; inside it ("100 - 200") it is an error, since
// the agent reads the range with nat.ParsePortRangeToInt ([AGENT]
// agent/utils/ephemeral_ports.go), which doesn't trim. Stricter than
// that parser in two ways: port 0 is refused (no host port), and so is a
// third part ("100-200-300"), which some versions of it read as 100-200.
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
	// the default list for OS; a non-empty list replaces the default rather
	// than adding to it. The UDP default is empty.
	//
	// A non-nil empty ReservedTCP means no reserved ports. That is what an
	// instance that registered no PORTS resource has
	// (HostFromContainerInstance), but no agent setting gives it:
	// ECS_RESERVED_PORTS=[] keeps the default list (see ParseReservedPorts),
	// so an empty list cannot clear the defaults.
	ReservedTCP, ReservedUDP []uint16

	// DynamicRange is ECS_DYNAMIC_HOST_PORT_RANGE; the zero value means
	// DefaultDynamicRange(OS). Any other value must be a valid range of
	// host ports, 1 <= First <= Last: PlanPorts rejects a Host whose range
	// is empty or includes port 0.
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

// UnmarshalText implements encoding.TextUnmarshaler. It accepts what
// MarshalText produces: "tcp", "udp", and "proto(N)" for other values, so
// that any Plan reads back as it was written. It is exact (case-sensitive);
// use ProtocolOf for a port mapping's protocol.
func (p *Protocol) UnmarshalText(b []byte) error {
	switch s := string(b); s {
	case "tcp":
		*p = TCP
	case "udp":
		*p = UDP
	default:
		n, ok := parseNumbered(s, "proto(", ")")
		if !ok {
			return fmt.Errorf("netmode: unknown protocol %q: want \"tcp\" or \"udp\"", s)
		}
		*p = Protocol(n)
	}
	return nil
}

// parseNumbered parses the fallback spelling String methods give values
// without a name, such as "proto(3)" or "Severity(9)": prefix, a uint8 in
// decimal, suffix.
func parseNumbered(s, prefix, suffix string) (uint8, bool) {
	num, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, false
	}
	if num, ok = strings.CutSuffix(num, suffix); !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(num, 10, 8)
	return uint8(n), err == nil
}
