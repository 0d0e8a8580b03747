package intervals

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/internal/ownership"
	"github.com/ecsnet/ecsnet/netmode"
)

// SchemaVersion is the version of the table's columns and their meaning.
// It changes whenever a column is added, removed or means something else.
// Files carry it in their key/value metadata (MetadataKey), which the Go
// reader checks, and in every row's schema_version column
// (Row.SchemaVersion), which SQL engines read and the join query of
// flowlogs/attribution/sqlattr checks. That column came within version 1
// and is written by every version from then on: a file without it was
// written before it, by a version 1 writer (there was no other), and its
// rows are version 1 (ReadParquet; the query reads its NULL so too).
const SchemaVersion = 1

// MetadataKey is the Parquet key/value metadata key holding SchemaVersion.
const MetadataKey = "ecsnet.intervals.schema_version"

// Kinds of key, the values of Row.Kind.
const (
	KindTask         = "task"
	KindTaskENI      = "task_eni"
	KindTaskAddr     = "task_addr"
	KindInstanceENI  = "instance_eni"
	KindInstanceAddr = "instance_addr"
	KindHostPort     = "host_port"
)

// Row is one ownership interval. Strings are "" when unknown; the
// interval's bounds are nil when open (see the package documentation).
type Row struct {
	Kind string `parquet:"kind"`
	// Key is the ENI ID, the address (canonical text, IPv4 unmapped), the
	// task ARN (task) or the container instance ARN (host_port).
	Key string `parquet:"key"`
	// Protocol, PortFirst and PortLast: host_port only (IANA protocol
	// number as in flow logs), else 0.
	Protocol  int32 `parquet:"protocol"`
	PortFirst int32 `parquet:"port_first"`
	PortLast  int32 `parquet:"port_last"`

	FirstSecond     *int64 `parquet:"first_second,optional"`
	LastSecond      *int64 `parquet:"last_second,optional"`
	NextFirstSecond *int64 `parquet:"next_first_second,optional"`
	// LateBaseSecond is the second the late slack counts from: the
	// owner's own stop when it ends the interval on a whole second (a
	// packet at that instant can carry a start of stop + slack), else
	// LastSecond. Null while open.
	LateBaseSecond *int64     `parquet:"late_base_second,optional"`
	Start          *time.Time `parquet:"start,optional,timestamp(microsecond)"`
	End            *time.Time `parquet:"end,optional,timestamp(microsecond)"`

	// Owner is "task" or "instance".
	Owner          string `parquet:"owner"`
	TaskARN        string `parquet:"task_arn"`
	TaskID         string `parquet:"task_id"`
	ClusterARN     string `parquet:"cluster_arn"`
	Cluster        string `parquet:"cluster"`
	ServiceGroup   string `parquet:"service_group"` // "service:NAME" or "family:NAME"
	Family         string `parquet:"family"`
	TaskDefinition string `parquet:"task_definition"` // "family:revision"
	LaunchType     string `parquet:"launch_type"`
	NetworkMode    string `parquet:"network_mode"`
	// ContainerInstanceARN is the task's container instance (the instance
	// itself on instance rows).
	ContainerInstanceARN string `parquet:"container_instance_arn"`
	EC2InstanceID        string `parquet:"ec2_instance_id"`
	AZ                   string `parquet:"az"`
	SubnetID             string `parquet:"subnet_id"`
	// ENI is the task's ENI; on instance and host_port rows the
	// instance's primary ENI.
	ENI string `parquet:"eni"`
	// IPv4 and IPv6 are the owner's addresses (the task's on host_port
	// rows), by which a record's direction is read.
	IPv4 string `parquet:"ipv4"`
	IPv6 string `parquet:"ipv6"`

	// SchemaVersion is the version of the row's columns, SchemaVersion
	// again, in a column: SQL engines cannot read a Parquet file's
	// key/value metadata, and the join query refuses rows of another
	// version by it. Build sets it; WriteParquet and WriteCSV write
	// SchemaVersion for a row that has 0 (made by hand) and refuse a row
	// of another version; ReadParquet returns SchemaVersion, also for
	// the rows of a file written before the column.
	SchemaVersion int32 `parquet:"schema_version"`
}

