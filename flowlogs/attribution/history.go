package attribution

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/eni/history"
)

// New returns an Attributor over every task and container instance in a
// task history (eni/history): built from saved describe-tasks output,
// EventBridge task events, a live cluster or a Watcher's file.
//
// The history cannot tell a host-mode task from a bridge-mode one unless
// its Builder.NetworkMode resolves task definitions (DescribeTasks does not
// report the mode); a task of unknown mode with networkBindings is treated
// as bridge mode, its host ports attributed as inferred.
func New(h *history.Index, opts ...Option) *Attributor {
	tasks, instances := FromHistory(h)
	return NewFromTasks(tasks, instances, opts...)
}

// FromHistory converts a history's tasks and instances for NewFromTasks.
func FromHistory(h *history.Index) ([]Task, []Instance) {
	var tasks []Task
	for _, t := range h.Tasks() {
		info := TaskInfo{
			ARN:                  t.ARN,
			ID:                   t.ID(),
			Cluster:              t.ClusterARN,
			Group:                t.Group,
			Family:               t.Family,
			Revision:             int32(t.Revision),
			TaskDefinitionARN:    t.TaskDefinitionARN,
			ContainerInstanceARN: t.ContainerInstanceARN,
			AZ:                   t.AvailabilityZone,
			NetworkMode:          t.NetworkMode,
			LaunchType:           t.LaunchType,
			ENI:                  t.ENI,
			Addrs:                validAddrs(t.IPv4, t.IPv6),
			Start:                t.Valid.Start,
			Stop:                 t.Valid.End,
		}
		if info.Cluster == "" {
			info.Cluster = t.Cluster()
		}
		task := Task{TaskInfo: info, ExecutionStoppedAt: t.ExecutionStoppedAt}
		for _, b := range t.Bindings {
			task.Bindings = append(task.Bindings, Binding{Protocol: b.Proto, HostPort: b.HostPort,
				HostPortEnd: b.HostPortLast, ContainerPort: b.ContainerPort})
		}
		tasks = append(tasks, task)
	}
	var instances []Instance
	for _, in := range h.Instances() {
		// The trunk ENI is left out on purpose: records on it are branch
		// (task) traffic, attributed by address, not by host port.
		instances = append(instances, Instance{
			ARN:           in.ARN,
			EC2InstanceID: in.EC2InstanceID,
			AZ:            in.AvailabilityZone,
			ENI:           in.ENI,
			Addrs:         validAddrs(in.IPv4, in.IPv6),
			Start:         in.Valid.Start,
			Stop:          in.Valid.End,
		})
	}
	return tasks, instances
}

func validAddrs(as ...netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, a := range as {
		if a.IsValid() {
			out = append(out, a)
		}
	}
	return out
}
