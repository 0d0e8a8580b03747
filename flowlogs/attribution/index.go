package attribution

import (
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/internal/ownership"
	"github.com/ecsnet/ecsnet/netmode"
)

// span is one owner of an ENI, address or host port over [start, stop] in
// unix seconds (while the index is built: [start, stop) in nanoseconds).
type span[T any] struct {
	start, stop int64
	owner       *T
}

// spans are sorted by start; they are short (an ENI has one owner, an
// address or a host port a handful over a day), so lookups scan.
type spans[T any] []span[T]

// at returns the span holding t exactly, or -1. Spans are disjoint once
// the index is built, so it is the one find would return first.
func (s spans[T]) at(t int64) int {
	for i := range s {
		if t < s[i].start {
			break
		}
		if t <= s[i].stop {
			return i
		}
	}
	return -1
}

// find returns the owner at t. An exact hit wins; otherwise an owner whose
// stop is at most slack before t (flow-log start times lag the packets by up
// to 60 s, so a task's last records can start after it stopped). known
// reports whether there was any owner at all.
func (s spans[T]) find(t, slack int64) (owner *T, known bool) {
	var late *T
	for i := range s {
		sp := &s[i]
		if t < sp.start {
			break
		}
		if t <= sp.stop {
			return sp.owner, true
		}
		if t-sp.stop <= slack {
			late = sp.owner
		}
	}
	return late, len(s) > 0
}

// instanceState is a container instance of the history as the join needs
// it.
type instanceState struct {
	info  *history.Instance
	addrs []netip.Addr // its valid addresses, unmapped
	// bindings and wide hold the owners of its host ports (look them up
	// with hostPort): bindings by portKey, for runs of ports no wider than
	// narrowPorts; wide, the wider runs, sorted by port.
	bindings map[uint32]spans[taskState]
	wide     []portRun
	held     []portBinding // while the index is built
	hostMode bool          // some host-mode task ran on it
}

func portKey(proto uint8, port uint16) uint32 { return uint32(proto)<<16 | uint32(port) }

// index is the attributor's own interval index over the tasks and instances
// it was given: one map lookup per record resolves straight to the rollup.
type index struct {
	byENI  map[string]spans[taskState]
	byAddr map[netip.Addr]spans[taskState]
	// byARN and byID are made by the first record that names a task in
	// the v7 ecs-* fields (taskMaps): no other record looks a task up by
	// ARN or ID, and at 125,000 tasks the two maps held 13 MiB
	// (bench/attrscale).
	byARN      map[string]*taskState
	byID       map[string]*taskState
	instByENI  map[string]spans[instanceState]
	instByAddr map[netip.Addr]spans[instanceState]
	instByARN  map[string]*instanceState
	// clusterByName and instanceByID resolve a cluster name and a
	// container instance ID, as a task made from records' compact v7
	// fields names them, to the one ARN of the history that has it
	// (nameMaps): made with the first such task.
	clusterByName, instanceByID map[string]string
	tasks                       []*taskState
	// addrs is a one-hash Bloom filter over byAddr's and instByAddr's keys:
	// most addresses a record names (peers, NAT gateways, the internet) are
	// in neither, and a bit test is far cheaper than hashing a netip.Addr
	// into two maps.
	addrs []uint64
}

// mayOwn reports whether a may be a key of byAddr or instByAddr; false
// means it is in neither.
func (ix *index) mayOwn(a netip.Addr) bool {
	return ix.mayOwnHash(addrHash(a))
}

// mayOwnHash is mayOwn for an address of hash h == addrHash(a).
func (ix *index) mayOwnHash(h uint64) bool {
	h &= uint64(len(ix.addrs)*64 - 1)
	return ix.addrs[h>>6]&(1<<(h&63)) != 0
}

// taskMaps makes byARN and byID, once: a task by its ARN and by its ID.
// Of two tasks of the same ID (two clusters', or two accounts'), the one
// of the greater ARN wins, as the SQL twin's MAX(task_arn) per task_id
// takes it: by the order of ix.tasks (start, then ARN) a record naming
// the ID went to the later-started task in Go and to the other in SQL.
// An empty ID (an ARN ending in "/") is no key: no record names a task by
// it, and the interval table's task_id is no key either. (The history
// has one task per ARN: history.NewIndex refuses a repeated one.)
func (ix *index) taskMaps() {
	if ix.byARN != nil {
		return
	}
	ix.byARN = make(map[string]*taskState, len(ix.tasks))
	ix.byID = make(map[string]*taskState, len(ix.tasks))
	for _, st := range ix.tasks {
		ix.byARN[st.info.ARN] = st
		if id := st.info.ID(); id != "" {
			if prev := ix.byID[id]; prev == nil || prev.info.ARN < st.info.ARN {
				ix.byID[id] = st
			}
		}
	}
}