// ErrEmpty is returned for a history that yields no intervals.
var ErrEmpty = errors.New("intervals: the history has no tasks or container instances")

// Columns lists the column names in file order.
func Columns() []string {
	return []string{"kind", "key", "protocol", "port_first", "port_last",
		"first_second", "last_second", "next_first_second", "late_base_second", "start", "end",
		"owner", "task_arn", "task_id", "cluster_arn", "cluster", "service_group", "family",
		"task_definition", "launch_type", "network_mode", "container_instance_arn",
		"ec2_instance_id", "az", "subnet_id", "eni", "ipv4", "ipv6", "schema_version"}
}

// modeName is the task's network mode as netmode names it, "" when the
// history does not know it.
func modeName(t *history.Task) string {
	if t.NetworkMode == netmode.ModeUnknown {
		return ""
	}
	return t.NetworkMode.String()
}

// owner is a task or an instance holding keys.
type owner struct {
	task *history.Task
	inst *history.Instance
}

// stop is when the owner stopped holding its keys; zero while running.
func (o *owner) stop() time.Time {
	if o.task != nil {
		return o.task.Valid.End
	}
	return o.inst.Valid.End
}

func (o *owner) arn() string {
	if o.task != nil {
		return o.task.ARN
	}
	return o.inst.ARN
}

type keyID struct {
	kind, key string
	proto     uint8
	port      uint16
}

