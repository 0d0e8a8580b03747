package attribution

// Reason says why a record could not be attributed to a task. Every record
// that is not attributed has exactly one reason, so the unattributed remainder
// explains itself: attributed + Σ unattributed = total, for bytes, packets and
// records alike.
type Reason uint8

const (
	// NoData: a NODATA record (no traffic on the ENI in the interval).
	// Carries no traffic in the documented format, but any bytes or packets
	// it does carry are kept here so totals still add up.
	NoData Reason = iota
	// SkipData: a SKIPDATA record; flows were dropped by AWS during the
	// interval, so every total is a lower bound (see Stats.SkipData).
	SkipData
	// UnknownENI: the record's interface is not a task ENI or a container
	// instance ENI known to the history, and neither of its addresses
	// belongs to a task at that time (NAT gateways, load balancers, VPC
	// endpoints, instances outside the cluster, or a history that is
	// missing tasks).
	UnknownENI
	// OutsideLifetime: the interface (or address) did belong to a task, but
	// not at the record's time: delivered late, clock skew, or an ENI seen
	// before its task's start was recorded.
	OutsideLifetime
	// SharedENINoBinding: the record was seen on a container instance's own
	// ENI, shared by every bridge-mode task and the host, and no task's
	// networkBindings maps its port. Includes all outbound bridge traffic:
	// Docker SNATs it to the host's address, so flow logs cannot tell which
	// container sent it.
	SharedENINoBinding
	// HostMode: the port on the instance's ENI belongs to a host-mode task.
	// A host-mode container shares the instance's network stack, so its
	// traffic cannot be told apart from the host's own processes with
	// certainty; it is reported but not attributed.
	HostMode
	// ECSTaskLimit: the record's ecs-task-arn / ecs-task-id names a task
	// the history does not know, and attribution already learned as many
	// such tasks from records as WithMaxECSTasks allows.
	ECSTaskLimit
	numReasons
)

var reasonNames = [numReasons]string{
	NoData:             "NODATA",
	SkipData:           "SKIPDATA",
	UnknownENI:         "unknown ENI",
	OutsideLifetime:    "outside any task's lifetime",
	SharedENINoBinding: "shared instance ENI, no port binding",
	HostMode:           "host-mode task",
	ECSTaskLimit:       "ecs-* task over the learned-task limit",
}

// String returns the reason as it appears in reports.
func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return "unknown reason"
}

// Reasons lists every reason in report order.
func Reasons() []Reason {
	out := make([]Reason, numReasons)
	for i := range out {
		out[i] = Reason(i)
	}
	return out
}

// Method says how a record was attributed.
type Method uint8

const (
	// ByECSField: the record's own v7 ecs-task-arn / ecs-task-id field.
	ByECSField Method = iota
	// ByENI: the record's interface-id is the task's ENI at that time.
	ByENI
	// ByIP: one of the record's addresses (pkt-srcaddr, srcaddr,
	// pkt-dstaddr, dstaddr) was the task's at that time: traffic recorded on
	// a trunk ENI or on another interface.
	ByIP
	// ByHostPort: an inbound flow to a host port that a bridge-mode task's
	// networkBindings mapped on that instance at that time, or an outbound
	// flow from it (the replies). Inferred: the flow log itself only names
	// the instance.
	ByHostPort
	numMethods
)

var methodNames = [numMethods]string{
	ByECSField: "ecs-task field",
	ByENI:      "task ENI",
	ByIP:       "task address",
	ByHostPort: "host port binding (inferred)",
}

// String returns the method as it appears in reports.
func (m Method) String() string {
	if m < numMethods {
		return methodNames[m]
	}
	return "unknown method"
}

// Methods lists every method in report order.
func Methods() []Method {
	out := make([]Method, numMethods)
	for i := range out {
		out[i] = Method(i)
	}
	return out
}

// Inferred reports whether attributions by m are an inference rather than a
// fact recorded by AWS.
func (m Method) Inferred() bool { return m == ByHostPort }
