package attribution

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// A Partial is what one part of the input contributed to the rollups,
// per task rather than per group, so that partials of different parts
// (one per flow-log object, written by workers next to the data) can be
// merged and then grouped any way, as if one Attributor had read every
// part:
//
//   - counters, inferred totals, time series, unattributed totals, Total
//     and Stats merge exactly: for any split of the records by object,
//     Merge of the parts' partials gives what one run over all of them
//     gives, and Merge is associative and commutative for them;
//   - bytes by peer class add up exactly to the bytes, and split as one
//     run splits them when each peer's records agree on its class. A task
//     classes a peer once, from the first record of it that its summary
//     meets (Peer.Class, Peer.Service), so a peer whose records disagree
//     (evidence such as traffic-path only some records carry, an address
//     that changed owners) can be classed by another record in a part
//     than in one run (a load balancer node's records are classed one by
//     one, by the task's role in each: its bytes split exactly);
//   - top peers, ports and interfaces are space-saving summaries, merged
//     by their own rule (Agarwal et al., "Mergeable Summaries", 2012): a
//     key missing from one side is counted at that side's bound, the
//     union is kept to the K heaviest (ties by key), and the errors add
//     up. A summary is exact while every part's holds fewer keys than K
//     (PeersBound 0) and so does their union; otherwise each kept entry
//     over-counts by at most its MaxError and a key not kept weighs at
//     most the summary's bound. Two parts merge the same either way
//     round; three or more whose summaries are full may keep other
//     entries, with other errors, merged in another order, each within
//     those bounds: the cut to K after every merge, which keeps a
//     Merger's memory bounded, depends on what was merged before. Result
//     adds up a group's tasks' summaries by the same rule, each task's at
//     its bound, and counts in 64 bits as Merge does.
//
// One Attributor's Partial().Result(g) equals its Result(g). Limits apply
// per part: WithMaxBuckets bounds each part's series (a merged series keeps
// every bucket its parts kept) and WithMaxECSTasks each part's learned
// tasks, so a split can keep what one run refuses (Stats.SeriesDropped,
// ECSTaskLimit); both are rare by construction.
//
// A Partial is plain data: Tasks and Instances are shared with the
// history it came from (do not modify them), the rest is its own. Merge,
// its Result and partials.Write only read it, so many goroutines may at
// once.
type Partial struct {
	// Config is what partials must share to be merged.
	Config PartialConfig
	// Tasks are the tasks that were attributed records, one per task ARN,
	// sorted by ARN.
	Tasks []TaskPart
	// Unattributed are the non-empty reasons in Reason order, each with its
	// whole interface summary (in summary order, not sorted).
	Unattributed []UnattributedPart
	Total        Totals
	Stats        Stats
	// First and Last are the earliest and latest record start seen (its
	// end when the format has no start), zero when no record had either.
	First, Last time.Time
	// Inputs are the flow-log objects the part was made from, in
	// CompareInputs order, none overlapping another. An Attributor does
	// not know where its records came from: its maker sets them (the
	// programs name every object they read). Merge refuses a part whose
	// inputs overlap the sum's (*OverlapError), and the sum names every
	// part's. A part with records that names none is added unchecked, and
	// then the sum names none either: it holds records of inputs nobody
	// named, and a later merge must not take it for checked.
	Inputs []Input
}

// PartialConfig holds the options that shape the rollups, and the
// version of the rules that made them: partials merge only when theirs
// are equal.
type PartialConfig struct {
	Step                                 time.Duration // WithStep
	PeersKept, PortsKept, InterfacesKept int           // WithTopK; interfaces per reason
	PeerPrefixV4, PeerPrefixV6           int           // WithPeerPrefix
	NoPeers                              bool          // WithoutPeers
	// The options that decide which task a record goes to, and its
	// peer's class: parts made with others attributed other records, and
	// their sum would match no run.
	NoIPFallback bool          // WithoutIPFallback
	LateSlack    time.Duration // WithLateSlack, whole seconds
	// Topology identifies WithTopology's subnets, VPCs and load balancer
	// nodes (a digest of them, TopologyDigest); "" without one.
	Topology string
	// RuleVersion is the RuleVersion of the code that made the part:
	// rules of another version attribute some records elsewhere. Merge
	// refuses a mix of versions, as it refuses other options; a part of
	// another version is still read (partials.Read) and grouped
	// (Partial.Result) on its own, by the rules that made it.
	RuleVersion int
}

// TopologyDigest identifies t's subnets, VPCs and load balancer nodes, in
// any order: 16 hexadecimal digits of a SHA-256 over them, "" for an
// empty Topology. A Topology without load balancer nodes has the digest it
// had before they were part of it, so partials made with it still merge
// with new ones.
func TopologyDigest(t Topology) string {
	var lines []string
	for _, s := range t.Subnets {
		lines = append(lines, fmt.Sprintf("subnet %s %v %s %s", s.ID, s.Prefix, s.AZ, s.VPC))
	}
	for _, v := range t.VPCs {
		ps := make([]string, len(v.Prefixes))
		for i, p := range v.Prefixes {
			ps[i] = p.String()
		}
		slices.Sort(ps)
		lines = append(lines, fmt.Sprintf("vpc %s %s", v.ID, strings.Join(ps, " ")))
	}
	for _, n := range t.LoadBalancers {
		lines = append(lines, fmt.Sprintf("lb %v %s %s %s", n.Addr, n.LoadBalancer, n.ENI, n.VPC))
	}
	if len(lines) == 0 {
		return ""
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:8])
}

// TaskPart is one task's contribution.
type TaskPart struct {
	// Task is the task as the history knew it (or as the records' v7
	// ecs-* fields described it, when ECSFieldOnly).
	Task *history.Task
	// Instance is the container instance it ran on, nil if unknown.
	Instance     *history.Instance
	ECSFieldOnly bool
	Counters
	InferredBytes, InferredRecords uint64
	// ClassBytes, ClassBytesIn and ClassBytesOut are as in Group.
	ClassBytes, ClassBytesIn, ClassBytesOut [numPeerClasses]uint64
	// Peers and Ports are the task's whole summaries, in summary order.
	Peers []Peer
	Ports []Port
	// PeersBound and PortsBound are the most a peer or port not in the
	// summary can weigh, in bytes: 0 while the summary holds every key it
	// was given.
	PeersBound, PortsBound uint64
	// Series holds the non-empty buckets in time order.
	Series []Point
}

// UnattributedPart is one reason's contribution: TopInterfaces is the
// whole summary, InterfacesBound what an interface not in it can weigh.
type UnattributedPart struct {
	Unattributed
	InterfacesBound uint64
}