// Build returns the history's intervals in the stable file order. It fails
// with ErrEmpty when there is nothing to write.
func Build(h *history.Index) ([]Row, error) {
	if h == nil || len(h.Tasks()) == 0 && len(h.Instances()) == 0 {
		return nil, ErrEmpty
	}
	instByARN := map[string]*history.Instance{}
	for _, in := range h.Instances() {
		instByARN[in.ARN] = in
	}
	spans := map[keyID][]ownership.Span[owner]{}
	span := func(o *owner, iv history.Interval) ownership.Span[owner] {
		return ownership.Span[owner]{Start: ownership.StartNanos(iv.Start), End: ownership.EndNanos(iv.End), Owner: o}
	}
	add := func(k keyID, o *owner, iv history.Interval) {
		spans[k] = append(spans[k], span(o, iv))
	}
	// Host ports are held as ranges, keyed by (instance, protocol): a
	// hostPortRange can hold all 65,535 ports, so they are never spelled
	// out one by one.
	held := map[keyID][]portHold{}
	// One owner each, made at once; the rows' bounds and their texts
	// (task definition, addresses) are made as the rows are, from a
	// pool shared by every row (see rowPool).
	owners := make([]owner, 0, len(h.Tasks())+len(h.Instances()))
	newOwner := func(o owner) *owner {
		owners = append(owners, o)
		return &owners[len(owners)-1]
	}
	rt := &rowPool{inst: instByARN}
	var rows []Row
	for _, in := range h.Instances() {
		o := newOwner(owner{inst: in})
		if in.ENI != "" {
			add(keyID{kind: KindInstanceENI, key: in.ENI}, o, in.Valid)
		}
		for _, a := range addrs(in.IPv4, in.IPv6) {
			add(keyID{kind: KindInstanceAddr, key: a}, o, in.Valid)
		}
	}
	// The rows, made at once: a task's, one a span of a key (or none,
	// where it holds no whole second) and about one a binding, as the
	// loop below adds them.
	n := 0
	for _, v := range spans {
		n += len(v)
	}
	for _, t := range h.Tasks() {
		n++
		if t.ENI != "" {
			n++
		}
		if mode := t.NetworkMode; mode == netmode.ModeAWSVPC || mode == netmode.ModeUnknown && t.ENI != "" {
			n += len(addrs(t.IPv4, t.IPv6))
		} else if t.ENI == "" && instByARN[t.ContainerInstanceARN] != nil {
			n += len(t.Bindings)
		}
	}
	rows = make([]Row, 0, n)
	for _, t := range h.Tasks() {
		o := newOwner(owner{task: t})
		row := rt.taskRow(t)
		row.Kind, row.Key = KindTask, t.ARN
		// Records that name the task (v7 ecs-task-arn, ecs-task-id) find
		// it whatever their second, in Go (the history's task by ARN) and
		// in SQL (the join on this row, no seconds), so a task is written
		// even when its lifetime holds no whole second (setBounds' false):
		// first_second > last_second, which the reader accepts on task
		// rows. Its bounds are kept as they are, for Index to rebuild the
		// lifetime that reports show.
		_ = rt.setBounds(&row, ownership.StartNanos(t.Valid.Start), ownership.EndNanos(t.Valid.End))
		rows = append(rows, row)
		mode := t.NetworkMode
		if t.ENI != "" {
			add(keyID{kind: KindTaskENI, key: t.ENI}, o, t.Valid)
		}
		// awsvpc tasks own their addresses; bridge and host tasks report
		// the instance's (or none), which must not map to one task.
		if mode == netmode.ModeAWSVPC || mode == netmode.ModeUnknown && t.ENI != "" {
			for _, a := range addrs(t.IPv4, t.IPv6) {
				add(keyID{kind: KindTaskAddr, key: a}, o, t.Valid)
			}
		}
		awsvpc := mode == netmode.ModeAWSVPC || t.ENI != ""
		if instByARN[t.ContainerInstanceARN] == nil || awsvpc {
			continue
		}
		for _, b := range t.Bindings {
			k := keyID{kind: KindHostPort, key: t.ContainerInstanceARN, proto: uint8(b.Proto)}
			// eni/history reads a last port below the first as a single port.
			held[k] = append(held[k], portHold{int(b.HostPort), int(max(b.HostPortLast, b.HostPort)), span(o, t.Valid)})
		}
	}
	cut := func(o *owner) int64 {
		if o.task == nil || o.task.ExecutionStoppedAt.IsZero() {
			return 0
		}
		return ownership.Nanos(o.task.ExecutionStoppedAt)
	}
	order := func(a, b *owner) int { return strings.Compare(a.arn(), b.arn()) }
	for k, v := range spans {
		rows = rt.spanRows(rows, k, k.port, ownership.Disjoint(v, cut, order))
	}
	// Consecutive ports with the same owners over the same seconds become
	// one row, whether one range or several bindings gave them.
	for k, hs := range held {
		runs := portRuns(hs, cut, order)
		for i := 0; i < len(runs); {
			sig := signature(runs[i].owners)
			j := i + 1
			for j < len(runs) && runs[j].first == runs[j-1].last+1 && signature(runs[j].owners) == sig {
				j++
			}
			k.port = uint16(runs[i].first)
			rows = rt.spanRows(rows, k, uint16(runs[j-1].last), runs[i].owners)
			i = j
		}
	}
	slices.SortFunc(rows, compareRows)
	return rows, nil
}

// portHold is one owner's hold on host ports first..last of a key.
type portHold struct {
	first, last int
	span        ownership.Span[owner]
}

// portRun is a run of host ports first..last that the same holds cover,
// with its owners made disjoint.
type portRun struct {
	first, last int
	owners      []ownership.Span[owner]
}

// portRuns resolves the owners of each run of ports the same holds cover
// (ownership.Runs: those holding port by port would give every port of
// it), in port order; ports no hold covers have no run.
func portRuns(hs []portHold, cut func(*owner) int64, order func(a, b *owner) int) []portRun {
	var runs []portRun
	ownership.Runs(len(hs), func(i int) int { return hs[i].first }, func(i int) int { return hs[i].last },
		func(first, last int, covering []int) {
			v := make([]ownership.Span[owner], len(covering))
			for k, j := range covering {
				v[k] = hs[j].span
			}
			runs = append(runs, portRun{first, last, ownership.Disjoint(v, cut, order)})
		})
	return runs
}

