package netmode_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

func ExampleParseMode() {
	for _, s := range []string{"", "awsvpc", "AWSVPC"} {
		m, err := netmode.ParseMode(s, netmode.Linux)
		fmt.Printf("%q: %v %v\n", s, m, err)
	}
	m, _ := netmode.ParseMode("", netmode.Windows)
	fmt.Println("omitted on Windows:", m)
	// Output:
	// "": bridge <nil>
	// "awsvpc": awsvpc <nil>
	// "AWSVPC": unknown netmode: unknown network mode "AWSVPC": valid values are "bridge", "host", "awsvpc" and "none", or omit networkMode (bridge on Linux, default on Windows); did you mean "awsvpc"?
	// omitted on Windows: default
}

func ExampleValidate() {
	td := &types.TaskDefinition{
		Family:                  aws.String("api"),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		ContainerDefinitions: []types.ContainerDefinition{
			{Name: aws.String("api"), Hostname: aws.String("api"), PortMappings: []types.PortMapping{
				{ContainerPort: aws.Int32(8080), HostPort: aws.Int32(80)},
			}},
			{Name: aws.String("sidecar"), Links: []string{"api"}},
		},
	}
	err := netmode.Validate(td)
	var problems netmode.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Printf("%s [%s %s]\n  %s\n", p.Path, p.Severity, p.Code, p.Message)
		}
	}
	// Output:
	// containerDefinitions[0].hostname [error hostname-unsupported]
	//   hostname is not supported on container when networkMode=awsvpc.
	// containerDefinitions[0].portMappings[0].hostPort [error host-port-mismatch]
	//   When networkMode=awsvpc, the host ports and container ports in port mappings must match.
	// containerDefinitions[1].links [error links-unsupported]
	//   Links are not supported when networkMode=awsvpc.
}

// Before RunTask or CreateService: the networkConfiguration the call
// would pass must suit the task definition's mode. awsvpc needs an
// awsvpcConfiguration (1 to 16 subnets, at most 5 security groups); the
// other modes refuse one.
func ExampleValidateNetworkConfiguration() {
	awsvpc := &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
		Subnets:        []string{"subnet-0a1b2c3d", "subnet-4e5f6a7b"},
		SecurityGroups: []string{"sg-0123456789abcdef0"},
	}}
	for _, c := range []struct {
		mode netmode.Mode
		nc   *types.NetworkConfiguration
	}{{netmode.ModeAWSVPC, awsvpc}, {netmode.ModeAWSVPC, nil}, {netmode.ModeBridge, awsvpc}} {
		err := netmode.ValidateNetworkConfiguration(c.mode, c.nc)
		var problems netmode.Problems
		if !errors.As(err, &problems) {
			fmt.Printf("%s: %v\n", c.mode, err)
			continue
		}
		for _, p := range problems {
			fmt.Printf("%s: %s [%s]\n  %s\n", c.mode, p.Path, p.Code, p.Message)
		}
	}
	// Output:
	// awsvpc: <nil>
	// awsvpc: networkConfiguration [network-configuration-missing]
	//   Network Configuration must be provided when networkMode 'awsvpc' is specified.
	// bridge: networkConfiguration [network-configuration-not-valid]
	//   Network Configuration is not valid for the given `networkMode` of this task definition.
}

func ExamplePlanPorts() {
	td := &types.TaskDefinition{
		NetworkMode: types.NetworkModeBridge,
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"),
			PortMappings: []types.PortMapping{
				{ContainerPort: aws.Int32(80)},                                         // dynamic
				{ContainerPortRange: aws.String("7000-7009")},                          // 10 contiguous dynamic ports
				{ContainerPort: aws.Int32(8125), Protocol: types.TransportProtocolUdp}, // dynamic, UDP
			},
		}},
	}
	// The instance: ECS_DYNAMIC_HOST_PORT_RANGE=40000-40999 and one port in use.
	rng, _ := netmode.ParseDynamicHostPortRange("40000-40999")
	host := netmode.Host{DynamicRange: rng, InUseTCP: []uint16{22, 2375, 2376, 51678, 51679, 40500}}
	plan, err := netmode.PlanPorts(td, host)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan)
	fmt.Println(plan.Constraint, "-", plan.Reason)

	// The same container with a static host port runs once per instance.
	td.ContainerDefinitions[0].PortMappings[0].HostPort = aws.Int32(8080)
	plan, _ = netmode.PlanPorts(td, host)
	fmt.Println(plan.Copies, plan.Constraint)

	// In awsvpc, ports live on the task's ENI: ENIs bound the copies instead.
	td.NetworkMode = types.NetworkModeAwsvpc
	plan, _ = netmode.PlanPorts(td, host)
	fmt.Println(plan.Copies == netmode.Unbounded, plan.Constraint)
	// Output:
	// mode bridge: 0 static + 12 dynamic host ports per copy; 82 more copies fit (dynamic-port-range)
	// dynamic-port-range - each copy takes 11 TCP and 1 UDP dynamic host ports from 40000-40999 (1000 ports of each protocol, less those in use); 82 copies fit
	// 1 static-host-port
	// true none
}