// ErrIncompatible is returned (wrapped) by Merge for partials made with
// different options (PartialConfig, its RuleVersion included).
var ErrIncompatible = errors.New("partials made with different options")

// Partial returns what the records added so far contributed, for Merge or
// for writing (see the partials package). The Attributor can keep adding
// records afterwards.
func (a *Attributor) Partial() *Partial { return a.e.partial() }

// PartialStream returns Partial() as a stream, for a worker that writes
// it (partials.WriteStream) rather than merging it: the Partial without
// its Tasks, and the tasks, in Partial's order and equal to its, built one
// at a time. A Partial of ten thousand tasks holds every task's peers,
// ports and points at once, as much memory again as the rollups; the
// stream holds one task's. The TaskPart yielded, and the slices it holds,
// are valid only until the iteration continues (the next task reuses
// them). No record may be added until the iteration is over.
func (a *Attributor) PartialStream() (*Partial, iter.Seq[*TaskPart]) { return a.e.partialStream() }

func (c *config) partialConfig() PartialConfig {
	return PartialConfig{Step: c.step, PeersKept: c.peersKept, PortsKept: c.portsKept, InterfacesKept: c.ifacesKept,
		PeerPrefixV4: c.v4Bits, PeerPrefixV6: c.v6Bits, NoPeers: c.noPeers,
		NoIPFallback: c.noIP, LateSlack: time.Duration(c.slack) * time.Second, Topology: TopologyDigest(c.topo),
		RuleVersion: RuleVersion}
}

// String describes the options in words, for messages: "5m0s buckets,
// 64 peers and 32 ports kept a task, 16 interfaces a reason, peers by /32
// and /128, 1m0s late slack, no topology, rule version 4" (", no peers"
// when WithoutPeers, ", no IP fallback" when WithoutIPFallback, "topology
// DIGEST" with one).
func (pc PartialConfig) String() string {
	s := fmt.Sprintf("%v buckets, %d peers and %d ports kept a task, %d interfaces a reason, peers by /%d and /%d",
		pc.Step, pc.PeersKept, pc.PortsKept, pc.InterfacesKept, pc.PeerPrefixV4, pc.PeerPrefixV6)
	if pc.NoPeers {
		s += ", no peers"
	}
	if pc.NoIPFallback {
		s += ", no IP fallback"
	}
	s += fmt.Sprintf(", %v late slack", pc.LateSlack)
	if pc.Topology == "" {
		s += ", no topology"
	} else {
		s += ", topology " + pc.Topology
	}
	return s + fmt.Sprintf(", rule version %d", pc.RuleVersion)
}

// Differences lists in words each option in which pc differs from
// other, pc's value first ("1m0s buckets, not 5m0s"): what a refused
// merge names, where the whole of both would bury it. It is empty when
// they are equal.
func (pc PartialConfig) Differences(other PartialConfig) []string {
	var out []string
	diff := func(a, b any, format string) {
		if a != b {
			out = append(out, fmt.Sprintf(format, a, b))
		}
	}
	diff(pc.Step, other.Step, "%v buckets, not %v")
	diff(pc.PeersKept, other.PeersKept, "%d peers kept a task, not %d")
	diff(pc.PortsKept, other.PortsKept, "%d ports kept a task, not %d")
	diff(pc.InterfacesKept, other.InterfacesKept, "%d interfaces kept a reason, not %d")
	diff(pc.PeerPrefixV4, other.PeerPrefixV4, "IPv4 peers by /%d, not /%d")
	diff(pc.PeerPrefixV6, other.PeerPrefixV6, "IPv6 peers by /%d, not /%d")
	words := func(b bool, yes, no string) string {
		if b {
			return yes
		}
		return no
	}
	diff(words(pc.NoPeers, "no peers", "peers"), words(other.NoPeers, "no peers", "peers"), "%s, not %s")
	diff(words(pc.NoIPFallback, "no IP fallback", "the IP fallback"), words(other.NoIPFallback, "no IP fallback", "the IP fallback"), "%s, not %s")
	diff(pc.LateSlack, other.LateSlack, "%v late slack, not %v")
	topo := func(d string) string { return cmp.Or(d, "none") }
	diff(topo(pc.Topology), topo(other.Topology), "topology %s, not %s")
	diff(pc.RuleVersion, other.RuleVersion, "rule version %d, not %d")
	return out
}

// config returns the options pc records, over the defaults (the topology
// is known by its digest only: merging needs no more of it).
func (pc PartialConfig) config() config {
	c := defaultConfig()
	c.step, c.peersKept, c.portsKept, c.ifacesKept = pc.Step, pc.PeersKept, pc.PortsKept, pc.InterfacesKept
	c.v4Bits, c.v6Bits, c.noPeers = pc.PeerPrefixV4, pc.PeerPrefixV6, pc.NoPeers
	c.noIP, c.slack = pc.NoIPFallback, int64(pc.LateSlack/time.Second)
	return c
}

// Validate reports the first value out of the range the options allow:
// partials read from elsewhere are checked before they are merged.
func (pc PartialConfig) Validate() error {
	switch {
	case pc.Step < time.Second || pc.Step%time.Second != 0:
		return fmt.Errorf("step %v is not a whole number of seconds ≥ 1s", pc.Step)
	case pc.PeersKept < 1 || pc.PeersKept > MaxTopK:
		return fmt.Errorf("peers kept %d is outside 1..%d", pc.PeersKept, MaxTopK)
	case pc.PortsKept < 1 || pc.PortsKept > MaxTopK:
		return fmt.Errorf("ports kept %d is outside 1..%d", pc.PortsKept, MaxTopK)
	case pc.InterfacesKept < 1 || pc.InterfacesKept > MaxTopK:
		return fmt.Errorf("interfaces kept %d is outside 1..%d", pc.InterfacesKept, MaxTopK)
	case pc.PeerPrefixV4 < 0 || pc.PeerPrefixV4 > 32:
		return fmt.Errorf("IPv4 peer prefix /%d is outside 0..32", pc.PeerPrefixV4)
	case pc.PeerPrefixV6 < 0 || pc.PeerPrefixV6 > 128:
		return fmt.Errorf("IPv6 peer prefix /%d is outside 0..128", pc.PeerPrefixV6)
	case pc.LateSlack < 0 || pc.LateSlack%time.Second != 0:
		return fmt.Errorf("late slack %v is not a whole number of seconds ≥ 0", pc.LateSlack)
	case pc.Topology != "" && !isDigest(pc.Topology):
		return fmt.Errorf("topology %q is not a digest of 16 hexadecimal digits", pc.Topology)
	case pc.RuleVersion < 1:
		// Any version from 1 on: a part made by other rules than this
		// code's is still a valid part, which Merge adds only to parts
		// of its own version.
		return fmt.Errorf("rule version %d is not a version (1 or more)", pc.RuleVersion)
	}
	return nil
}