func signature(v []ownership.Span[owner]) string {
	var b strings.Builder
	for _, s := range v {
		fmt.Fprintf(&b, "%d,%d,%p;", s.Start, s.End, s.Owner)
	}
	return b.String()
}

// spanRows turns one key's disjoint spans into rows, in whole seconds as
// attribution's index does: a record of second s is the owner's when s lies
// in [start, end), i.e. ceil(start) <= s <= floor(end-1). A span holding no
// whole second is left out. The rows are appended to dst.
func (rt *rowPool) spanRows(dst []Row, k keyID, portLast uint16, v []ownership.Span[owner]) []Row {
	n := len(dst)
	for _, s := range v {
		var r Row
		if s.Owner.task != nil {
			r = rt.taskRow(s.Owner.task)
			if k.kind == KindHostPort {
				if in := rt.inst[k.key]; in != nil {
					r.ENI = in.ENI
				}
			}
		} else {
			r = instanceRow(s.Owner.inst)
		}
		r.Kind, r.Key = k.kind, k.key
		if k.kind == KindHostPort {
			r.Protocol, r.PortFirst, r.PortLast = int32(k.proto), int32(k.port), int32(portLast)
		}
		if !rt.setBounds(&r, s.Start, s.End) {
			continue
		}
		if r.LastSecond != nil {
			base := *r.LastSecond
			if stop := s.Owner.stop(); !stop.IsZero() && stop.Nanosecond() == 0 && stop.Unix() == base+1 {
				base++
			}
			r.LateBaseSecond = rt.int(base)
		}
		dst = append(dst, r)
	}
	out := dst[n:]
	for i := 0; i+1 < len(out); i++ {
		out[i].NextFirstSecond = out[i+1].FirstSecond
	}
	return dst
}

// setBounds sets the row's interval from [start, end) in Unix nanoseconds
// and reports whether it holds a whole second.
func (rt *rowPool) setBounds(r *Row, start, end int64) bool {
	if start != math.MinInt64 {
		r.FirstSecond, r.Start = rt.int(-floorDiv(-start, int64(time.Second))), rt.time(ceilMicro(start))
	}
	if end != math.MaxInt64 {
		r.LastSecond, r.End = rt.int(floorDiv(end-1, int64(time.Second))), rt.time(ceilMicro(end))
	}
	return r.FirstSecond == nil || r.LastSecond == nil || *r.FirstSecond <= *r.LastSecond
}

