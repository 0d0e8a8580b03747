package intervals

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// Index rebuilds a task history from the rows of one Build (read back with
// ReadParquet, or the rows of every partition WritePartitioned wrote,
// concatenated), so that flowlogs/attribution over it gives what it gives
// over the history the rows were built from, and Build over it gives the
// same rows. Errors are *Error values naming the row (1-based, in the order
// given) and column, but for no rows at all: ErrEmpty. A row's
// SchemaVersion must be this package's, or 0 (a row made without it).
//
// It rebuilds each task from its task row — ARN, cluster, service group,
// family and revision, launch type, network mode, container instance, AZ,
// subnet, ENI, addresses, and Valid — with the host ports its host_port
// rows hold and, where a key's rows show it (the next owner taking the key
// after its own start), its executionStoppedAt; each container instance
// from its instance rows (its primary ENI, addresses, EC2 instance ID, AZ,
// cluster, the start of Valid, and its end where a row shows it), or, for
// an instance that owns no key but that tasks name, as a bare instance of
// ARN, EC2 instance ID and cluster.
//
// The table does not carry, so the rebuilt history lacks: a task's
// lifecycle timestamps other than Valid (createdAt, startedAt, stoppingAt,
// stoppedAt, …) and its executionStoppedAt where it decided no hand-off,
// its statuses (lastStatus, desiredStatus), version, MAC, attachment ID
// and status, and its bindings' containers, container ports and bind
// addresses (the host ports become one binding per run of consecutive
// ports); an instance's type, OS, status, version, MAC, trunk ENI and
// registeredAt, and the end of Valid where no row shows it (a key taken
// over by a later instance ends there either way). The task definition ARN
// is made from the task ARN's partition, region and account and the
// family:revision (a task runs a task definition of its own account and
// Region). A task's AvailabilityZone is the row's, which is its instance's
// where ECS reported none for the task; times are kept to the microsecond
// (rounded up, keeping the whole seconds they bound).
//
// Index proves its work: Build over the rebuilt history must give the rows
// back (in any order), else it fails with ErrInexact. That is what rows
// that were edited or that lack a partition give, and what one case the
// table cannot show gives: an owner whose span on a key came to nothing
// (three or more owners overlapping, or a span shorter than a whole
// second), so that the executionStoppedAt that decided the hand-off
// around it is not shown.
func Index(rows []Row) (*history.Index, error) {
	rerr := func(i int, col string, err error) error {
		return &Error{Pkg: "intervals", Row: int64(i + 1), Column: col, Err: err}
	}
	if len(rows) == 0 {
		return nil, ErrEmpty
	}
	// The tasks, in the order of their rows (taskRows: the row of each),
	// made in place; byARN finds them.
	nt := 0
	for i := range rows {
		if rows[i].Kind == KindTask {
			nt++
		}
	}
	ts := make([]history.Task, 0, nt)
	taskRows := make([]int, 0, nt)
	byARN := make(map[string]int, nt)
	task := func(arn string) *history.Task {
		if k, ok := byARN[arn]; ok {
			return &ts[k]
		}
		return nil
	}
	var in interner
	for i := range rows {
		r := &rows[i]
		// 0: a row made without its version, as WriteParquet takes it.
		if v := r.SchemaVersion; v != 0 && v != SchemaVersion {
			return nil, rerr(i, versionColumn, fmt.Errorf("%d, not %d, the version this package reads", v, SchemaVersion))
		}
		if col, err := checkRow(r); err != nil {
			return nil, rerr(i, col, err)
		}
		if r.Kind != KindTask {
			continue
		}
		if task(r.TaskARN) != nil {
			return nil, rerr(i, "key", fmt.Errorf("task %q has two task rows", r.TaskARN))
		}
		byARN[r.TaskARN] = len(ts)
		ts = append(ts, in.taskOf(r))
		taskRows = append(taskRows, i)
	}

	// The keyed rows, grouped by key in time order: each row's group
	// (numbered in the order keys first appear), then the groups' rows
	// in one slice.
	type keyed struct {
		kind, key   string
		proto, port int32
	}
	gid := map[keyed]int{}
	var keys []keyed
	rowGroup := make([]int32, len(rows))
	var sizes []int
	for i := range rows {
		r := &rows[i]
		if r.Kind == KindTask {
			continue
		}
		if r.Owner == "task" && task(r.TaskARN) == nil {
			return nil, rerr(i, "task_arn", fmt.Errorf("task %q has no task row", r.TaskARN))
		}
		k := keyed{r.Kind, r.Key, r.Protocol, r.PortFirst}
		g, ok := gid[k]
		if !ok {
			g = len(keys)
			gid[k] = g
			keys = append(keys, k)
			sizes = append(sizes, 0)
		}
		rowGroup[i] = int32(g)
		sizes[g]++
	}
	// starts[g] is where group g's rows begin in members.
	starts := make([]int, len(keys)+1)
	for g, n := range sizes {
		starts[g+1] = starts[g] + n
	}
	members := make([]int, starts[len(keys)])
	fill := slices.Clone(starts[:len(keys)])
	for i := range rows {
		if rows[i].Kind == KindTask {
			continue
		}
		g := rowGroup[i]
		members[fill[g]] = i
		fill[g]++
	}

	insts := map[string]*history.Instance{}
	var instOrder []string
	cuts := map[string]time.Time{}              // task ARN → executionStoppedAt, as hand-offs show it
	ports := map[string]map[uint8][][2]uint16{} // task ARN → protocol → port ranges
	for gi := range keys {
		g := members[starts[gi]:starts[gi+1]]
		slices.SortStableFunc(g, func(a, b int) int { return cmp.Compare(secs(rows[a].FirstSecond), secs(rows[b].FirstSecond)) })
		for j, i := range g {
			r := &rows[i]
			if j > 0 && (rows[g[j-1]].LastSecond == nil || r.FirstSecond == nil || *r.FirstSecond <= *rows[g[j-1]].LastSecond) {
				return nil, rerr(i, "first_second", fmt.Errorf("overlaps the row before it of key %s %q", r.Kind, r.Key))
			}
			if r.Owner == "instance" {
				inst := insts[r.ContainerInstanceARN]
				if inst == nil {
					inst = in.instanceOf(r)
					insts[inst.ARN] = inst
					instOrder = append(instOrder, inst.ARN)
				} else if col, err := in.sameInstance(inst, r); err != nil {
					return nil, rerr(i, col, err)
				}
				// The instance's own stop shows where it ends the row on a
				// whole second, or where no later instance took the key.
				switch {
				case r.LateBaseSecond != nil && *r.LateBaseSecond == *r.LastSecond+1:
					inst.Valid.End = time.Unix(*r.LateBaseSecond, 0).UTC()
				case j == len(g)-1 && r.End != nil:
					inst.Valid.End = r.End.UTC()
				}
				continue
			}
			t := task(r.TaskARN)
			if r.Kind == KindHostPort {
				if ports[t.ARN] == nil {
					ports[t.ARN] = map[uint8][][2]uint16{}
				}
				ports[t.ARN][uint8(r.Protocol)] = append(ports[t.ARN][uint8(r.Protocol)], [2]uint16{uint16(r.PortFirst), uint16(r.PortLast)})
			}
			// A task row starting after its task's start was handed the key
			// at the task before's executionStoppedAt (ownership.Disjoint).
			if j == 0 || r.Start == nil || !t.Valid.Start.Before(*r.Start) {
				continue
			}
			prev := &rows[g[j-1]]
			if prev.Owner != "task" || prev.End == nil || !prev.End.Equal(*r.Start) {
				return nil, rerr(i, "start", fmt.Errorf("task %q takes key %s %q after its start, but not from the task before it", t.ARN, r.Kind, r.Key))
			}
			if c, ok := cuts[prev.TaskARN]; ok && !c.Equal(*r.Start) {
				return nil, rerr(i, "start", fmt.Errorf("task %q stops its traffic at %v and at %v", prev.TaskARN, c, r.Start.UTC()))
			}
			cuts[prev.TaskARN] = r.Start.UTC()
		}
	}

	// Instances that own no key but that tasks name, with what the task
	// rows tell of them.
	for k := range ts {
		t := &ts[k]
		arn := t.ARN
		r := &rows[taskRows[k]]
		if t.ContainerInstanceARN != "" && insts[t.ContainerInstanceARN] == nil && (r.EC2InstanceID != "" || ports[arn] != nil) {
			insts[t.ContainerInstanceARN] = &history.Instance{ARN: t.ContainerInstanceARN, EC2InstanceID: r.EC2InstanceID, ClusterARN: t.ClusterARN}
			instOrder = append(instOrder, t.ContainerInstanceARN)
		}
		t.ExecutionStoppedAt = cuts[arn]
		for proto, ps := range ports[arn] {
			t.Bindings = append(t.Bindings, bindings(netmode.Protocol(proto), ps)...)
		}
		slices.SortFunc(t.Bindings, func(a, b history.Binding) int {
			return cmp.Or(cmp.Compare(a.Proto, b.Proto), cmp.Compare(a.HostPort, b.HostPort))
		})
	}
	is := make([]history.Instance, 0, len(instOrder))
	for _, arn := range instOrder {
		is = append(is, *insts[arn])
	}
	x, err := history.NewIndex(ts, is)
	if err != nil {
		return nil, &Error{Pkg: "intervals", Err: err}
	}
	// The proof: the rebuilt history gives the rows back. What the rows
	// cannot tell (a hand-off decided by an executionStoppedAt that only
	// an owner the table left out shows, see above) ends here rather than
	// in different answers.
	again, err := Build(x)
	if err != nil {
		return nil, &Error{Pkg: "intervals", Err: err}
	}
	sorted := make([]int, len(rows))
	for i := range sorted {
		sorted[i] = i
	}
	slices.SortStableFunc(sorted, func(a, b int) int { return compareRows(rows[a], rows[b]) })
	for k, i := range sorted {
		if k >= len(again) || !sameRow(&rows[i], &again[k]) {
			return nil, rerr(i, "", ErrInexact)
		}
	}
	if len(again) > len(rows) {
		return nil, &Error{Pkg: "intervals", Err: fmt.Errorf("%w (%d rows, the rebuilt history gives %d)", ErrInexact, len(rows), len(again))}
	}
	return x, nil
}

