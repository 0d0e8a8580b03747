package netmode

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Rule codes. Each names one rule; the comment says where the rule comes
// from (reference = the team's notes, ../shared/reference/ecs-network-modes.md
// beside this repository, whose section numbers are given; [DG] ECS
// Developer Guide, [API] ECS API reference, [AGENT] ECS container agent).
const (
	// networkMode is not bridge, host, awsvpc or none ([API] NetworkMode).
	CodeUnknownNetworkMode Code = "unknown-network-mode"
	// Windows runs only default (networkMode omitted) and awsvpc; host and
	// none are errors (reference §1, §3).
	CodeWindowsNetworkMode Code = "windows-network-mode"
	// bridge on Windows: the agent runs it on the nat network, as if
	// networkMode were omitted (reference §1, [AGENT] task_windows.go).
	CodeWindowsBridge Code = "windows-bridge"
	// awsvpc for runtimePlatform WINDOWS_SERVER_2016_FULL: not available
	// on that AMI (reference §3); a warning.
	CodeWindows2016AWSVPC Code = "windows-2016-awsvpc"
	// Windows doesn't support links, dnsServers, dnsSearchDomains,
	// extraHosts, disableNetworking, ipcMode or pidMode (reference §3).
	CodeWindowsUnsupported Code = "windows-unsupported"
	// requiresCompatibilities FARGATE needs awsvpc (reference §1, §9).
	CodeFargateNetworkMode Code = "fargate-network-mode"
	// Fargate rejects dnsServers, dnsSearchDomains, disableNetworking and
	// ipcMode ([DG] fargate-tasks-services.md; [API] TaskDefinition.ipcMode:
	// "not supported for ... tasks run on Fargate"), and any pidMode but
	// task ([API] TaskDefinition.pidMode: "On Fargate for Linux containers,
	// the only valid value is task").
	CodeFargateUnsupported Code = "fargate-unsupported"
	// ECS Anywhere (EXTERNAL) Linux tasks can't use awsvpc (reference §1).
	CodeExternalNetworkMode Code = "external-network-mode"
	// Managed Instances need networkMode set, and not bridge (reference §1).
	CodeManagedInstancesNetworkMode Code = "managed-instances-network-mode"
	// proxyConfiguration (App Mesh) needs awsvpc ([API] ProxyConfiguration).
	CodeProxyConfigurationMode Code = "proxy-configuration-mode"
	// links work only in bridge mode (reference §2, §9).
	CodeLinksUnsupported Code = "links-unsupported"
	// hostname is not supported in awsvpc (reference §2, §9).
	CodeHostnameUnsupported Code = "hostname-unsupported"
	// extraHosts is not supported in awsvpc (reference §2, [API]).
	CodeExtraHostsUnsupported Code = "extra-hosts-unsupported"
	// dnsServers/dnsSearchDomains in awsvpc on EC2 (sources disagree; see
	// checkContainer): a warning.
	CodeDNSInAWSVPC Code = "dns-in-awsvpc"
	// none mode allows no port mappings (reference §2, §4).
	CodePortMappingsWithNone Code = "port-mappings-with-none"
	// host and awsvpc: hostPort must be omitted or equal containerPort
	// (reference §4, §9).
	CodeHostPortMismatch Code = "host-port-mismatch"
	// hostPort 0 in awsvpc: rejected (sources disagree; see checkMapping).
	CodeHostPortZero Code = "host-port-zero"
	// hostPort 0 in host mode: the docs say omit or match; a warning.
	CodeHostPortZeroInHostMode Code = "host-port-zero-in-host-mode"
	// A mapping needs a containerPort between 1 and 65535, or a
	// containerPortRange (reference §4, §9).
	CodeInvalidContainerPort Code = "invalid-container-port"
	// hostPort must be between 0 and 65535 ([API] PortMapping).
	CodeInvalidHostPort Code = "invalid-host-port"
	// protocol other than tcp/udp: ECS treats it as tcp ([API] PortMapping).
	CodeInvalidProtocol Code = "invalid-protocol"
	// containerPort and containerPortRange are exclusive (reference §4). The
	// API reference doesn't say so; the agent assumes it ("either one of
	// containerPort or containerPortRange is set", aws/amazon-ecs-agent#3584).
	CodePortAndPortRange Code = "port-and-port-range"
	// containerPortRange must be "first-last", 1-65535, first < last.
	CodeInvalidContainerPortRange Code = "invalid-container-port-range"
	// containerPortRange only in bridge and awsvpc (reference §4).
	CodeContainerPortRangeMode Code = "container-port-range-mode"
	// hostPort must be left empty with containerPortRange ([API]).
	CodeContainerPortRangeHostPort Code = "container-port-range-host-port"
	// At most 100 containerPortRanges per container (reference §4).
	CodeTooManyPortRanges Code = "too-many-port-ranges"
	// Overlapping containerPortRanges, or a port both in a range and in a
	// mapping, in one container (reference §4).
	CodeOverlappingPortRanges Code = "overlapping-port-ranges"
	// The same containerPort and protocol twice in one container.
	CodeDuplicateContainerPort Code = "duplicate-container-port"
	// The same container port (or ports shared through containerPortRanges)
	// for tcp and udp in one container (sources disagree; see
	// checkContainerPorts): a warning.
	CodeSamePortTCPAndUDP Code = "same-port-tcp-and-udp"
	// The same static host port twice in a task (reference §4, observed
	// ECS error text).
	CodeDuplicateHostPort Code = "duplicate-host-port"
	// A static host port on the agent's reserved list (reference §4).
	CodeReservedHostPort Code = "reserved-host-port"
	// A static host port the agent reserves only in some configurations:
	// 51680 on Linux with Prometheus metrics on (sources disagree: the API
	// reference lists 51678-51680 as reserved; reference §4), 80 on Windows
	// with IAM roles for tasks on (reference §3). A warning.
	CodeConditionallyReservedPort Code = "conditionally-reserved-port"
	// One copy of the task needs more static host ports of one protocol than
	// fit beside the agent's reserved ports in ECS's 100 reserved ports per
	// container instance ([API] PortMapping.hostPort: "A container instance
	// can have up to 100 reserved ports at a time. This number includes the
	// default reserved ports"; reference §4): no instance can place it.
	CodeTooManyHostPorts Code = "too-many-host-ports"
	// TCP and UDP static host ports together pass the 100: whether the two
	// protocols share the limit is not documented (reference §4), so a
	// warning.
	CodeTooManyHostPortsTCPAndUDP Code = "too-many-host-ports-tcp-and-udp"
	// A static host port inside the dynamic range ([API] hostPort advises
	// against it): a warning.
	CodeHostPortInDynamicRange Code = "host-port-in-dynamic-range"
	// Service Connect port name: up to 64 of a-z 0-9 _ -, not starting
	// with - ([API] PortMapping.name).
	CodeInvalidPortName Code = "invalid-port-name"
	// Port mapping names must be unique in a task definition, since
	// services refer to them by name.
	CodeDuplicatePortName Code = "duplicate-port-name"
	// appProtocol must be http, http2 or grpc ([API] ApplicationProtocol).
	CodeInvalidAppProtocol Code = "invalid-app-protocol"
	// appProtocol only applies to a named (Service Connect) mapping.
	CodeAppProtocolWithoutName Code = "app-protocol-without-name"
	// Service Connect supports bridge and awsvpc only.
	CodeServiceConnectMode Code = "service-connect-mode"
	// A namespaced kernel parameter in systemControls whose namespace the
	// task shares with the instance: net.* with networkMode host, IPC
	// parameters with ipcMode host ([API] SystemControl; runc refuses to
	// start such a container). See checkSystemControls.
	CodeSystemControlHostNamespace Code = "system-control-host-namespace"
)