// ceilMicro is the time of Unix nanoseconds ns rounded up to the
// microsecond, the precision of the table's timestamps. Up, not down: a
// whole second is a whole number of microseconds, so the rounded time
// bounds the same whole seconds as ns (what ReadParquet checks), where
// rounding down would move a start of 10:00:00.0000001 to the second
// before, which the owner does not hold. But never up onto a whole
// second (10:00:00.9999995 becomes 10:00:00.999999, which bounds the same
// whole seconds): whether a stop is a whole second decides the late
// window (late_base_second), and a history Index rebuilds from a stop
// moved onto one would not give the rows back. Nor up past the last time
// Unix nanoseconds hold (where ownership.Nanos saturates a time past
// 2262), which ReadParquet refuses; down, it bounds the same seconds.
func ceilMicro(ns int64) time.Time {
	t := time.Unix(0, ns).UTC()
	if d := t.Truncate(time.Microsecond); !d.Equal(t) {
		if u := d.Add(time.Microsecond); u.Nanosecond() != 0 && !u.After(maxTime) {
			return u
		}
		return d
	}
	return t
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// rowPool makes what Build's rows hold besides the history's own
// strings: a row's bounds come from blocks of values shared by many rows
// (a value each: the rows are kept, or dropped, together), and a task's
// task definition and address texts are made once, not on each of its
// rows.
type rowPool struct {
	inst  map[string]*history.Instance
	ints  []int64
	times []time.Time
	texts map[*history.Task]taskText
	defs  map[taskDef]string
}

// taskText is what taskRow makes of a task.
type taskText struct{ def, v4, v6 string }

type taskDef struct {
	family string
	rev    int
}

// boundBlock is how many bounds rowPool makes at once.
const boundBlock = 256

// int returns a new *int64 holding v.
func (rt *rowPool) int(v int64) *int64 {
	if len(rt.ints) == 0 {
		rt.ints = make([]int64, boundBlock)
	}
	p := &rt.ints[0]
	rt.ints = rt.ints[1:]
	*p = v
	return p
}

// time returns a new *time.Time holding t.
func (rt *rowPool) time(t time.Time) *time.Time {
	if len(rt.times) == 0 {
		rt.times = make([]time.Time, boundBlock)
	}
	p := &rt.times[0]
	rt.times = rt.times[1:]
	*p = t
	return p
}

// text is t's task definition and address texts, made once a task.
func (rt *rowPool) text(t *history.Task) taskText {
	if x, ok := rt.texts[t]; ok {
		return x
	}
	var x taskText
	if t.Family != "" {
		d := taskDef{t.Family, t.Revision}
		var ok bool
		if x.def, ok = rt.defs[d]; !ok {
			x.def = t.Family + ":" + strconv.Itoa(t.Revision)
			if rt.defs == nil {
				rt.defs = map[taskDef]string{}
			}
			rt.defs[d] = x.def
		}
	}
	x.v4, x.v6 = addrText(t.IPv4), addrText(t.IPv6)
	if rt.texts == nil {
		rt.texts = map[*history.Task]taskText{}
	}
	rt.texts[t] = x
	return x
}

func (rt *rowPool) taskRow(t *history.Task) Row {
	inst := rt.inst
	x := rt.text(t)
	r := Row{
		Owner:                "task",
		TaskARN:              t.ARN,
		TaskID:               t.ID(),
		ClusterARN:           t.ClusterARN,
		Cluster:              t.Cluster(),
		ServiceGroup:         t.Group,
		Family:               t.Family,
		LaunchType:           t.LaunchType,
		NetworkMode:          modeName(t),
		ContainerInstanceARN: t.ContainerInstanceARN,
		AZ:                   t.AvailabilityZone,
		SubnetID:             t.SubnetID,
		ENI:                  t.ENI,
		SchemaVersion:        SchemaVersion,
	}
	r.TaskDefinition, r.IPv4, r.IPv6 = x.def, x.v4, x.v6
	if in := inst[t.ContainerInstanceARN]; in != nil {
		r.EC2InstanceID = in.EC2InstanceID
		if r.AZ == "" {
			r.AZ = in.AvailabilityZone
		}
	}
	return r
}

func instanceRow(in *history.Instance) Row {
	return Row{
		Owner:                "instance",
		ClusterARN:           in.ClusterARN,
		Cluster:              in.Cluster(),
		LaunchType:           "EC2",
		ContainerInstanceARN: in.ARN,
		EC2InstanceID:        in.EC2InstanceID,
		AZ:                   in.AvailabilityZone,
		ENI:                  in.ENI,
		IPv4:                 addrText(in.IPv4),
		IPv6:                 addrText(in.IPv6),
		SchemaVersion:        SchemaVersion,
	}
}

func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.Unmap().String()
}

func addrs(as ...netip.Addr) []string {
	var out []string
	for _, a := range as {
		if a.IsValid() {
			out = append(out, a.Unmap().String())
		}
	}
	return out
}

func compareRows(a, b Row) int {
	return cmp.Or(
		strings.Compare(a.Kind, b.Kind),
		strings.Compare(a.Key, b.Key),
		cmp.Compare(a.Protocol, b.Protocol),
		cmp.Compare(a.PortFirst, b.PortFirst),
		cmp.Compare(secs(a.FirstSecond), secs(b.FirstSecond)),
		strings.Compare(a.TaskARN, b.TaskARN),
		strings.Compare(a.ContainerInstanceARN, b.ContainerInstanceARN),
	)
}

func secs(p *int64) int64 {
	if p == nil {
		return math.MinInt64
	}
	return *p
}
