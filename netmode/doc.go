// Package netmode models the Amazon ECS task network modes — bridge, host,
// awsvpc, none and Windows' default — as data and rules: what each mode
// means, whether a task definition obeys it, and which host ports a task
// takes on a container instance.
//
// # Modes
//
// ParseMode reads a task definition's networkMode; the empty string (the
// field omitted) is ModeBridge on Linux and ModeDefault (Docker's nat
// network) on Windows, and OSFamilyOf tells the two apart from
// runtimePlatform.operatingSystemFamily. ModeOf does both for a
// types.TaskDefinition.
//
// Mode.Properties describes a mode as data: its own ENI or the instance's,
// security groups per task or per instance, the hostPort rule, dynamic host
// ports, whether two copies with port mappings share an instance, the load
// balancer target type, Cloud Map record types, links, where it runs, and the
// finest VPC Flow Log attribution it allows. WriteTable prints the modes side
// by side.
//
// # Validation
//
// Validate checks a types.TaskDefinition (ValidateInput an
// ecs.RegisterTaskDefinitionInput) against its mode, OS family and
// requiresCompatibilities, and returns every problem at once as Problems, an
// error that errors.As finds. Each Problem has the member path
// ("containerDefinitions[1].portMappings[0].hostPort"), a stable Code, a
// Severity and a message in ECS's own words where they are on record, e.g.
// "When networkMode=awsvpc, the host ports and container ports in port
// mappings must match." Where AWS's sources disagree (hostPort 0 in awsvpc,
// DNS settings in awsvpc, one port or overlapping ranges on tcp and udp, a
// containerPortRange in Windows' default mode), the rule follows what ECS
// does today where that is on record, its comment names the sources, and the
// severity says whether ECS rejects it; what is on record nowhere is at most
// a warning. ValidateNetworkConfiguration checks, the same way, the
// networkConfiguration a RunTask, StartTask or CreateService call would pass
// for a task of a given mode.
//
// # Host ports
//
// PlanPorts says which host ports one copy of a task takes on a container
// instance (Host: the agent's reserved ports and dynamic range, and the static
// ports already in use, as DescribeContainerInstances reports them; see
// HostFromContainerInstance), how many more copies fit by ports alone, and
// which constraint binds: a static port (one copy per instance), a reserved or
// used port, ECS's 100 reserved ports per instance, or the dynamic range.
// awsvpc and none take no host ports; awsvpc copies are bounded by ENIs
// instead, which package eni counts. ParseReservedPorts and
// ParseDynamicHostPortRange read the agent's ECS_RESERVED_PORTS and
// ECS_DYNAMIC_HOST_PORT_RANGE as the agent does.
//
// # Loading
//
// Load, LoadFile and Read decode the JSON that `aws ecs
// describe-task-definition` prints (whole, or its taskDefinition) and
// `register-task-definition --cli-input-json` files. Errors are *LoadError,
// naming the file, line, column and member path.
//
// The facts behind the rules are AWS's documented behaviour; comments cite
// the ECS Developer Guide ([DG]; "[DG] x.md" is its page x.html), the ECS
// API reference ([API]; "[API] Shape" is its page API_Shape.html) and the
// ECS container agent's source ([AGENT]), as collected in the team's
// reference notes on ECS network modes (not part of this repository).
//
// [DG]: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/
// [API]: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/
// [AGENT]: https://github.com/aws/amazon-ecs-agent
package netmode
