package netmode

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Unbounded is Plan.Copies when host ports don't limit how many copies of a
// task fit on an instance. It is math.MaxInt so that min(plan.Copies, other)
// gives the binding limit.
const Unbounded = math.MaxInt

// Constraint names what limits the copies of a task on one instance, by
// ports alone.
type Constraint uint8

const (
	// NoPortConstraint: the task takes no instance ports (awsvpc, none, or
	// no port mappings), so ports don't limit it. awsvpc tasks are bounded
	// by the instance's ENIs instead (package eni).
	NoPortConstraint Constraint = iota
	// StaticHostPort: the task takes a fixed host port, so at most one copy
	// runs per instance.
	StaticHostPort
	// DynamicPortRange: the dynamic host port range runs out.
	DynamicPortRange
	// PortInUse: a static host port the task needs is already registered
	// on the instance (placement fails with RESOURCE:PORTS).
	PortInUse
	// ReservedPort: a static host port the task needs is on the agent's
	// reserved list (placement fails with RESOURCE:PORTS).
	ReservedPort
	// PortLimit: the task's static host ports would take the instance past
	// ECS's 100 reserved ports ("Too many ports registered").
	PortLimit
	// SelfConflict: the task maps one host port twice, so no copy fits.
	SelfConflict
)

var constraintNames = [...]string{
	NoPortConstraint: "none",
	StaticHostPort:   "static-host-port",
	DynamicPortRange: "dynamic-port-range",
	PortInUse:        "port-in-use",
	ReservedPort:     "reserved-port",
	PortLimit:        "port-limit",
	SelfConflict:     "self-conflict",
}

func (c Constraint) String() string {
	if int(c) < len(constraintNames) {
		return constraintNames[c]
	}
	return fmt.Sprintf("Constraint(%d)", uint8(c))
}

// Binding is a host port (or range) that one copy of a task takes on the
// instance, or, when Dynamic, a number of ports it takes from the dynamic
// range.
type Binding struct {
	Container string    // container name
	Path      string    // the port mapping, e.g. "containerDefinitions[1].portMappings[0]"
	Protocol  Protocol  // TCP or UDP
	Ports     PortRange // static host ports; for a dynamic binding, the container port(s)
	Dynamic   bool      // host port(s) chosen by the agent from the dynamic range
}

// Count is the number of host ports the binding takes.
func (b Binding) Count() int { return b.Ports.Len() }

func (b Binding) String() string {
	if b.Dynamic {
		if b.Ports.Len() > 1 {
			return fmt.Sprintf("%d contiguous dynamic %s ports -> %s:%s", b.Ports.Len(), b.Protocol, b.Container, b.Ports)
		}
		return fmt.Sprintf("dynamic %s port -> %s:%s", b.Protocol, b.Container, b.Ports)
	}
	return fmt.Sprintf("%s/%s (%s)", b.Ports, b.Protocol, b.Container)
}

// Plan is what one copy of a task takes from a container instance's host
// ports, and how many copies fit there by ports alone.
type Plan struct {
	Mode         Mode
	Static       []Binding // static host ports one copy takes (sorted by port)
	Dynamic      []Binding // ports one copy takes from DynamicRange
	DynamicRange PortRange // the range dynamic ports come from
	Registered   int       // reserved ports already counted on the instance (TCP + UDP)
	PortLimit    int       // the instance's reserved-port limit

	// Copies is how many more copies fit on the instance now, by host ports
	// alone: Unbounded when ports don't limit the task.
	Copies     int
	Constraint Constraint // what sets Copies
	Reason     string     // Constraint explained for a person
	Notes      []string   // port mappings the plan couldn't use, and caveats
}

// Bounded reports whether ports limit the number of copies.
func (p Plan) Bounded() bool { return p.Copies != Unbounded }

// StaticPorts returns the number of static host ports one copy takes.
func (p Plan) StaticPorts() int {
	n := 0
	for _, b := range p.Static {
		n += b.Count()
	}
	return n
}