// ErrInexact is wrapped by Index's error for rows it cannot rebuild a
// history from that gives them back: rows edited, a partition left out, or
// a hand-off the table does not show how it came about.
var ErrInexact = errors.New("the rows do not rebuild into a history that gives them back (edited, incomplete, or a hand-off the table cannot show)")

// sameRow compares rows column by column, times by instant.
func sameRow(a, b *Row) bool {
	ptr := func(x, y *int64) bool { return x == nil && y == nil || x != nil && y != nil && *x == *y }
	tm := func(x, y *time.Time) bool { return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) }
	x, y := *a, *b
	if !ptr(x.FirstSecond, y.FirstSecond) || !ptr(x.LastSecond, y.LastSecond) || !ptr(x.NextFirstSecond, y.NextFirstSecond) ||
		!ptr(x.LateBaseSecond, y.LateBaseSecond) || !tm(x.Start, y.Start) || !tm(x.End, y.End) {
		return false
	}
	x.FirstSecond, x.LastSecond, x.NextFirstSecond, x.LateBaseSecond, x.Start, x.End = nil, nil, nil, nil, nil, nil
	y.FirstSecond, y.LastSecond, y.NextFirstSecond, y.LateBaseSecond, y.Start, y.End = nil, nil, nil, nil, nil, nil
	// The version is no part of the history: a row given without it
	// (0) is the same row as Build's.
	x.SchemaVersion, y.SchemaVersion = 0, 0
	return x == y
}