func isDigest(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 8 && s == strings.ToLower(s)
}

func (e *engine) partial() *Partial {
	p := e.partialHead()
	if tasks := e.partialOrder(); len(tasks) > 0 {
		p.Tasks = make([]TaskPart, len(tasks))
		for i, st := range tasks {
			e.taskPart(&p.Tasks[i], st, false)
		}
	}
	return p
}

// partialStream is partial as a head and its tasks one at a time, each
// into the one TaskPart the last used.
func (e *engine) partialStream() (*Partial, iter.Seq[*TaskPart]) {
	p := e.partialHead()
	return p, func(yield func(*TaskPart) bool) {
		var tp TaskPart
		for _, st := range e.partialOrder() {
			e.taskPart(&tp, st, true)
			if !yield(&tp) {
				return
			}
		}
	}
}

// partialHead is the Partial without its Tasks.
func (e *engine) partialHead() *Partial {
	e.flush()
	p := &Partial{Config: e.cfg.partialConfig(), Total: e.total, Stats: e.stats}
	if e.seen {
		p.First, p.Last = time.Unix(e.first, 0).UTC(), time.Unix(e.last, 0).UTC()
	}
	for i := range e.un {
		u := &e.un[i]
		if u.t.Records == 0 {
			continue
		}
		x := UnattributedPart{Unattributed: Unattributed{Reason: Reason(i), Totals: u.t}, InterfacesBound: u.ifaces.bound()}
		for _, ie := range u.ifaces.entries() {
			x.TopInterfaces = append(x.TopInterfaces, interfaceOf(ie))
		}
		p.Unattributed = append(p.Unattributed, x)
	}
	return p
}

// partialOrder returns the tasks that have records, by ARN.
func (e *engine) partialOrder() []*taskState {
	tasks := e.activeTasks()
	slices.SortStableFunc(tasks, func(a, b *taskState) int { return strings.Compare(a.info.ARN, b.info.ARN) })
	return tasks
}

// taskPart sets *tp to the task's part. With reuse its slices are reused,
// else they are new and no longer than needed.
func (e *engine) taskPart(tp *TaskPart, st *taskState, reuse bool) {
	var peers []Peer
	var ports []Port
	var pts []Point
	if reuse {
		peers, ports, pts = tp.Peers[:0], tp.Ports[:0], tp.Series[:0]
	} else {
		peers = make([]Peer, 0, len(st.peers.hot))
	}
	var portsBound uint64
	e.portEs, portsBound = st.portEntries(e.portEs[:0])
	if !reuse {
		ports = make([]Port, 0, len(e.portEs))
	}
	*tp = TaskPart{Task: st.info, ECSFieldOnly: st.fromECSFields, Counters: st.c,
		PeersBound: st.peers.bound(), PortsBound: portsBound}
	tp.InferredBytes, tp.InferredRecords = st.inferred()
	tp.ClassBytes, tp.ClassBytesIn, tp.ClassBytesOut = st.classBytes(e.cfg.noPeers)
	tp.Instance = e.instance(st)
	for i := range st.peers.hot {
		peers = append(peers, e.cfg.peer(st.peers.entry(i)))
	}
	for _, pe := range e.portEs {
		ports = append(ports, portOf(pe))
	}
	tp.Peers, tp.Ports = peers, ports
	tp.Series = st.ser.appendPoints(pts, int64(e.cfg.step/time.Second))
}

// peer renders a peer summary entry.
func (c *config) peer(pe topEntry[addrKey, peerVal]) Peer {
	return Peer{Prefix: c.peerPrefix(pe.key), Service: pe.val.name(), Class: PeerClass(pe.tag),
		Bytes: pe.bytes, Packets: pe.packets, Records: pe.records, MaxError: pe.err}
}

// peerPrefix is a peer key's address or prefix (peerKey).
func (c *config) peerPrefix(k addrKey) netip.Prefix {
	addr := k.addr()
	bits := c.v6Bits
	if addr.Is4() {
		bits = c.v4Bits
	} else if k == v6ZeroPrefix && bits < 128 {
		addr = netip.IPv6Unspecified() // ::/bits (peerKey)
	}
	return netip.PrefixFrom(addr, min(bits, addr.BitLen()))
}

// appendPeers appends peer's rendering of the entries to dst, each
// written in place: through peer, each Peer (88 bytes) was built on the
// stack, returned and copied, and at ten thousand task groups those
// copies were a sixth of taking the groups.
func (c *config) appendPeers(dst []Peer, es []topEntry[addrKey, peerVal]) []Peer {
	n := len(dst)
	dst = slices.Grow(dst, len(es))[:n+len(es)]
	for k := range es {
		pe, p := &es[k], &dst[n+k]
		p.Prefix, p.Service, p.Class = c.peerPrefix(pe.key), pe.val.name(), PeerClass(pe.tag)
		p.Bytes, p.Packets, p.Records, p.MaxError = pe.bytes, pe.packets, pe.records, pe.err
	}
	return dst
}

// appendTaskPeers appends peer's rendering of the task summary t's
// entries at the indexes ord (appendOrder's) to dst, read from the
// entries in place, as t.entry reads them, without copying them out
// first.
func (c *config) appendTaskPeers(dst []Peer, t *topK[addrKey, peerVal], ord []uint64) []Peer {
	n := len(dst)
	dst = slices.Grow(dst, len(ord))[:n+len(ord)]
	for k, x := range ord {
		i := int(x)
		h, p := &t.hot[i], &dst[n+k]
		p.Prefix, p.Service, p.Class = c.peerPrefix(h.key), t.valAt(i).name(), PeerClass(h.tag)
		p.Bytes, p.Packets, p.Records = h.w, h.packets, uint64(h.records)
		p.MaxError = max(t.errAt(i), uint64(h.records/math.MaxUint32)) // as entry
	}
	return dst
}

// portOf renders a port summary entry.
func portOf(pe topEntry[uint32, struct{}]) Port {
	return Port{Protocol: uint8(pe.key >> 16), Port: uint16(pe.key),
		Bytes: pe.bytes, Packets: pe.packets, Records: pe.records, MaxError: pe.err}
}

// interfaceOf renders an interface summary entry.
func interfaceOf(ie topEntry[string, struct{}]) Interface {
	return Interface{ID: ie.key, Bytes: ie.bytes, Records: ie.records, MaxError: ie.err}
}