// nameMaps makes clusterByName and instanceByID, once: each cluster ARN
// the history's tasks and container instances carry by its name, and each
// container instance ARN (the instances', and the ones tasks name) by its
// ID, both what follows the ARN's last "/" (an ARN without one, or ending
// in one, has none). A name or ID of two ARNs maps to "": it stays as it
// is.
func (ix *index) nameMaps() {
	if ix.clusterByName != nil {
		return
	}
	ix.clusterByName, ix.instanceByID = map[string]string{}, map[string]string{}
	for _, st := range ix.tasks {
		addName(ix.clusterByName, st.info.ClusterARN)
		addName(ix.instanceByID, st.info.ContainerInstanceARN)
	}
	for _, in := range ix.instByARN {
		addName(ix.clusterByName, in.info.ClusterARN)
		addName(ix.instanceByID, in.info.ARN)
	}
}

// addName maps arn's name (what follows its last "/") to arn in m, or to
// "" when m has that name for another ARN.
func addName(m map[string]string, arn string) {
	i := strings.LastIndexByte(arn, '/')
	if i < 0 || i+1 == len(arn) {
		return
	}
	name := arn[i+1:]
	if prev, ok := m[name]; !ok {
		m[name] = arn
	} else if prev != arn {
		m[name] = ""
	}
}

// resolveName returns the ARN m has for name, else name.
func resolveName(m map[string]string, name string) string {
	if arn := m[name]; name != "" && arn != "" {
		return arn
	}
	return name
}

// addrHash is the hash of a's key: the peer summaries' hash, so that a
// peer's bit in the filter costs no second hash.
func addrHash(a netip.Addr) uint64 { return hashAddrKey(keyOf(a)) }

