package netmode

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ctr is a container with the given port mappings.
func ctr(name string, ms ...types.PortMapping) types.ContainerDefinition {
	return types.ContainerDefinition{Name: aws.String(name), Image: aws.String("nginx"), PortMappings: ms}
}

func td(mode types.NetworkMode, cs ...types.ContainerDefinition) *types.TaskDefinition {
	return &types.TaskDefinition{Family: aws.String("web"), NetworkMode: mode, ContainerDefinitions: cs}
}

func with(t *types.TaskDefinition, f func(*types.TaskDefinition)) *types.TaskDefinition {
	f(t)
	return t
}

func windows(t *types.TaskDefinition) {
	t.RuntimePlatform = &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyWindowsServer2022Core}
}

func compat(cs ...types.Compatibility) func(*types.TaskDefinition) {
	return func(t *types.TaskDefinition) { t.RequiresCompatibilities = cs }
}

func named(m types.PortMapping, name string, app types.ApplicationProtocol) types.PortMapping {
	if name != "" {
		m.Name = aws.String(name)
	}
	m.AppProtocol = app
	return m
}

func noPort() types.PortMapping { return types.PortMapping{} }

// sysctls is a container with systemControls for the given kernel parameters.
func sysctls(name string, keys ...string) types.ContainerDefinition {
	c := ctr(name)
	for _, k := range keys {
		c.SystemControls = append(c.SystemControls, types.SystemControl{Namespace: aws.String(k), Value: aws.String("1")})
	}
	return c
}

func bothPortAndRange() types.PortMapping {
	return types.PortMapping{ContainerPort: aws.Int32(80), ContainerPortRange: aws.String("8000-8010")}
}

func rangeWithHost(r string, hp int32) types.PortMapping {
	return types.PortMapping{ContainerPortRange: aws.String(r), HostPort: aws.Int32(hp)}
}

type want struct {
	path string
	code Code
	sev  Severity
	msg  string // substring; "=..." for an exact message
}

