package history

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Instance is one ECS container instance and the network identity of its
// EC2 instance: the primary ENI (device index 0) that bridge- and host-mode
// tasks share, and its trunk ENI when awsvpcTrunking is on.
type Instance struct {
	ARN              string // container instance ARN
	EC2InstanceID    string
	ClusterARN       string
	InstanceType     string // attribute ecs.instance-type
	AvailabilityZone string // attribute ecs.availability-zone
	OSType           string // attribute ecs.os-type ("linux", "windows")
	Status           string // ACTIVE, DRAINING, INACTIVE, …
	Version          int64

	// The primary network interface. DescribeContainerInstances does not
	// report it: it comes from [Builder.SetPrimaryInterface] (for example
	// from ec2:DescribeInstances, the interface with device index 0).
	ENI  string
	MAC  string
	IPv4 netip.Addr
	IPv6 netip.Addr

	// TrunkENI is the trunk interface of an instance with awsvpcTrunking:
	// its ENI attachment's networkInterfaceId. (The ecs.awsvpc-trunk-id
	// attribute says the instance has one, but its value is an ECS id
	// such as a6148e89-0416-…, not the ENI's.)
	// Branch ENIs of tasks are reached through it.
	TrunkENI string

	RegisteredAt time.Time
	// Valid starts at registeredAt. ECS reports no deregistration time, so
	// it stays open unless a later instance takes over the same ENI or IP.
	Valid Interval
}

// Cluster is the cluster name from ClusterARN or from the long-format
// container instance ARN "container-instance/CLUSTER/ID".
func (in *Instance) Cluster() string {
	if in.ClusterARN != "" {
		return lastSegment(in.ClusterARN)
	}
	parts := strings.Split(resource(in.ARN), "/")
	if len(parts) == 3 {
		return parts[1]
	}
	return ""
}

// PrimaryInterface is the primary network interface of an EC2 instance,
// supplied by the caller because ECS does not report it.
type PrimaryInterface struct {
	ENI  string
	MAC  string
	IPv4 netip.Addr
	IPv6 netip.Addr
}

func instanceFromSDK(cluster string, in *types.ContainerInstance) (*Instance, error) {
	arn := deref(in.ContainerInstanceArn)
	if arn == "" {
		return nil, fmt.Errorf("history: container instance without containerInstanceArn (ec2InstanceId %q)", deref(in.Ec2InstanceId))
	}
	out := &Instance{
		ARN:           arn,
		EC2InstanceID: deref(in.Ec2InstanceId),
		ClusterARN:    cluster,
		Status:        deref(in.Status),
		Version:       in.Version,
		RegisteredAt:  utc(in.RegisteredAt),
	}
	for _, a := range in.Attributes {
		switch deref(a.Name) {
		case "ecs.instance-type":
			out.InstanceType = deref(a.Value)
		case "ecs.availability-zone":
			out.AvailabilityZone = deref(a.Value)
		case "ecs.os-type":
			out.OSType = deref(a.Value)
		}
	}
	for _, a := range in.Attachments {
		if isENIAttachment(deref(a.Type)) {
			if id := detail(a.Details, "networkInterfaceId"); id != "" {
				out.TrunkENI = id
			}
		}
	}
	out.Valid = Interval{Start: out.RegisteredAt}
	return out, nil
}
