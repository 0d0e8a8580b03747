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
// given) and column, but for no rows at all: ErrEmpty.
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
	tasks := map[string]*history.Task{}
	taskRows := map[string]int{}
	var order []string
	for i := range rows {
		r := &rows[i]
		if col, err := checkRow(r); err != nil {
			return nil, rerr(i, col, err)
		}
		if r.Kind != KindTask {
			continue
		}
		if tasks[r.TaskARN] != nil {
			return nil, rerr(i, "key", fmt.Errorf("task %q has two task rows", r.TaskARN))
		}
		tasks[r.TaskARN] = taskOf(r)
		taskRows[r.TaskARN] = i
		order = append(order, r.TaskARN)
	}

	// The keyed rows, grouped by key in time order.
	type keyed struct {
		kind, key   string
		proto, port int32
	}
	groups := map[keyed][]int{}
	var keys []keyed
	for i := range rows {
		r := &rows[i]
		if r.Kind == KindTask {
			continue
		}
		if r.Owner == "task" && tasks[r.TaskARN] == nil {
			return nil, rerr(i, "task_arn", fmt.Errorf("task %q has no task row", r.TaskARN))
		}
		k := keyed{r.Kind, r.Key, r.Protocol, r.PortFirst}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}

	insts := map[string]*history.Instance{}
	var instOrder []string
	cuts := map[string]time.Time{}              // task ARN → executionStoppedAt, as hand-offs show it
	ports := map[string]map[uint8][][2]uint16{} // task ARN → protocol → port ranges
	for _, k := range keys {
		g := groups[k]
		slices.SortStableFunc(g, func(a, b int) int { return cmp.Compare(secs(rows[a].FirstSecond), secs(rows[b].FirstSecond)) })
		for j, i := range g {
			r := &rows[i]
			if j > 0 && (rows[g[j-1]].LastSecond == nil || r.FirstSecond == nil || *r.FirstSecond <= *rows[g[j-1]].LastSecond) {
				return nil, rerr(i, "first_second", fmt.Errorf("overlaps the row before it of key %s %q", r.Kind, r.Key))
			}
			if r.Owner == "instance" {
				in := insts[r.ContainerInstanceARN]
				if in == nil {
					in = instanceOf(r)
					insts[in.ARN] = in
					instOrder = append(instOrder, in.ARN)
				} else if col, err := sameInstance(in, r); err != nil {
					return nil, rerr(i, col, err)
				}
				// The instance's own stop shows where it ends the row on a
				// whole second, or where no later instance took the key.
				switch {
				case r.LateBaseSecond != nil && *r.LateBaseSecond == *r.LastSecond+1:
					in.Valid.End = time.Unix(*r.LateBaseSecond, 0).UTC()
				case j == len(g)-1 && r.End != nil:
					in.Valid.End = r.End.UTC()
				}
				continue
			}
			t := tasks[r.TaskARN]
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
	for _, arn := range order {
		t := tasks[arn]
		r := &rows[taskRows[arn]]
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
	ts := make([]history.Task, 0, len(order))
	for _, arn := range order {
		ts = append(ts, *tasks[arn])
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
	in := make([]int, len(rows))
	for i := range in {
		in[i] = i
	}
	slices.SortStableFunc(in, func(a, b int) int { return compareRows(rows[a], rows[b]) })
	for k, i := range in {
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
	return x == y
}

// taskOf is the task a task row describes.
func taskOf(r *Row) *history.Task {
	t := &history.Task{
		ARN:                  r.TaskARN,
		ClusterARN:           r.ClusterARN,
		Group:                r.ServiceGroup,
		Family:               r.Family,
		LaunchType:           r.LaunchType,
		ContainerInstanceARN: r.ContainerInstanceARN,
		AvailabilityZone:     r.AZ,
		SubnetID:             r.SubnetID,
		ENI:                  r.ENI,
	}
	if fam, rev, ok := strings.Cut(r.TaskDefinition, ":"); ok {
		t.Revision, _ = strconv.Atoi(rev) // checkRow checked it
		if arn, ok := strings.CutSuffix(taskDefinitionPrefix(r.TaskARN), ":"); ok {
			t.TaskDefinitionARN = arn + ":task-definition/" + fam + ":" + rev
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
	parts := strings.SplitN(taskARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ecs" || !strings.HasPrefix(parts[5], "task/") {
		return ""
	}
	return strings.Join(parts[:5], ":") + ":"
}

// instanceOf is the container instance an instance row describes, with
// Valid from the row's start (no hand-off moves an instance's start).
func instanceOf(r *Row) *history.Instance {
	in := &history.Instance{
		ARN:              r.ContainerInstanceARN,
		EC2InstanceID:    r.EC2InstanceID,
		ClusterARN:       r.ClusterARN,
		AvailabilityZone: r.AZ,
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
func sameInstance(in *history.Instance, r *Row) (string, error) {
	o := instanceOf(r)
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
