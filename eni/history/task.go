package history

import (
	"net/netip"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/netmode"
)

// Task is one ECS task as the history knows it: identity, placement, network
// identity and lifetime. All observations of the same task ARN (every poll,
// every event) are merged into one Task.
type Task struct {
	ARN                  string
	ClusterARN           string
	Group                string // "service:NAME" for service tasks, else e.g. "family:NAME"
	TaskDefinitionARN    string
	Family               string // from the task definition ARN
	Revision             int    // from the task definition ARN; 0 if unknown
	LaunchType           string // EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES
	ContainerInstanceARN string // "" on Fargate
	AvailabilityZone     string

	// NetworkMode is netmode.ModeAWSVPC when the task has (or had) an ENI
	// attachment or runs on Fargate. DescribeTasks does not report the
	// mode, so for other tasks it is netmode.ModeUnknown unless
	// [Builder.NetworkMode] or [Builder.SetNetworkMode] resolves it from the
	// task definition.
	NetworkMode netmode.Mode

	LastStatus    string
	DesiredStatus string
	// Version is ECS's per-task version, incremented on every state change;
	// duplicate events carry the same version.
	Version int64

	// The task's ENI (awsvpc). ENI is "" while the attachment is PRECREATED
	// (only its subnet is known yet).
	ENI              string
	MAC              string
	SubnetID         string
	AttachmentID     string
	AttachmentStatus string // PRECREATED, CREATED, ATTACHING, ATTACHED, DETACHING, DETACHED, DELETED, FAILED
	IPv4             netip.Addr
	IPv6             netip.Addr

	// Bindings are the host ports the task's containers hold on their
	// container instance (bridge and host mode: containers[].networkBindings).
	Bindings []Binding

	CreatedAt          time.Time
	PullStartedAt      time.Time
	StartedAt          time.Time
	StoppingAt         time.Time
	ExecutionStoppedAt time.Time
	StoppedAt          time.Time

	// Valid is when the task held its ENI, IPs and host ports: from its first
	// known timestamp (createdAt, else pullStartedAt, else startedAt) to
	// stoppedAt (the ENI is detached and deleted before a task reaches
	// STOPPED). For a task seen STOPPED without stoppedAt, the end is the
	// latest of executionStoppedAt and stoppingAt. A task last seen on its
	// way to STOPPED (STOPPING, DEPROVISIONING) whose executionStoppedAt is
	// known ends there: its containers, and so its traffic, have stopped, and
	// its ENI is being detached and deleted; a later observation with
	// stoppedAt widens the end to it. A task an event shows STOPPED
	// without any of those times ends at the earliest such event's time.
	// Open otherwise, while the task may still run.
	Valid Interval

	// seenStopped is the earliest time of an event that showed the task
	// STOPPED (the event's "time"): the latest it can have stopped.
	seenStopped time.Time
}

// ID is the last segment of the task ARN (the task ID).
func (t *Task) ID() string { return lastSegment(t.ARN) }

// Cluster is the cluster name from ClusterARN (or from the task ARN's long
// format "task/CLUSTER/ID").
func (t *Task) Cluster() string {
	if t.ClusterARN != "" {
		return lastSegment(t.ClusterARN)
	}
	parts := strings.Split(resource(t.ARN), "/")
	if len(parts) == 3 {
		return parts[1]
	}
	return ""
}

// Service is the service name when Group is "service:NAME", else "".
func (t *Task) Service() string {
	if s, ok := strings.CutPrefix(t.Group, "service:"); ok {
		return s
	}
	return ""
}

// Binding is one host-port mapping of a bridge- or host-mode container. A
// range mapping (hostPortRange) covers HostPort..HostPortLast.
type Binding struct {
	Container         string
	Proto             netmode.Protocol // netmode.TCP or netmode.UDP, numbered as flow logs number them
	HostPort          uint16
	HostPortLast      uint16 // == HostPort for a single port
	ContainerPort     uint16
	ContainerPortLast uint16 // == ContainerPort for a single port
	BindIP            netip.Addr
}

// resource is the part of an ARN after the fifth colon.
func resource(arn string) string {
	if !strings.HasPrefix(arn, "arn:") {
		return arn
	}
	r := arn
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(r, ':')
		if j < 0 {
			return arn
		}
		r = r[j+1:]
	}
	return r
}

func lastSegment(arn string) string {
	r := resource(arn)
	if i := strings.LastIndexByte(r, '/'); i >= 0 {
		return r[i+1:]
	}
	return r
}

// State is what orders two observations of the task in time, by
// [ecsread.TaskState.AtLeastAsNewAs]: the rule the history merges
// observations by, and attribution.Merge the tasks of partials.
func (t *Task) State() ecsread.TaskState {
	return ecsread.TaskState{Version: t.Version, LastStatus: t.LastStatus, DesiredStatus: t.DesiredStatus}
}

func (t *Task) stopped() bool {
	return ecsread.Stopped(t.LastStatus)
}

func (t *Task) computeValid() {
	t.Valid = Interval{Start: earliest(t.CreatedAt, t.PullStartedAt, t.StartedAt)}
	switch {
	case !t.StoppedAt.IsZero():
		t.Valid.End = t.StoppedAt
	case t.stopped():
		t.Valid.End = latest(t.ExecutionStoppedAt, t.StoppingAt)
		if t.Valid.End.IsZero() {
			// A STOPPED task holds nothing any more, so it must not stay
			// open for ever (taking the address from whatever is given
			// it next) for want of its stop times: ECS sends a "Task
			// State Change" event when the task reaches the state it
			// reports, so an event showing it STOPPED bounds its stop
			// from above.
			t.Valid.End = t.seenStopped
		}
	case !t.ExecutionStoppedAt.IsZero():
		// Left open, the interval would hold the task's address (and host
		// ports) forever when the history ends before ECS reports STOPPED
		// (the last describe snapshot, a Watcher stopped meanwhile): another
		// resource later given the address would have its traffic counted
		// as this task's.
		t.Valid.End = t.ExecutionStoppedAt
	}
	if !t.Valid.End.IsZero() && !t.Valid.Start.IsZero() && t.Valid.End.Before(t.Valid.Start) {
		t.Valid.End = t.Valid.Start
	}
}

// lastTraffic is the time after which the task can send nothing more
// (all containers stopped), or the zero time if unknown.
func (t *Task) lastTraffic() time.Time { return t.ExecutionStoppedAt }

func earliest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if !t.IsZero() && (out.IsZero() || t.Before(out)) {
			out = t
		}
	}
	return out
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
