package attribution

import (
	"github.com/ecsnet/ecsnet/internal/ownership"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Task is one task as attribution needs it: who it is (TaskInfo, copied into
// the rollups) and what it owned when: its ENI and addresses over
// [Start, Stop], and for bridge and host mode the host ports its containers'
// networkBindings held on its container instance.
type Task struct {
	TaskInfo
	Bindings []Binding
	// ExecutionStoppedAt is when the task's containers stopped (ECS
	// executionStoppedAt), zero if unknown. ECS records stoppedAt only after
	// the ENI is deleted, so a replacement task may be created before Stop
	// and reuse the ENI, address or host port: the later task takes the key
	// at its start, or at this time if that falls later (the containers, and
	// so their traffic, ran until then). eni/history's lookups use the same
	// rule.
	ExecutionStoppedAt time.Time
}

// Binding is one networkBindings entry: a host port (or range) of the
// container instance mapped to a container port.
type Binding struct {
	Protocol      uint8  // 6 TCP, 17 UDP
	HostPort      uint16 // first host port
	HostPortEnd   uint16 // last host port of a hostPortRange; 0 for a single port
	ContainerPort uint16
}

// Instance is one container instance: its own (primary) ENI and addresses,
// shared by its bridge- and host-mode tasks.
type Instance struct {
	ARN           string
	EC2InstanceID string
	AZ            string
	ENI           string
	Addrs         []netip.Addr
	Start, Stop   time.Time // [Start, Stop); zero: unbounded
}

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

type instanceState struct {
	info     Instance
	bindings map[uint32]spans[taskState] // proto<<16 | host port
	hostMode bool                        // some host-mode task ran on it
}

func portKey(proto uint8, port uint16) uint32 { return uint32(proto)<<16 | uint32(port) }

// maxRangePorts bounds how many ports of one hostPortRange are indexed.
const maxRangePorts = 4096

// index is the attributor's own interval index over the tasks and instances
// it was given: one map lookup per record resolves straight to the rollup.
type index struct {
	byENI      map[string]spans[taskState]
	byAddr     map[netip.Addr]spans[taskState]
	byARN      map[string]*taskState
	byID       map[string]*taskState
	instByENI  map[string]spans[instanceState]
	instByAddr map[netip.Addr]spans[instanceState]
	instByARN  map[string]*instanceState
	tasks      []*taskState
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

// addrHash is the hash of a's key: the peer summaries' hash, so that a
// peer's bit in the filter costs no second hash.
func addrHash(a netip.Addr) uint64 { return hashAddrKey(keyOf(a)) }

func buildIndex(tasks []Task, instances []Instance, cfg *config) *index {
	ix := &index{
		byENI:      map[string]spans[taskState]{},
		byAddr:     map[netip.Addr]spans[taskState]{},
		byARN:      map[string]*taskState{},
		byID:       map[string]*taskState{},
		instByENI:  map[string]spans[instanceState]{},
		instByAddr: map[netip.Addr]spans[instanceState]{},
		instByARN:  map[string]*instanceState{},
	}
	// Spans are collected in Unix nanoseconds, [start, end), made disjoint
	// exactly as eni/history does, and only then turned into the whole
	// seconds records carry.
	for _, in := range instances {
		st := &instanceState{info: in, bindings: map[uint32]spans[taskState]{}}
		st.info.Addrs = slices.Clone(in.Addrs)
		sp := span[instanceState]{ownership.StartNanos(in.Start), ownership.EndNanos(in.Stop), st}
		if in.ENI != "" {
			ix.instByENI[in.ENI] = append(ix.instByENI[in.ENI], sp)
		}
		for _, a := range in.Addrs {
			ix.instByAddr[a.Unmap()] = append(ix.instByAddr[a.Unmap()], sp)
		}
		if in.ARN != "" {
			ix.instByARN[in.ARN] = st
		}
	}
	for _, t := range tasks {
		if prev, dup := ix.byARN[t.ARN]; dup && t.ARN != "" {
			// The same task from two snapshots: widen its interval.
			prev.info.Start = minTime(prev.info.Start, t.Start)
			prev.info.Stop = maxStop(prev.info.Stop, t.Stop)
			if t.ExecutionStoppedAt.After(prev.lastTraffic) {
				prev.lastTraffic = t.ExecutionStoppedAt
			}
			continue
		}
		st := newTaskState(t.TaskInfo, cfg)
		st.bindings = slices.Clone(t.Bindings)
		st.lastTraffic = t.ExecutionStoppedAt
		ix.tasks = append(ix.tasks, st)
		if t.ARN != "" {
			ix.byARN[t.ARN] = st
		}
		if id := t.ID; id != "" {
			ix.byID[id] = st
		} else if i := strings.LastIndexByte(t.ARN, '/'); i >= 0 {
			ix.byID[t.ARN[i+1:]] = st
		}
	}
	// Intervals are final only now (duplicates widened them).
	for _, st := range ix.tasks {
		sp := span[taskState]{ownership.StartNanos(st.info.Start), ownership.EndNanos(st.info.Stop), st}
		if st.info.ENI != "" {
			ix.byENI[st.info.ENI] = append(ix.byENI[st.info.ENI], sp)
		}
		// awsvpc tasks own their addresses; bridge and host tasks report
		// the instance's (or none), which must not map to one task.
		if st.info.NetworkMode == "awsvpc" || st.info.NetworkMode == "" && st.info.ENI != "" {
			for _, a := range st.info.Addrs {
				ix.byAddr[a.Unmap()] = append(ix.byAddr[a.Unmap()], sp)
			}
		}
		// Host ports belong to the instance only outside awsvpc mode (an
		// awsvpc task's ports are on its own ENI).
		awsvpc := st.info.NetworkMode == "awsvpc" || st.info.ENI != ""
		if inst := ix.instByARN[st.info.ContainerInstanceARN]; inst != nil && len(st.bindings) > 0 && !awsvpc {
			if st.info.NetworkMode == "host" {
				inst.hostMode = true
			}
			for _, b := range st.bindings {
				last := b.HostPortEnd
				if last < b.HostPort || int(last)-int(b.HostPort) >= maxRangePorts {
					last = b.HostPort
				}
				for p := int(b.HostPort); p <= int(last); p++ {
					k := portKey(b.Protocol, uint16(p))
					inst.bindings[k] = append(inst.bindings[k], sp)
				}
			}
		} else if inst != nil && st.info.NetworkMode == "host" {
			inst.hostMode = true
		}
	}
	taskCut := func(t *taskState) int64 {
		if t.lastTraffic.IsZero() {
			return 0
		}
		return t.lastTraffic.UnixNano()
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
		resolve(in.bindings, taskCut, taskOrder)
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
		m[k] = slices.Clip(secs)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.IsZero() {
		return time.Time{}
	}
	if b.Before(a) {
		return b
	}
	return a
}

// maxStop widens a stop time; zero means still running.
func maxStop(a, b time.Time) time.Time {
	if a.IsZero() || b.IsZero() {
		return time.Time{}
	}
	if b.After(a) {
		return b
	}
	return a
}