func TestValidate(t *testing.T) {
	pmap := "containerDefinitions[0].portMappings[0]"
	tests := []struct {
		name string
		td   *types.TaskDefinition
		opts []Option
		want []want
	}{
		// Network mode and platform.
		{"bridge ok", td("bridge", ctr("web", pm(80, 8080, "tcp"), pm(81, 0, ""))), nil, nil},
		{"omitted mode ok", td("", ctr("web", pm(80, -1, ""))), nil, nil},
		{"unknown mode", td("nat", ctr("web")), nil, []want{{"networkMode", CodeUnknownNetworkMode, SeverityError, `Invalid networkMode "nat"`}}},
		{"windows default ok", with(td("", ctr("web", pm(80, 8080, ""))), windows), nil, nil},
		{"windows awsvpc ok", with(td("awsvpc", ctr("web", pm(80, -1, ""))), windows), nil, nil},
		{"windows host", with(td("host", ctr("web")), windows), nil, []want{{"networkMode", CodeWindowsNetworkMode, SeverityError, "networkMode=host is not supported for Windows"}}},
		{"windows none", with(td("none", ctr("web")), windows), nil, []want{{"networkMode", CodeWindowsNetworkMode, SeverityError, "networkMode=none"}}},
		{"windows bridge", with(td("bridge", ctr("web")), windows), nil, []want{{"networkMode", CodeWindowsBridge, SeverityWarning, "nat"}}},
		{"windows container settings", with(td("", types.ContainerDefinition{
			Name: aws.String("w"), Links: []string{"db"}, DnsServers: []string{"10.0.0.2"}, DnsSearchDomains: []string{"corp"},
			ExtraHosts: []types.HostEntry{{Hostname: aws.String("a"), IpAddress: aws.String("10.0.0.1")}}, DisableNetworking: aws.Bool(false),
		}), func(t *types.TaskDefinition) {
			windows(t)
			t.IpcMode = types.IpcModeHost
			t.PidMode = types.PidModeTask
		}), nil, []want{
			{"ipcMode", CodeWindowsUnsupported, SeverityError, "=ipcMode is not supported for Windows containers."},
			{"pidMode", CodeWindowsUnsupported, SeverityError, ""},
			{"containerDefinitions[0].links", CodeWindowsUnsupported, SeverityError, ""},
			{"containerDefinitions[0].extraHosts", CodeWindowsUnsupported, SeverityError, ""},
			{"containerDefinitions[0].dnsServers", CodeWindowsUnsupported, SeverityError, ""},
			{"containerDefinitions[0].dnsSearchDomains", CodeWindowsUnsupported, SeverityError, ""},
			{"containerDefinitions[0].disableNetworking", CodeWindowsUnsupported, SeverityError, ""},
		}},
		{"linux ipcMode ok", with(td("bridge", ctr("web")), func(t *types.TaskDefinition) { t.IpcMode = types.IpcModeHost }), nil, nil},
		{"fargate awsvpc ok", with(td("awsvpc", ctr("web", pm(80, 80, ""))), compat("FARGATE")), nil, nil},
		{"fargate bridge", with(td("bridge", ctr("web")), compat("FARGATE", "EC2")), nil, []want{{"networkMode", CodeFargateNetworkMode, SeverityError, "=Fargate only supports network mode ‘awsvpc’."}}},
		{"fargate omitted mode", with(td("", ctr("web")), compat("FARGATE")), nil, []want{{"networkMode", CodeFargateNetworkMode, SeverityError, ""}}},
		{"fargate via option", td("host", ctr("web")), []Option{WithCompatibilities(types.CompatibilityFargate)}, []want{{"networkMode", CodeFargateNetworkMode, SeverityError, ""}}},
		{"fargate windows bridge", with(td("", ctr("web")), func(t *types.TaskDefinition) { windows(t); compat("FARGATE")(t) }), nil, []want{{"networkMode", CodeFargateNetworkMode, SeverityError, ""}}},
		{"fargate dns", with(td("awsvpc", types.ContainerDefinition{Name: aws.String("a"), DnsServers: []string{"1.1.1.1"}, DisableNetworking: aws.Bool(true)}), compat("FARGATE")), nil, []want{
			{"containerDefinitions[0].dnsServers", CodeFargateUnsupported, SeverityError, "=dnsServers is not valid in Fargate tasks."},
			{"containerDefinitions[0].disableNetworking", CodeFargateUnsupported, SeverityError, ""},
		}},
		// [DG] fargate-tasks-services.md: ipcMode is not valid in Fargate
		// tasks; [API] TaskDefinition.pidMode: on Fargate "the only valid
		// value is task".
		{"fargate ipcMode", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) { compat("FARGATE")(t); t.IpcMode = types.IpcModeNone }), nil, []want{
			{"ipcMode", CodeFargateUnsupported, SeverityError, "=ipcMode is not valid in Fargate tasks (ipcMode=none)."},
		}},
		{"fargate pidMode host", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) { compat("FARGATE")(t); t.PidMode = types.PidModeHost }), nil, []want{
			{"pidMode", CodeFargateUnsupported, SeverityError, "=pidMode=host is not valid in Fargate tasks: on Fargate the only valid value is task."},
		}},
		{"fargate pidMode task ok", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) { compat("FARGATE")(t); t.PidMode = types.PidModeTask }), nil, nil},
		{"fargate via option ipcMode", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) { t.IpcMode = types.IpcModeTask }), []Option{WithCompatibilities(types.CompatibilityFargate)}, []want{
			{"ipcMode", CodeFargateUnsupported, SeverityError, ""},
		}},
		{"ec2 pidMode host ok", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) { compat("EC2")(t); t.PidMode = types.PidModeHost }), nil, nil},
		// One problem per field: the Windows rule already rejects it.
		{"fargate windows ipcMode and pidMode", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) {
			windows(t)
			compat("FARGATE")(t)
			t.IpcMode = types.IpcModeTask
			t.PidMode = types.PidModeTask
		}), nil, []want{
			{"ipcMode", CodeWindowsUnsupported, SeverityError, "Windows"},
			{"pidMode", CodeWindowsUnsupported, SeverityError, "Windows"},
		}},
		{"external bridge ok", with(td("bridge", ctr("web")), compat("EXTERNAL")), nil, nil},
		{"external awsvpc", with(td("awsvpc", ctr("web")), compat("EXTERNAL")), nil, []want{{"networkMode", CodeExternalNetworkMode, SeverityError, "ECS Anywhere"}}},
		{"external windows awsvpc (undocumented)", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) { windows(t); compat("EXTERNAL")(t) }), nil, nil},
		{"managed instances awsvpc ok", with(td("awsvpc", ctr("web")), compat("MANAGED_INSTANCES")), nil, nil},
		{"managed instances host ok", with(td("host", ctr("web")), compat("MANAGED_INSTANCES")), nil, nil},
		{"managed instances omitted", with(td("", ctr("web")), compat("MANAGED_INSTANCES")), nil, []want{{"networkMode", CodeManagedInstancesNetworkMode, SeverityError, "to be set"}}},
		{"managed instances bridge", with(td("bridge", ctr("web")), compat("MANAGED_INSTANCES")), nil, []want{{"networkMode", CodeManagedInstancesNetworkMode, SeverityError, "bridge"}}},
		{"proxy awsvpc ok", with(td("awsvpc", ctr("web")), func(t *types.TaskDefinition) {
			t.ProxyConfiguration = &types.ProxyConfiguration{ContainerName: aws.String("envoy")}
		}), nil, nil},
		{"proxy bridge", with(td("bridge", ctr("web")), func(t *types.TaskDefinition) {
			t.ProxyConfiguration = &types.ProxyConfiguration{ContainerName: aws.String("envoy")}
		}), nil, []want{{"proxyConfiguration", CodeProxyConfigurationMode, SeverityError, "=APPMESH proxy configuration is only supported in networkMode=awsvpc (networkMode=bridge)."}}},

		// Container settings by mode.
		{"links bridge ok", td("bridge", types.ContainerDefinition{Name: aws.String("a"), Links: []string{"db:db"}}), nil, nil},
		{"links awsvpc", td("awsvpc", types.ContainerDefinition{Name: aws.String("a"), Links: []string{"db"}}), nil, []want{{"containerDefinitions[0].links", CodeLinksUnsupported, SeverityError, "=Links are not supported when networkMode=awsvpc."}}},
		{"links host", td("host", types.ContainerDefinition{Name: aws.String("a"), Links: []string{"db"}}), nil, []want{{"containerDefinitions[0].links", CodeLinksUnsupported, SeverityError, "=Links are not supported when networkMode=host."}}},
		{"links none", td("none", types.ContainerDefinition{Name: aws.String("a"), Links: []string{"db"}}), nil, []want{{"containerDefinitions[0].links", CodeLinksUnsupported, SeverityError, ""}}},
		{"hostname bridge ok", td("bridge", types.ContainerDefinition{Name: aws.String("a"), Hostname: aws.String("h")}), nil, nil},
		{"hostname awsvpc", td("awsvpc", types.ContainerDefinition{Name: aws.String("a"), Hostname: aws.String("h")}), nil, []want{{"containerDefinitions[0].hostname", CodeHostnameUnsupported, SeverityError, "=hostname is not supported on container when networkMode=awsvpc."}}},
		{"extraHosts host ok", td("host", types.ContainerDefinition{Name: aws.String("a"), ExtraHosts: []types.HostEntry{{}}}), nil, nil},
		{"extraHosts awsvpc", td("awsvpc", ctr("a"), types.ContainerDefinition{Name: aws.String("b"), ExtraHosts: []types.HostEntry{{}}}), nil, []want{{"containerDefinitions[1].extraHosts", CodeExtraHostsUnsupported, SeverityError, "extraHosts is not supported"}}},
		{"dns bridge ok", td("bridge", types.ContainerDefinition{Name: aws.String("a"), DnsServers: []string{"10.0.0.2"}}), nil, nil},

		// systemControls in host namespaces ([API] SystemControl).
		{"net sysctl host mode", td("host", sysctls("a", "net.core.somaxconn", "kernel.shmmax", "net/ipv4/tcp_keepalive_time")), nil, []want{
			{"containerDefinitions[0].systemControls[0]", CodeSystemControlHostNamespace, SeverityError, `=systemControls "net.core.somaxconn" is a network namespace parameter, which is not supported when networkMode=host: the task shares the instance's network namespace, and the container can't start.`},
			{"containerDefinitions[0].systemControls[2]", CodeSystemControlHostNamespace, SeverityError, `"net/ipv4/tcp_keepalive_time"`},
		}},
		{"net sysctl bridge ok", td("bridge", sysctls("a", "net.core.somaxconn")), nil, nil},
		{"net sysctl awsvpc ok", td("awsvpc", sysctls("a", "net.ipv4.tcp_keepalive_time")), nil, nil},
		{"ipc sysctl host ipcMode", with(td("bridge", ctr("a"), sysctls("b", "kernel.shmmax", "fs.mqueue.msg_max", "kernel.hostname", "net.core.somaxconn", "kernel/sem")), func(t *types.TaskDefinition) { t.IpcMode = types.IpcModeHost }), nil, []want{
			{"containerDefinitions[1].systemControls[0]", CodeSystemControlHostNamespace, SeverityError, `"kernel.shmmax" is an IPC namespace parameter, which is not supported when ipcMode=host`},
			{"containerDefinitions[1].systemControls[1]", CodeSystemControlHostNamespace, SeverityError, `"fs.mqueue.msg_max"`},
			{"containerDefinitions[1].systemControls[4]", CodeSystemControlHostNamespace, SeverityError, `"kernel/sem"`},
		}},
		{"ipc sysctl task ipcMode ok", with(td("bridge", sysctls("a", "kernel.shmmax")), func(t *types.TaskDefinition) { t.IpcMode = types.IpcModeTask }), nil, nil},
		{"ipc sysctl host network ok", td("host", sysctls("a", "kernel.shmmax", "kernel.msgmax")), nil, nil},
		{"both host namespaces", with(td("host", sysctls("a", "fs.mqueue.queues_max", "net.ipv4.ip_forward")), func(t *types.TaskDefinition) { t.IpcMode = types.IpcModeHost }), nil, []want{
			{"containerDefinitions[0].systemControls[0]", CodeSystemControlHostNamespace, SeverityError, "ipcMode=host"},
			{"containerDefinitions[0].systemControls[1]", CodeSystemControlHostNamespace, SeverityError, "networkMode=host"},
		}},
		{"dns awsvpc ec2", td("awsvpc", types.ContainerDefinition{Name: aws.String("a"), DnsServers: []string{"10.0.0.2"}, DnsSearchDomains: []string{"x"}}), nil, []want{
			{"containerDefinitions[0].dnsServers", CodeDNSInAWSVPC, SeverityWarning, "ECS accepts it today"},
			{"containerDefinitions[0].dnsSearchDomains", CodeDNSInAWSVPC, SeverityWarning, ""},
		}},

		// Port mappings by mode.
		{"none no mappings ok", td("none", ctr("a")), nil, nil},
		{"none with mappings", td("none", ctr("a", pm(80, -1, ""), pm(81, -1, ""))), nil, []want{{"containerDefinitions[0].portMappings", CodePortMappingsWithNone, SeverityError, "networkMode=none"}}},
		{"awsvpc omitted host port ok", td("awsvpc", ctr("a", pm(80, -1, ""))), nil, nil},
		{"awsvpc equal host port ok", td("awsvpc", ctr("a", pm(80, 80, ""))), nil, nil},
		{"awsvpc mismatch", td("awsvpc", ctr("a", pm(80, 8080, ""))), nil, []want{{pmap + ".hostPort", CodeHostPortMismatch, SeverityError, "=When networkMode=awsvpc, the host ports and container ports in port mappings must match."}}},
		{"awsvpc host port 0", td("awsvpc", ctr("a", pm(80, 0, ""))), nil, []want{{pmap + ".hostPort", CodeHostPortZero, SeverityError, "=When networkMode=awsvpc, the host ports and container ports in port mappings must match."}}},
		{"host equal ok", td("host", ctr("a", pm(80, 80, ""))), nil, nil},
		{"host mismatch", td("host", ctr("a", pm(80, 8080, ""))), nil, []want{{pmap + ".hostPort", CodeHostPortMismatch, SeverityError, "=When networkMode=host, the host ports and container ports in port mappings must match."}}},
		{"host host port 0", td("host", ctr("a", pm(80, 0, ""))), nil, []want{{pmap + ".hostPort", CodeHostPortZeroInHostMode, SeverityWarning, "binds port 80"}}},
		{"bridge remap ok", td("bridge", ctr("a", pm(80, 8080, ""))), nil, nil},

		// Port and protocol ranges.
		{"missing container port", td("bridge", ctr("app", noPort())), nil, []want{{pmap + ".containerPort", CodeInvalidContainerPort, SeverityError, "=Invalid 'containerPort' setting for container 'app'."}}},
		{"container port 0", td("bridge", ctr("app", pm(0, 8080, ""))), nil, []want{{pmap + ".containerPort", CodeInvalidContainerPort, SeverityError, ""}}},
		{"container port too big", td("awsvpc", ctr("app", pm(70000, -1, ""))), nil, []want{{pmap + ".containerPort", CodeInvalidContainerPort, SeverityError, ""}}},
		{"container port 65535 ok", td("bridge", ctr("app", pm(65535, -1, ""))), nil, nil},
		{"host port negative", td("bridge", ctr("app", types.PortMapping{ContainerPort: aws.Int32(80), HostPort: aws.Int32(-5)})), nil, []want{{pmap + ".hostPort", CodeInvalidHostPort, SeverityError, "-5"}}},
		{"host port too big", td("bridge", ctr("app", types.PortMapping{ContainerPort: aws.Int32(80), HostPort: aws.Int32(65536)})), nil, []want{{pmap + ".hostPort", CodeInvalidHostPort, SeverityError, "not between 0 and 65535"}}},
		{"protocol udp ok", td("bridge", ctr("app", pm(53, 0, "udp"))), nil, nil},
		{"protocol sctp", td("bridge", ctr("app", pm(53, 0, "sctp"))), nil, []want{{pmap + ".protocol", CodeInvalidProtocol, SeverityWarning, "treats it as tcp"}}},
		{"protocol TCP uppercase", td("bridge", ctr("app", pm(53, 0, "TCP"))), nil, []want{{pmap + ".protocol", CodeInvalidProtocol, SeverityWarning, "case-sensitive"}}},

		// containerPortRange.
		{"range bridge ok", td("bridge", ctr("app", rangeMapping("8000-8099"))), nil, nil},
		{"range awsvpc ok", td("awsvpc", ctr("app", rangeMapping("8000-8099"))), nil, nil},
		{"range host", td("host", ctr("app", rangeMapping("8000-8099"))), nil, []want{{pmap + ".containerPortRange", CodeContainerPortRangeMode, SeverityError, "bridge or awsvpc"}}},
		{"range and port", td("bridge", ctr("app", bothPortAndRange())), nil, []want{{pmap + ".containerPortRange", CodePortAndPortRange, SeverityError, "both"}}},
		{"range reversed", td("bridge", ctr("app", rangeMapping("9000-8000"))), nil, []want{{pmap + ".containerPortRange", CodeInvalidContainerPortRange, SeverityError, "first < last"}}},
		{"range equal ends", td("bridge", ctr("app", rangeMapping("8000-8000"))), nil, []want{{pmap + ".containerPortRange", CodeInvalidContainerPortRange, SeverityError, ""}}},
		{"range zero", td("bridge", ctr("app", rangeMapping("0-10"))), nil, []want{{pmap + ".containerPortRange", CodeInvalidContainerPortRange, SeverityError, ""}}},
		{"range garbage", td("bridge", ctr("app", rangeMapping("80"))), nil, []want{{pmap + ".containerPortRange", CodeInvalidContainerPortRange, SeverityError, ""}}},
		// The agent parses the range without trimming (nat.ParsePortRangeToInt).
		{"range with spaces", td("bridge", ctr("app", rangeMapping(" 8000 - 8010"))), nil, []want{{pmap + ".containerPortRange", CodeInvalidContainerPortRange, SeverityError, `" 8000 - 8010"`}}},
		{"range with host port 0 (undocumented)", td("bridge", ctr("app", rangeWithHost("8000-8010", 0))), nil, nil},
		{"range with host port", td("bridge", ctr("app", rangeWithHost("8000-8010", 8000))), nil, []want{{pmap + ".hostPort", CodeContainerPortRangeHostPort, SeverityError, "Leave hostPort empty"}}},
		{"range overlap", td("bridge", ctr("app", rangeMapping("8000-8010"), rangeMapping("8005-8020"))), nil, []want{{"containerDefinitions[0].portMappings[1].containerPortRange", CodeOverlappingPortRanges, SeverityError, "Port 8005/tcp"}}},
		{"range overlaps port", td("bridge", ctr("app", rangeMapping("8000-8010"), pm(8003, 0, ""))), nil, []want{{"containerDefinitions[0].portMappings[1].containerPort", CodeOverlappingPortRanges, SeverityError, "Port 8003/tcp"}}},
		// The API reference: "A port can only be included in one port
		// mapping per container", whatever the protocol; a warning, as for
		// single ports on tcp and udp.
		{"range tcp and udp", td("bridge", ctr("app", rangeMapping("8000-8010"), types.PortMapping{ContainerPortRange: aws.String("8005-8020"), Protocol: "udp"})), nil, []want{{"containerDefinitions[0].portMappings[1].protocol", CodeSamePortTCPAndUDP, SeverityWarning, "=Container port 8005 of container 'app' is mapped for both tcp (containerDefinitions[0].portMappings[0]) and udp; the API reference allows a port in only one port mapping per container and no overlapping containerPortRanges, whatever the protocol."}}},
		{"udp port in tcp range", td("awsvpc", ctr("app", types.PortMapping{ContainerPort: aws.Int32(8003), Protocol: "udp"}, rangeMapping("8000-8010"))), nil, []want{{"containerDefinitions[0].portMappings[1].protocol", CodeSamePortTCPAndUDP, SeverityWarning, "mapped for both udp (containerDefinitions[0].portMappings[0]) and tcp"}}},
		{"tcp and udp ranges apart ok", td("bridge", ctr("app", rangeMapping("8000-8010"), types.PortMapping{ContainerPortRange: aws.String("8011-8020"), Protocol: "udp"})), nil, nil},
		// The API reference names only bridge and awsvpc for ranges, and says
		// they are "available for both the Linux and Windows operating
		// systems"; Windows' default (nat) mode is not mentioned either way,
		// and the agent maps ranges in it like bridge, so it is accepted.
		{"range windows default (undocumented)", with(td("", ctr("app", rangeMapping("8000-8010"))), windows), nil, nil},
		{"ranges in two containers bridge ok", td("bridge", ctr("a", rangeMapping("8000-8010")), ctr("b", rangeMapping("8000-8010"))), nil, nil},
		{"ranges in two containers awsvpc", td("awsvpc", ctr("a", rangeMapping("8000-8010")), ctr("b", rangeMapping("8010-8020"))), nil, []want{{"containerDefinitions[1].portMappings[0].containerPortRange", CodeDuplicateHostPort, SeverityError, "=TCP host port '8010' is mapped multiple times in task."}}},
		{"100 ranges ok", td("bridge", ctr("app", manyRanges(100)...)), nil, nil},
		{"101 ranges", td("bridge", ctr("app", manyRanges(101)...)), nil, []want{{"containerDefinitions[0].portMappings", CodeTooManyPortRanges, SeverityError, "limit is 100"}}},

		// Duplicates.
		// One container port published on two host ports: bridge mode
		// takes it (aws/aws-cli#7288; the agent binds both), host and
		// awsvpc make it one host port twice.
		{"duplicate container port", td("host", ctr("app", pm(80, 80, ""), pm(80, 80, "tcp"))), nil, []want{{"containerDefinitions[0].portMappings[1].containerPort", CodeDuplicateContainerPort, SeverityError, "=Container port 80 is used in more than one port mapping for container app"}}},
		{"duplicate container port awsvpc", td("awsvpc", ctr("app", pm(80, -1, ""), pm(80, -1, ""))), nil, []want{{"containerDefinitions[0].portMappings[1].containerPort", CodeDuplicateContainerPort, SeverityError, "=Container port 80 is used in more than one port mapping for container app"}}},
		{"container port on two host ports bridge", td("bridge", ctr("app", pm(80, 8080, ""), pm(80, 8081, "tcp"))), nil, []want{{"containerDefinitions[0].portMappings[1].containerPort", CodeDuplicateContainerPort, SeverityWarning, "in bridge mode the agent publishes it on each host port, but CreateService has rejected it"}}},
		{"container port on two dynamic host ports bridge", td("bridge", ctr("app", pm(80, 0, ""), pm(80, -1, ""))), nil, []want{{"containerDefinitions[0].portMappings[1].containerPort", CodeDuplicateContainerPort, SeverityWarning, ""}}},
		// One static host port twice: the host port error alone.
		{"container port on one host port twice bridge", td("bridge", ctr("app", pm(80, 8080, ""), pm(80, 8080, ""))), nil, []want{{"containerDefinitions[0].portMappings[1].hostPort", CodeDuplicateHostPort, SeverityError, ""}}},
		// awsvpc is not on the Windows Server 2016 AMI (reference §3).
		{"awsvpc windows 2016", with(td("awsvpc", ctr("iis", pm(80, -1, ""))), func(t *types.TaskDefinition) {
			t.RuntimePlatform = &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyWindowsServer2016Full}
		}), nil, []want{{"networkMode", CodeWindows2016AWSVPC, SeverityWarning, "awsvpc is not available on the Windows Server 2016 ECS AMI"}}},
		{"awsvpc windows 2019 ok", with(td("awsvpc", ctr("iis", pm(80, -1, ""))), func(t *types.TaskDefinition) {
			t.RuntimePlatform = &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyWindowsServer2019Full}
		}), nil, nil},
		{"same port tcp and udp", td("bridge", ctr("dns", pm(53, 53, "tcp"), pm(53, 53, "udp"))), nil, []want{{"containerDefinitions[0].portMappings[1].protocol", CodeSamePortTCPAndUDP, SeverityWarning, "RegisterTaskDefinition accepts it"}}},
		{"same port udp then tcp", td("bridge", ctr("dns", pm(53, 0, "udp"), pm(53, 0, ""))), nil, []want{{"containerDefinitions[0].portMappings[1].protocol", CodeSamePortTCPAndUDP, SeverityWarning, "mapped for both udp (containerDefinitions[0].portMappings[0]) and tcp;"}}},
		{"same container port in two containers bridge ok", td("bridge", ctr("a", pm(80, 0, "")), ctr("b", pm(80, 0, ""))), nil, nil},
		{"duplicate host port bridge", td("bridge", ctr("a", pm(80, 3000, "")), ctr("b", pm(81, 3000, ""))), nil, []want{{"containerDefinitions[1].portMappings[0].hostPort", CodeDuplicateHostPort, SeverityError, "=TCP host port '3000' is mapped multiple times in task."}}},
		{"duplicate host port one container bridge", td("bridge", ctr("a", pm(80, 3000, ""), pm(81, 3000, ""))), nil, []want{{"containerDefinitions[0].portMappings[1].hostPort", CodeDuplicateHostPort, SeverityError, ""}}},
		{"same host port tcp+udp ok", td("bridge", ctr("a", pm(80, 3000, "")), ctr("b", pm(81, 3000, "udp"))), nil, nil},
		{"duplicate udp host port", td("bridge", ctr("a", pm(80, 3000, "udp")), ctr("b", pm(81, 3000, "udp"))), nil, []want{{"containerDefinitions[1].portMappings[0].hostPort", CodeDuplicateHostPort, SeverityError, "=UDP host port '3000' is mapped multiple times in task."}}},
		{"duplicate port awsvpc", td("awsvpc", ctr("a", pm(80, -1, "")), ctr("b", pm(80, 80, ""))), nil, []want{{"containerDefinitions[1].portMappings[0].containerPort", CodeDuplicateHostPort, SeverityError, "TCP host port '80'"}}},
		{"duplicate port host mode", td("host", ctr("a", pm(8080, -1, "")), ctr("b", pm(8080, -1, ""))), nil, []want{{"containerDefinitions[1].portMappings[0].containerPort", CodeDuplicateHostPort, SeverityError, ""}}},

		// Reserved ports and the dynamic range.
		{"reserved 22 bridge", td("bridge", ctr("a", pm(22, 22, ""))), nil, []want{{pmap + ".hostPort", CodeReservedHostPort, SeverityError, "agent reserved ports 22, 2375, 2376, 51678, 51679"}}},
		{"reserved 2375 host", td("host", ctr("a", pm(2375, -1, ""))), nil, []want{{pmap + ".containerPort", CodeReservedHostPort, SeverityError, "RESOURCE:PORTS"}}},
		{"reserved ignored in awsvpc", td("awsvpc", ctr("a", pm(22, -1, ""))), nil, nil},
		{"reserved udp 22 ok", td("bridge", ctr("a", pm(22, 22, "udp"))), nil, nil},
		{"reserved windows 3389", with(td("", ctr("a", pm(3389, 3389, ""))), windows), nil, []want{{pmap + ".hostPort", CodeReservedHostPort, SeverityError, "3389"}}},
		{"reserved replaced list", td("bridge", ctr("a", pm(22, 22, ""), pm(80, 8080, ""))), []Option{WithHost(Host{ReservedTCP: []uint16{8080}})}, []want{{"containerDefinitions[0].portMappings[1].hostPort", CodeReservedHostPort, SeverityError, "agent reserved ports 8080"}}},
		{"reserved udp list", td("bridge", ctr("a", pm(53, 53, "udp"))), []Option{WithHost(Host{ReservedUDP: []uint16{53}})}, []want{{pmap + ".hostPort", CodeReservedHostPort, SeverityError, "53/udp"}}},
		{"agent metrics port", td("bridge", ctr("a", pm(80, 51680, ""))), nil, []want{{pmap + ".hostPort", CodeConditionallyReservedPort, SeverityWarning, "Prometheus"}}},
		{"agent metrics port, explicit list", td("bridge", ctr("a", pm(80, 51680, ""))), []Option{WithHost(Host{ReservedTCP: []uint16{22}})}, []want{{pmap + ".hostPort", CodeHostPortInDynamicRange, SeverityWarning, ""}}},
		{"windows port 80", with(td("", ctr("a", pm(80, 80, ""))), windows), nil, []want{{pmap + ".hostPort", CodeConditionallyReservedPort, SeverityWarning, "IAM roles for tasks"}}},
		{"linux port 80 ok", td("bridge", ctr("a", pm(80, 80, ""))), nil, nil},
		{"static in dynamic range", td("bridge", ctr("a", pm(80, 40000, ""))), nil, []want{{pmap + ".hostPort", CodeHostPortInDynamicRange, SeverityWarning, "32768-60999"}}},
		{"static in custom dynamic range", td("bridge", ctr("a", pm(80, 8080, ""))), []Option{WithHost(Host{DynamicRange: PortRange{8000, 9000}})}, []want{{pmap + ".hostPort", CodeHostPortInDynamicRange, SeverityWarning, "8000-9000"}}},
		{"static below dynamic range ok", td("bridge", ctr("a", pm(80, 32767, ""))), nil, nil},
		{"host mode in windows range", with(td("awsvpc", ctr("a", pm(50000, -1, ""))), windows), nil, nil},

		// Service Connect.
		{"port name ok", td("awsvpc", ctr("a", named(pm(80, -1, ""), "web_http-1", "http"))), nil, nil},
		{"port name uppercase", td("awsvpc", ctr("a", named(pm(80, -1, ""), "Web", ""))), nil, []want{{pmap + ".name", CodeInvalidPortName, SeverityError, `"Web"`}}},
		{"port name leading hyphen", td("bridge", ctr("a", named(pm(80, 0, ""), "-web", ""))), nil, []want{{pmap + ".name", CodeInvalidPortName, SeverityError, ""}}},
		{"port name too long", td("bridge", ctr("a", named(pm(80, 0, ""), strings.Repeat("a", 65), ""))), nil, []want{{pmap + ".name", CodeInvalidPortName, SeverityError, ""}}},
		{"port name 64 ok", td("bridge", ctr("a", named(pm(80, 0, ""), strings.Repeat("a", 64), ""))), nil, nil},
		{"port name duplicate", td("awsvpc", ctr("a", named(pm(80, -1, ""), "web", "")), ctr("b", named(pm(81, -1, ""), "web", ""))), nil, []want{{"containerDefinitions[1].portMappings[0].name", CodeDuplicatePortName, SeverityError, "already used by containerDefinitions[0].portMappings[0]"}}},
		{"app protocol invalid", td("awsvpc", ctr("a", named(pm(80, -1, ""), "web", "https"))), nil, []want{{pmap + ".appProtocol", CodeInvalidAppProtocol, SeverityError, "http, http2 and grpc"}}},
		{"app protocol without name", td("awsvpc", ctr("a", named(pm(80, -1, ""), "", "grpc"))), nil, []want{{pmap + ".appProtocol", CodeAppProtocolWithoutName, SeverityWarning, "set name"}}},
		{"service connect host mode", td("host", ctr("a", named(pm(80, -1, ""), "web", "http"))), nil, []want{{pmap + ".name", CodeServiceConnectMode, SeverityWarning, "bridge and awsvpc only"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.td, tt.opts...)
			var ps Problems
			if err != nil && !errors.As(err, &ps) {
				t.Fatalf("error is not Problems: %v", err)
			}
			if len(ps) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(tt.want), err)
			}
			for i, w := range tt.want {
				p := ps[i]
				if p.Path != w.path || p.Code != w.code || p.Severity != w.sev {
					t.Errorf("problem %d = %s %s %s, want %s %s %s", i, p.Path, p.Code, p.Severity, w.path, w.code, w.sev)
				}
				if exact, ok := strings.CutPrefix(w.msg, "="); ok {
					if p.Message != exact {
						t.Errorf("problem %d message = %q, want %q", i, p.Message, exact)
					}
				} else if !strings.Contains(p.Message, w.msg) {
					t.Errorf("problem %d message = %q, want it to contain %q", i, p.Message, w.msg)
				}
			}
		})
	}
}