// Result groups the partial by g: what an Attributor that had read every
// part would return.
func (p *Partial) Result(g GroupBy) *Result {
	r, tasks, cfg := p.resultHead(g)
	r.Groups = groupTasks(g, tasks, &cfg, restoredInstance)
	return r
}

// ResultStream returns Result(g) as a stream, as Attributor.ResultStream
// does: the Result without its Groups, and the groups built one at a time
// into reused memory (valid until the iteration continues).
func (p *Partial) ResultStream(g GroupBy) (*Result, iter.Seq[*Group]) {
	r, tasks, cfg := p.resultHead(g)
	return r, streamGroups(g, tasks, &cfg, restoredInstance)
}

func restoredInstance(st *taskState) *history.Instance { return st.restored.inst }

// resultHead is Result(g) without its groups, with the tasks restored
// from the parts and the config they were made with.
func (p *Partial) resultHead(g GroupBy) (*Result, []*taskState, config) {
	cfg := p.Config.config()
	r := &Result{By: g, Total: p.Total, Stats: p.Stats, Step: p.Config.Step, First: p.First, Last: p.Last}
	ifaces := newTopSum[string, struct{}](cfg.ifacesKept, hashString, strings.Compare)
	var es []topEntry[string, struct{}]
	for _, u := range p.Unattributed {
		ifaces.reset()
		ifaces.begin()
		for _, x := range u.TopInterfaces {
			ifaces.put(topEntry[string, struct{}]{key: x.ID, bytes: x.Bytes, records: x.Records, err: x.MaxError})
		}
		ifaces.end(u.InterfacesBound)
		es = ifaces.appendSorted(es[:0])
		r.Unattributed = append(r.Unattributed, unattributedResult(u.Reason, u.Totals, es))
	}
	tasks := make([]*taskState, len(p.Tasks))
	svc := serviceNames{}
	for i := range p.Tasks {
		tp := &p.Tasks[i]
		r := &rollup{c: tp.Counters}
		if tp.InferredRecords > 0 {
			r.cold = &rollupCold{inferredBytes: tp.InferredBytes, inferredRecords: tp.InferredRecords}
		}
		tasks[i] = &taskState{rollup: r,
			info: tp.Task, fromECSFields: tp.ECSFieldOnly,
			restored: &restoredTask{class: tp.ClassBytes, classIn: tp.ClassBytesIn, classOut: tp.ClassBytesOut, inst: tp.Instance, pts: tp.Series,
				part: tp, svc: svc}}
		tasks[i].rollup.task = tasks[i]
	}
	return r, tasks, cfg
}

// peerEntry returns the summary entry of a peer, its service name
// interned in svc.
func peerEntry(x *Peer, svc serviceNames) topEntry[addrKey, peerVal] {
	var k addrKey
	if a := x.Prefix.Addr(); a.IsValid() {
		k = keyOf(a.Unmap())
		if k == (addrKey{}) && x.Prefix.Bits() < 128 {
			k = v6ZeroPrefix // ::/N, N < 128 (peerKey)
		}
	}
	return topEntry[addrKey, peerVal]{key: k, bytes: x.Bytes, packets: x.Packets, records: x.Records, err: x.MaxError,
		tag: uint8(x.Class), val: peerVal{service: svc.intern(x.Service)}}
}

// portEntry returns the summary entry of a port.
func portEntry(x *Port) topEntry[uint32, struct{}] {
	return topEntry[uint32, struct{}]{key: portKey(x.Protocol, x.Port), bytes: x.Bytes, packets: x.Packets, records: x.Records, err: x.MaxError}
}

// restoredTask is what a task rebuilt from a Partial holds that a live
// one derives from the engine.
type restoredTask struct {
	class, classIn, classOut [numPeerClasses]uint64
	inst                     *history.Instance
	pts                      []Point
	// part is the task's part: its group reads the task's peers and
	// ports from it (grouper.addTask), so no summary is made per task
	// (made for every task at once, they would be as much memory again
	// as the Partial's); svc interns the service names of every task of
	// the Partial.
	part *TaskPart
	svc  serviceNames
}

// Merge returns the partial of the union of the parts' inputs (see
// Partial for what is exact). It does not modify the parts; the result
// shares their Tasks and Instances. Nil parts are skipped. Parts made with
// different options, or by code of different RuleVersions, are refused
// with an error wrapping ErrIncompatible; parts whose Inputs overlap, with
// an *OverlapError; a Total that would pass 2^64-1, with an
// *OverflowError. A task that a part made from records naming it by
// ecs-task-id alone (its ID as its ARN) is added into the task of that ID
// another part knows by its ARN, as one run makes them one. Merge is a
// Merger given every part, except that with no part (none, or only nil
// ones) it returns an error where a Merger's Partial would be nil.
func Merge(parts ...*Partial) (*Partial, error) {
	var m Merger
	for i, p := range parts {
		if err := m.Add(p); err != nil {
			return nil, fmt.Errorf("attribution: partial %d: %w", i+1, err)
		}
	}
	if m.sum == nil {
		return nil, errors.New("attribution: no partials to merge")
	}
	return m.Partial(), nil
}

// A Merger adds partials up one at a time, into the sum Merge returns of
// them in the order added: the reduce step of many parts, read one after
// another. It adds each part in place, in time and memory in proportion to
// the part (a sum rebuilt for every part costs as much as the sum, over and
// over: a day of workers' partials, each of a few of the day's tasks, made
// that quadratic). The zero Merger is an empty sum.
type Merger struct {
	sum   *Partial
	index map[string]int // task ARN → index in sum.Tasks
	// ids are the tasks known by a long ARN, by task ID (what follows the
	// ARN's last "/"): the greatest ARN of each, as the engine's index
	// takes a task ID to a task. bare are the tasks made from ecs-task-id
	// alone (ECSFieldOnly, the ID as their ARN), kept apart in the sum and
	// folded into the task of their ID that another part knew by its ARN
	// in what Partial returns (folded).
	ids  map[string]int
	bare []int
	// sorted says whether sum.Tasks is in ARN order: Add appends new tasks.
	sorted bool
	bufs   taskBufs
	// inputs are the parts' Inputs by Name, each Name's in order: the
	// sum's Inputs, made from them by Partial; unnamed, whether a part
	// with records named none (the sum then names none).
	inputs  map[string][]Input
	unnamed bool
}

// taskBufs is the memory mergeTask works in, kept from one task to the
// next.
type taskBufs struct {
	peers summaryBufs[Peer]
	ports summaryBufs[Port]
	pts   []Point
}