func ExampleWriteTable() {
	_ = netmode.WriteTable(os.Stdout, netmode.ModeBridge, netmode.ModeAWSVPC)
	// Output:
	//                                  bridge                        awsvpc
	// ENI                              shares instance ENI           own ENI per task
	// security groups                  per instance                  per task
	// hostPort                         any; 0/omitted = dynamic      omitted or = containerPort
	// dynamic host ports               yes                           no
	// 2 copies w/ ports on 1 instance  only with dynamic host ports  yes
	// LB target type                   instance                      ip
	// Cloud Map records                SRV                           A, SRV
	// links                            yes                           no
	// runs on                          EC2 Linux                     EC2 Linux
	//                                  ECS Anywhere                  EC2 Windows
	//                                                                Fargate
	//                                                                Managed Instances
	// flow-log attribution             per instance                  per task
}

func ExampleMode_Properties() {
	p := netmode.ModeAWSVPC.Properties()
	fmt.Println(p.OwnENI, p.TargetType, p.CloudMap, p.FlowLogs, p.RunsOn.Has(netmode.Fargate))
	// Output: true ip A, SRV task true
}

func ExampleLoad() {
	// What `aws ecs describe-task-definition --task-definition web` prints.
	out := []byte(`{
  "taskDefinition": {
    "family": "web",
    "networkMode": "host",
    "containerDefinitions": [
      {"name": "web", "portMappings": [{"containerPort": 80, "hostPort": 8080}]}
    ],
    "registeredAt": "2025-03-14T09:26:53.589000+01:00"
  },
  "tags": []
}`)
	td, err := netmode.Load(out, "web.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*td.Family, td.NetworkMode, td.RegisteredAt.UTC())
	fmt.Println(netmode.Validate(td))

	_, err = netmode.Load([]byte(`{"networkMode": "awsvpc ", "containerDefinitions": []}`), "typo.json")
	fmt.Println(err)
	// Output:
	// web host 2025-03-14 08:26:53.589 +0000 UTC
	// netmode: task definition has 1 error and 0 warnings
	// 	containerDefinitions[0].portMappings[0].hostPort: error: When networkMode=host, the host ports and container ports in port mappings must match. [host-port-mismatch]
	// netmode: typo.json:1:17: networkMode: unknown network mode "awsvpc ": valid values are "bridge", "host", "awsvpc" and "none", or omit networkMode (bridge on Linux, default on Windows); did you mean "awsvpc"?
}

func ExampleParseReservedPorts() {
	// ECS_RESERVED_PORTS replaces the agent's default list.
	ports, _ := netmode.ParseReservedPorts("[22, 8080]")
	host := netmode.Host{ReservedTCP: ports}
	td := &types.TaskDefinition{ContainerDefinitions: []types.ContainerDefinition{{
		Name: aws.String("web"), PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(8080)}},
	}}}
	plan, _ := netmode.PlanPorts(td, host)
	fmt.Println(plan.Copies, plan.Constraint)
	// Output: 0 reserved-port
}

func ExampleValidateInput() {
	in := &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String("dns"),
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityExternal},
		NetworkMode:             types.NetworkModeAwsvpc,
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("coredns"),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(53), HostPort: aws.Int32(0), Protocol: types.TransportProtocolUdp}},
		}},
	}
	fmt.Println(netmode.ValidateInput(in))
	// Output:
	// netmode: task definition has 2 errors and 0 warnings
	// 	networkMode: error: ECS Anywhere (EXTERNAL) does not support networkMode=awsvpc: use bridge, host or none. [external-network-mode]
	// 	containerDefinitions[0].portMappings[0].hostPort: error: When networkMode=awsvpc, the host ports and container ports in port mappings must match. [host-port-zero]
}

