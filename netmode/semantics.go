package netmode

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Scope is how finely something applies: per task, per container
// instance, or not at all.
type Scope uint8

const (
	ScopeNone     Scope = iota // doesn't apply (no network)
	ScopeTask                  // each task separately
	ScopeInstance              // all tasks on a container instance together
)

func (s Scope) String() string {
	switch s {
	case ScopeTask:
		return "task"
	case ScopeInstance:
		return "instance"
	}
	return "none"
}

// HostPortRule is what a port mapping's hostPort may be.
type HostPortRule uint8

const (
	// HostPortAny: any free port; it may differ from containerPort, and 0 or
	// omitted asks for a dynamic port.
	HostPortAny HostPortRule = iota + 1
	// HostPortEqualsContainerPort: omitted or equal to containerPort.
	HostPortEqualsContainerPort
	// HostPortNoMappings: the mode allows no port mappings.
	HostPortNoMappings
)

func (r HostPortRule) String() string {
	switch r {
	case HostPortAny:
		return "any; 0/omitted = dynamic"
	case HostPortEqualsContainerPort:
		return "omitted or = containerPort"
	case HostPortNoMappings:
		return "no port mappings"
	}
	return "unknown"
}

// Sharing says whether two copies of a task with port mappings can run on
// one container instance.
type Sharing uint8

const (
	ShareNo        Sharing = iota + 1 // a copy holds its ports on the instance
	ShareIfDynamic                    // only if every host port is dynamic
	ShareYes                          // ports don't collide (other limits apply)
)

func (s Sharing) String() string {
	switch s {
	case ShareNo:
		return "no"
	case ShareIfDynamic:
		return "only with dynamic host ports"
	case ShareYes:
		return "yes"
	}
	return "unknown"
}

// TargetType is the Elastic Load Balancing target type a mode registers.
type TargetType string

const (
	TargetInstance TargetType = "instance" // instance ID + host port
	TargetIP       TargetType = "ip"       // the task ENI's IP
	TargetNone     TargetType = ""         // no load balancing
)

// RecordTypes is the set of Cloud Map DNS record types a mode supports.
type RecordTypes uint8

const (
	RecordA RecordTypes = 1 << iota
	RecordSRV
)

func (r RecordTypes) String() string {
	switch r {
	case RecordA | RecordSRV:
		return "A, SRV"
	case RecordA:
		return "A"
	case RecordSRV:
		return "SRV"
	}
	return "none"
}

// Platforms is a set of places ECS runs tasks.
type Platforms uint8

const (
	EC2Linux Platforms = 1 << iota
	EC2Windows
	Fargate
	Anywhere         // ECS Anywhere (EXTERNAL launch type), Linux
	ManagedInstances // ECS Managed Instances
)

var platformNames = []struct {
	p    Platforms
	name string
}{{EC2Linux, "EC2 Linux"}, {EC2Windows, "EC2 Windows"}, {Fargate, "Fargate"}, {Anywhere, "ECS Anywhere"}, {ManagedInstances, "Managed Instances"}}

// Has reports whether p includes all of q.
func (p Platforms) Has(q Platforms) bool { return p&q == q }