// Add adds p to the sum, with Merge's rules and errors (without Merge's
// "partial N" prefix); after an error the sum is as before. A nil p adds
// nothing. The sum keeps none of p's slices, only its Tasks and Instances.
func (m *Merger) Add(p *Partial) error {
	if p == nil {
		return nil
	}
	if err := p.Config.Validate(); err != nil {
		return err
	}
	if m.sum != nil && m.sum.Config != p.Config {
		return fmt.Errorf("%w: %s", ErrIncompatible, strings.Join(p.Config.Differences(m.sum.Config), "; "))
	}
	ins, err := checkInputs(p.Inputs, m.inputs)
	if err != nil {
		return err
	}
	if m.sum == nil {
		m.sum, m.index, m.sorted = &Partial{Config: p.Config}, map[string]int{}, true
		m.inputs = map[string][]Input{}
	}
	sum := m.sum
	if err := sum.addHead(p); err != nil {
		return err
	}
	for _, in := range ins {
		m.inputs[in.Name] = addInput(m.inputs[in.Name], in)
	}
	if len(ins) == 0 && p.Total.Records > 0 {
		m.unnamed = true
	}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if j, ok := m.index[t.Task.ARN]; ok {
			sum.Tasks[j] = mergeTask(&sum.Tasks[j], t, &sum.Config, &m.bufs)
			continue
		}
		if n := len(sum.Tasks); n > 0 && sum.Tasks[n-1].Task.ARN > t.Task.ARN {
			m.sorted = false
		}
		m.noteID(t, len(sum.Tasks))
		x := *t
		x.Peers, x.Ports, x.Series = slices.Clone(t.Peers), slices.Clone(t.Ports), slices.Clone(t.Series)
		sum.Tasks = append(sum.Tasks, x)
	}
	return nil
}

// Partial returns the sum of the partials added, nil if none was. The
// sum is the Merger's: it is valid until the next Add, which modifies it.
// Asking for it changes nothing that later parts add up to.
func (m *Merger) Partial() *Partial {
	if m.sum == nil {
		return nil
	}
	if !m.sorted {
		ts := m.sum.Tasks
		slices.SortFunc(ts, func(a, b TaskPart) int { return strings.Compare(a.Task.ARN, b.Task.ARN) })
		m.reindex()
		m.sorted = true
	}
	m.sum.Inputs = nil
	if !m.unnamed {
		// Names in order, each Name's windows in order: CompareInputs
		// order.
		for _, name := range slices.Sorted(maps.Keys(m.inputs)) {
			m.sum.Inputs = append(m.sum.Inputs, m.inputs[name]...)
		}
	}
	return m.folded()
}

// noteID indexes t, at i in the sum's Tasks, by its ARN, and by its ID or
// as a bare task.
func (m *Merger) noteID(t *TaskPart, i int) {
	arn := t.Task.ARN
	m.index[arn] = i
	if id, ok := longID(arn); ok {
		if m.ids == nil {
			m.ids = map[string]int{}
		}
		if j, ok := m.ids[id]; !ok || arn > m.sum.Tasks[j].Task.ARN {
			m.ids[id] = i
		}
	} else if t.ECSFieldOnly {
		m.bare = append(m.bare, i)
	}
}

// longID is the task ID of a long task ARN, what follows its last "/";
// false for an ARN without one (or with nothing after it), which is its
// own ID, as the engine reads a record's task reference.
func longID(arn string) (string, bool) {
	i := strings.LastIndexByte(arn, '/')
	if i < 0 || i+1 == len(arn) {
		return "", false
	}
	return arn[i+1:], true
}

// folded returns the sum with each task made from ecs-task-id alone
// added into the task of that ID another part knows by its ARN (of
// several, the greatest), and without it. One run makes them one task
// whatever the order of the records (the engine's takeARN, and its
// index's task IDs): a part whose records named the task by ecs-task-id
// only (a flow log of a format without ecs-task-arn, or one read with an
// older history than another part's) made it under its ID, which, merged
// by ARN, stayed a second task. The sum itself keeps the bare task apart:
// a part added later can bring a greater ARN of its ID, which one run
// gives it to, so folding it into the sum when asked (as foldBare once
// did) made the sum depend on when it was asked. Without a bare task to
// fold the sum is returned as it is; else a copy of it, which shares the
// sum's tasks but for the ones folded into.
func (m *Merger) folded() *Partial {
	ts := m.sum.Tasks
	var into map[int]int // the ARN's task → the bare one folded into it
	for _, i := range m.bare {
		if k, ok := m.ids[ts[i].Task.ARN]; ok {
			if into == nil {
				into = map[int]int{}
			}
			into[k] = i
		}
	}
	if into == nil {
		return m.sum
	}
	drop := make(map[int]bool, len(into))
	for _, i := range into {
		drop[i] = true
	}
	out := *m.sum
	out.Tasks = make([]TaskPart, 0, len(ts)-len(into))
	for k := range ts {
		if drop[k] {
			continue
		}
		i, ok := into[k]
		if !ok {
			out.Tasks = append(out.Tasks, ts[k])
			continue
		}
		// The ARN's task first: it is kept, the history's over a made
		// one (newerTask) and, of two made from the fields, the ARN's
		// whatever newerTask's order says (the bare one is named by
		// its ID alone, and one run gives the task the ARN); mergeTask
		// works in a's memory, a copy of the sum's.
		a := ts[k]
		a.Peers, a.Ports, a.Series = slices.Clone(a.Peers), slices.Clone(a.Ports), slices.Clone(a.Series)
		x := mergeTask(&a, &ts[i], &out.Config, &m.bufs)
		if a.ECSFieldOnly {
			x.Task = a.Task
		}
		out.Tasks = append(out.Tasks, x)
	}
	return &out
}

// reindex makes index, ids and bare anew, after sum.Tasks moved.
func (m *Merger) reindex() {
	clear(m.index)
	clear(m.ids)
	m.bare = m.bare[:0]
	for i := range m.sum.Tasks {
		m.noteID(&m.sum.Tasks[i], i)
	}
}