// Option configures Validate.
type Option func(*validateConfig)

type validateConfig struct {
	host   *Host
	compat []types.Compatibility
}

// WithHost validates static host ports against h's reserved ports and
// dynamic range instead of the agent defaults for the task's OS.
func WithHost(h Host) Option {
	return func(c *validateConfig) { c.host = &h }
}

// WithCompatibilities validates as if requiresCompatibilities also listed
// cs: use it to check a task definition for the launch type or capacity
// you mean to run it on.
func WithCompatibilities(cs ...types.Compatibility) Option {
	return func(c *validateConfig) { c.compat = append(c.compat, cs...) }
}

// Validate checks td against the rules of its network mode, OS family and
// required compatibilities, and returns every problem at once as Problems
// (nil if there are none). Problems of SeverityError are what ECS rejects
// or what can never run; warnings are accepted but probably not what was
// meant. A nil td is an error that is not Problems.
func Validate(td *types.TaskDefinition, opts ...Option) error {
	if td == nil {
		return errors.New("netmode: nil task definition")
	}
	var cfg validateConfig
	for _, o := range opts {
		o(&cfg)
	}
	v := validator{td: td, os: OSFamilyOf(td.RuntimePlatform), compat: map[types.Compatibility]bool{}}
	for _, c := range td.RequiresCompatibilities {
		v.compat[c] = true
	}
	for _, c := range cfg.compat {
		v.compat[c] = true
	}
	if cfg.host != nil {
		v.host = *cfg.host
	} else {
		v.host = Host{OS: v.os}
	}
	v.run()
	return v.ps.Err()
}

// ValidateInput validates a RegisterTaskDefinition request; see Validate.
func ValidateInput(in *ecs.RegisterTaskDefinitionInput, opts ...Option) error {
	if in == nil {
		return errors.New("netmode: nil RegisterTaskDefinitionInput")
	}
	return Validate(TaskDefinitionFromInput(in), opts...)
}

// TaskDefinitionFromInput returns the task definition a RegisterTaskDefinition
// request describes, without the fields ECS fills in on registration (ARN,
// revision, status, compatibilities, registeredAt/By) and the deprecated
// inferenceAccelerators. Slices and pointers are shared with in.
func TaskDefinitionFromInput(in *ecs.RegisterTaskDefinitionInput) *types.TaskDefinition {
	if in == nil {
		return nil
	}
	return &types.TaskDefinition{
		ContainerDefinitions:          in.ContainerDefinitions,
		Cpu:                           in.Cpu,
		EnableFaultInjection:          in.EnableFaultInjection,
		EphemeralStorage:              in.EphemeralStorage,
		ExecutionRoleArn:              in.ExecutionRoleArn,
		Family:                        in.Family,
		IpcMode:                       in.IpcMode,
		Memory:                        in.Memory,
		NetworkMode:                   in.NetworkMode,
		PidMode:                       in.PidMode,
		PlacementConstraints:          in.PlacementConstraints,
		ProxyConfiguration:            in.ProxyConfiguration,
		RequiresCompatibilities:       in.RequiresCompatibilities,
		RuntimePlatform:               in.RuntimePlatform,
		TaskRoleArn:                   in.TaskRoleArn,
		TrustedExecutionConfiguration: in.TrustedExecutionConfiguration,
		Volumes:                       in.Volumes,
	}
}