// interner keeps one copy of each value that many tasks and instances
// share (cluster, group, family, task definition, container instance,
// zone, subnet, launch type), as history.Builder's intern does: the rows
// read from a file hold a copy each where the same value is not on the
// row before, and Index keeps what its tasks hold.
type interner struct {
	strs map[string]string
	defs map[[2]string]string // task ARN prefix and family:revision → task definition ARN
}

func (in *interner) intern(s string) string {
	if s == "" {
		return s
	}
	if c, ok := in.strs[s]; ok {
		return c
	}
	if in.strs == nil {
		in.strs = map[string]string{}
	}
	in.strs[s] = s
	return s
}

// taskOf is the task a task row describes.
func (in *interner) taskOf(r *Row) history.Task {
	t := history.Task{
		ARN:                  r.TaskARN,
		ClusterARN:           in.intern(r.ClusterARN),
		Group:                in.intern(r.ServiceGroup),
		Family:               in.intern(r.Family),
		LaunchType:           in.intern(r.LaunchType),
		ContainerInstanceARN: in.intern(r.ContainerInstanceARN),
		AvailabilityZone:     in.intern(r.AZ),
		SubnetID:             in.intern(r.SubnetID),
		ENI:                  r.ENI,
	}
	if _, rev, ok := strings.Cut(r.TaskDefinition, ":"); ok {
		t.Revision, _ = strconv.Atoi(rev) // checkRow checked it
		if p := taskDefinitionPrefix(r.TaskARN); p != "" {
			k := [2]string{p, r.TaskDefinition}
			arn, ok := in.defs[k]
			if !ok {
				arn = strings.TrimSuffix(p, ":") + ":task-definition/" + r.TaskDefinition
				if in.defs == nil {
					in.defs = map[[2]string]string{}
				}
				in.defs[k] = arn
			}
			t.TaskDefinitionARN = arn
		}
	}
	if r.NetworkMode != "" {
		_ = t.NetworkMode.UnmarshalText([]byte(r.NetworkMode)) // checkRow checked it
	}
	t.IPv4, _ = parseAddr(r.IPv4)
	t.IPv6, _ = parseAddr(r.IPv6)
	if r.Start != nil {
		t.Valid.Start = r.Start.UTC()
	}
	if r.End != nil {
		t.Valid.End = r.End.UTC()
	}
	return t
}