// addHead adds what o holds besides its tasks to p: totals, stats, span
// and the unattributed (p's slices are its own).
func (p *Partial) addHead(o *Partial) error {
	var t Totals
	var ok1, ok2, ok3 bool
	t.Bytes, ok1 = addChecked(p.Total.Bytes, o.Total.Bytes)
	t.Packets, ok2 = addChecked(p.Total.Packets, o.Total.Packets)
	t.Records, ok3 = addChecked(p.Total.Records, o.Total.Records)
	if !ok1 || !ok2 || !ok3 {
		f := "bytes"
		if ok1 {
			f = "packets"
			if ok2 {
				f = "records"
			}
		}
		return &OverflowError{Field: f} // Record 0: a partial, not a record
	}
	// Every other sum is of a subset of the records in Total, so none of
	// them can wrap either.
	p.Total = t
	p.Stats.add(o.Stats)
	if !o.First.IsZero() && (p.First.IsZero() || o.First.Before(p.First)) {
		p.First = o.First
	}
	if o.Last.After(p.Last) {
		p.Last = o.Last
	}

	p.Unattributed = mergeSorted(nil, p.Unattributed, o.Unattributed,
		func(a, b *UnattributedPart) int { return cmp.Compare(a.Reason, b.Reason) },
		func(a, b *UnattributedPart) UnattributedPart {
			x := UnattributedPart{Unattributed: Unattributed{Reason: a.Reason, Totals: a.Totals}}
			x.Totals.add(b.Totals)
			x.TopInterfaces, x.InterfacesBound = mergeSummaries(a.TopInterfaces, b.TopInterfaces, a.InterfacesBound, b.InterfacesBound,
				p.Config.InterfacesKept, &interfaceSummary, nil)
			return x
		}, func(u *UnattributedPart) UnattributedPart {
			x := *u
			x.TopInterfaces = slices.Clone(u.TopInterfaces)
			return x
		})
	return nil
}

func addChecked(a, b uint64) (uint64, bool) {
	s := a + b
	return s, s >= a
}

func (s *Stats) add(o Stats) {
	for i := range s.ByMethod {
		s.ByMethod[i].add(o.ByMethod[i])
	}
	s.ECSFieldDisagreements += o.ECSFieldDisagreements
	s.ECSFieldOnly += o.ECSFieldOnly
	s.DirectionUnknown += o.DirectionUnknown
	s.SeriesDropped += o.SeriesDropped
	s.SkipData += o.SkipData
	s.Overflow = s.Overflow || o.Overflow
}

// mergeSorted merges two lists sorted by cmp, one entry per key, appending
// them to dst (which must not overlap a): entries of equal key are
// combined by both; the others are a's as they are (the merge's own) and
// copies of b's by copyB (a part's, which Merge must not share).
func mergeSorted[E any](dst, a, b []E, cmp func(a, b *E) int, both func(a, b *E) E, copyB func(*E) E) []E {
	out := slices.Grow(dst[:0], max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && cmp(&a[i], &b[j]) < 0:
			out = append(out, a[i])
			i++
		case i == len(a) || cmp(&a[i], &b[j]) > 0:
			out = append(out, copyB(&b[j]))
			j++
		default:
			out = append(out, both(&a[i], &b[j]))
			i++
			j++
		}
	}
	return out
}

// mergeTask combines two parts of one task, in a's memory: a is the sum's
// own. bufs is its working memory.
func mergeTask(a, b *TaskPart, c *PartialConfig, bufs *taskBufs) TaskPart {
	x := TaskPart{Task: a.Task, Instance: a.Instance, ECSFieldOnly: a.ECSFieldOnly && b.ECSFieldOnly,
		Counters: a.Counters, InferredBytes: a.InferredBytes + b.InferredBytes, InferredRecords: a.InferredRecords + b.InferredRecords}
	// Which observation of the task to keep (see newerTask).
	if newerTask(b, a) {
		x.Task = b.Task
	}
	if x.Instance == nil || b.Instance != nil && newerInstance(b.Instance, x.Instance) {
		x.Instance = b.Instance
	}
	x.Counters.add(b.Counters)
	for i := range x.ClassBytes {
		x.ClassBytes[i] = a.ClassBytes[i] + b.ClassBytes[i]
		x.ClassBytesIn[i] = a.ClassBytesIn[i] + b.ClassBytesIn[i]
		x.ClassBytesOut[i] = a.ClassBytesOut[i] + b.ClassBytesOut[i]
	}
	x.Peers, x.PeersBound = mergeSummaries(a.Peers, b.Peers, a.PeersBound, b.PeersBound, c.PeersKept, &peerSummary, &bufs.peers)
	x.Ports, x.PortsBound = mergeSummaries(a.Ports, b.Ports, a.PortsBound, b.PortsBound, c.PortsKept, &portSummary, &bufs.ports)
	if n := len(a.Series); n == 0 || len(b.Series) > 0 && b.Series[0].Start.After(a.Series[n-1].Start) {
		// Parts mostly come in time order: b's points follow a's.
		x.Series = append(a.Series, b.Series...)
	} else {
		bufs.pts = mergeSorted(bufs.pts, a.Series, b.Series,
			func(a, b *Point) int { return a.Start.Compare(b.Start) },
			func(a, b *Point) Point {
				return Point{Start: a.Start, BytesIn: a.BytesIn + b.BytesIn, BytesOut: a.BytesOut + b.BytesOut, BytesUnknown: a.BytesUnknown + b.BytesUnknown}
			},
			func(p *Point) Point { return *p })
		x.Series = append(a.Series[:0], bufs.pts...)
	}
	return x
}

// newerTask reports whether b is a later observation of the task than a:
// the history's over one made from ecs-* fields, then by the rule every
// reader of tasks keeps (history.Task.State: version, lifecycle status,
// desired STOPPED), then by compareTasks. The order is total (strict, and
// false only for equal tasks), so that which one Merge keeps does not
// depend on the order of the parts.
func newerTask(b, a *TaskPart) bool {
	if a.ECSFieldOnly != b.ECSFieldOnly {
		return a.ECSFieldOnly
	}
	sa, sb := a.Task.State(), b.Task.State()
	if bNewer, aNewer := sb.AtLeastAsNewAs(sa), sa.AtLeastAsNewAs(sb); bNewer != aNewer {
		return bNewer
	}
	return a.Task != b.Task && compareTasks(b.Task, a.Task) > 0
}

// compareTasks orders two observations of a task that the state rule
// cannot (parts of workers whose histories knew the task at one version
// but not alike, or rebuilt from intervals tables, which keep neither
// version nor status): the one that knows the task ended, then the one
// that knows more values, then the later end and the earlier start (the
// history widens a task's interval that way), then field by field, the
// greater value. It is 0 only when their exported fields are equal.
func compareTasks(a, b *history.Task) int {
	// Most ties are one observation, in every part that met the task:
	// equal, whatever they know.
	c := compareTaskFields(a, b)
	if c == 0 {
		return 0
	}
	return cmp.Or(cmp.Compare(taskKnown(a), taskKnown(b)), a.Valid.End.Compare(b.Valid.End),
		b.Valid.Start.Compare(a.Valid.Start), c)
}