type validator struct {
	td     *types.TaskDefinition
	os     OSFamily
	mode   Mode // ModeUnknown if networkMode is invalid: mode rules are skipped
	compat map[types.Compatibility]bool
	host   Host
	ps     Problems
	names  map[string]string // port mapping name -> path of first use
}

func (v *validator) add(path string, code Code, sev Severity, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	v.ps = append(v.ps, Problem{Path: path, Code: code, Severity: sev, Message: msg})
}

func (v *validator) run() {
	v.checkTask()
	for i := range v.td.ContainerDefinitions {
		v.checkContainer(i, &v.td.ContainerDefinitions[i])
	}
	v.checkHostPorts()
	// Task-definition order: task-level fields first, then by container and
	// mapping index; rules on one field keep their order.
	slices.SortStableFunc(v.ps, func(a, b Problem) int { return comparePaths(a.Path, b.Path) })
}

// comparePaths orders member paths by their list indexes, so that
// "containerDefinitions[2]" sorts before "containerDefinitions[10]" and a
// path without indexes (a task-level field) sorts first.
func comparePaths(a, b string) int {
	ia, ib := pathIndexes(a), pathIndexes(b)
	for k := 0; k < len(ia) && k < len(ib); k++ {
		if ia[k] != ib[k] {
			return ia[k] - ib[k]
		}
	}
	return len(ia) - len(ib)
}

func pathIndexes(p string) []int {
	var idx []int
	for {
		i := strings.IndexByte(p, '[')
		if i < 0 {
			return idx
		}
		j := strings.IndexByte(p[i:], ']')
		if j < 0 {
			return idx
		}
		n, _ := strconv.Atoi(p[i+1 : i+j])
		idx = append(idx, n)
		p = p[i+j+1:]
	}
}

func (v *validator) checkTask() {
	td := v.td
	mode, err := ParseMode(string(td.NetworkMode), v.os)
	if err != nil {
		v.add("networkMode", CodeUnknownNetworkMode, SeverityError,
			"Invalid networkMode %q: valid values are bridge, host, awsvpc and none; omit networkMode for the default (bridge on Linux, nat on Windows).", string(td.NetworkMode))
	}
	v.mode = mode

	if v.os == Windows {
		switch mode {
		case ModeHost, ModeNone:
			v.add("networkMode", CodeWindowsNetworkMode, SeverityError,
				"networkMode=%s is not supported for Windows containers: use awsvpc, or omit networkMode for the default (nat) network.", mode)
		case ModeBridge:
			v.add("networkMode", CodeWindowsBridge, SeverityWarning,
				"Windows containers have no bridge network: the agent runs networkMode=bridge on the default nat network; omit networkMode to say so.")
		case ModeAWSVPC:
			// Reference §3: awsvpc is not available on the Windows Server
			// 2016 ECS AMI, whose agent reports this family. A warning: the
			// placement rule (a task only on instances of its family) is
			// inferred from the agent's attribute, not documented.
			if rp := td.RuntimePlatform; rp != nil && rp.OperatingSystemFamily == types.OSFamilyWindowsServer2016Full {
				v.add("networkMode", CodeWindows2016AWSVPC, SeverityWarning,
					"awsvpc is not available on the Windows Server 2016 ECS AMI, the only instances of runtimePlatform %s: use a later Windows Server, or omit networkMode for the default (nat) network.",
					rp.OperatingSystemFamily)
			}
		}
	}
	// ipcMode and pidMode: Windows supports neither (reference §3). Fargate
	// doesn't support ipcMode ([DG] fargate-tasks-services.md lists it as
	// not valid in Fargate tasks; [API] TaskDefinition.ipcMode) and takes
	// only pidMode=task ([API] TaskDefinition.pidMode). One problem per
	// field: on Windows the Windows rule says it all.
	fargate := v.compat[types.CompatibilityFargate]
	switch {
	case td.IpcMode == "":
	case v.os == Windows:
		v.add("ipcMode", CodeWindowsUnsupported, SeverityError, "ipcMode is not supported for Windows containers.")
	case fargate:
		v.add("ipcMode", CodeFargateUnsupported, SeverityError, "ipcMode is not valid in Fargate tasks (ipcMode=%s).", td.IpcMode)
	}
	switch {
	case td.PidMode == "":
	case v.os == Windows:
		v.add("pidMode", CodeWindowsUnsupported, SeverityError, "pidMode is not supported for Windows containers.")
	case fargate && td.PidMode != types.PidModeTask:
		v.add("pidMode", CodeFargateUnsupported, SeverityError, "pidMode=%s is not valid in Fargate tasks: on Fargate the only valid value is task.", td.PidMode)
	}

	if fargate && mode != ModeAWSVPC && mode != ModeUnknown {
		// ECS's own text, typographic quotes included (reference §9).
		v.add("networkMode", CodeFargateNetworkMode, SeverityError, "Fargate only supports network mode ‘awsvpc’.")
	}
	// ECS Anywhere: Linux tasks take bridge, host or none. The docs say
	// nothing about Windows external instances (reference §1), so no rule.
	if v.compat[types.CompatibilityExternal] && mode == ModeAWSVPC && v.os == Linux {
		v.add("networkMode", CodeExternalNetworkMode, SeverityError,
			"ECS Anywhere (EXTERNAL) does not support networkMode=awsvpc: use bridge, host or none.")
	}
	if v.compat[types.CompatibilityManagedInstances] {
		// The Managed Instances guide lists awsvpc and host; the API
		// reference also names none. bridge and an omitted mode are out.
		switch {
		case td.NetworkMode == "":
			v.add("networkMode", CodeManagedInstancesNetworkMode, SeverityError,
				"Managed Instances require networkMode to be set: use awsvpc, host or none.")
		case mode == ModeBridge:
			v.add("networkMode", CodeManagedInstancesNetworkMode, SeverityError,
				"Managed Instances do not support networkMode=bridge: use awsvpc, host or none.")
		}
	}
	if td.ProxyConfiguration != nil && mode != ModeAWSVPC && mode != ModeUnknown {
		// ECS's ClientException text (aws/aws-cdk#4476); the API
		// reference's ProxyConfiguration says nothing of modes.
		v.add("proxyConfiguration", CodeProxyConfigurationMode, SeverityError,
			"APPMESH proxy configuration is only supported in networkMode=awsvpc (networkMode=%s).", mode)
	}
}

