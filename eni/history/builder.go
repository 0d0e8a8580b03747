package history

import (
	"errors"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

// Builder accumulates observations of tasks and container instances and
// produces [Index] snapshots. Adding the same observation again changes
// nothing; observations may arrive in any order (ECS's per-task version, or
// the lifecycle status when versions are missing, decides which is newer,
// and older observations only fill in what is still unknown).
//
// The zero value is an empty Builder ready to use, as NewBuilder's is, so
// its option fields can be set in a composite literal. A Builder is not
// safe for concurrent use; the Index it returns is.
type Builder struct {
	// NetworkMode, when set, resolves the network mode of tasks that have
	// no ENI attachment from their task definition ARN (DescribeTasks does
	// not report the mode); it returns netmode.ModeUnknown when it cannot.
	NetworkMode func(taskDefinitionARN string) netmode.Mode
	// MaxValueBytes bounds one JSON value that Load and LoadFiles read
	// (Decoder.MaxValueBytes, default 64 MiB): an eni cluster snapshot is
	// one value, and a large cluster's can be larger.
	MaxValueBytes int

	tasks     map[string]*Task
	instances map[string]*Instance
	primary   map[string]PrimaryInterface
	modes     map[string]netmode.Mode
	// strs holds one copy of each string value that many tasks and
	// instances share (cluster, task definition, group, container
	// instance, statuses, zone…): each observation decodes its own copy,
	// and an Index of many tasks would otherwise keep one per task.
	strs map[string]string
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	b := &Builder{}
	b.ready()
	return b
}

// ready makes the maps a zero Builder lacks, before its first write.
func (b *Builder) ready() {
	if b.tasks == nil {
		b.tasks = map[string]*Task{}
		b.instances = map[string]*Instance{}
		b.primary = map[string]PrimaryInterface{}
		b.modes = map[string]netmode.Mode{}
		b.strs = map[string]string{}
	}
}

// intern returns the Builder's copy of s, the same value, so that the
// tasks and instances that share a value share its bytes.
func (b *Builder) intern(s string) string {
	if s == "" {
		return s
	}
	if c, ok := b.strs[s]; ok {
		return c
	}
	b.strs[s] = s
	return s
}

// internTask makes t's shared values the Builder's copies (see strs).
// Those unique to a task (its ARN, ENI, MAC, attachment) stay as they are.
func (b *Builder) internTask(t *Task) {
	t.ClusterARN = b.intern(t.ClusterARN)
	t.Group = b.intern(t.Group)
	t.TaskDefinitionARN = b.intern(t.TaskDefinitionARN)
	t.Family = b.intern(t.Family)
	t.LaunchType = b.intern(t.LaunchType)
	t.ContainerInstanceARN = b.intern(t.ContainerInstanceARN)
	t.AvailabilityZone = b.intern(t.AvailabilityZone)
	t.LastStatus = b.intern(t.LastStatus)
	t.DesiredStatus = b.intern(t.DesiredStatus)
	t.SubnetID = b.intern(t.SubnetID)
	t.AttachmentStatus = b.intern(t.AttachmentStatus)
	for i := range t.Bindings {
		t.Bindings[i].Container = b.intern(t.Bindings[i].Container)
	}
}

// internInstance is internTask for a container instance: its ARN is
// the ContainerInstanceARN of the tasks on it.
func (b *Builder) internInstance(in *Instance) {
	in.ARN = b.intern(in.ARN)
	in.ClusterARN = b.intern(in.ClusterARN)
	in.InstanceType = b.intern(in.InstanceType)
	in.AvailabilityZone = b.intern(in.AvailabilityZone)
	in.OSType = b.intern(in.OSType)
	in.Status = b.intern(in.Status)
}

// SetNetworkMode records the network mode of a task definition, for its
// tasks without an ENI attachment. It takes precedence over the NetworkMode
// func.
func (b *Builder) SetNetworkMode(taskDefinitionARN string, mode netmode.Mode) {
	b.ready()
	b.modes[taskDefinitionARN] = mode
}

// Len is the number of distinct tasks recorded.
func (b *Builder) Len() int { return len(b.tasks) }

// AddTasks records tasks as DescribeTasks returns them (or as the detail of
// an "ECS Task State Change" event). It returns how many of them added or
// changed something. Values that cannot be used are reported as joined
// *FieldError; the rest of each task is still recorded.
func (b *Builder) AddTasks(tasks ...types.Task) (changed int, err error) {
	var errs []error
	for i := range tasks {
		c, err := b.addTask(&tasks[i])
		if err != nil {
			errs = append(errs, err)
		}
		if c {
			changed++
		}
	}
	return changed, errors.Join(errs...)
}

func (b *Builder) addTask(in *types.Task) (bool, error) {
	return b.addTaskSeen(in, time.Time{})
}

// addTaskSeen adds a task observed at time seen (an event's "time", a
// Watcher's poll; zero if unknown).
func (b *Builder) addTaskSeen(in *types.Task, seen time.Time) (bool, error) {
	t, err := taskFromSDK(in)
	if t == nil {
		return false, err
	}
	if t.stopped() && !seen.IsZero() {
		t.seenStopped = seen.UTC()
		t.computeValid()
	}
	return b.mergeTask(t), err
}

// mergeTask merges an observation and reports whether anything changed.
func (b *Builder) mergeTask(n *Task) bool {
	b.ready()
	b.internTask(n)
	o, ok := b.tasks[n.ARN]
	if !ok {
		b.tasks[n.ARN] = n
		return true
	}
	before := *o
	before.Bindings = slices.Clone(o.Bindings)
	mergeTask(o, n)
	// ECS bumps a task's version on every state change, health checks
	// included; a new version alone changes nothing the history keeps.
	before.Version = o.Version
	return !reflect.DeepEqual(&before, o)
}

// mergeTask folds observation n into o. The newer observation (by
// ecsread.TaskState.AtLeastAsNewAs, the rule every reader of tasks keeps)
// overrides known values; an older one only fills gaps, so merging is idempotent and order
// does not matter for values that do not change over a task's life.
func mergeTask(o, n *Task) {
	newer := n.State().AtLeastAsNewAs(o.State())
	str := func(dst *string, v string) {
		if v != "" && (newer || *dst == "") {
			*dst = v
		}
	}
	tm := func(dst *time.Time, v time.Time) {
		if !v.IsZero() && (newer || dst.IsZero()) {
			*dst = v
		}
	}
	addr := func(dst *netip.Addr, v netip.Addr) {
		if v.IsValid() && (newer || !dst.IsValid()) {
			*dst = v
		}
	}
	str(&o.ClusterARN, n.ClusterARN)
	str(&o.Group, n.Group)
	str(&o.TaskDefinitionARN, n.TaskDefinitionARN)
	str(&o.Family, n.Family)
	if n.Revision != 0 && (newer || o.Revision == 0) {
		o.Revision = n.Revision
	}
	str(&o.LaunchType, n.LaunchType)
	str(&o.ContainerInstanceARN, n.ContainerInstanceARN)
	str(&o.AvailabilityZone, n.AvailabilityZone)
	if n.NetworkMode != netmode.ModeUnknown && (newer || o.NetworkMode == netmode.ModeUnknown) {
		o.NetworkMode = n.NetworkMode
	}
	str(&o.LastStatus, n.LastStatus)
	str(&o.DesiredStatus, n.DesiredStatus)
	if n.Version > o.Version {
		o.Version = n.Version
	}
	str(&o.ENI, n.ENI)
	str(&o.MAC, n.MAC)
	str(&o.SubnetID, n.SubnetID)
	str(&o.AttachmentID, n.AttachmentID)
	str(&o.AttachmentStatus, n.AttachmentStatus)
	addr(&o.IPv4, n.IPv4)
	addr(&o.IPv6, n.IPv6)
	if len(n.Bindings) > 0 && (newer || len(o.Bindings) == 0) {
		o.Bindings = slices.Clone(n.Bindings)
	}
	tm(&o.CreatedAt, n.CreatedAt)
	tm(&o.PullStartedAt, n.PullStartedAt)
	tm(&o.StartedAt, n.StartedAt)
	tm(&o.StoppingAt, n.StoppingAt)
	tm(&o.ExecutionStoppedAt, n.ExecutionStoppedAt)
	tm(&o.StoppedAt, n.StoppedAt)
	o.seenStopped = earliest(o.seenStopped, n.seenStopped)
	o.computeValid()
}

// AddContainerInstances records container instances as
// DescribeContainerInstances returns them. cluster is the cluster ARN or name
// they were described in ("" if unknown).
func (b *Builder) AddContainerInstances(cluster string, cis ...types.ContainerInstance) error {
	var errs []error
	for i := range cis {
		n, err := instanceFromSDK(cluster, &cis[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b.mergeInstance(n)
	}
	return errors.Join(errs...)
}

func (b *Builder) mergeInstance(n *Instance) bool {
	b.ready()
	b.internInstance(n)
	o, ok := b.instances[n.ARN]
	if !ok {
		b.instances[n.ARN] = n
		return true
	}
	before := *o
	newer := n.Version >= o.Version
	str := func(dst *string, v string) {
		if v != "" && (newer || *dst == "") {
			*dst = v
		}
	}
	str(&o.EC2InstanceID, n.EC2InstanceID)
	// DescribeContainerInstances does not report the cluster: it comes
	// from the tasks on the instance, else from the cluster as the caller
	// named it. A bare name of the same cluster says less than its ARN
	// (region and account): it must not replace it, nor make a Watcher
	// write the instance again each time its tasks come and go.
	// Nor may the order of two observations decide: a name of the same
	// cluster gives way to its ARN whichever is newer.
	oARN, nARN := strings.HasPrefix(o.ClusterARN, "arn:"), strings.HasPrefix(n.ClusterARN, "arn:")
	sameCluster := o.ClusterARN != "" && n.ClusterARN != "" && lastSegment(n.ClusterARN) == lastSegment(o.ClusterARN)
	switch {
	case sameCluster && oARN && !nARN:
	case sameCluster && !oARN && nARN:
		o.ClusterARN = n.ClusterARN
	default:
		str(&o.ClusterARN, n.ClusterARN)
	}
	str(&o.InstanceType, n.InstanceType)
	str(&o.AvailabilityZone, n.AvailabilityZone)
	str(&o.OSType, n.OSType)
	str(&o.Status, n.Status)
	str(&o.TrunkENI, n.TrunkENI)
	str(&o.ENI, n.ENI)
	str(&o.MAC, n.MAC)
	if n.IPv4.IsValid() && (newer || !o.IPv4.IsValid()) {
		o.IPv4 = n.IPv4
	}
	if n.IPv6.IsValid() && (newer || !o.IPv6.IsValid()) {
		o.IPv6 = n.IPv6
	}
	if n.Version > o.Version {
		o.Version = n.Version
	}
	if !n.RegisteredAt.IsZero() && (o.RegisteredAt.IsZero() || n.RegisteredAt.Before(o.RegisteredAt)) {
		o.RegisteredAt = n.RegisteredAt
	}
	o.Valid.Start = o.RegisteredAt
	if !n.Valid.End.IsZero() {
		o.Valid.End = n.Valid.End
	}
	// A container instance's version moves with every task placed on it;
	// only a change of what the history keeps counts.
	before.Version = o.Version
	return before != *o
}

// SetPrimaryInterface tells the Builder the primary network interface of an
// EC2 instance (DescribeContainerInstances does not report it; take it from
// ec2:DescribeInstances, the interface with device index 0, or from your
// inventory). It applies to every container instance on that EC2 instance,
// whenever they are added, and replaces what was set or loaded before
// (records that [Builder.Add] and Load read merge instead).
func (b *Builder) SetPrimaryInterface(ec2InstanceID string, p PrimaryInterface) {
	p.IPv4, p.IPv6 = p.IPv4.Unmap(), p.IPv6.Unmap()
	b.ready()
	b.primary[ec2InstanceID] = p
}

// Tasks returns a copy of every task recorded, in no particular order.
func (b *Builder) Tasks() []Task {
	out := make([]Task, 0, len(b.tasks))
	for _, t := range b.tasks {
		c := *t
		c.Bindings = slices.Clone(t.Bindings)
		out = append(out, c)
	}
	return out
}

// Index returns an immutable snapshot of everything recorded so far. The
// Builder can keep recording afterwards without affecting it.
func (b *Builder) Index() *Index {
	tasks := make([]*Task, 0, len(b.tasks))
	for _, t := range b.tasks {
		c := *t
		c.Bindings = slices.Clone(t.Bindings)
		if c.NetworkMode == netmode.ModeUnknown && c.TaskDefinitionARN != "" {
			if m, ok := b.modes[c.TaskDefinitionARN]; ok {
				c.NetworkMode = m
			} else if b.NetworkMode != nil {
				c.NetworkMode = b.NetworkMode(c.TaskDefinitionARN)
			}
		}
		tasks = append(tasks, &c)
	}
	insts := make([]*Instance, 0, len(b.instances))
	for _, in := range b.instances {
		c := *in
		if p, ok := b.primary[c.EC2InstanceID]; ok && c.EC2InstanceID != "" {
			if p.ENI != "" {
				c.ENI = p.ENI
			}
			if p.MAC != "" {
				c.MAC = p.MAC
			}
			if p.IPv4.IsValid() {
				c.IPv4 = p.IPv4
			}
			if p.IPv6.IsValid() {
				c.IPv6 = p.IPv6
			}
		}
		insts = append(insts, &c)
	}
	return newIndex(tasks, insts)
}