// compareTaskFields compares two observations of a task field by field.
func compareTaskFields(a, b *history.Task) int {
	if c := cmp.Or(a.Valid.End.Compare(b.Valid.End), a.Valid.Start.Compare(b.Valid.Start)); c != 0 {
		return c
	}
	if c := slices.Compare(taskStrings(a), taskStrings(b)); c != 0 {
		return c
	}
	if c := cmp.Or(cmp.Compare(a.Revision, b.Revision), cmp.Compare(a.NetworkMode, b.NetworkMode), cmp.Compare(a.Version, b.Version),
		a.IPv4.Compare(b.IPv4), a.IPv6.Compare(b.IPv6)); c != 0 {
		return c
	}
	if c := slices.CompareFunc(taskTimes(a), taskTimes(b), time.Time.Compare); c != 0 {
		return c
	}
	return slices.CompareFunc(a.Bindings, b.Bindings, func(x, y history.Binding) int {
		return cmp.Or(strings.Compare(x.Container, y.Container), cmp.Compare(x.Proto, y.Proto),
			cmp.Compare(x.HostPort, y.HostPort), cmp.Compare(x.HostPortLast, y.HostPortLast),
			cmp.Compare(x.ContainerPort, y.ContainerPort), cmp.Compare(x.ContainerPortLast, y.ContainerPortLast),
			x.BindIP.Compare(y.BindIP))
	})
}

// taskStrings and taskTimes are a task's text and time fields (its ARN
// and Valid aside), which compareTaskFields compares and taskKnown counts.
func taskStrings(t *history.Task) []string {
	return []string{t.ClusterARN, t.Group, t.TaskDefinitionARN, t.Family, t.LaunchType, t.ContainerInstanceARN,
		t.AvailabilityZone, t.LastStatus, t.DesiredStatus, t.ENI, t.MAC, t.SubnetID, t.AttachmentID, t.AttachmentStatus}
}

func taskTimes(t *history.Task) []time.Time {
	return []time.Time{t.CreatedAt, t.PullStartedAt, t.StartedAt, t.StoppingAt, t.ExecutionStoppedAt, t.StoppedAt}
}

// taskKnown counts what an observation of a task knows: its end first
// (an ended task over one still open, whatever else), then its values.
func taskKnown(t *history.Task) int {
	n := known(!t.Valid.Start.IsZero())
	for _, s := range taskStrings(t) {
		n += known(s != "")
	}
	for _, tm := range taskTimes(t) {
		n += known(!tm.IsZero())
	}
	n += known(t.Revision != 0) + known(t.NetworkMode != netmode.ModeUnknown) + known(t.IPv4.IsValid()) + known(t.IPv6.IsValid()) + len(t.Bindings)
	if !t.Valid.End.IsZero() {
		n += 1 << 20
	}
	return n
}

// newerInstance reports whether b is a later observation of a container
// instance than a: by version, then, at one version (parts of workers
// whose histories knew the instance alike but for its primary interface,
// which EC2 and not ECS reports, or rebuilt from intervals tables, which
// keep no version), the one that knows more values (a cluster ARN more
// than its name), then the later end, then field by field, the greater
// value: a total order, so that Merge does not depend on the parts' order.
func newerInstance(b, a *history.Instance) bool {
	if b.Version != a.Version {
		return b.Version > a.Version
	}
	if a == b {
		return false
	}
	if c := cmp.Compare(instanceKnown(b), instanceKnown(a)); c != 0 {
		return c > 0
	}
	if c := b.Valid.End.Compare(a.Valid.End); c != 0 {
		return c > 0
	}
	return cmp.Or(slices.Compare(instanceStrings(b), instanceStrings(a)), b.IPv4.Compare(a.IPv4), b.IPv6.Compare(a.IPv6),
		a.RegisteredAt.Compare(b.RegisteredAt), a.Valid.Start.Compare(b.Valid.Start)) > 0
}

// instanceStrings are an instance's text fields (its ARN aside), which
// newerInstance compares and instanceKnown counts.
func instanceStrings(in *history.Instance) []string {
	return []string{in.EC2InstanceID, in.ClusterARN, in.InstanceType, in.AvailabilityZone, in.OSType, in.Status, in.ENI, in.MAC, in.TrunkENI}
}

// instanceKnown counts what an observation of a container instance knows.
func instanceKnown(in *history.Instance) int {
	n := known(strings.HasPrefix(in.ClusterARN, "arn:"))
	for _, s := range instanceStrings(in) {
		n += known(s != "")
	}
	return n + known(in.IPv4.IsValid()) + known(in.IPv6.IsValid()) + known(!in.RegisteredAt.IsZero()) + known(!in.Valid.End.IsZero())
}

func known(b bool) int {
	if b {
		return 1
	}
	return 0
}

// counts are the fields of a summary entry Merge adds up.
type counts struct{ bytes, packets, records, err *uint64 }

// summaryKind is how mergeSummaries reads, orders and combines the
// entries of one kind of summary.
type summaryKind[E any] struct {
	counts func(*E) counts
	// cmp orders entries by key; equal is cmp(a, b) == 0, cheaper
	// (addByScan only looks for equal keys).
	cmp   func(a, b *E) int
	equal func(a, b *E) bool
	// combine merges src's other fields into dst's, when not nil.
	combine func(dst, src *E)
}

var (
	peerSummary = summaryKind[Peer]{
		counts: func(p *Peer) counts { return counts{&p.Bytes, &p.Packets, &p.Records, &p.MaxError} },
		cmp: func(a, b *Peer) int {
			if c := a.Prefix.Addr().Compare(b.Prefix.Addr()); c != 0 {
				return c
			}
			return cmp.Compare(a.Prefix.Bits(), b.Prefix.Bits())
		},
		// A Prefix is its address (without a zone: PrefixFrom drops
		// it) and its bits: equal exactly when cmp finds them so.
		equal: func(a, b *Peer) bool { return a.Prefix == b.Prefix },
		combine: func(dst, src *Peer) {
			// Both parts classify a peer the same unless their topologies
			// differed; keep the answer that does not depend on order.
			dst.Class = min(dst.Class, src.Class)
			if dst.Service == "" || src.Service != "" && src.Service < dst.Service {
				dst.Service = src.Service
			}
		},
	}
	portSummary = summaryKind[Port]{
		counts: func(p *Port) counts { return counts{&p.Bytes, &p.Packets, &p.Records, &p.MaxError} },
		cmp:    func(a, b *Port) int { return cmp.Compare(portKey(a.Protocol, a.Port), portKey(b.Protocol, b.Port)) },
		equal:  func(a, b *Port) bool { return a.Protocol == b.Protocol && a.Port == b.Port },
	}
	interfaceSummary = summaryKind[Interface]{
		counts: func(p *Interface) counts { return counts{bytes: &p.Bytes, records: &p.Records, err: &p.MaxError} },
		cmp:    func(a, b *Interface) int { return strings.Compare(a.ID, b.ID) },
		equal:  func(a, b *Interface) bool { return a.ID == b.ID },
	}
)