func (v *validator) checkContainer(i int, c *types.ContainerDefinition) {
	at := func(field string) string { return fmt.Sprintf("containerDefinitions[%d].%s", i, field) }
	win := v.os == Windows
	fargate := v.compat[types.CompatibilityFargate]
	mode := v.mode

	if len(c.Links) > 0 {
		switch {
		case win:
			v.add(at("links"), CodeWindowsUnsupported, SeverityError, "links is not supported for Windows containers.")
		case mode != ModeBridge && mode != ModeUnknown:
			// "Links are not supported when networkMode=awsvpc." is ECS's
			// text (reference §9); host and none get the same form.
			v.add(at("links"), CodeLinksUnsupported, SeverityError, "Links are not supported when networkMode=%s.", mode)
		}
	}
	if c.Hostname != nil && mode == ModeAWSVPC {
		// ECS's text (labd/ecs-deplojo#26).
		v.add(at("hostname"), CodeHostnameUnsupported, SeverityError, "hostname is not supported on container when networkMode=awsvpc.")
	}
	if len(c.ExtraHosts) > 0 {
		switch {
		case win:
			v.add(at("extraHosts"), CodeWindowsUnsupported, SeverityError, "extraHosts is not supported for Windows containers.")
		case mode == ModeAWSVPC:
			// Same form as the hostname error; the exact text is not on record.
			v.add(at("extraHosts"), CodeExtraHostsUnsupported, SeverityError, "extraHosts is not supported on container when networkMode=awsvpc.")
		}
	}
	// DNS settings in awsvpc: sources disagree. Old ecs-cli docs quote
	// "DNS servers are not supported on container when networkMode=awsvpc";
	// the current API reference restricts dnsServers/dnsSearchDomains only
	// for Windows, and the Fargate guide lists them as not valid on Fargate.
	// So: an error on Windows and Fargate, a warning for awsvpc on EC2.
	for _, f := range []struct {
		name string
		set  bool
	}{{"dnsServers", len(c.DnsServers) > 0}, {"dnsSearchDomains", len(c.DnsSearchDomains) > 0}, {"disableNetworking", c.DisableNetworking != nil}} {
		if !f.set {
			continue
		}
		switch {
		case win:
			v.add(at(f.name), CodeWindowsUnsupported, SeverityError, "%s is not supported for Windows containers.", f.name)
		case fargate:
			v.add(at(f.name), CodeFargateUnsupported, SeverityError, "%s is not valid in Fargate tasks.", f.name)
		case mode == ModeAWSVPC && f.name != "disableNetworking":
			v.add(at(f.name), CodeDNSInAWSVPC, SeverityWarning,
				"%s in an awsvpc task: ECS accepts it today, but older ECS versions rejected it (\"DNS servers are not supported on container when networkMode=awsvpc\"), and the task's ENI already uses the VPC's DNS.", f.name)
		}
	}

	v.checkSystemControls(i, c)

	if len(c.PortMappings) == 0 {
		return
	}
	if mode == ModeNone {
		v.add(at("portMappings"), CodePortMappingsWithNone, SeverityError,
			"Port mappings are not supported when networkMode=none: the task's containers have no external connectivity.")
		return
	}
	ranges := 0
	for j := range c.PortMappings {
		v.checkMapping(i, j, c)
		if c.PortMappings[j].ContainerPortRange != nil {
			ranges++
		}
	}
	if ranges > 100 {
		v.add(at("portMappings"), CodeTooManyPortRanges, SeverityError,
			"Container '%s' has %d containerPortRange mappings; the limit is 100 per container.", deref(c.Name), ranges)
	}
	v.checkContainerPorts(i, c)
}

// ipcSysctls are the IPC namespace's kernel parameters besides fs.mqueue.*:
// runc's list (opencontainers/runc libcontainer/configs/validate/validator.go,
// sysctl), which is what refuses them when Docker starts the container.
var ipcSysctls = []string{
	"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
}

