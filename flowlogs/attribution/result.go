package attribution

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
)

// GroupBy selects how rollups are keyed.
type GroupBy uint8

const (
	// ByTask keys groups by task ARN.
	ByTask GroupBy = iota
	// ByService keys groups by the task's group ("service:NAME", or
	// "family:NAME" for tasks started by RunTask).
	ByService
	// ByFamily keys groups by task-definition family.
	ByFamily
	// ByInstance keys groups by container instance ARN ("" on Fargate,
	// and when unknown). A task known only from records that give
	// ecs-container-instance-id without the ARN is keyed by that ID.
	ByInstance
	// ByCluster keys groups by cluster ARN, else the cluster name in the
	// task ARN. A task known only from records that give ecs-cluster-name
	// without the ARN is keyed by that name.
	ByCluster
)

var groupByNames = []string{"task", "service", "family", "instance", "cluster"}

// String returns "task", "service", "family", "instance" or "cluster".
func (g GroupBy) String() string {
	if int(g) < len(groupByNames) {
		return groupByNames[g]
	}
	return "invalid"
}

// ParseGroupBy parses the names String returns.
func ParseGroupBy(s string) (GroupBy, bool) {
	for i, n := range groupByNames {
		if s == n {
			return GroupBy(i), true
		}
	}
	return 0, false
}

// Counters are the traffic totals of a group. Direction is from the task's
// point of view: in = received by the task.
type Counters struct {
	BytesIn, BytesOut     uint64
	PacketsIn, PacketsOut uint64
	Records               uint64
	// AcceptedBytes and RejectedBytes split the bytes by the record's action;
	// bytes of records without an action are in neither.
	AcceptedBytes, RejectedBytes uint64
	// BytesUnknown and PacketsUnknown are of records whose direction
	// could not be told: no flow-direction, and neither address the
	// task's (or its instance's); see Stats.DirectionUnknown.
	BytesUnknown, PacketsUnknown uint64
}

// Bytes returns BytesIn + BytesOut + BytesUnknown.
func (c Counters) Bytes() uint64 { return c.BytesIn + c.BytesOut + c.BytesUnknown }

// Packets returns PacketsIn + PacketsOut + PacketsUnknown.
func (c Counters) Packets() uint64 { return c.PacketsIn + c.PacketsOut + c.PacketsUnknown }

func (c *Counters) add(o Counters) {
	c.BytesIn += o.BytesIn
	c.BytesOut += o.BytesOut
	c.PacketsIn += o.PacketsIn
	c.PacketsOut += o.PacketsOut
	c.Records += o.Records
	c.AcceptedBytes += o.AcceptedBytes
	c.RejectedBytes += o.RejectedBytes
	c.BytesUnknown += o.BytesUnknown
	c.PacketsUnknown += o.PacketsUnknown
}

// Totals are bytes, packets and records of a set of records.
type Totals struct {
	Bytes, Packets, Records uint64
}

func (t *Totals) add(o Totals) {
	t.Bytes += o.Bytes
	t.Packets += o.Packets
	t.Records += o.Records
}

// Peer is one of a group's top peers: the other end of its flows, by
// address or by CIDR when peers are grouped (WithPeerPrefix).
type Peer struct {
	Prefix  netip.Prefix
	Service string // AWS ip-ranges subset from pkt-*-aws-service, or ""
	// Class is as the task that first met the peer saw it; in a group of
	// tasks in several AZs the same peer can be same-AZ for one and
	// cross-AZ for another, which Group.ClassBytes counts exactly. A load
	// balancer node's class is its first record's role (the task its
	// target, or its client): Group.ClassBytes counts each record in its
	// own.
	Class PeerClass
	Bytes uint64 // in + out + of unknown direction
	// Packets and Records are exact when MaxError is 0, estimates
	// otherwise. (An Attributor's task summary counts a peer's records in
	// 32 bits: a count that reached 2^32-1 stays there, and is shown
	// inexact, with MaxError at least 1. Merge and groups add counts up
	// in 64 bits.)
	Packets uint64
	Records uint64
	// MaxError bounds how much Bytes may over-count: Bytes-MaxError ≤ the
	// peer's true bytes ≤ Bytes; 0 means exact. A task's summary is
	// filtered space-saving; a group of several tasks, and Merge, add
	// theirs up by the mergeable-summaries rule (see Partial): a peer one
	// task's summary did not keep is counted there at that summary's
	// bound, and the errors add up.
	MaxError uint64
}

// Port is one of a group's top service ports (see Record handling in the
// package documentation for which side of a flow is its service port).
// Its counts are as Peer's: Bytes-MaxError ≤ true bytes ≤ Bytes, and
// Packets and Records exact when MaxError is 0.
type Port struct {
	Protocol uint8
	Port     uint16
	Bytes    uint64
	Packets  uint64
	Records  uint64
	MaxError uint64
}

// Point is one bucket of a time series: bytes of the records that start in
// [Start, Start+Step).
type Point struct {
	Start             time.Time
	BytesIn, BytesOut uint64
	BytesUnknown      uint64 // direction unknown (see Counters)
}