// DynamicPorts returns the number of dynamic host ports one copy takes.
func (p Plan) DynamicPorts() int {
	n := 0
	for _, b := range p.Dynamic {
		n += b.Count()
	}
	return n
}

func (p Plan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mode %s: ", p.Mode)
	if len(p.Static) == 0 && len(p.Dynamic) == 0 {
		b.WriteString("no host ports per copy")
	} else {
		fmt.Fprintf(&b, "%d static + %d dynamic host ports per copy", p.StaticPorts(), p.DynamicPorts())
	}
	if p.Bounded() {
		fmt.Fprintf(&b, "; %d more %s (%s)", p.Copies, plural(p.Copies, "copy fits", "copies fit"), p.Constraint)
	} else {
		b.WriteString("; unbounded by ports")
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// PlanPorts says which host ports one copy of td takes on the container
// instance described by host, how many more copies fit there by ports alone,
// and what limits them:
//   - awsvpc and none take no instance ports (awsvpc ports live on the task
//     ENI; reference §4): Unbounded. For awsvpc the ENI budget binds instead.
//   - host takes every containerPort as a host port: at most 1 copy.
//   - bridge (and Windows default) take each static hostPort (1 copy) and
//     a port from the dynamic range for each hostPort 0/omitted and for each
//     port of a containerPortRange (a contiguous block).
//
// Static ports fail on the agent's reserved ports and ports already in use
// (RESOURCE:PORTS), and past ECS's 100 reserved ports per instance ("Too many
// ports registered"). Whether TCP and UDP share the 100 is not documented;
// PlanPorts counts them together, which is the cautious reading.
//
// host describes the instance, not the task: its OS (and so its default
// reserved ports and dynamic range) is host.OS, not td's runtimePlatform.
// PlanPorts doesn't validate td (see Validate); port mappings it can't
// interpret are skipped and listed in Plan.Notes. It returns an error only
// for a nil td, an unknown network mode or an invalid Host (a DynamicRange
// whose First is after its Last or is port 0), with the zero Plan.
func PlanPorts(td *types.TaskDefinition, host Host) (Plan, error) {
	mode, err := ModeOf(td)
	if err != nil {
		return Plan{}, err
	}
	rng := host.dynamicRange()
	switch {
	case rng.Len() == 0:
		return Plan{}, fmt.Errorf("netmode: invalid Host.DynamicRange %d-%d: the first port is after the last", rng.First, rng.Last)
	case rng.First == 0:
		// Port 0 is not a host port: binding it asks the kernel for any
		// free port. ParseDynamicHostPortRange rejects it, so a range that
		// includes it is a mistake in the Host, not ports 1 to Last, and
		// planning it would count one port too many.
		return Plan{}, fmt.Errorf("netmode: invalid Host.DynamicRange %d-%d: port 0 is not a host port; ports run from 1 to 65535", rng.First, rng.Last)
	}
	p := Plan{Mode: mode, DynamicRange: rng, PortLimit: host.portLimit()}
	p.Static, p.Dynamic, p.Notes = bindings(td, mode)

	// Ports already registered on the instance, per protocol.
	var used [2]portSet // TCP, UDP
	used[0].addAll(host.reservedTCP())
	used[0].addAll(host.InUseTCP)
	used[1].addAll(host.ReservedUDP)
	used[1].addAll(host.InUseUDP)
	p.Registered = used[0].n + used[1].n

	switch {
	case mode == ModeAWSVPC:
		return p.unbounded("awsvpc tasks bind their ports on their own ENI and take no instance host ports; copies per instance are bounded by the instance's ENIs (package eni)"), nil
	case mode == ModeNone:
		return p.unbounded("none tasks have no port mappings and take no host ports"), nil
	case len(p.Static) == 0 && len(p.Dynamic) == 0 && len(p.Notes) > 0:
		// The task has port mappings, but none that can be planned: say
		// so rather than that it has none.
		return p.unbounded(fmt.Sprintf("none of the task's port mappings could be planned (see the notes), so it is planned as taking no host ports in %s mode", mode)), nil
	case len(p.Static) == 0 && len(p.Dynamic) == 0:
		return p.unbounded(fmt.Sprintf("the task has no port mappings, so ECS reserves no host ports for it in %s mode", mode)), nil
	}

	// Static ports: conflicts within the task, with reserved ports, with
	// ports in use, then the 100-port limit.
	var mine [2]portSet
	reserved := [2]portSet{}
	reserved[0].addAll(host.reservedTCP())
	reserved[1].addAll(host.ReservedUDP)
	for _, b := range p.Static {
		pi := protoIndex(b.Protocol)
		for port := int(b.Ports.First); port <= int(b.Ports.Last); port++ {
			u := uint16(port)
			switch {
			case mine[pi].has(u):
				return p.limit(0, SelfConflict, fmt.Sprintf("host port %d/%s is mapped twice in the task (%s), so no copy can be placed", u, b.Protocol, b.Path)), nil
			case reserved[pi].has(u):
				return p.limit(0, ReservedPort, fmt.Sprintf("host port %d/%s (%s) is on the container agent's reserved list; placement fails with RESOURCE:PORTS", u, b.Protocol, b.Path)), nil
			case used[pi].has(u):
				return p.limit(0, PortInUse, fmt.Sprintf("host port %d/%s (%s) is already in use on the instance; placement fails with RESOURCE:PORTS", u, b.Protocol, b.Path)), nil
			}
			mine[pi].add(u)
		}
	}
	if n := mine[0].n + mine[1].n; n > 0 && p.Registered+n > p.PortLimit {
		fails := "placement fails"
		if used[0].n+mine[0].n <= p.PortLimit && used[1].n+mine[1].n <= p.PortLimit {
			// Past the limit only with TCP and UDP counted together, which
			// ECS does not document (Validate's warning, not an error).
			fails = "if TCP and UDP share the limit (not documented), placement fails"
		}
		return p.limit(0, PortLimit, fmt.Sprintf("one copy registers %d static host ports and the instance already has %d of its %d reserved ports; %s with \"Too many ports registered\"", n, p.Registered, p.PortLimit, fails)), nil
	}

	capacity := Unbounded
	if len(p.Static) > 0 {
		capacity = 1
	}
	if len(p.Dynamic) > 0 {
		n := dynamicCopies(p.Dynamic, rng, used, mine, capacity)
		if n < capacity {
			return p.limit(n, DynamicPortRange, fmt.Sprintf("each copy takes %s; %d cop%s fit", dynamicNeed(p.Dynamic, rng), n, plural(n, "y", "ies"))), nil
		}
	}
	if mode == ModeHost {
		return p.limit(1, StaticHostPort, fmt.Sprintf("host mode publishes every container port on the instance itself (first: %s), so two copies can't share an instance", p.Static[0])), nil
	}
	return p.limit(1, StaticHostPort, fmt.Sprintf("static host port %s is taken by the first copy, so a second copy can't share the instance; omit hostPort for dynamic ports", p.Static[0])), nil
}

// dynamicNeed says how many dynamic host ports a copy takes of rng: of
// each protocol apart when it takes both, for each has the whole range
// (a copy of 1 TCP and 21 UDP ports is bound by the UDP ports alone).
func dynamicNeed(need []Binding, rng PortRange) string {
	var n [2]int
	for _, b := range need {
		n[protoIndex(b.Protocol)] += b.Count()
	}
	if n[0] > 0 && n[1] > 0 {
		return fmt.Sprintf("%d TCP and %d UDP dynamic host ports from %s (%d ports of each protocol, less those in use)", n[0], n[1], rng, rng.Len())
	}
	all := n[0] + n[1]
	return fmt.Sprintf("%d dynamic host port%s from %s (%d ports, less those in use)", all, plural(all, "", "s"), rng, rng.Len())
}

func (p Plan) unbounded(reason string) Plan {
	p.Copies, p.Constraint, p.Reason = Unbounded, NoPortConstraint, reason
	return p
}

func (p Plan) limit(n int, c Constraint, reason string) Plan {
	p.Copies, p.Constraint, p.Reason = n, c, reason
	return p
}

// bindings returns the host ports one copy of td takes in mode m.
func bindings(td *types.TaskDefinition, m Mode) (static, dynamic []Binding, notes []string) {
	if m == ModeAWSVPC || m == ModeNone {
		return nil, nil, nil
	}
	for i, c := range td.ContainerDefinitions {
		name := deref(c.Name)
		for j, pm := range c.PortMappings {
			path := fmt.Sprintf("containerDefinitions[%d].portMappings[%d]", i, j)
			b := Binding{Container: name, Path: path, Protocol: ProtocolOf(pm.Protocol)}
			if pm.ContainerPortRange != nil {
				r, err := ParseContainerPortRange(*pm.ContainerPortRange)
				if err != nil {
					notes = append(notes, path+": skipped: "+strings.TrimPrefix(err.Error(), "netmode: "))
					continue
				}
				b.Ports = r
				// bridge: the agent picks a contiguous host range; host mode
				// doesn't allow ranges, but would take the same ports.
				b.Dynamic = m != ModeHost
			} else {
				cp := deref(pm.ContainerPort)
				if cp < 1 || cp > 65535 {
					notes = append(notes, fmt.Sprintf("%s: skipped: containerPort %d is not between 1 and 65535", path, cp))
					continue
				}
				hp := deref(pm.HostPort)
				switch {
				case m == ModeHost:
					// hostPort must equal containerPort; the container binds
					// containerPort whatever hostPort says.
					b.Ports = PortRange{uint16(cp), uint16(cp)}
				case hp == 0:
					b.Ports, b.Dynamic = PortRange{uint16(cp), uint16(cp)}, true
				case hp < 0 || hp > 65535:
					notes = append(notes, fmt.Sprintf("%s: skipped: hostPort %d is not between 0 and 65535", path, hp))
					continue
				default:
					b.Ports = PortRange{uint16(hp), uint16(hp)}
				}
			}
			if b.Dynamic {
				dynamic = append(dynamic, b)
			} else {
				static = append(static, b)
			}
		}
	}
	slices.SortStableFunc(static, func(a, b Binding) int {
		if a.Ports.First != b.Ports.First {
			return int(a.Ports.First) - int(b.Ports.First)
		}
		return int(a.Protocol) - int(b.Protocol)
	})
	return static, dynamic, notes
}

// dynamicCopies simulates the agent handing out dynamic ports copy after
// copy (reference §4: it scans the range upward, testing each port; a
// containerPortRange needs a contiguous block) and returns how many copies
// get all theirs, up to limit. The agent keeps one last-assigned port for
// TCP and UDP alike ([AGENT] agent/utils/ephemeral_ports.go, tracker), so
// a TCP port it hands out moves the scan for UDP past that port too, and
// the UDP port left behind is reached again only after the scan wraps.
func dynamicCopies(need []Binding, rng PortRange, used, mine [2]portSet, limit int) int {
	var perCopy [2]int
	blocks := false
	for _, b := range need {
		perCopy[protoIndex(b.Protocol)] += b.Count()
		blocks = blocks || b.Count() > 1
	}
	if !blocks {
		// Single ports only: no fragmentation, so it is a division.
		copies := limit
		for pi, n := range perCopy {
			if n == 0 {
				continue
			}
			free := 0
			for p := int(rng.First); p <= int(rng.Last); p++ {
				if !used[pi].has(uint16(p)) && !mine[pi].has(uint16(p)) {
					free++
				}
			}
			copies = min(copies, free/n)
		}
		return copies
	}
	var free [2][]bool
	for pi := range free {
		if perCopy[pi] == 0 {
			continue
		}
		free[pi] = make([]bool, rng.Len())
		for i := range free[pi] {
			u := uint16(int(rng.First) + i)
			free[pi][i] = !used[pi].has(u) && !mine[pi].has(u)
		}
	}
	// In task order, as the agent assigns them: a container's port
	// mappings one after another ([AGENT] agent/api/task/task.go
	// dockerPortMap). Handing out larger blocks first would find room the
	// agent doesn't, when single ports taken first split a free stretch.
	cursor := 0 // shared by both protocols, as the agent's tracker is
	copies := 0
	for copies < limit {
		for _, b := range need {
			pi := protoIndex(b.Protocol)
			at := findRun(free[pi], cursor, b.Count())
			if at < 0 {
				return copies
			}
			for k := at; k < at+b.Count(); k++ {
				free[pi][k] = false
			}
			cursor = at + b.Count()
		}
		copies++
	}
	return copies
}

// findRun finds n consecutive free slots, scanning from start and wrapping
// around once, as the agent does (but for the agent's wrapped scan, which
// stops a port short of where the first one ended: a block there, which
// findRun finds, the agent misses until its next scan).
func findRun(free []bool, start, n int) int {
	if n <= 0 || n > len(free) {
		return -1
	}
	if start >= len(free) {
		start = 0
	}
	run := 0
	for k := 0; k < len(free)+n; k++ {
		i := (start + k) % len(free)
		if i == 0 && k > 0 {
			run = 0 // a block can't wrap past the top of the range
		}
		if free[i] {
			run++
			if run == n {
				return i - n + 1
			}
		} else {
			run = 0
		}
	}
	return -1
}

func protoIndex(p Protocol) int {
	if p == UDP {
		return 1
	}
	return 0
}

// portSet is a set of ports; the zero value is empty.
type portSet struct {
	bits *[1 << 16 / 64]uint64 // allocated on first add
	n    int
}

func (s *portSet) add(p uint16) {
	if s.bits == nil {
		s.bits = new([1 << 16 / 64]uint64)
	}
	w, m := p/64, uint64(1)<<(p%64)
	if s.bits[w]&m == 0 {
		s.bits[w] |= m
		s.n++
	}
}

func (s *portSet) addAll(ps []uint16) {
	for _, p := range ps {
		s.add(p)
	}
}

func (s *portSet) has(p uint16) bool {
	return s.bits != nil && s.bits[p/64]&(uint64(1)<<(p%64)) != 0
}

// next returns the least port in s between from and to (inclusive).
func (s *portSet) next(from, to uint16) (uint16, bool) {
	if s.bits == nil || from > to {
		return 0, false
	}
	for w := int(from / 64); w <= int(to/64); w++ {
		word := s.bits[w]
		if w == int(from/64) {
			word &= ^uint64(0) << (from % 64)
		}
		if word == 0 {
			continue
		}
		p := w*64 + bits.TrailingZeros64(word)
		if p > int(to) {
			return 0, false
		}
		return uint16(p), true
	}
	return 0, false
}

// addRange adds the ports of r, calling added for each that was not in s
// yet. It works a word (64 ports) at a time.
func (s *portSet) addRange(r PortRange, added func(uint16)) {
	if r.Len() == 0 {
		return
	}
	if s.bits == nil {
		s.bits = new([1 << 16 / 64]uint64)
	}
	for w := int(r.First / 64); w <= int(r.Last/64); w++ {
		mask := ^uint64(0)
		if w == int(r.First/64) {
			mask &= ^uint64(0) << (r.First % 64)
		}
		if w == int(r.Last/64) {
			mask &= ^uint64(0) >> (63 - r.Last%64)
		}
		fresh := mask &^ s.bits[w]
		s.bits[w] |= fresh
		for fresh != 0 {
			b := bits.TrailingZeros64(fresh)
			fresh &^= 1 << b
			s.n++
			added(uint16(w*64 + b))
		}
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// MarshalText implements encoding.TextMarshaler with String's names.
func (c Constraint) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler, so a Plan reads back
// from its JSON. It accepts String's names, including "none" for
// NoPortConstraint, and "Constraint(N)" for other values.
func (c *Constraint) UnmarshalText(b []byte) error {
	s := string(b)
	for i, n := range constraintNames {
		if n == s {
			*c = Constraint(i)
			return nil
		}
	}
	n, ok := parseNumbered(s, "Constraint(", ")")
	if !ok {
		return fmt.Errorf("netmode: unknown constraint %q: want one of %s", s, strings.Join(constraintNames[:], ", "))
	}
	*c = Constraint(n)
	return nil
}