// checkSystemControls checks container i's namespaced kernel parameters
// against the namespaces the task shares with the instance. [API]
// SystemControl: "For tasks that use the host network mode, the network
// namespace systemControls aren't supported" and "For tasks that use the
// host IPC mode, IPC namespace systemControls aren't supported". runc
// refuses to create such a container ("sysctl ... not allowed in host
// network namespace", "... is not allowed in the hosts ipc namespace"), so
// the task can never run: an error.
func (v *validator) checkSystemControls(i int, c *types.ContainerDefinition) {
	hostIPC := v.td.IpcMode == types.IpcModeHost
	if v.mode != ModeHost && !hostIPC {
		return
	}
	for k, sc := range c.SystemControls {
		if sc.Namespace == nil {
			continue
		}
		key := sysctlKey(*sc.Namespace)
		path := fmt.Sprintf("containerDefinitions[%d].systemControls[%d]", i, k)
		switch {
		case v.mode == ModeHost && strings.HasPrefix(key, "net."):
			v.add(path, CodeSystemControlHostNamespace, SeverityError,
				"systemControls %q is a network namespace parameter, which is not supported when networkMode=host: the task shares the instance's network namespace, and the container can't start.", *sc.Namespace)
		case hostIPC && (slices.Contains(ipcSysctls, key) || strings.HasPrefix(key, "fs.mqueue.")):
			v.add(path, CodeSystemControlHostNamespace, SeverityError,
				"systemControls %q is an IPC namespace parameter, which is not supported when ipcMode=host: the task shares the instance's IPC namespace, and the container can't start.", *sc.Namespace)
		}
	}
}

// sysctlKey returns a kernel parameter name in dotted form. Docker and runc
// also take the /proc/sys path form ("net/ipv4/ip_forward") and convert it
// when its first separator is a slash (opencontainers/runc
// libcontainer/configs/validate/validator.go,
// convertSysctlVariableToDotsSeparator).
func sysctlKey(s string) string {
	if i := strings.IndexAny(s, "./"); i < 0 || s[i] == '.' {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '/':
			return '.'
		case '.':
			return '/'
		}
		return r
	}, s)
}

var appProtocols = []types.ApplicationProtocol{types.ApplicationProtocolHttp, types.ApplicationProtocolHttp2, types.ApplicationProtocolGrpc}

func (v *validator) checkMapping(i, j int, c *types.ContainerDefinition) {
	pm := &c.PortMappings[j]
	at := func(field string) string {
		return fmt.Sprintf("containerDefinitions[%d].portMappings[%d].%s", i, j, field)
	}
	mode := v.mode
	name := deref(c.Name)

	switch pm.Protocol {
	case "", types.TransportProtocolTcp, types.TransportProtocolUdp:
	default:
		v.add(at("protocol"), CodeInvalidProtocol, SeverityWarning,
			"protocol %q is not tcp or udp (the values are case-sensitive); ECS treats it as tcp.", string(pm.Protocol))
	}

	hp, hasHP := deref(pm.HostPort), pm.HostPort != nil
	if hasHP && (hp < 0 || hp > 65535) {
		v.add(at("hostPort"), CodeInvalidHostPort, SeverityError,
			"Invalid 'hostPort' setting for container '%s': %d is not between 0 and 65535.", name, hp)
		hasHP = false
	}

	if pm.ContainerPortRange != nil {
		if pm.ContainerPort != nil {
			v.add(at("containerPortRange"), CodePortAndPortRange, SeverityError,
				"Port mapping for container '%s' sets both containerPort and containerPortRange; set one of them.", name)
		}
		if _, err := ParseContainerPortRange(*pm.ContainerPortRange); err != nil {
			v.add(at("containerPortRange"), CodeInvalidContainerPortRange, SeverityError,
				"Invalid 'containerPortRange' setting %q for container '%s': want \"first-last\" with 1 <= first < last <= 65535.", *pm.ContainerPortRange, name)
		}
		// "You must use either the bridge network mode or the awsvpc network
		// mode" ([API] PortMapping.containerPortRange); none is already an
		// error for any mapping. The same list says ranges are "available
		// for both the Linux and Windows operating systems" without naming
		// Windows' default (nat) mode. The agent maps ranges dynamically in
		// "default/bridge/nat network modes" (aws/amazon-ecs-agent#3506, the
		// feature's merge), so that mode is accepted and planned like bridge;
		// whether ECS registers it is not documented.
		if mode == ModeHost {
			v.add(at("containerPortRange"), CodeContainerPortRangeMode, SeverityError,
				"containerPortRange is only supported when networkMode is bridge or awsvpc (networkMode=host).")
		}
		// "If you specify a containerPortRange, leave this field empty"
		// ([API] PortMapping.hostPort). Whether ECS takes an explicit 0 as
		// empty is not documented; 0 means "pick one" in bridge mode, so it
		// is let through.
		if hasHP && hp != 0 {
			v.add(at("hostPort"), CodeContainerPortRangeHostPort, SeverityError,
				"Leave hostPort empty when containerPortRange is set: ECS picks the host ports (the same range in awsvpc, free ports in bridge).")
		}
	} else {
		cp := deref(pm.ContainerPort)
		if pm.ContainerPort == nil || cp < 1 || cp > 65535 {
			// ECS's text (reference §9).
			v.add(at("containerPort"), CodeInvalidContainerPort, SeverityError, "Invalid 'containerPort' setting for container '%s'.", name)
		} else if hasHP && (mode == ModeAWSVPC || mode == ModeHost) && hp != cp {
			switch {
			case hp == 0 && mode == ModeAWSVPC:
				// Sources disagree: older guides said hostPort "can be 0
				// or the container port" in awsvpc, the API reference now
				// says "left blank or the same value", and ECS rejects an
				// explicit 0 with the mismatch error (aws/amazon-ecs-cli#1014:
				// a compose port without host port). An error, in ECS's text.
				v.add(at("hostPort"), CodeHostPortZero, SeverityError,
					"When networkMode=awsvpc, the host ports and container ports in port mappings must match.")
			case hp == 0:
				// host mode: the API reference says "host ports must either
				// be undefined or match the container port" ([API]
				// PortMapping); nothing on record shows ECS rejecting 0, so
				// a warning. (The guide's task-networking page says a host
				// mode container "must specify a specific hostPort number";
				// the API reference allows it undefined, and so does
				// Validate.)
				v.add(at("hostPort"), CodeHostPortZeroInHostMode, SeverityWarning,
					"hostPort 0 in networkMode=host is not dynamic: the container binds port %d on the instance. Omit hostPort or set it to %d.", cp, cp)
			default:
				// ECS's text for awsvpc (reference §9); the host-mode text
				// is the same form (quoted only by a third party).
				v.add(at("hostPort"), CodeHostPortMismatch, SeverityError,
					"When networkMode=%s, the host ports and container ports in port mappings must match.", mode)
			}
		}
	}

	if pm.Name != nil {
		pn := *pm.Name
		if !validPortName(pn) {
			v.add(at("name"), CodeInvalidPortName, SeverityError,
				"Invalid port mapping name %q: use up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.", pn)
		}
		if v.names == nil {
			v.names = map[string]string{}
		}
		if first, dup := v.names[pn]; dup {
			v.add(at("name"), CodeDuplicatePortName, SeverityError,
				"Port mapping name %q is already used by %s; names must be unique in a task definition.", pn, first)
		} else {
			v.names[pn] = fmt.Sprintf("containerDefinitions[%d].portMappings[%d]", i, j)
		}
	}
	if pm.AppProtocol != "" {
		if !slices.Contains(appProtocols, pm.AppProtocol) {
			v.add(at("appProtocol"), CodeInvalidAppProtocol, SeverityError,
				"Invalid appProtocol %q: valid values are http, http2 and grpc.", string(pm.AppProtocol))
		}
		if pm.Name == nil {
			v.add(at("appProtocol"), CodeAppProtocolWithoutName, SeverityWarning,
				"appProtocol only applies to Service Connect, which refers to a port mapping by its name; set name too.")
		}
	}
	if (pm.Name != nil || pm.AppProtocol != "") && mode != ModeBridge && mode != ModeAWSVPC && mode != ModeUnknown {
		path := at("name")
		if pm.Name == nil {
			path = at("appProtocol")
		}
		v.add(path, CodeServiceConnectMode, SeverityWarning,
			"Service Connect supports networkMode bridge and awsvpc only; this mapping can't be used by Service Connect with networkMode=%s.", mode)
	}
}