// buildIndex compiles the history into the attributor's spans: per key,
// the owners eni/history's lookups give (the same rule,
// internal/ownership), in whole seconds, each pointing at its rollup. h may
// be nil: no task is known but by the records' own ecs-* fields.
func buildIndex(h *history.Index) *index {
	ix := &index{
		byENI:      map[string]spans[taskState]{},
		byAddr:     map[netip.Addr]spans[taskState]{},
		instByENI:  map[string]spans[instanceState]{},
		instByAddr: map[netip.Addr]spans[instanceState]{},
		instByARN:  map[string]*instanceState{},
	}
	var tasks []*history.Task
	var instances []*history.Instance
	if h != nil {
		tasks, instances = h.Tasks(), h.Instances()
	}
	// Spans are collected in Unix nanoseconds, [start, end), made disjoint
	// exactly as eni/history does, and only then turned into the whole
	// seconds records carry.
	for _, in := range instances {
		st := &instanceState{info: in, addrs: validAddrs(in.IPv4, in.IPv6), bindings: map[uint32]spans[taskState]{}}
		sp := span[instanceState]{ownership.StartNanos(in.Valid.Start), ownership.EndNanos(in.Valid.End), st}
		// The trunk ENI is left out on purpose: records on it are branch
		// (task) traffic, attributed by address, not by host port.
		if in.ENI != "" {
			ix.instByENI[in.ENI] = append(ix.instByENI[in.ENI], sp)
		}
		for _, a := range st.addrs {
			ix.instByAddr[a] = append(ix.instByAddr[a], sp)
		}
		if in.ARN != "" {
			ix.instByARN[in.ARN] = st
		}
	}
	for _, t := range tasks {
		ix.tasks = append(ix.tasks, newTaskState(t))
	}
	for _, st := range ix.tasks {
		t := st.info
		sp := span[taskState]{ownership.StartNanos(t.Valid.Start), ownership.EndNanos(t.Valid.End), st}
		if t.ENI != "" {
			ix.byENI[t.ENI] = append(ix.byENI[t.ENI], sp)
		}
		// awsvpc tasks own their addresses; bridge and host tasks report
		// the instance's (or none), which must not map to one task.
		if t.NetworkMode == netmode.ModeAWSVPC || t.NetworkMode == netmode.ModeUnknown && t.ENI != "" {
			for _, a := range st.addrs {
				ix.byAddr[a] = append(ix.byAddr[a], sp)
			}
		}
		// Host ports belong to the instance only outside awsvpc mode (an
		// awsvpc task's ports are on its own ENI).
		awsvpc := t.NetworkMode == netmode.ModeAWSVPC || t.ENI != ""
		if inst := ix.instByARN[t.ContainerInstanceARN]; inst != nil && len(t.Bindings) > 0 && !awsvpc {
			if t.NetworkMode == netmode.ModeHost {
				inst.hostMode = true
			}
			for _, b := range t.Bindings {
				last := max(b.HostPortLast, b.HostPort) // eni/history reads a last below the first as a single port
				inst.held = append(inst.held, portBinding{portKey(uint8(b.Proto), b.HostPort), portKey(uint8(b.Proto), last), sp})
			}
		} else if inst != nil && t.NetworkMode == netmode.ModeHost {
			inst.hostMode = true
		}
	}
	taskCut := func(t *taskState) int64 {
		if t.info.ExecutionStoppedAt.IsZero() {
			return 0
		}
		return ownership.Nanos(t.info.ExecutionStoppedAt)
	}
	taskOrder := func(a, b *taskState) int { return strings.Compare(a.info.ARN, b.info.ARN) }
	noCut := func(*instanceState) int64 { return 0 }
	instOrder := func(a, b *instanceState) int { return strings.Compare(a.info.ARN, b.info.ARN) }
	n := 64
	for n < 16*(len(ix.byAddr)+len(ix.instByAddr)) {
		n *= 2
	}
	ix.addrs = make([]uint64, n/64)
	for a := range ix.byAddr {
		h := addrHash(a) & uint64(n-1)
		ix.addrs[h>>6] |= 1 << (h & 63)
	}
	for a := range ix.instByAddr {
		h := addrHash(a) & uint64(n-1)
		ix.addrs[h>>6] |= 1 << (h & 63)
	}
	resolve(ix.byENI, taskCut, taskOrder)
	resolve(ix.byAddr, taskCut, taskOrder)
	resolve(ix.instByENI, noCut, instOrder)
	resolve(ix.instByAddr, noCut, instOrder)
	for _, in := range ix.instByARN {
		in.indexHostPorts(taskCut, taskOrder)
	}
	return ix
}

// resolve makes each key's owners disjoint with the rule eni/history's
// lookups use (internal/ownership.Disjoint; ties ordered by ARN, the order
// of history's tasks).
// The nanosecond spans [start, end) then become whole seconds [start, stop]
// as records carry them: a record of second s is looked up at s, which lies
// in [start, end) exactly when ceil(start) <= s <= floor(end-1), so every
// record gets history's answer (plus, only past the last owner's stop, the
// late-record slack).
func resolve[K comparable, T any](m map[K]spans[T], cut func(*T) int64, order func(a, b *T) int) {
	for k, v := range m {
		m[k] = resolveSpans(v, cut, order)
	}
}

// resolveSpans is resolve for one key's spans, reusing v.
func resolveSpans[T any](v spans[T], cut func(*T) int64, order func(a, b *T) int) spans[T] {
	own := make([]ownership.Span[T], len(v))
	for i, sp := range v {
		own[i] = ownership.Span[T]{Start: sp.start, End: sp.stop, Owner: sp.owner}
	}
	secs := v[:0]
	for _, sp := range ownership.Disjoint(own, cut, order) {
		start, stop := sp.Start, sp.End
		if start != math.MinInt64 {
			start = -floorDiv(-start, int64(time.Second))
		}
		if stop != math.MaxInt64 {
			stop = floorDiv(stop-1, int64(time.Second))
		}
		if start <= stop { // else no whole second: history finds it at none
			secs = append(secs, span[T]{start: start, stop: stop, owner: sp.Owner})
		}
	}
	return slices.Clip(secs)
}

// validAddrs returns the valid ones of as, unmapped.
func validAddrs(as ...netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, a := range as {
		if a.IsValid() {
			out = append(out, a.Unmap())
		}
	}
	return out
}