// Group is the rollup of one key: a task, service, family, instance or
// cluster.
type Group struct {
	Key string
	// Tasks are the tasks rolled into this group, by start time. They
	// are the history's own (shared: do not modify); a task known only from
	// the records' v7 ecs-* fields is made from those fields.
	Tasks []*history.Task
	// ECSFieldOnlyTasks counts the Tasks known only from the records' v7
	// ecs-* fields, not from the history.
	ECSFieldOnlyTasks int
	// Instances are the container instances the Tasks ran on, as the
	// history knows them (shared: do not modify), in the order the Tasks
	// name them: where a report finds an instance's EC2 instance ID.
	Instances []*history.Instance
	Counters
	// Inferred are the parts of Counters attributed by an inference
	// (bridge host-port bindings) rather than by the ENI, address or ECS
	// fields.
	InferredBytes, InferredRecords uint64
	// ClassBytes splits the bytes (in + out + unknown) by peer class.
	ClassBytes [numPeerClasses]uint64
	// ClassBytesIn and ClassBytesOut split each class by direction; the
	// rest of a class is of unknown direction (see Counters.BytesUnknown).
	// What a class costs depends on the direction: internet egress is
	// charged, ingress is not.
	ClassBytesIn, ClassBytesOut [numPeerClasses]uint64
	TopPeers                    []Peer
	TopPorts                    []Port
	// Series holds the non-empty buckets in time order.
	Series []Point
}

// Clone returns a copy of g whose slices are its own (the tasks and
// instances they point to are still the history's): what to keep of a
// group Attributor.Groups yields.
func (g *Group) Clone() Group {
	c := *g
	c.Tasks = slices.Clone(g.Tasks)
	c.Instances = slices.Clone(g.Instances)
	c.TopPeers = slices.Clone(g.TopPeers)
	c.TopPorts = slices.Clone(g.TopPorts)
	c.Series = slices.Clone(g.Series)
	return c
}

// Unattributed is the remainder that could not be attributed, for one reason.
type Unattributed struct {
	Reason Reason
	Totals
	// TopInterfaces are the interfaces that carried most of it (for
	// NODATA/SKIPDATA and unknown ENIs: which ENIs to look at).
	TopInterfaces []Interface
}

// Interface is an interface ID with the traffic seen on it. Its counts
// are as Peer's: Bytes-MaxError ≤ true bytes ≤ Bytes, and Records exact
// when MaxError is 0.
type Interface struct {
	ID       string
	Bytes    uint64
	Records  uint64
	MaxError uint64
}

// Stats describe how attribution went.
type Stats struct {
	// ByMethod counts attributed records and bytes by how they were attributed.
	ByMethod [numMethods]Totals
	// ECSFieldDisagreements counts records whose v7 ecs-task-arn/ecs-task-id
	// named a different task than the ENI/IP join; the ECS field wins.
	ECSFieldDisagreements uint64
	// ECSFieldOnly counts records attributed by the ECS fields to a task
	// the history does not know.
	ECSFieldOnly uint64
	// DirectionUnknown counts attributed records without flow-direction
	// whose direction could not be read from the task's own addresses
	// either; their bytes and packets are in Counters.BytesUnknown and
	// PacketsUnknown, not guessed into in or out.
	DirectionUnknown uint64
	// SeriesDropped counts records too far in time from the rest of their
	// task's records to fit its time series (WithMaxBuckets); they are in every
	// other total.
	SeriesDropped uint64
	// SkipData counts SKIPDATA records: when non-zero, every total is a
	// lower bound.
	SkipData uint64
	// Overflow is set once a record was refused because the byte or packet
	// total would have passed 2^64-1 (see Attributor.Err): every figure
	// covers the records before it, exactly.
	Overflow bool
}

// Result is a snapshot of the rollups, grouped one way. It is what the
// report package renders. Nothing reading or rendering it changes it: many
// goroutines may read one Result at once.
type Result struct {
	By GroupBy
	// Groups are heaviest (Counters.Bytes: in + out + unknown) first, ties
	// by key.
	Groups []Group
	// Unattributed lists the non-empty reasons in Reason order.
	Unattributed []Unattributed
	// Total covers every record: attributed + unattributed.
	Total Totals
	Stats Stats
	// Step is the width of the time-series buckets.
	Step time.Duration
	// First and Last are the earliest and latest record start seen (its
	// end when the format has no start), zero when no record had either.
	First, Last time.Time
}

// Attributed returns the totals of all groups.
func (r *Result) Attributed() Totals {
	var t Totals
	for _, g := range r.Groups {
		t.add(Totals{Bytes: g.Bytes(), Packets: g.Packets(), Records: g.Records})
	}
	return t
}

// UnattributedTotal returns the totals over all reasons.
func (r *Result) UnattributedTotal() Totals {
	var t Totals
	for _, u := range r.Unattributed {
		t.add(u.Totals)
	}
	return t
}