func (p Platforms) String() string {
	var names []string
	for _, n := range platformNames {
		if p.Has(n.p) {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Properties describes what a network mode means for a task, as data.
type Properties struct {
	Mode Mode
	// OwnENI: each task gets its own elastic network interface; otherwise
	// tasks share the instance's ENI (or, for none, have no network).
	OwnENI bool
	// SecurityGroups: where security groups apply.
	SecurityGroups Scope
	// HostPort: what a port mapping's hostPort may be.
	HostPort HostPortRule
	// DynamicHostPorts: hostPort 0/omitted takes a port from the dynamic range.
	DynamicHostPorts bool
	// CopiesShareInstance: can two copies of a task with port mappings run
	// on one instance?
	CopiesShareInstance Sharing
	// TargetType: the ELB target type (ALB/NLB) for a service.
	TargetType TargetType
	// CloudMap: the Cloud Map service-discovery record types.
	CloudMap RecordTypes
	// Links: container links work.
	Links bool
	// RunsOn: where the mode is available.
	RunsOn Platforms
	// FlowLogs: the finest VPC Flow Log attribution: per task (own ENI),
	// per instance (shared ENI), or none (no traffic).
	FlowLogs Scope
	// Note: one line a person should know.
	Note string
}

// The facts, per mode (reference §1, §2, §3, §5; [DG] task-networking.md,
// networking-networkmode-*.md, load-balancer-types.md, service-discovery.md).
var properties = map[Mode]Properties{
	ModeBridge: {
		Mode: ModeBridge, SecurityGroups: ScopeInstance, HostPort: HostPortAny, DynamicHostPorts: true,
		CopiesShareInstance: ShareIfDynamic, TargetType: TargetInstance, CloudMap: RecordSRV, Links: true,
		RunsOn: EC2Linux | Anywhere, FlowLogs: ScopeInstance,
		Note: "Docker bridge + NAT on the instance ENI; a flow to a host port can be joined to a task by its networkBindings",
	},
	ModeHost: {
		Mode: ModeHost, SecurityGroups: ScopeInstance, HostPort: HostPortEqualsContainerPort,
		CopiesShareInstance: ShareNo, TargetType: TargetInstance, CloudMap: RecordSRV,
		RunsOn: EC2Linux | Anywhere | ManagedInstances, FlowLogs: ScopeInstance,
		Note: "the instance's own network stack: every container port is taken on the instance",
	},
	ModeAWSVPC: {
		Mode: ModeAWSVPC, OwnENI: true, SecurityGroups: ScopeTask, HostPort: HostPortEqualsContainerPort,
		CopiesShareInstance: ShareYes, TargetType: TargetIP, CloudMap: RecordA | RecordSRV,
		RunsOn: EC2Linux | EC2Windows | Fargate | ManagedInstances, FlowLogs: ScopeTask,
		Note: "one ENI per task: copies per instance are bounded by the instance's ENIs (or trunking)",
	},
	ModeNone: {
		// The Managed Instances API reference names none; its guide page
		// lists only awsvpc and host (reference §1).
		Mode: ModeNone, SecurityGroups: ScopeNone, HostPort: HostPortNoMappings,
		CopiesShareInstance: ShareYes, TargetType: TargetNone,
		RunsOn: EC2Linux | Anywhere | ManagedInstances, FlowLogs: ScopeNone,
		Note: "loopback only: no external connectivity, no port mappings, no service discovery",
	},
	ModeDefault: {
		// Windows' nat network behaves like bridge for ports and load
		// balancing; links are not supported on Windows (reference §3).
		// Cloud Map SRV is inferred from bridge, not documented for nat.
		Mode: ModeDefault, SecurityGroups: ScopeInstance, HostPort: HostPortAny, DynamicHostPorts: true,
		CopiesShareInstance: ShareIfDynamic, TargetType: TargetInstance, CloudMap: RecordSRV,
		RunsOn: EC2Windows, FlowLogs: ScopeInstance,
		Note: "Windows: Docker nat network, networkMode omitted; the host can't reach mapped ports itself",
	},
}

// Properties returns what m means for a task. It is the zero Properties
// for an invalid Mode.
func (m Mode) Properties() Properties { return properties[m] }

// String lists the properties, one "name: value" per line.
func (p Properties) String() string {
	var b strings.Builder
	for _, r := range tableRows {
		fmt.Fprintf(&b, "%s: %s\n", r.name, r.value(p))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var tableRows = []struct {
	name  string
	value func(Properties) string
}{
	{"ENI", func(p Properties) string {
		switch {
		case p.OwnENI:
			return "own ENI per task"
		case p.Mode == ModeNone:
			return "none"
		}
		return "shares instance ENI"
	}},
	{"security groups", func(p Properties) string { return perScope(p.SecurityGroups) }},
	{"hostPort", func(p Properties) string { return p.HostPort.String() }},
	{"dynamic host ports", func(p Properties) string { return yesNo(p.DynamicHostPorts) }},
	{"2 copies w/ ports on 1 instance", func(p Properties) string { return p.CopiesShareInstance.String() }},
	{"LB target type", func(p Properties) string {
		if p.TargetType == TargetNone {
			return "none"
		}
		return string(p.TargetType)
	}},
	{"Cloud Map records", func(p Properties) string { return p.CloudMap.String() }},
	{"links", func(p Properties) string { return yesNo(p.Links) }},
	{"runs on", func(p Properties) string { return p.RunsOn.String() }},
	{"flow-log attribution", func(p Properties) string { return perScope(p.FlowLogs) }},
}

func perScope(s Scope) string {
	if s == ScopeNone {
		return "none"
	}
	return "per " + s.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// WriteTable writes the properties of modes side by side, one column per
// mode and one row per property; with no modes it writes all five.
// Platforms are listed one per line to keep the columns narrow.
func WriteTable(w io.Writer, modes ...Mode) error {
	if len(modes) == 0 {
		modes = Modes()
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	row := func(name string, cells []string) {
		fmt.Fprintf(tw, "%s\t%s\n", name, strings.Join(cells, "\t"))
	}
	cells := make([]string, len(modes))
	for i, m := range modes {
		cells[i] = m.String()
	}
	row("", cells)
	for _, r := range tableRows {
		if r.name == "runs on" {
			// One platform per line.
			var lists [][]string
			rows := 0
			for _, m := range modes {
				l := strings.Split(m.Properties().RunsOn.String(), ", ")
				lists = append(lists, l)
				rows = max(rows, len(l))
			}
			for k := 0; k < rows; k++ {
				for i, l := range lists {
					cells[i] = ""
					if k < len(l) {
						cells[i] = l[k]
					}
				}
				name := ""
				if k == 0 {
					name = r.name
				}
				row(name, cells)
			}
			continue
		}
		for i, m := range modes {
			cells[i] = r.value(m.Properties())
		}
		row(r.name, cells)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Empty cells in the last columns leave padding behind: trim it.
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		out.WriteString(strings.TrimRight(line, " \n"))
		out.WriteByte('\n')
	}
	_, err := w.Write(out.Bytes())
	return err
}

// Table returns WriteTable's output for all modes.
func Table() string {
	var b strings.Builder
	_ = WriteTable(&b) // a strings.Builder doesn't fail
	return b.String()
}