func validPortName(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

// portUse is one mapping's ports, for overlap checks.
type portUse struct {
	ports     PortRange
	proto     Protocol
	container int
	mapping   int
	isRange   bool
}

func (u portUse) path() string {
	return fmt.Sprintf("containerDefinitions[%d].portMappings[%d]", u.container, u.mapping)
}

// containerPorts returns container i's mappings with usable container ports.
func containerPorts(i int, c *types.ContainerDefinition) []portUse {
	var us []portUse
	for j, pm := range c.PortMappings {
		u := portUse{proto: ProtocolOf(pm.Protocol), container: i, mapping: j}
		switch {
		case pm.ContainerPortRange != nil:
			r, err := ParseContainerPortRange(*pm.ContainerPortRange)
			if err != nil {
				continue
			}
			u.ports, u.isRange = r, true
		case pm.ContainerPort != nil && *pm.ContainerPort >= 1 && *pm.ContainerPort <= 65535:
			p := uint16(*pm.ContainerPort)
			u.ports = PortRange{p, p}
		default:
			continue
		}
		us = append(us, u)
	}
	return us
}

// overlaps calls f for each use that shares a port of its protocol with
// an earlier use in us, in the order of us (task-definition order), passing
// an earlier use it overlaps: f(prev, cur). The problem belongs to cur, the
// later mapping, which is where ECS's own per-mapping errors point ("TCP
// host port '3000' is mapped multiple times in task." names the repeat, and
// the API reference's containerPortRange rules, "A port can only be
// included in one port mapping per container" and "You cannot specify
// overlapping port ranges", make the mapping that repeats a port the wrong
// one). Which of the two has the lower ports doesn't matter: a range listed
// after a single port it covers is the one at fault.
//
// If f returns false (the pair is not a problem for the caller), the search
// goes on after the declined use's last port; cur gets at most one true.
// (Ports inside the declined use's interval that a still earlier use took
// are not tried: the one caller that declines, checkHostPorts for a
// same-container pair, has that container's overlap reported already.)
// Each port remembers the first use that took it, and ports are scanned a
// word at a time, so the cost grows with the mappings times the 1024 words
// of a protocol's ports at worst, not with the square of the mappings.
func overlaps(us []portUse, f func(prev, cur portUse) bool) {
	var taken [2]portSet        // ports of earlier uses, per protocol
	var owner [2]map[uint16]int // the first use (index in us) to take each port
	for k, cur := range us {
		pi := protoIndex(cur.proto)
		r := cur.ports
		// Earlier uses that share a port with cur, lowest shared port first;
		// each earlier use is tried once (its ports are one interval, so
		// the search resumes after its last port).
		for from := int(r.First); from <= int(r.Last); {
			p, ok := taken[pi].next(uint16(from), r.Last)
			if !ok {
				break
			}
			prev := us[owner[pi][p]]
			if f(prev, cur) {
				break
			}
			from = int(min(prev.ports.Last, r.Last)) + 1
		}
		// Take cur's ports that no earlier use took.
		if owner[pi] == nil {
			owner[pi] = map[uint16]int{}
		}
		taken[pi].addRange(r, func(p uint16) { owner[pi][p] = k })
	}
}

func (v *validator) checkContainerPorts(i int, c *types.ContainerDefinition) {
	name := deref(c.Name)
	us := containerPorts(i, c)
	overlaps(us, func(prev, cur portUse) bool {
		if prev.isRange || cur.isRange {
			v.add(cur.path()+".containerPortRange", CodeOverlappingPortRanges, SeverityError,
				"Port %d/%s of container '%s' is in more than one port mapping (%s and %s); port ranges can't overlap.",
				max(prev.ports.First, cur.ports.First), cur.proto, name, prev.path(), cur.path())
			if !cur.isRange {
				v.ps[len(v.ps)-1].Path = cur.path() + ".containerPort"
			}
			return true
		}
		// ECS's CreateService text for this case (terraform-aws-modules/
		// terraform-aws-ecs#89); the register-time text is not on record.
		// In host and awsvpc mode the two mappings are one host port
		// twice. In bridge (and Windows' nat) mode they publish the port
		// on two host ports: RegisterTaskDefinition accepts it
		// (aws/aws-cli#7288) and the agent binds each ([AGENT]
		// task.go, dockerPortMap appends a binding), so a warning.
		if v.mode == ModeBridge || v.mode == ModeDefault {
			hp := func(u portUse) int32 { return deref(c.PortMappings[u.mapping].HostPort) }
			if h := hp(cur); h != 0 && h == hp(prev) {
				return true // one host port twice: the duplicate host port error says it
			}
			mode := v.mode.String()
			if v.mode == ModeDefault {
				mode = "the default (nat)"
			}
			v.add(cur.path()+".containerPort", CodeDuplicateContainerPort, SeverityWarning,
				"Container port %d of container '%s' is in more than one port mapping (%s and %s): in %s mode the agent publishes it on each host port, but CreateService has rejected it with \"Container port %d is used in more than one port mapping for container %s\".",
				cur.ports.First, name, prev.path(), cur.path(), mode, cur.ports.First, name)
			return true
		}
		v.add(cur.path()+".containerPort", CodeDuplicateContainerPort, SeverityError,
			"Container port %d is used in more than one port mapping for container %s", cur.ports.First, name)
		return true
	})

	// One port on tcp and udp. Sources disagree: the API reference still says
	// "You can't expose the same container port for multiple protocols. If
	// you attempt this, an error is returned", but the guides dropped that note
	// in 2020 because RegisterTaskDefinition accepts it
	// (awsdocs/amazon-ecs-developer-guide#128), while CreateService has been
	// seen rejecting it with "Container port 53 is used in more than one port
	// mapping for container ..." (aws/amazon-ecs-agent#3428, 2022). So a
	// warning.
	//
	// Ranges too: the API reference's containerPortRange rules say "A port
	// can only be included in one port mapping per container" and "You cannot
	// specify overlapping port ranges", with no exception for protocols
	// ([API] PortMapping.containerPortRange). Nothing on record shows ECS
	// accepting or rejecting a tcp and a udp mapping that share ports through
	// a range, so they get the same warning as single ports rather than a
	// guess at an error.
	for k, u := range us {
		for _, prev := range us[:k] {
			if prev.proto == u.proto || !prev.ports.Overlaps(u.ports) {
				continue
			}
			p := max(prev.ports.First, u.ports.First)
			if !prev.isRange && !u.isRange {
				v.add(u.path()+".protocol", CodeSamePortTCPAndUDP, SeverityWarning,
					"Container port %d of container '%s' is mapped for both %s (%s) and %s; RegisterTaskDefinition accepts it, but CreateService has rejected it with \"Container port %d is used in more than one port mapping for container %s\".",
					p, name, prev.proto, prev.path(), u.proto, p, name)
			} else {
				v.add(u.path()+".protocol", CodeSamePortTCPAndUDP, SeverityWarning,
					"Container port %d of container '%s' is mapped for both %s (%s) and %s; the API reference allows a port in only one port mapping per container and no overlapping containerPortRanges, whatever the protocol.",
					p, name, prev.proto, prev.path(), u.proto)
			}
			break // one problem per mapping
		}
	}
}

// checkHostPorts checks the static host ports of the whole task: duplicates,
// reserved ports and the dynamic range.
func (v *validator) checkHostPorts() {
	mode := v.mode
	if mode == ModeUnknown || mode == ModeNone {
		return
	}
	var us []portUse
	for i := range v.td.ContainerDefinitions {
		c := &v.td.ContainerDefinitions[i]
		for _, u := range containerPorts(i, c) {
			pm := c.PortMappings[u.mapping]
			switch mode {
			case ModeBridge, ModeDefault:
				hp := deref(pm.HostPort)
				if u.isRange || hp <= 0 || hp > 65535 {
					continue // dynamic
				}
				u.ports = PortRange{uint16(hp), uint16(hp)}
			case ModeHost, ModeAWSVPC:
				// The host port is the container port (in awsvpc, on the
				// task's ENI; the host port range equals the container
				// range).
			}
			us = append(us, u)
		}
	}
	overlaps(us, func(prev, cur portUse) bool {
		if prev.container == cur.container && (mode == ModeHost || mode == ModeAWSVPC) {
			return false // already reported as a container-port duplicate; look for another container's
		}
		// ECS's text (aws/amazon-ecs-agent#1220): "TCP host port '3000' is
		// mapped multiple times in task."
		v.add(cur.path()+hostPortField(cur, mode), CodeDuplicateHostPort, SeverityError,
			"%s host port '%d' is mapped multiple times in task.", strings.ToUpper(cur.proto.String()), max(prev.ports.First, cur.ports.First))
		return true
	})
	if mode == ModeAWSVPC {
		return // awsvpc ports live on the task ENI, not the instance
	}
	reserved := [2][]uint16{v.host.reservedTCP(), v.host.ReservedUDP}
	v.checkPortLimit(us, reserved)
	rng := v.host.dynamicRange()
	for _, u := range us {
	ports:
		for p := int(u.ports.First); p <= int(u.ports.Last); p++ {
			port := uint16(p)
			path := u.path() + hostPortField(u, mode)
			switch {
			case slices.Contains(reserved[protoIndex(u.proto)], port):
				v.add(path, CodeReservedHostPort, SeverityError,
					"Host port %d/%s is reserved on the container instance (agent reserved ports %s); no instance can place the task (RESOURCE:PORTS).",
					port, u.proto, portList(v.host, u.proto))
			case port == 51680 && u.proto == TCP && v.os == Linux && v.host.ReservedTCP == nil:
				v.add(path, CodeConditionallyReservedPort, SeverityWarning,
					"Host port 51680 is the ECS agent's Prometheus metrics port, reserved when ECS_ENABLE_PROMETHEUS_METRICS=true (the API reference lists 51678-51680 as reserved).")
			case port == 80 && u.proto == TCP && v.os == Windows && v.host.ReservedTCP == nil:
				v.add(path, CodeConditionallyReservedPort, SeverityWarning,
					"Host port 80 is reserved on Windows container instances when IAM roles for tasks are enabled (the agent's credentials endpoint).")
			case rng.Contains(port) && !u.isRange:
				v.add(path, CodeHostPortInDynamicRange, SeverityWarning,
					"Host port %d/%s is inside the dynamic host port range %s, which is reserved for automatic assignment; a task given it dynamically blocks this one (RESOURCE:PORTS). Use a port below %d.",
					port, u.proto, rng, rng.First)
			default:
				continue
			}
			break ports // one problem per mapping
		}
	}
}

// checkPortLimit checks that one copy's static host ports fit beside the
// reserved ports in the instance's reserved-port limit (ECS's 100): us are
// the task's static host ports in task order. The problem is reported at the
// mapping that first passes the limit. Per protocol it is an error (the PORTS
// resource counts the defaults; [API] PortMapping.hostPort); TCP and UDP
// together only a warning, since whether they share the limit is not
// documented (reference §4). PlanPorts counts them together.
func (v *validator) checkPortLimit(us []portUse, reserved [2][]uint16) {
	limit := v.host.portLimit()
	var set [2]portSet
	for pi := range set {
		set[pi].addAll(reserved[pi])
	}
	base := set[0].n + set[1].n
	var mine [2]portSet // the task's own static ports
	var over [2]bool
	both := false
	for _, u := range us {
		if u.isRange {
			continue // host mode only, already an error (container-port-range-mode)
		}
		pi := protoIndex(u.proto)
		for p := int(u.ports.First); p <= int(u.ports.Last); p++ {
			set[pi].add(uint16(p))
			mine[pi].add(uint16(p))
		}
		path := u.path() + hostPortField(u, v.mode)
		switch {
		case over[pi]:
		case set[pi].n > limit:
			over[pi] = true
			v.add(path, CodeTooManyHostPorts, SeverityError,
				"One copy of the task needs %d static %s host ports by this mapping, and with the other %d reserved on the container instance (agent reserved ports %s) that is more than the %d reserved ports an instance can have; no instance can place the task (\"Too many ports registered\").",
				mine[pi].n, u.proto, set[pi].n-mine[pi].n, portList(v.host, u.proto), limit)
		case !both && !over[0] && !over[1] && set[0].n+set[1].n > limit:
			both = true
			v.add(path, CodeTooManyHostPortsTCPAndUDP, SeverityWarning,
				"One copy of the task needs %d static TCP and UDP host ports by this mapping, and with the %d reserved on the container instance that is more than the %d reserved ports an instance can have, if TCP and UDP share the limit (not documented); placement may fail with \"Too many ports registered\".",
				mine[0].n+mine[1].n, base, limit)
		}
	}
}

func hostPortField(u portUse, mode Mode) string {
	switch {
	case u.isRange:
		return ".containerPortRange"
	case mode == ModeBridge || mode == ModeDefault:
		return ".hostPort"
	}
	return ".containerPort"
}

func portList(h Host, p Protocol) string {
	ps := h.ReservedUDP
	if p == TCP {
		ps = h.reservedTCP()
	}
	s := make([]string, len(ps))
	for i, x := range ps {
		s[i] = strconv.Itoa(int(x))
	}
	return strings.Join(s, ", ")
}