func ExampleHostFromContainerInstance() {
	// One container instance from DescribeContainerInstances: the agent
	// registered its reserved ports, and a running bridge task holds 8080.
	ports := func(name string, ps ...string) types.Resource {
		return types.Resource{Name: aws.String(name), Type: aws.String("STRINGSET"), StringSetValue: ps}
	}
	ci := &types.ContainerInstance{
		RegisteredResources: []types.Resource{ports("PORTS", "22", "2375", "2376", "51678", "51679"), ports("PORTS_UDP")},
		RemainingResources:  []types.Resource{ports("PORTS", "22", "2375", "2376", "51678", "51679", "8080"), ports("PORTS_UDP")},
	}
	host, err := netmode.HostFromContainerInstance(ci)
	if err != nil {
		fmt.Println(err)
		return
	}
	td := &types.TaskDefinition{ContainerDefinitions: []types.ContainerDefinition{{
		Name: aws.String("web"), PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(80), HostPort: aws.Int32(8080)}},
	}}}
	plan, _ := netmode.PlanPorts(td, host)
	fmt.Println(plan.Copies, plan.Constraint, "-", plan.Reason)
	// Output: 0 port-in-use - host port 8080/tcp (containerDefinitions[0].portMappings[0]) is already in use on the instance; placement fails with RESOURCE:PORTS
}

// The first call of a tool that checks task definitions: the file may be
// `aws ecs describe-task-definition` output, its taskDefinition alone, or a
// `register-task-definition --cli-input-json` file. An error names the
// file, line and column, and the member path.
func ExampleLoadFile() {
	td, err := netmode.LoadFile("testdata/describe-bridge.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	mode, _ := netmode.ModeOf(td)
	fmt.Println(*td.Family, td.Revision, mode, netmode.Validate(td))
	plan, _ := netmode.PlanPorts(td, netmode.Host{})
	fmt.Println(plan)

	_, err = netmode.LoadFile("testdata/bad-type.json")
	fmt.Println(err)
	// Output:
	// web 7 bridge <nil>
	// mode bridge: 1 static + 1 dynamic host ports per copy; 1 more copy fits (static-host-port)
	// netmode: testdata/bad-type.json:6:81: taskDefinition.containerDefinitions[1].portMappings[0].hostPort: want an integer, got string "8081"
}

// ModeOf reads a task definition's mode as ECS does: an omitted
// networkMode is bridge on Linux but "default" (Windows NAT) on Windows,
// so the answer depends on runtimePlatform.
func ExampleModeOf() {
	linux := &types.TaskDefinition{}
	windows := &types.TaskDefinition{RuntimePlatform: &types.RuntimePlatform{
		OperatingSystemFamily: types.OSFamilyWindowsServer2022Core,
	}}
	for _, td := range []*types.TaskDefinition{linux, windows, {NetworkMode: types.NetworkModeAwsvpc}} {
		mode, err := netmode.ModeOf(td)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: own ENI %v\n", mode, mode.Properties().OwnENI)
	}
	// Output:
	// bridge: own ENI false
	// default: own ENI false
	// awsvpc: own ENI true
}

// Read is Load for a stream: a tool that checks the task definition piped
// to it, `aws ecs describe-task-definition --task-definition web | check -`,
// reads os.Stdin and names it as it names a file in errors.
func ExampleRead() {
	stdin := strings.NewReader(`{
  "taskDefinition": {
    "family": "web",
    "revision": 3,
    "networkMode": "awsvpc",
    "containerDefinitions": [
      {"name": "web", "portMappings": [{"containerPort": 8080, "hostPort": 8080}]}
    ]
  }
}`)
	td, err := netmode.Read(stdin, "<stdin>")
	if err != nil {
		fmt.Println(err)
		return
	}
	mode, _ := netmode.ModeOf(td)
	fmt.Println(*td.Family, td.Revision, mode, netmode.Validate(td))

	_, err = netmode.Read(strings.NewReader(`{"networkMode": "bridge", "containerDefinitions": [{"name": "web", "memory": "512"}]}`), "<stdin>")
	fmt.Println(err)
	// Output:
	// web 3 awsvpc <nil>
	// netmode: <stdin>:1:78: containerDefinitions[0].memory: want an integer, got string "512"
}