func manyRanges(n int) []types.PortMapping {
	ms := make([]types.PortMapping, n)
	for i := range ms {
		ms[i] = rangeMapping(fmt.Sprintf("%d-%d", 1000+10*i, 1000+10*i+5))
	}
	return ms
}

// Every code has exactly one severity, so programs can rely on it.
func TestCodeSeverityIsStable(t *testing.T) {
	// A task definition that breaks many rules at once.
	bad := with(td("awsvpc",
		types.ContainerDefinition{Name: aws.String("a"), Links: []string{"b"}, Hostname: aws.String("h"), DnsServers: []string{"x"},
			PortMappings: []types.PortMapping{pm(80, 8080, ""), pm(81, 0, ""), noPort(), named(pm(82, -1, "sctp"), "X", "tcp")}},
	), func(t *types.TaskDefinition) {
		t.ProxyConfiguration = &types.ProxyConfiguration{}
	})
	seen := map[Code]Severity{}
	for _, d := range []*types.TaskDefinition{bad} {
		var ps Problems
		errors.As(Validate(d), &ps)
		for _, p := range ps {
			if s, ok := seen[p.Code]; ok && s != p.Severity {
				t.Errorf("code %s has severities %v and %v", p.Code, s, p.Severity)
			}
			seen[p.Code] = p.Severity
		}
	}
	if len(seen) < 5 {
		t.Errorf("only %d codes seen", len(seen))
	}
}

