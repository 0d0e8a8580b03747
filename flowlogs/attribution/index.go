package attribution

import (
	"cmp"
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
// unix seconds.
type span[T any] struct {
	start, stop int64
	owner       *T
}

// spans are sorted by start; they are short (an ENI has one owner, an
// address or a host port a handful over a day), so lookups scan.
type spans[T any] []span[T]

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

func unixOr(t time.Time, def int64) int64 {
	if t.IsZero() {
		return def
	}
	return t.Unix()
}

// lastSecond turns an exclusive end time into the last whole second it
// covers (records carry whole seconds).
func lastSecond(end time.Time) int64 {
	if end.IsZero() {
		return math.MaxInt64
	}
	s := end.Unix()
	if end.Nanosecond() == 0 {
		s--
	}
	return s
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
}

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
	for _, in := range instances {
		st := &instanceState{info: in, bindings: map[uint32]spans[taskState]{}}
		st.info.Addrs = slices.Clone(in.Addrs)
		sp := span[instanceState]{unixOr(in.Start, math.MinInt64), lastSecond(in.Stop), st}
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
			continue
		}
		st := newTaskState(t.TaskInfo, cfg)
		st.bindings = slices.Clone(t.Bindings)
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
		sp := span[taskState]{unixOr(st.info.Start, math.MinInt64), lastSecond(st.info.Stop), st}
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
	sortSpans(ix.byENI)
	sortSpans(ix.byAddr)
	sortSpans(ix.instByENI)
	sortSpans(ix.instByAddr)
	for _, in := range ix.instByARN {
		sortSpans(in.bindings)
	}
	return ix
}

// sortSpans sorts each key's owners by start and makes them disjoint: a
// later owner takes the key at its start (the order eni/history uses too).
func sortSpans[K comparable, T any](m map[K]spans[T]) {
	for k, s := range m {
		slices.SortStableFunc(s, func(a, b span[T]) int { return cmp.Compare(a.start, b.start) })
		out := s[:0]
		for _, sp := range s {
			if n := len(out); n > 0 && out[n-1].owner == sp.owner {
				out[n-1].stop = max(out[n-1].stop, sp.stop)
				continue
			}
			if n := len(out); n > 0 && out[n-1].stop >= sp.start {
				out[n-1].stop = sp.start - 1
				if out[n-1].stop < out[n-1].start {
					out = out[:n-1]
				}
			}
			out = append(out, sp)
		}
		m[k] = out
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