// mergeSummaries merges two space-saving summaries of capacity k with
// bounds ba and bb (the most a key missing from each can weigh): the
// mergeable-summaries rule, deterministic whatever the order of the
// entries or of the two sides. It returns the merged entries, heaviest
// first (ties by key), in a's memory (a is the caller's own), and the
// merged bound. bufs, if not nil, is its working memory.
func mergeSummaries[E any](a, b []E, ba, bb uint64, k int, sk *summaryKind[E], bufs *summaryBufs[E]) ([]E, uint64) {
	if bufs == nil {
		bufs = new(summaryBufs[E])
	}
	defer func() {
		clear(bufs.all) // no strings kept alive
		bufs.all, bufs.side, bufs.idx = bufs.all[:0], bufs.side[:0], bufs.idx[:0]
	}()
	// A part of a few keys (a worker's object saw a few peers of the
	// task) is looked up in the sum; larger ones are merged by sorting.
	few := len(b) <= fewKeys
	var out []E
	if few {
		out = addByScan(a, b, ba, bb, sk, bufs)
	} else {
		out = addBySort(a, b, ba, bb, sk, bufs)
	}
	counts, cmp := sk.counts, sk.cmp
	// Heaviest first, ties by key (unique in out: the order is total, so
	// any sort gives the one answer).
	order := func(x, y *E) int {
		if c := heavierFirst(*counts(x).bytes, *counts(y).bytes); c != 0 {
			return c
		}
		return cmp(x, y)
	}
	if few && len(out) <= maxInsertionSort {
		// The sum is in order already but for the few entries the part
		// changed: an insertion sort is a pass, and moves only those.
		for i := 1; i < len(out); i++ {
			if order(&out[i], &out[i-1]) >= 0 {
				continue
			}
			x := out[i]
			j := i
			for ; j > 0 && order(&x, &out[j-1]) < 0; j-- {
				out[j] = out[j-1]
			}
			out[j] = x
		}
	} else {
		// Sorted by position and then moved once: an entry is large, and
		// a sort moves and compares it many times.
		idx := bufs.idx[:0]
		for i := range out {
			idx = append(idx, i)
		}
		bufs.idx = idx
		slices.SortFunc(idx, func(i, j int) int { return order(&out[i], &out[j]) })
		all := bufs.all[:0]
		for _, i := range idx {
			all = append(all, out[i])
		}
		bufs.all = all
		out = append(out[:0], all...)
	}
	bound := satAdd(ba, bb)
	if len(out) > k {
		// A key cut here weighs at most its estimate, which is at most
		// the heaviest cut one's; and the bound is at least 1, so that a
		// key cut of no bytes (it still had records) is not taken for
		// one never seen.
		bound = max(bound, *counts(&out[k]).bytes, 1)
		out = out[:k]
	}
	return out, bound
}

// fewKeys is the most keys a part may have for mergeSummaries to look
// each up in the sum; maxInsertionSort the most entries it then puts in
// order by insertion (the sum's first merge, from a part's summary order,
// is not in order).
const (
	fewKeys          = 16
	maxInsertionSort = 256
)

// addByScan adds b's entries to a's, in a's memory: each of b's keys is
// looked for in a, and the entries missing from a side are counted at
// that side's bound.
func addByScan[E any](a, b []E, ba, bb uint64, sk *summaryKind[E], bufs *summaryBufs[E]) []E {
	counts, combine := sk.counts, sk.combine
	inB := slices.Grow(bufs.side[:0], len(a))[:len(a)] // a's keys that b has
	clear(inB)
	bufs.side = inB
	out := a
	for j := range b {
		e := &b[j]
		i := len(a) - 1
		for i >= 0 && !sk.equal(&a[i], e) {
			i--
		}
		if i < 0 {
			x := *e
			addMissing(counts(&x), ba)
			out = append(out, x)
			continue
		}
		inB[i] = true
		addCounts(counts(&out[i]), counts(e))
		if combine != nil {
			combine(&out[i], e)
		}
	}
	for i := range a {
		if !inB[i] {
			addMissing(counts(&out[i]), bb)
		}
	}
	return out
}

// addBySort is addByScan for any b: both sides' entries are sorted by key
// so that equal keys are adjacent.
func addBySort[E any](a, b []E, ba, bb uint64, sk *summaryKind[E], bufs *summaryBufs[E]) []E {
	counts, cmp, combine := sk.counts, sk.cmp, sk.combine
	all := append(append(bufs.all[:0], a...), b...)
	side := slices.Grow(bufs.side[:0], len(all)) // true: from b
	idx := slices.Grow(bufs.idx[:0], len(all))
	for i := range all {
		side = append(side, i >= len(a))
		idx = append(idx, i)
	}
	bufs.all, bufs.side, bufs.idx = all, side, idx
	// By key, then by position (a's before b's): a total order, so an
	// unstable sort gives the one answer, and faster than a stable one.
	slices.SortFunc(idx, func(i, j int) int {
		if c := cmp(&all[i], &all[j]); c != 0 {
			return c
		}
		return i - j
	})
	// a's entries are in all: the merged ones take their place.
	out := a[:0]
	for n := 0; n < len(idx); {
		e := all[idx[n]]
		c := counts(&e)
		inA, inB := !side[idx[n]], side[idx[n]]
		n++
		for n < len(idx) && cmp(&all[idx[n]], &e) == 0 {
			o := all[idx[n]]
			addCounts(c, counts(&o))
			if combine != nil {
				combine(&e, &o)
			}
			inA, inB = inA || !side[idx[n]], inB || side[idx[n]]
			n++
		}
		if !inA {
			addMissing(c, ba)
		}
		if !inB {
			addMissing(c, bb)
		}
		out = append(out, e)
	}
	return out
}

// addMissing counts an entry missing from one side at that side's
// bound: it may have weighed up to that there.
func addMissing(c counts, bound uint64) {
	*c.bytes = satAdd(*c.bytes, bound)
	*c.err = satAdd(*c.err, bound)
}

// addCounts adds o's counts to c's.
func addCounts(c, o counts) {
	*c.bytes = satAdd(*c.bytes, *o.bytes)
	if c.packets != nil {
		*c.packets = satAdd(*c.packets, *o.packets)
	}
	*c.records = satAdd(*c.records, *o.records)
	*c.err = satAdd(*c.err, *o.err)
}

// summaryBufs is the memory mergeSummaries works in.
type summaryBufs[E any] struct {
	all  []E
	side []bool // from b
	idx  []int
}