func TestValidateErrors(t *testing.T) {
	if err := Validate(nil); err == nil {
		t.Error("nil td: want error")
	}
	if err := ValidateInput(nil); err == nil {
		t.Error("nil input: want error")
	}
	in := &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String("web"),
		NetworkMode:             types.NetworkModeBridge,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		ContainerDefinitions:    []types.ContainerDefinition{ctr("web", pm(80, 8080, ""))},
	}
	err := ValidateInput(in)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Code != CodeFargateNetworkMode {
		t.Fatalf("ValidateInput = %v", err)
	}
	var p Problem
	if !errors.As(err, &p) || p.Code != CodeFargateNetworkMode {
		t.Errorf("errors.As(Problem) = %v", p)
	}
	if !ps.HasErrors() || !ps.Has(CodeFargateNetworkMode) || len(ps.Filter(SeverityWarning)) != 0 {
		t.Error("Problems helpers")
	}
	want := "netmode: task definition has 1 error and 0 warnings\n\tnetworkMode: error: Fargate only supports network mode ‘awsvpc’. [fargate-network-mode]"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if Problems(nil).Err() != nil {
		t.Error("empty Problems.Err() != nil")
	}
}

func TestProblemsJSON(t *testing.T) {
	err := Validate(td("awsvpc", ctr("a", pm(80, 8080, ""))))
	var ps Problems
	errors.As(err, &ps)
	b, jerr := json.Marshal(ps)
	want := `[{"Path":"containerDefinitions[0].portMappings[0].hostPort","Code":"host-port-mismatch","Severity":"error","Message":"When networkMode=awsvpc, the host ports and container ports in port mappings must match."}]`
	if jerr != nil || string(b) != want {
		t.Errorf("json = %s, %v", b, jerr)
	}
	plan, _ := PlanPorts(td("bridge", ctr("a", pm(80, 8080, "udp"))), Host{})
	b, _ = json.Marshal(plan)
	for _, w := range []string{`"Constraint":"static-host-port"`, `"Protocol":"udp"`, `"Mode":"bridge"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("plan json %s lacks %s", b, w)
		}
	}
}

func TestProblemOrder(t *testing.T) {
	var cs []types.ContainerDefinition
	for i := 0; i < 12; i++ {
		cs = append(cs, ctr(fmt.Sprintf("c%d", i), pm(80, 8080, "")))
	}
	err := Validate(with(td("awsvpc", cs...), func(t *types.TaskDefinition) { t.ProxyConfiguration = nil; compat("EXTERNAL")(t) }))
	var ps Problems
	errors.As(err, &ps)
	if len(ps) < 13 || ps[0].Path != "networkMode" || ps[1].Path != "containerDefinitions[0].portMappings[0].hostPort" ||
		!strings.HasPrefix(ps[len(ps)-1].Path, "containerDefinitions[11].") {
		t.Errorf("order:\n%v", err)
	}
	for k := 1; k < len(ps); k++ {
		if comparePaths(ps[k-1].Path, ps[k].Path) > 0 {
			t.Errorf("%s before %s", ps[k-1].Path, ps[k].Path)
		}
	}
}

// TaskDefinitionFromInput copies every field the two shapes share, so a
// newer SDK that adds one to both is caught here.
func TestTaskDefinitionFromInputCopiesAll(t *testing.T) {
	var in ecs.RegisterTaskDefinitionInput
	iv := reflect.ValueOf(&in).Elem()
	for i := 0; i < iv.NumField(); i++ {
		f := iv.Field(i)
		if !iv.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.String:
			f.SetString("x")
		}
	}
	out := reflect.ValueOf(TaskDefinitionFromInput(&in)).Elem()
	for i := 0; i < iv.NumField(); i++ {
		name := iv.Type().Field(i).Name
		of := out.FieldByName(name)
		if !iv.Type().Field(i).IsExported() || !of.IsValid() || name == "InferenceAccelerators" {
			continue
		}
		if of.IsZero() {
			t.Errorf("TaskDefinitionFromInput drops %s", name)
		}
	}
}

func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	var ps Problems
	if err != nil && !errors.As(err, &ps) {
		t.Fatalf("error is not Problems: %v", err)
	}
	return ps
}

func findProblem(ps Problems, path string, code Code) *Problem {
	for i := range ps {
		if ps[i].Path == path && ps[i].Code == code {
			return &ps[i]
		}
	}
	return nil
}

// [DG] fargate-tasks-services.md: "The following task definition parameters
// are not valid in Fargate tasks: ... ipcMode ..."; [API]
// TaskDefinition.pidMode: "On Fargate for Linux containers, the only valid
// value is task".
func TestFargateRejectsIpcModeAndHostPidMode(t *testing.T) {
	d := with(td("awsvpc", ctr("app", pm(80, -1, ""))), func(t *types.TaskDefinition) {
		compat("FARGATE")(t)
		t.IpcMode = types.IpcModeTask
		t.PidMode = types.PidModeHost
	})
	ps := problemsOf(t, Validate(d))
	if p := findProblem(ps, "ipcMode", CodeFargateUnsupported); p == nil || p.Severity != SeverityError {
		t.Errorf("ipcMode on Fargate: want error %s at ipcMode, got:\n%v", CodeFargateUnsupported, ps.Err())
	}
	if p := findProblem(ps, "pidMode", CodeFargateUnsupported); p == nil || p.Severity != SeverityError {
		t.Errorf("pidMode=host on Fargate: want error %s at pidMode, got:\n%v", CodeFargateUnsupported, ps.Err())
	}
	if len(ps) != 2 {
		t.Errorf("want exactly the two problems, got:\n%v", ps.Err())
	}
}

// [API] SystemControl: "For tasks that use the host network mode, the network
// namespace systemControls aren't supported" and "For tasks that use the host
// IPC mode, IPC namespace systemControls aren't supported". runc refuses to
// create such a container ("sysctl ... not allowed in host network
// namespace"), so the task can never run: an error by Severity's definition.
func TestNamespacedSysctlsWithHostNamespaces(t *testing.T) {
	const path = "containerDefinitions[0].systemControls[0]"
	c := ctr("app", pm(8080, -1, ""))
	c.SystemControls = []types.SystemControl{{Namespace: aws.String("net.core.somaxconn"), Value: aws.String("4096")}}
	ps := problemsOf(t, Validate(td("host", c)))
	if p := findProblem(ps, path, CodeSystemControlHostNamespace); p == nil || p.Severity != SeverityError || len(ps) != 1 {
		t.Errorf("net.* systemControls with networkMode=host: want one error %s at %s, got:\n%v", CodeSystemControlHostNamespace, path, ps.Err())
	}

	c2 := ctr("app")
	c2.SystemControls = []types.SystemControl{{Namespace: aws.String("kernel.shmmax"), Value: aws.String("68719476736")}}
	d := with(td("bridge", c2), func(t *types.TaskDefinition) { t.IpcMode = types.IpcModeHost })
	ps = problemsOf(t, Validate(d))
	if p := findProblem(ps, path, CodeSystemControlHostNamespace); p == nil || p.Severity != SeverityError || len(ps) != 1 {
		t.Errorf("IPC systemControls with ipcMode=host: want one error %s at %s, got:\n%v", CodeSystemControlHostNamespace, path, ps.Err())
	}
}

// Plan, Problems and Properties are meant to be encoded (every enum in them
// has MarshalText), so the zero Plan (what PlanPorts returns with an error)
// and the Properties of ModeUnknown must encode, and what was encoded must
// read back.
func TestJSONZeroValuesAndRoundTrip(t *testing.T) {
	b, err := json.Marshal(Plan{})
	if err != nil {
		t.Errorf("json.Marshal(Plan{}) = %v; the zero Plan (returned with every PlanPorts error) must encode", err)
	}
	var zero Plan
	if err := json.Unmarshal(b, &zero); err != nil || !reflect.DeepEqual(zero, Plan{}) {
		t.Errorf("zero Plan round trip: %+v, %v (from %s)", zero, err, b)
	}
	b, err = json.Marshal(Mode(0).Properties())
	if err != nil {
		t.Errorf("json.Marshal(ModeUnknown.Properties()) = %v", err)
	}
	var props Properties
	if err := json.Unmarshal(b, &props); err != nil || props != (Properties{}) {
		t.Errorf("ModeUnknown.Properties round trip: %+v, %v (from %s)", props, err, b)
	}
	for _, m := range Modes() {
		b, _ := json.Marshal(m.Properties())
		var back Properties
		if err := json.Unmarshal(b, &back); err != nil || back != m.Properties() {
			t.Errorf("%v Properties round trip: %+v, %v", m, back, err)
		}
	}

	plan, err := PlanPorts(taskDef("bridge", []types.PortMapping{pm(53, 53, "udp"), pm(80, 0, "")}), Host{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(plan)
	var back Plan
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, plan) {
		t.Errorf("Plan JSON round trip: %v\n got %+v\nwant %+v", err, back, plan)
	}

	ps := problemsOf(t, Validate(td("awsvpc", ctr("a", pm(80, 8080, ""), named(pm(81, -1, ""), "", "grpc")))))
	b, _ = json.Marshal(ps)
	var psBack Problems
	if err := json.Unmarshal(b, &psBack); err != nil || !reflect.DeepEqual(psBack, ps) {
		t.Errorf("Problems JSON round trip: %v\n got %v\nwant %v", err, psBack, ps)
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{SeverityWarning, SeverityError, 0, 7} {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip %v (%s): got %v, %v", s, b, back, err)
		}
	}
	for _, in := range []string{"", "Error", "fatal", "Severity(x)"} {
		var s Severity
		if err := s.UnmarshalText([]byte(in)); err == nil || !strings.Contains(err.Error(), "unknown severity") {
			t.Errorf("UnmarshalText(%q) = %v, want an error", in, err)
		}
	}
}

// The agent parses containerPortRange with docker/go-connections
// nat.ParsePortRangeToInt (agent/utils/ephemeral_ports.go), which calls
// strconv.ParseUint on each side without trimming: " 8000 - 8010" fails
// there, so Validate reports it.
func TestContainerPortRangeWithSpaces(t *testing.T) {
	for _, r := range []string{" 8000 - 8010", "8000 - 8010", "8000-8010 "} {
		ps := problemsOf(t, Validate(td("bridge", ctr("app", rangeMapping(r)))))
		if p := findProblem(ps, "containerDefinitions[0].portMappings[0].containerPortRange", CodeInvalidContainerPortRange); p == nil || p.Severity != SeverityError {
			t.Errorf(`containerPortRange %q: want %s, got %v`, r, CodeInvalidContainerPortRange, ps.Err())
		}
	}
}