// taskDefinitionPrefix is "arn:PARTITION:ecs:REGION:ACCOUNT:" of a task
// ARN, or "" when it is not an ECS task ARN.
func taskDefinitionPrefix(taskARN string) string {
	// The text up to the fifth colon, parts[:5] of SplitN(taskARN, ":",
	// 6) joined, without making them.
	var colon [5]int
	n, rest := 0, 0
	for n < 5 {
		k := strings.IndexByte(taskARN[rest:], ':')
		if k < 0 {
			return ""
		}
		colon[n] = rest + k
		rest += k + 1
		n++
	}
	if taskARN[:colon[0]] != "arn" || taskARN[colon[1]+1:colon[2]] != "ecs" || !strings.HasPrefix(taskARN[rest:], "task/") {
		return ""
	}
	return taskARN[:rest]
}

// instanceOf is the container instance an instance row describes, with
// Valid from the row's start (no hand-off moves an instance's start).
func (it *interner) instanceOf(r *Row) *history.Instance {
	in := &history.Instance{
		ARN:              it.intern(r.ContainerInstanceARN),
		EC2InstanceID:    r.EC2InstanceID,
		ClusterARN:       it.intern(r.ClusterARN),
		AvailabilityZone: it.intern(r.AZ),
		ENI:              r.ENI,
	}
	in.IPv4, _ = parseAddr(r.IPv4)
	in.IPv6, _ = parseAddr(r.IPv6)
	if r.Start != nil {
		in.Valid.Start = r.Start.UTC()
	}
	return in
}

// sameInstance checks that another row of an instance describes it alike.
func (it *interner) sameInstance(in *history.Instance, r *Row) (string, error) {
	o := it.instanceOf(r)
	switch {
	case o.EC2InstanceID != in.EC2InstanceID:
		return "ec2_instance_id", fmt.Errorf("%q, another row of instance %q says %q", o.EC2InstanceID, in.ARN, in.EC2InstanceID)
	case o.ClusterARN != in.ClusterARN:
		return "cluster_arn", fmt.Errorf("%q, another row of instance %q says %q", o.ClusterARN, in.ARN, in.ClusterARN)
	case o.ENI != in.ENI:
		return "eni", fmt.Errorf("%q, another row of instance %q says %q", o.ENI, in.ARN, in.ENI)
	case o.IPv4 != in.IPv4 || o.IPv6 != in.IPv6:
		return "ipv4", fmt.Errorf("addresses differ from another row of instance %q", in.ARN)
	case !o.Valid.Start.Equal(in.Valid.Start):
		return "start", fmt.Errorf("%v, another row of instance %q starts at %v", o.Valid.Start, in.ARN, in.Valid.Start)
	}
	return "", nil
}

func parseAddr(s string) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, nil
	}
	return netip.ParseAddr(s)
}

// bindings turns the port ranges of a task's host_port rows into bindings:
// one per run of consecutive ports, however long, as a binding holds every
// port of its range. Only the ports each binding holds decide the rows
// Build gives back, so how the original bindings were split is not needed.
func bindings(proto netmode.Protocol, rs [][2]uint16) []history.Binding {
	slices.SortFunc(rs, func(a, b [2]uint16) int { return cmp.Compare(a[0], b[0]) })
	var out []history.Binding
	for _, r := range rs {
		if n := len(out); n > 0 && int(r[0]) <= int(out[n-1].HostPortLast)+1 {
			out[n-1].HostPortLast = max(out[n-1].HostPortLast, r[1])
			continue
		}
		out = append(out, history.Binding{Proto: proto, HostPort: r[0], HostPortLast: r[1]})
	}
	return out
}
