package attribution

import (
	"encoding/binary"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// RuleVersion names the rules that decide which task a record goes to,
// and the groups of a task. It changes with any change of them that gives
// some record another task or group: partials record it
// (PartialConfig.RuleVersion), since parts made by other rules add up to
// no one run's answer, and package sqlattr's query states the rules of
// this version (sqlattr.RuleVersion).
//
// Version 1: the rules as documented in the package (ECS fields, task
// ENI, bridge host ports, address fallback by flow-direction,
// NODATA/SKIPDATA first, disjoint owners with the hand-off rule), with the
// inclusive late window (a record starting exactly stop + slack after an
// owner's whole-second stop is still its) and direction-unknown counters
// (no guess by private source address).
//
// Version 2: a task made from a record's ecs-* fields takes
// ecs-cluster-name and ecs-container-instance-id when the ARNs are absent,
// each resolved to the one cluster or container instance ARN of the
// history that ends in "/NAME" or "/ID" when there is exactly one (a
// cluster name read from a long task ARN too), and otherwise as it is
// (its ByCluster and ByInstance keys); a task ID is never empty (an
// ecs-task-arn without a task ID after a "/" is its own ID); and host-port
// inference never tries the port of the side tcp-flags name as the
// connection's opener (the source of a SYN without ACK, the destination
// of a SYN-ACK).
//
// Version 3: the load_balancer peer class (an Application or Classic Load
// Balancer's node, when the task is not the connection's client), and,
// for a record without an interface, a container instance's address only
// on the local side that flow-direction names (a regional NAT gateway's
// record of the instance's own call is on the instance's ENI already);
// no address fallback on an interface whose interface-type (v11) is an
// intermediary's (IntermediaryInterfaceTypes); and a record whose ecs-*
// fields name another task than the host-port join found keeps none of
// that join's host port (its port and server role). Peer classes: a
// subnet or CIDR of the local VPC wins over another VPC's of the same
// addresses, the local VPC without vpc-id is the task's subnet's, an
// address of a Topology VPC is never internet or public, and a peer
// entry tagged load_balancer (a prefix holding a node) classes each
// record.
//
// Version 4: a record's ecs-* fields name a task by ecs-task-arn, else
// ecs-task-id, as an ARN, then by that value's ID (an ecs-task-id that
// is not the ARN's last segment no longer counts), so a task is never
// made twice nor of an ARN already known, and a task made from
// ecs-task-id alone takes the ecs-task-arn of a later record of its ID
// (takeARN); of two history tasks of one task ID, the greater ARN is the
// ID's (as the SQL twin takes it); and, with peers grouped by CIDR, an
// IPv6 peer of ::/N is that prefix, no longer "no peer".
const RuleVersion = 4

// flow is the part of a record attribution reads, decoupled from the
// parser's Record so the join can be tested and benchmarked on its own.
// Strings may be views into the parser's buffer: nothing here retains them
// without a copy.
//
// The fields every record sets come first, in 192 bytes, and the rare ones
// (rareMask) after them: a batch of flows is written on one core and read
// on the other, and each cache line a record touches moves between them.
// With azID and vpcID last, a record touched five lines of its 352 bytes
// instead of three or four (BenchmarkAttribution/typical, nine pairs:
// e2e/parse median 0.859 → 0.878).
type flow struct {
	eni                      string // "" when absent
	eniSym                   uint32 // the parser's symbol for eni, 0 if none (see engine.enis)
	src, dst, pktSrc, pktDst netip.Addr
	srcPort, dstPort         uint16
	proto                    uint8
	hasPorts                 bool
	bytes, packets           uint64
	start                    int64 // unix seconds
	action                   uint8 // actionNone, actionAccept, actionReject
	status                   uint8 // statusOK, statusNoData, statusSkipData
	dir                      uint8 // dirUnknown, dirIngress, dirEgress
	trafficPath              uint8 // 0 when absent
	tcpFlags                 uint8
	hasFlags                 bool
	rare                     bool // fromRecord set the fields of rareMask
	// fmtFields says which of pkt-src-aws-service (svcSrc) and
	// pkt-dst-aws-service (svcDst) the record's format has: an empty one
	// then means "not AWS's", not "not recorded". With the rare fields,
	// ecsInstance: the format has ecs-container-instance-arn or -id, so
	// that both empty mean Fargate; and onIntermediary: the record's
	// interface-type (v11) is one of intermediaryTypes.
	fmtFields               uint8
	azID, vpcID             string
	srcService, dstService  string
	ecsTaskARN, ecsTaskID   string
	ecsCluster, ecsService  string // ecsCluster: ecs-cluster-arn, else ecs-cluster-name
	ecsTaskDef, ecsInstance string // ecsInstance: ecs-container-instance-arn, else -id
	nextHopAZID             string
	nextHopVPCID            string
}

const (
	actionNone uint8 = iota
	actionAccept
	actionReject
)

const (
	statusOK uint8 = iota
	statusNoData
	statusSkipData
)

const (
	dirUnknown uint8 = iota
	dirIngress
	dirEgress
)

// peerVal is what a peer entry keeps besides its counters; its class is
// in the entry's tag. The service name is a pointer to one interned copy
// (nil: none): a peer summary's entries are most of attribution's memory
// at ten thousand tasks, and a string header would take 8 bytes more in
// each.
type peerVal struct {
	service *string
}

// name returns the service name, "" for none.
func (v peerVal) name() string {
	if v.service == nil {
		return ""
	}
	return *v.service
}

// taskState is a task: what the history says of it, and its rollup while
// records stream in, made by the join at the task's first record. A
// history often holds many more tasks than an input has records of (a
// week's history and a 5-minute object: a fan-out worker's case), and a
// task without records then costs these few words, not a rollup.
type taskState struct {
	*rollup
	info          *history.Task // shared with the history, never modified
	addrs         []netip.Addr  // info's valid addresses, unmapped
	az            string
	fromECSFields bool // known only from the records' v7 ecs-* fields
	// topoVPC is the task's VPC by the Topology (see localVPC), set with
	// its rollup, by the join: 1 + its index in engine.vpcIDs, 0 for none.
	// (It fits the padding after fromECSFields.)
	topoVPC  int32
	restored *restoredTask // set when rebuilt from a Partial
	// inst is the container instance the history knows the task ran on,
	// looked up once: taking the groups asked for it by ARN once a group
	// (a tenth of the time, hashing long ARNs). It fits the 80-byte size
	// class the rest already takes.
	inst *instanceState
}

// rollup is a task's sums. The fields every record touches come first,
// together, so that a record costs a few cache lines of its task even when
// the task's state is cold (thousands of tasks over a day); what only
// inserts and Result read follows.
type rollup struct {
	// task is the rollup's task: what classifying a peer reads of it
	// (its zone and addresses), in the line a record touches first.
	task  *taskState
	c     Counters
	ser   series
	pc    portCache
	peers topK[addrKey, peerVal]
	// classOut are the bytes of every record of egress by the class its
	// peer has (its entry's when kept), and cold.classUnknown those of
	// unknown direction, so that each class splits into in, out and
	// unknown. (An egress counter in each peer entry, summed by class, was
	// 8 of its 48 bytes.) The bytes by class of every record are the
	// peer summary's (topK.byTag: its entries', and of peers not kept its
	// full part's, which a record of such a peer has just touched).
	classOut [numPeerClasses]uint64
	// cold is made by the first record of unknown direction or inferred
	// by host port: records with flow-direction (v5 and later) of awsvpc
	// tasks need neither, and inline they took the rollup (with its
	// 8-byte malloc header) from the 576-byte size class to 640. The
	// rollup fits 512 bytes, where Go needs no malloc header.
	cold *rollupCold
	// ports is made by the first flush of a cached port (most tasks' ports
	// all fit the cache, and a summary is 160 bytes and its first table).
	ports *topK[uint32, struct{}]
}

// rollupCold is the part of a rollup most records do not touch.
type rollupCold struct {
	classUnknown                   [numPeerClasses]uint64
	inferredBytes, inferredRecords uint64
}

// makeCold returns t.cold, made if need be.
func (t *rollup) makeCold() *rollupCold {
	if t.cold == nil {
		t.cold = new(rollupCold)
	}
	return t.cold
}

// inferred returns the bytes and records attributed by host port.
func (t *rollup) inferred() (bytes, records uint64) {
	if t.cold == nil {
		return 0, 0
	}
	return t.cold.inferredBytes, t.cold.inferredRecords
}

// portCache aggregates a task's records by service port before they reach
// its port summary: a task serves and calls a handful of ports, so nearly
// every record adds to one of these four counters, in the task's first
// cache lines, instead of looking its port up in the summary. An entry
// goes into the summary as one weighted update when it is evicted (a
// Result or a Partial reads the summary as a flush would make it, without
// writing it: flushedPorts); space-saving's guarantees hold for
// weighted updates, and below the summary's capacity the counts are exact
// either way.
type portCache struct {
	keys    [numPortCache]uint32 // port key + 1; 0: empty
	records [numPortCache]uint32
	bytes   [numPortCache]uint64
	packets [numPortCache]uint64
	next    uint8  // the entry to evict next (round robin)
	keep    uint16 // the port summary's capacity (WithTopK's ports, at most MaxTopK)
}

const numPortCache = 4

// addPort counts a record of the given port key.
func (t *rollup) addPort(pk uint32, bytes, packets uint64) {
	c := &t.pc
	k := pk + 1
	for i := range c.keys {
		if c.keys[i] == k && c.records[i] != ^uint32(0) {
			c.bytes[i] += bytes
			c.packets[i] += packets
			c.records[i]++
			return
		}
	}
	i := int(c.next) % numPortCache
	c.next++
	t.flushPort(i)
	c.keys[i], c.records[i], c.bytes[i], c.packets[i] = k, 1, bytes, packets
}

// flushPort moves cache entry i into the port summary.
func (t *rollup) flushPort(i int) {
	c := &t.pc
	if c.keys[i] == 0 {
		return
	}
	pk := c.keys[i] - 1
	if t.ports == nil {
		t.ports = newTopK[uint32, struct{}](int(c.keep), hashUint32)
	}
	t.ports.addCount(pk, hashUint32(pk), c.bytes[i], c.packets[i], uint64(c.records[i]))
	c.keys[i], c.records[i], c.bytes[i], c.packets[i] = 0, 0, 0, 0
}

// classBytes returns the task's bytes by peer class, all and by
// direction (the rest of a class is of unknown direction): the records'
// whose peer was not kept, counted one by one, and the kept peers', through
// their entries. WithoutPeers, every byte is PeerUnknown.
func (t *taskState) classBytes(noPeers bool) (all, in, out [numPeerClasses]uint64) {
	if t.restored != nil {
		return t.restored.class, t.restored.classIn, t.restored.classOut
	}
	if noPeers {
		all[PeerUnknown], in[PeerUnknown], out[PeerUnknown] = t.c.Bytes(), t.c.BytesIn, t.c.BytesOut
		return all, in, out
	}
	byTag := t.peers.byTag()
	for i := range all {
		all[i] = byTag[i]
		out[i] = t.classOut[i]
		in[i] = all[i] - out[i]
		if t.cold != nil {
			in[i] -= t.cold.classUnknown[i]
		}
	}
	return all, in, out
}

// portEntries appends the task's port entries to dst in summary order:
// its cached ports flushed into its summary, then the summary's entries,
// and the summary's error bound (topK.bound).
// While the summary holds nothing and has room for every cached port
// (most tasks serve and call a handful), that is the cache's entries as
// they are, with no error, and no summary is made: a Result or a Partial
// of ten thousand tasks would otherwise allocate every task's port
// summary to read four entries back. Neither writes the summary (see
// flushedPorts).
func (t *rollup) portEntries(dst []topEntry[uint32, struct{}]) (_ []topEntry[uint32, struct{}], bound uint64) {
	c := &t.pc
	if t.cacheOnly() {
		for i, k := range c.keys {
			if k != 0 {
				dst = append(dst, topEntry[uint32, struct{}]{key: k - 1, bytes: c.bytes[i], packets: c.packets[i], records: uint64(c.records[i])})
			}
		}
		return dst, 0
	}
	p := t.flushedPorts()
	if p == nil {
		return dst, 0
	}
	for i := range p.hot {
		dst = append(dst, p.entry(i))
	}
	return dst, p.bound()
}

// cacheOnly reports whether the task's port entries are its cache's as
// they are: the summary holds nothing, and has room for every cached
// port, each cached once.
func (t *rollup) cacheOnly() bool {
	if t.ports != nil && len(t.ports.hot) > 0 {
		return false
	}
	c := &t.pc
	n, distinct := 0, true
	for i, k := range c.keys {
		if k == 0 {
			continue
		}
		n++
		// A key whose record count saturated has a second entry,
		// which a flush would add to the first.
		distinct = distinct && !slices.Contains(c.keys[i+1:], k)
	}
	return distinct && n <= int(c.keep)
}

// flushedPorts returns the port summary as flushing the cache into it
// would make it, nil when neither holds a port: the summary itself while
// the cache is empty, else a copy. A Result or a Partial is a snapshot:
// flushing the cache into the summary itself would change what later
// records make of it once it is full (an entry's weight reaching the
// summary earlier, in two updates instead of one, can evict another
// port), so a task's ports would depend on when snapshots were taken.
func (t *rollup) flushedPorts() *topK[uint32, struct{}] {
	c := &t.pc
	if c.keys == [numPortCache]uint32{} {
		return t.ports
	}
	var p *topK[uint32, struct{}]
	if t.ports == nil {
		p = newTopK[uint32, struct{}](int(c.keep), hashUint32)
	} else {
		p = t.ports.duplicate()
	}
	for i, k := range c.keys {
		if k != 0 {
			p.addCount(k-1, hashUint32(k-1), c.bytes[i], c.packets[i], uint64(c.records[i]))
		}
	}
	return p
}

// newTaskState returns the task of info, without a rollup yet.
func newTaskState(info *history.Task) *taskState {
	return &taskState{info: info, addrs: validAddrs(info.IPv4, info.IPv6), az: info.AvailabilityZone}
}

// newRollup returns an empty rollup of task, its summaries readied.
func newRollup(task *taskState, cfg *config) *rollup {
	r := &rollup{task: task}
	r.initSummaries(cfg)
	return r
}

// initSummaries readies the task's peer summary, and its port cache for
// the port summary that its first flushed port makes.
func (t *rollup) initSummaries(cfg *config) {
	t.peers.init(cfg.peersKept, hashAddrKey)
	t.pc.keep = uint16(keptCap(cfg.portsKept))
}

func (t *taskState) owns(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, x := range t.addrs {
		if x == a {
			return true
		}
	}
	return false
}

type unattributed struct {
	t      Totals
	ifaces *topK[string, struct{}]
}

// engine is the streaming join and the rollups.
type engine struct {
	cfg     config
	ix      *index
	total   Totals
	over    *OverflowError // set once a record was refused (see add)
	un      [numReasons]unattributed
	stats   Stats
	first   int64
	last    int64
	seen    bool
	ecsOnly []*taskState // tasks known only from ECS fields, in order seen
	// idOnly are the tasks of ecsOnly made from a record that named
	// them by a bare task ID (ecs-task-id, no ecs-task-arn), keyed by
	// their ID until a record gives the ARN (takeARN).
	idOnly  map[*taskState]bool
	svc     serviceNames                 // AWS service names, interned for peerVal
	portEs  []topEntry[uint32, struct{}] // taskPart's scratch
	stepSec int64
	// wholePeers: peers are whole addresses (no WithPeerPrefix grouping),
	// so a peer's key hash is its address hash too.
	wholePeers bool
	hasTopo    bool // a Topology with subnets, VPCs or load balancer nodes
	// lbNodes are the Topology's LoadBalancers by address (unmapped), each
	// with its VPC ("" when not known): PeerLoadBalancer. Nil without any.
	lbNodes map[netip.Addr]string
	// vpcIDs are the Topology's VPC IDs (of its subnets and VPCs), which
	// taskState.topoVPC indexes; vpcIdx is the reverse, for the join.
	vpcIDs []string
	vpcIdx map[string]int32
	// subnetVPC is the VPC of the Topology's first subnet of an ID that
	// names one (topoVPC's lookup by the history's SubnetID).
	subnetVPC map[string]string
	// ops are the records attributed but not yet in their task's rollup
	// (see attribute), nops of them; sink keeps flush's touches.
	ops  []op
	nops int
	sink uint64
	// apl, during a pipelined AddAll, takes the batches flush hands over.
	apl *applier
	// enis caches, per interface by the parser's symbol for its ID, what
	// the index holds for it and the owner found last: a flow-log file
	// holds each interface's records many times, and an interface keeps
	// one owner for long, so most records skip the map and the span scan.
	enis      []eniEntry
	miss      eniEntry // for records without a symbol
	missSpans eniSpans
	// joinSink keeps touchJoin's reads. It is the join's own: sink is
	// written by whichever goroutine applies the rollups, the applier's
	// while the join goes on.
	joinSink uint64
}

// eniEntry is what the index holds for one interface ID, one cache line
// of e.enis: most records read only last and eni, so the spans are behind
// a pointer.
type eniEntry struct {
	last span[taskState] // the span of the last exact hit; owner nil if none
	eni  string          // the ID (interned by the parser: symbols number those)
	sp   *eniSpans
	_    [16]byte // to 64 bytes
}

type eniSpans struct {
	tasks spans[taskState]
	insts spans[instanceState]
}

// eniEntry returns the index's spans for f's interface, from the cache
// when f carries a symbol. Symbols are per parser, so an entry is checked
// against the ID and refilled when another parser numbered differently.
func (e *engine) eniEntry(f *flow) *eniEntry {
	if f.eniSym == 0 {
		e.missSpans = eniSpans{tasks: e.ix.byENI[f.eni], insts: e.ix.instByENI[f.eni]}
		e.miss = eniEntry{eni: f.eni, sp: &e.missSpans}
		return &e.miss
	}
	if int(f.eniSym) >= len(e.enis) {
		e.enis = append(e.enis, make([]eniEntry, int(f.eniSym)+1-len(e.enis))...)
	}
	m := &e.enis[f.eniSym]
	if m.eni != f.eni || m.eni == "" {
		*m = eniEntry{eni: f.eni, sp: &eniSpans{tasks: e.ix.byENI[f.eni], insts: e.ix.instByENI[f.eni]}}
	}
	return m
}

func newEngine(h *history.Index, cfg config) *engine {
	e := &engine{cfg: cfg, svc: serviceNames{}, stepSec: int64(cfg.step.Seconds()),
		wholePeers: cfg.v4Bits == 32 && cfg.v6Bits == 128,
		hasTopo:    len(cfg.topo.Subnets) > 0 || len(cfg.topo.VPCs) > 0 || len(cfg.topo.LoadBalancers) > 0}
	for _, n := range cfg.topo.LoadBalancers {
		if !n.Addr.IsValid() {
			continue
		}
		if e.lbNodes == nil {
			e.lbNodes = make(map[netip.Addr]string, len(cfg.topo.LoadBalancers))
		}
		e.lbNodes[n.Addr.Unmap()] = n.VPC
	}
	if len(e.cfg.topo.Subnets) > 0 || len(e.cfg.topo.VPCs) > 0 {
		e.cfg.topo.index()
	}
	for _, sn := range cfg.topo.Subnets {
		e.internVPC(sn.VPC)
		if sn.VPC == "" {
			continue
		}
		if e.subnetVPC == nil {
			e.subnetVPC = make(map[string]string, len(cfg.topo.Subnets))
		}
		if _, ok := e.subnetVPC[sn.ID]; !ok {
			e.subnetVPC[sn.ID] = sn.VPC
		}
	}
	for _, v := range cfg.topo.VPCs {
		e.internVPC(v.ID)
	}
	e.ix = buildIndex(h)
	for _, st := range e.ix.tasks {
		st.inst = e.ix.instByARN[st.info.ContainerInstanceARN]
		if st.az == "" && st.inst != nil {
			st.az = st.inst.info.AvailabilityZone
		}
	}
	for i := range e.un {
		e.un[i].ifaces = newTopK[string, struct{}](cfg.ifacesKept, hashString)
		e.un[i].ifaces.clone = strings.Clone
	}
	return e
}

func (e *engine) unattribute(f *flow, r Reason) {
	u := &e.un[r]
	u.t.Bytes += f.bytes
	u.t.Packets += f.packets
	u.t.Records++
	id := f.eni
	if id == "" {
		id = "-"
	}
	u.ifaces.add(id, f.bytes, f.packets)
}

// add attributes one record. It is the hot path: a few map lookups and
// counter updates, no allocation once a task's peers and ports are known.
//
// Every sum the engine keeps (counters, series, classes, unattributed,
// stats, summaries) covers a subset of the records in e.total, so checking
// the total is checking them all: a record that would make the byte or
// packet total pass 2^64-1 is refused, with every later one (e.over).
func (e *engine) add(f *flow) {
	b, p := e.total.Bytes+f.bytes, e.total.Packets+f.packets
	if b < f.bytes || p < f.packets || e.over != nil {
		e.refuse(b < f.bytes)
		return
	}
	e.total.Bytes, e.total.Packets = b, p
	e.total.Records++
	// A record of a format without start and end has time 0 (fromRecord):
	// it has no place in time, and First and Last are the placed records'
	// (no flow log was written in 1970).
	if f.start != 0 {
		if !e.seen || f.start < e.first {
			e.first = f.start
		}
		if !e.seen || f.start > e.last {
			e.last = f.start
		}
		e.seen = true
	}

	switch f.status {
	case statusNoData:
		e.unattribute(f, NoData)
		return
	case statusSkipData:
		e.stats.SkipData++
		e.unattribute(f, SkipData)
		return
	}

	var ecsTask *taskState
	if f.ecsTaskARN != "" || f.ecsTaskID != "" {
		if ecsTask = e.taskFromECSFields(f); ecsTask == nil {
			e.unattribute(f, ECSTaskLimit)
			return
		}
	}

	st, m, reason, inst, port := e.join(f)
	if ecsTask != nil {
		if st != nil && st != ecsTask {
			e.stats.ECSFieldDisagreements++
			port = 0 // the host port the join matched is the other task's
		}
		st, m = ecsTask, ByECSField
		if ecsTask.fromECSFields {
			e.stats.ECSFieldOnly++
		}
		inst = nil
	}
	if st == nil {
		e.unattribute(f, reason)
		return
	}
	e.attribute(f, st, m, inst, port)
}

// addBatch adds fs in order, a few records at a time after touching
// what the join reads first of each: the interface's cache entry, then
// the state of the task that owned it last. With thousands of interfaces
// those lines are cold, and one record after another the join would wait
// for them one by one; touched together, their misses overlap (at 10,000
// tasks, AddAll on one goroutine took 1.17–1.37 s against 1.28–1.60).
// With a few hundred they stay in cache, and touching costs more than it
// saves.
func (e *engine) addBatch(fs []flow) {
	touch := len(e.enis) >= touchJoinFrom
	for len(fs) > 0 {
		n := min(len(fs), opsBatch)
		if touch {
			e.touchJoin(fs[:n])
		}
		for i := range n {
			e.add(&fs[i])
		}
		fs = fs[n:]
	}
}

// touchJoinFrom is how many interfaces the join's cache must hold for
// addBatch to touch its entries first: 128 KiB of them.
const touchJoinFrom = 2048

// touchJoin reads, for each of fs, the lines join will: only reads, whose
// results are hints (join looks everything up again).
func (e *engine) touchJoin(fs []flow) {
	var sink uint64
	enis := e.enis
	for i := range fs {
		if s := int(fs[i].eniSym); s < len(enis) {
			sink += uint64(len(enis[s].eni))
		}
	}
	for i := range fs {
		if s := int(fs[i].eniSym); s < len(enis) {
			if o := enis[s].last.owner; o != nil {
				sink += uint64(len(o.addrs))
			}
		}
	}
	e.joinSink += sink
}

// refuse notes the first record that would have overflowed a total.
func (e *engine) refuse(bytes bool) {
	if e.over != nil {
		return
	}
	e.over = &OverflowError{Record: e.total.Records + 1, Field: "packets"}
	if bytes {
		e.over.Field = "bytes"
	}
	e.stats.Overflow = true
}

// join finds the task by interface, then by address, then (on a container
// instance's ENI) by host port.
func (e *engine) join(f *flow) (st *taskState, m Method, r Reason, inst *instanceState, port uint16) {
	t, slack := f.start, e.cfg.slack
	r = UnknownENI
	if f.eni != "" {
		m := e.eniEntry(f)
		if l := &m.last; l.owner != nil && l.start <= t && t <= l.stop {
			return l.owner, ByENI, 0, nil, 0
		}
		if s := m.sp.tasks; s != nil {
			if i := s.at(t); i >= 0 {
				m.last = s[i]
				return s[i].owner, ByENI, 0, nil, 0
			}
			if st := findOwner(s, t, slack); st != nil {
				return st, ByENI, 0, nil, 0
			}
			// A task ENI outside its task's life: do not guess by address,
			// which may belong to a later task by now.
			return nil, 0, OutsideLifetime, nil, 0
		}
		if s := m.sp.insts; s != nil {
			in := findOwner(s, t, slack)
			if in == nil {
				return nil, 0, OutsideLifetime, nil, 0
			}
			return e.byHostPort(f, in)
		}
	}
	if e.cfg.noIP || f.fmtFields&onIntermediary != 0 {
		return nil, 0, r, nil, 0
	}
	// Address fallback, by the interface's local side only when the
	// direction is known: a database's or NAT gateway's ENI records its
	// peers' addresses too, and those bytes are already on the peer task's
	// own ENI. Without flow-direction either side may be local.
	var cand [4]netip.Addr
	switch f.dir {
	case dirIngress:
		cand = [4]netip.Addr{f.pktDst, f.dst}
	case dirEgress:
		cand = [4]netip.Addr{f.pktSrc, f.src}
	default:
		cand = [4]netip.Addr{f.pktSrc, f.src, f.pktDst, f.dst}
	}
	for _, a := range cand {
		if !a.IsValid() || !e.ix.mayOwn(a) {
			continue
		}
		if s, ok := e.ix.byAddr[a]; ok {
			if st := findOwner(s, t, slack); st != nil {
				return st, ByIP, 0, nil, 0
			}
			r = OutsideLifetime
		}
	}
	if f.eni == "" {
		// No interface at all (e.g. ECS-enriched or regional NAT gateway
		// records): a container instance's address is as good as its ENI,
		// on the local side only when flow-direction says which it is, as
		// for tasks above: an instance on the far side of a NAT gateway's
		// record has those bytes on its own ENI already.
		inst := [2]netip.Addr{f.src, f.dst}
		switch f.dir {
		case dirIngress:
			inst[0] = netip.Addr{}
		case dirEgress:
			inst[1] = netip.Addr{}
		}
		for _, a := range inst {
			if !a.IsValid() || !e.ix.mayOwn(a) {
				continue
			}
			if s, ok := e.ix.instByAddr[a]; ok {
				if in := findOwner(s, t, slack); in != nil {
					return e.byHostPort(f, in)
				}
			}
		}
	}
	return nil, 0, r, nil, 0
}

// findOwner returns the owner at t among s: spans.find, whose late window
// (flow-log start times lag the packets by up to 60 s, so a task's last
// records can start after it stopped) includes the stop itself: a packet
// at the stop instant can carry a start of exactly stop + slack. Spans
// hold the whole seconds of [start, stop), so when a span ends at its
// owner's stop on a whole second (not cut short by a later owner), the
// window reaches one second past what find allows.
func findOwner[T any, P interface {
	*T
	stopTime() time.Time
}](s spans[T], t, slack int64) *T {
	if o, _ := s.find(t, slack); o != nil {
		return o
	}
	var last *span[T] // the last span starting at or before t
	for i := range s {
		if t < s[i].start {
			break
		}
		last = &s[i]
	}
	if last == nil || t-last.stop != slack+1 {
		return nil
	}
	if st := P(last.owner).stopTime(); !st.IsZero() && st.Nanosecond() == 0 && st.Unix() == last.stop+1 {
		return last.owner
	}
	return nil
}

func (t *taskState) stopTime() time.Time      { return t.info.Valid.End }
func (in *instanceState) stopTime() time.Time { return in.info.Valid.End }

// byHostPort attributes a record on a container instance's own ENI by the
// networkBindings of the bridge tasks on it: inbound to a mapped host port,
// or outbound from one (the replies, which Docker's port mapping sends from
// the host port). Both are inferences: the flow log names only the instance.
// Outbound connections a bridge task opens are SNATed to the host address
// and an ephemeral port, so they cannot be attributed at all.
//
// The instance's side of a connection it (or a MASQUERADEd container) opened
// is a client's port, whatever binding it may collide with: ECS picks
// dynamic host ports from the ephemeral range, and MASQUERADE keeps a
// container's source port when it can. So the port of the side tcp-flags
// name as the opener is never looked up: the source's on a SYN without
// ACK, the destination's on a SYN-ACK (an egress SYN, or the ingress
// SYN-ACK, from or to the instance's port; with the direction unknown, the
// other side's port is still tried). The flags are ORed over the
// aggregation window, and AWS reports ACK only as part of a SYN-ACK, so
// SYN and ACK together mean the source answered a SYN: the responder's line
// (SYN|ACK|FIN, 19, is that of a connection opened and closed within the
// window, as SYN|FIN, 3, is the opener's). FIN and RST say nothing of
// who opened; flags without SYN (0 for a connection older than the window)
// leave both ports to try.
func (e *engine) byHostPort(f *flow, in *instanceState) (*taskState, Method, Reason, *instanceState, uint16) {
	if !f.hasPorts {
		return nil, 0, SharedENINoBinding, nil, 0
	}
	dir := f.dir
	if dir == dirUnknown {
		switch {
		case instOwns(in, f.dst) || instOwns(in, f.pktDst):
			dir = dirIngress
		case instOwns(in, f.src) || instOwns(in, f.pktSrc):
			dir = dirEgress
		}
	}
	src, dst := f.srcPort, f.dstPort
	switch opener(f) {
	case openerSrc:
		src = 0 // the opener's port is ephemeral: no binding's
	case openerDst:
		dst = 0
	}
	var tries [2]uint16
	switch dir {
	case dirIngress:
		tries = [2]uint16{dst, 0}
	case dirEgress:
		tries = [2]uint16{src, 0}
	default:
		tries = [2]uint16{dst, src}
	}
	reason := SharedENINoBinding
	for _, p := range tries {
		if p == 0 {
			continue
		}
		s := in.hostPort(portKey(f.proto, p))
		if len(s) == 0 {
			continue
		}
		st := findOwner(s, f.start, e.cfg.slack)
		if st == nil {
			continue
		}
		if st.info.NetworkMode == netmode.ModeHost {
			reason = HostMode
			continue
		}
		return st, ByHostPort, 0, in, p
	}
	return nil, 0, reason, nil, 0
}

func instOwns(in *instanceState, a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, x := range in.addrs {
		if x == a {
			return true
		}
	}
	return false
}

// taskFromECSFields returns the task named by the record's v7 fields: the
// history's when it knows the task, else one made from the fields, or nil
// when that would pass WithMaxECSTasks.
//
// The record names a task by ecs-task-arn, else by ecs-task-id (ref):
// the task whose ARN is ref, else the one whose ID is ref's ID, what
// follows its last "/" (else, no "/" or nothing after it, the whole of
// ref: never "", which would make every such record find the first task
// made so), else one made from the fields, of ARN ref. The ID is ref's
// even when the record also has an ecs-task-id: AWS writes that field as
// the last segment of the task ARN (reference flowlogs §2.6), so one that
// differs contradicts the ARN, and the ARN, the task's key, wins. The ID
// being a function of ref, a task is never made twice, nor of an ARN the
// history or an earlier record already has (which once made two tasks of
// one ARN, which partials.Read refuses), and which task a record names
// does not depend on the records before it (only a made task's ARN does:
// the first record's ref of its ID): the SQL twin (package sqlattr) reads
// records as a set and finds the same task. A task made from the fields
// takes its cluster from ecs-cluster-arn, else ecs-cluster-name, and its
// container instance from ecs-container-instance-arn, else
// ecs-container-instance-id. A name (the field's, or without one the
// cluster segment of a long task ARN, as history.Task.Cluster reads it)
// becomes the cluster ARN the history's tasks and container instances
// carry when exactly one of those ARNs ends in "/NAME", and an ID the container instance ARN (an instance's, or one
// a task names) ending in "/ID" when exactly one does (index.nameMaps):
// the task is then grouped with the history's tasks of that cluster or
// instance, and its instance is the history's. Otherwise the name and the
// ID stand in Task.ClusterARN and Task.ContainerInstanceARN as they are
// (the ARN-derived name is left to Task.Cluster), and so are its
// ByCluster and ByInstance keys. It is a Fargate task when the format has
// a container-instance field and the record leaves it empty ("-", as AWS
// writes it on Fargate); without such a field its launch type is unknown
// ("").
func (e *engine) taskFromECSFields(f *flow) *taskState {
	e.ix.taskMaps()
	ref := f.ecsTaskARN // add calls with this or the ID set
	if ref == "" {
		ref = f.ecsTaskID
	}
	if st := e.ix.byARN[ref]; st != nil {
		return st
	}
	id := ref
	if i := strings.LastIndexByte(id, '/'); i >= 0 && i+1 < len(id) {
		id = id[i+1:]
	}
	if st := e.ix.byID[id]; st != nil {
		// A long ref is the task's ARN, in ecs-task-arn or written in
		// ecs-task-id: either way the task takes it, whichever record
		// came first (Merge reads a part's task of a long ARN the same,
		// not knowing the field it came from).
		if ref != id && e.idOnly[st] {
			e.takeARN(st, ref, f.ecsCluster)
		}
		return st
	}
	if len(e.ecsOnly) >= e.cfg.ecsTasks {
		return nil
	}
	info := &history.Task{
		ARN:                  strings.Clone(ref),
		ClusterARN:           strings.Clone(f.ecsCluster),
		TaskDefinitionARN:    strings.Clone(f.ecsTaskDef),
		ContainerInstanceARN: strings.Clone(f.ecsInstance),
	}
	// Names and IDs to the history's ARNs: once per task made, never per
	// record.
	e.ix.nameMaps()
	e.resolveCluster(info)
	info.ContainerInstanceARN = resolveName(e.ix.instanceByID, info.ContainerInstanceARN)
	if f.ecsService != "" {
		info.Group = "service:" + f.ecsService
	}
	info.Family, info.Revision = history.FamilyRevision(info.TaskDefinitionARN)
	if info.Group == "" && info.Family != "" {
		info.Group = "family:" + info.Family
	}
	if info.ContainerInstanceARN == "" && f.fmtFields&ecsInstance != 0 {
		info.LaunchType = "FARGATE"
	}
	st := newTaskState(info)
	st.fromECSFields = true
	if st.inst = e.ix.instByARN[info.ContainerInstanceARN]; st.inst != nil {
		st.az = st.inst.info.AvailabilityZone
	}
	e.ix.byARN[info.ARN] = st
	e.ix.byID[info.ARN[len(info.ARN)-len(id):]] = st // id, in the clone
	e.ecsOnly = append(e.ecsOnly, st)
	if ref == id {
		if e.idOnly == nil {
			e.idOnly = map[*taskState]bool{}
		}
		e.idOnly[st] = true
	}
	return st
}

// resolveCluster sets a made task's ClusterARN to the ARN the history
// knows for its cluster's name (the field's, or the cluster segment of
// its long task ARN), when exactly one ARN ends in it.
func (e *engine) resolveCluster(info *history.Task) {
	name := info.ClusterARN
	if name == "" {
		name = info.Cluster()
	}
	if arn := resolveName(e.ix.clusterByName, name); arn != name {
		info.ClusterARN = arn
	}
}

// takeARN gives st, a task made from records that named it by a bare
// ecs-task-id, the ARN of a later record of that ID (its ecs-task-arn, or
// a long ARN written in ecs-task-id): the
// task is keyed by its ARN whichever record came first, as the SQL twin
// takes any record's long ARN (MAX of them). A task made without a cluster
// takes the record's cluster field, else the cluster of its long ARN, as
// it would have had that record come first. The task's info is copied,
// not modified: a Partial taken before holds it.
func (e *engine) takeARN(st *taskState, arn, cluster string) {
	delete(e.idOnly, st)
	info := *st.info
	info.ARN = strings.Clone(arn)
	if info.ClusterARN == "" {
		info.ClusterARN = strings.Clone(cluster)
		e.resolveCluster(&info)
	}
	st.info = &info
	e.ix.byARN[info.ARN] = st
}

// attribute stages the record for its task's rollup. Everything global
// (totals, stats) is counted now; what lands in the task's own state waits
// in e.ops for flush, which applies a batch of records in order after
// touching the cache lines each will need, all of them at once: with
// thousands of tasks every record's task state is cold, and one record
// after another the processor would wait for those lines one by one.
func (e *engine) attribute(f *flow, st *taskState, m Method, inst *instanceState, boundPort uint16) {
	dir, in := e.direction(f, st, inst)
	mt := &e.stats.ByMethod[m]
	mt.Bytes += f.bytes
	mt.Packets += f.packets
	mt.Records++

	if e.ops == nil {
		e.ops = make([]op, opsBatch)
	}
	if st.rollup == nil {
		// Made here, by the join, before any of the task's records is
		// handed to the applier: the applier only ever sees it made.
		st.rollup = newRollup(st, &e.cfg)
		if e.hasTopo {
			// Once a task: classify, record by record, reads it.
			st.topoVPC = e.vpcIdx[e.topoVPC(st)]
		}
	}
	o := &e.ops[e.nops]
	e.nops++
	o.r = st.rollup
	o.bytes, o.packets = f.bytes, f.packets
	o.bucket = floorDiv(f.start, e.stepSec)
	o.dir, o.action, o.inferred = dir, f.action, m.Inferred()
	if !e.cfg.noPeers {
		e.stagePeer(o, f, in, boundPort)
	}
	if e.nops == len(e.ops) {
		e.flush()
	}
}

// op is one attributed record waiting in e.ops: what its task's rollup
// needs of it, and nothing that points into the parser's buffers (strings
// from a flowlogs.Parser are interned, and stay valid).
type op struct {
	r              *rollup // the task's: the join made it
	bytes, packets uint64
	bucket         int64 // time-series bucket number
	key            addrKey
	h              uint64 // hashAddrKey(key)
	peer           netip.Addr
	start          int64
	svc            string
	vpcID          string // only with a Topology (localVPC)
	port           uint32 // port key
	dir            uint8  // dirUnknown, dirIngress, dirEgress: which counters
	inferred       bool
	action         uint8
	pre            uint8 // the record's own class evidence + 1, 0 if none
	azEvidence     uint8 // 0: none; 1: az-id = next-hop-az-id; 2: they differ
	svcKnown       bool  // the format has the peer side's pkt-*-aws-service field
	// peerServes: the peer is the connection's server, the task its
	// client (see peerIsServer); only for a load balancer node's records.
	peerServes bool
	// lbNode: the peer's address is a load balancer node's (Topology):
	// its class depends on the record's role, not on the address alone,
	// so applyPeer classes each of its records.
	lbNode bool
}

// opsBatch is how many records wait before flush: enough for their cache
// misses to overlap, few enough that the lines touched stay in L1.
const opsBatch = 32

// stagePeer fills in o's peer and port, and the parts of the peer's class
// that come from the record itself (classify's first steps).
func (e *engine) stagePeer(o *op, f *flow, in bool, boundPort uint16) {
	// Peer: the far side, by its real packet address when recorded.
	var peer netip.Addr
	var svc string
	var known bool
	if in {
		peer, svc, known = f.pktSrc, f.srcService, f.fmtFields&svcSrc != 0
		if !peer.IsValid() {
			peer = f.src
		}
	} else {
		peer, svc, known = f.pktDst, f.dstService, f.fmtFields&svcDst != 0
		if !peer.IsValid() {
			peer = f.dst
		}
	}
	o.peer, o.svc, o.svcKnown, o.start = peer, svc, known, f.start
	o.key = e.peerKey(peer)
	o.h = hashAddrKey(o.key)
	port := boundPort
	if port == 0 {
		port = servicePort(f)
	}
	o.port = portKey(f.proto, port)

	o.pre = 0
	if c, ok := recordClass(f, svc, known, in); ok {
		o.pre = uint8(c) + 1
	}
	o.azEvidence = 0
	if f.azID != "" && f.nextHopAZID != "" {
		o.azEvidence = 2
		if f.azID == f.nextHopAZID {
			o.azEvidence = 1
		}
	}
	o.vpcID = ""
	if e.hasTopo {
		o.vpcID = f.vpcID
	}
	// A record attributed through a bridge task's host port (boundPort)
	// is the task serving on it: the peer, a load balancer node among
	// them (dynamic host ports are ephemeral), is its client.
	o.peerServes, o.lbNode = false, false
	if e.lbNodes != nil {
		if _, o.lbNode = e.lbNodes[peer.Unmap()]; o.lbNode {
			o.peerServes = boundPort == 0 && peerIsServer(f, in)
		}
	}
}

// ephemeralStart is where Linux's ephemeral port range begins: a client's
// source port is at or above it.
const ephemeralStart = 32768

// peerIsServer reports whether the record's peer side (its source when
// in) is the connection's server: the side a SYN went to, or that sent a
// SYN-ACK; without tcp-flags, the peer's port is below the task's and the
// task's is in Linux's ephemeral range. (A load balancer node forwards to
// a target from a port of its own choosing, anywhere from 1024 up, to the
// target's container port, which is seldom ephemeral: the lower-port rule
// of servicePort would take some of those connections for the task's.)
func peerIsServer(f *flow, in bool) bool {
	if !f.hasPorts {
		return false
	}
	switch opener(f) {
	case openerSrc: // the source opened: the destination serves
		return !in
	case openerDst: // a SYN-ACK: the source serves
		return in
	}
	local, peer := f.srcPort, f.dstPort
	if in {
		local, peer = f.dstPort, f.srcPort
	}
	return local >= ephemeralStart && peer != 0 && peer < local
}

// flush applies the staged records to their tasks, in order; during a
// pipelined AddAll the applier decides whether here or on its goroutine.
func (e *engine) flush() {
	ops := e.ops[:e.nops]
	e.nops = 0
	if e.apl != nil {
		if len(ops) > 0 {
			e.ops = e.apl.flush(ops)
		}
		return
	}
	e.applyOps(ops)
}

// applyOps applies staged records, opsBatch at a time.
func (e *engine) applyOps(ops []op) {
	for len(ops) > 0 {
		n := min(len(ops), opsBatch)
		e.applyBatch(ops[:n])
		ops = ops[n:]
	}
}

// applyBatch applies up to opsBatch staged records. The first passes only
// read: each touches, for every record, lines the next pass or apply reads
// (the task's first lines; then its peer slot, filter cell and series
// bucket; then the peer entry the slot names), so that the misses of a
// whole batch are in flight together. Their results are hints: apply looks
// everything up again, so the rollups are exactly those of applying one
// record after another.
func (e *engine) applyBatch(ops []op) {
	var sink uint64
	if e.cfg.noPeers {
		for i := range ops {
			sink += ops[i].r.c.Records
		}
	} else {
		for i := range ops {
			r := ops[i].r
			sink += r.c.Records + uint64(r.pc.keys[0]) + uint64(r.pc.next) + uint64(r.peers.max) + r.peers.floor
		}
	}
	for i := range ops {
		o := &ops[i]
		r := o.r
		if c, w := r.ser.cells[:cap(r.ser.cells)], int64(r.ser.width()); w > 0 && r.ser.offs == nil {
			if n := o.bucket - r.ser.first; n >= 0 && (n+1)*w <= int64(len(c)) {
				sink += uint64(c[n*w])
			}
		}
		if e.cfg.noPeers {
			continue
		}
		if s := r.peers.slots; len(s) > 0 {
			sink += uint64(s[int(o.h>>48)&(len(s)-1)])
		}
		if a := r.peers.alpha; len(a) > 0 {
			sink += uint64(a[r.peers.cell(o.h)])
		}
	}
	if !e.cfg.noPeers {
		for i := range ops {
			o := &ops[i]
			t := &o.r.peers
			if s := t.slots; len(s) > 0 {
				if v := s[int(o.h>>48)&(len(s)-1)]; v != 0 {
					if j := int(v&0xffff) - 1; j < len(t.hot) {
						sink += t.hot[j].w
					}
				} else if n := len(t.hot); n < cap(t.hot) {
					// Most likely a new peer: where it will go.
					sink += t.hot[:n+1][n].w
				} else if f := t.full; f != nil && f.nc > 0 {
					// Or the entry it may replace.
					m := f.cand[f.minCand()]
					sink += t.hot[m].w + t.errAt(int(m))
				}
			}
		}
	}
	e.sink += sink
	for i := range ops {
		e.apply(&ops[i])
		ops[i].r = nil
	}
}

// apply adds a staged record to its task's rollup.
func (e *engine) apply(o *op) {
	r := o.r
	c := &r.c
	switch o.dir {
	case dirIngress:
		c.BytesIn += o.bytes
		c.PacketsIn += o.packets
	case dirEgress:
		c.BytesOut += o.bytes
		c.PacketsOut += o.packets
	default:
		c.BytesUnknown += o.bytes
		c.PacketsUnknown += o.packets
	}
	c.Records++
	switch o.action {
	case actionAccept:
		c.AcceptedBytes += o.bytes
	case actionReject:
		c.RejectedBytes += o.bytes
	}
	if o.inferred {
		c := r.makeCold()
		c.inferredBytes += o.bytes
		c.inferredRecords++
	}
	if !e.cfg.noPeers {
		e.applyPeer(o, r)
	}
	if !r.ser.add(o.bucket, o.dir, o.bytes, e.cfg.maxBuckets) {
		e.stats.SeriesDropped++
	}
}

// applyPeer updates the task's top peers (and so its bytes by peer class)
// and its ports.
func (e *engine) applyPeer(o *op, r *rollup) {
	pi, inserted := r.peers.addFiltered(o.key, o.h, o.bytes, o.packets)
	// A kept peer's bytes count in its class through its entry (see
	// classBytes); a record's egress or unknown-direction bytes go to the
	// class counters by direction whether or not its peer is kept.
	var cls PeerClass
	switch {
	case pi < 0:
		// A peer not kept (its bytes went to the summary's filter): its
		// class is still counted, record by record.
		cls = e.classify(o, r.task)
		r.peers.countNotKept(uint8(cls), o.bytes)
	case inserted:
		cls = e.classify(o, r.task)
		r.peers.hot[pi].tag = uint8(cls)
		if svc := e.svc.intern(o.svc); svc != nil {
			*r.peers.valRef(pi) = peerVal{service: svc}
		}
	default:
		cls = PeerClass(r.peers.hot[pi].tag)
		if o.lbNode || cls == PeerLoadBalancer || !e.wholePeers {
			// Each record counts in its own class, whatever the first
			// one made the entry's (Peer.Class): a load balancer node's
			// records disagree by role (the task its target or its
			// client), and a prefix (WithPeerPrefix) holds addresses of
			// several classes (a /16 the task's AZ's subnets and the
			// other AZs', a node and addresses whose transfer is billed).
			if c := e.classify(o, r.task); c != cls {
				r.peers.retag(uint8(cls), uint8(c), o.bytes)
				cls = c
			}
		}
	}
	switch o.dir {
	case dirEgress:
		r.classOut[cls] += o.bytes
	case dirUnknown:
		r.makeCold().classUnknown[cls] += o.bytes
	}
	r.addPort(o.port, o.bytes, o.packets)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// direction tells whether the record is traffic into the task (dirIngress)
// or out of it (dirEgress): flow-direction when the record has it, else
// which side carries the task's (or its instance's) own address. When
// neither does, it is dirUnknown, and in is a guess, by the source being
// public, of which side is the peer, for the peer summaries only.
func (e *engine) direction(f *flow, st *taskState, inst *instanceState) (dir uint8, in bool) {
	switch f.dir {
	case dirIngress:
		return dirIngress, true
	case dirEgress:
		return dirEgress, false
	}
	if inst != nil {
		if instOwns(inst, f.dst) || instOwns(inst, f.pktDst) {
			return dirIngress, true
		}
		if instOwns(inst, f.src) || instOwns(inst, f.pktSrc) {
			return dirEgress, false
		}
	}
	// srcaddr is the ENI's own address on egress, dstaddr on ingress; the
	// pkt-* fields carry the task's address when seen on another interface.
	if st.owns(f.src) || st.owns(f.pktSrc) {
		return dirEgress, false
	}
	if st.owns(f.dst) || st.owns(f.pktDst) {
		return dirIngress, true
	}
	e.stats.DirectionUnknown++
	return dirUnknown, !f.src.IsPrivate()
}

// TCP flag bits of flow.tcpFlags.
const (
	flagSYN uint8 = 2
	flagACK uint8 = 16
)

// Which side of a flow opened its connection, by tcp-flags: the source
// of a SYN, the destination of a SYN-ACK; unknown otherwise.
const (
	openerUnknown = iota
	openerSrc
	openerDst
)

func opener(f *flow) int {
	if f.hasFlags {
		switch f.tcpFlags & (flagSYN | flagACK) {
		case flagSYN:
			return openerSrc
		case flagSYN | flagACK:
			return openerDst
		}
	}
	return openerUnknown
}

// servicePort picks the server side's port of a flow: the destination of a
// SYN, the source of a SYN-ACK, otherwise the lower of the two ports (the
// ephemeral range starts at 32768 on Linux, 49152 on Windows).
func servicePort(f *flow) uint16 {
	if !f.hasPorts {
		return 0
	}
	switch opener(f) {
	case openerSrc:
		return f.dstPort
	case openerDst:
		return f.srcPort
	}
	if f.srcPort != 0 && f.srcPort < f.dstPort || f.dstPort == 0 {
		return f.srcPort
	}
	return f.dstPort
}

// peerKey masks a to the configured peer prefix and packs it as a key; the
// invalid address (no peer recorded) is the zero key.
//
// The zero key is also what IPv6's ::/N masks to, which a peer's prefix
// is at /0 (WithPeerPrefix(…, 0): every IPv6 peer) and, at /64, for an
// address whose first 64 bits are zero: such peers were shown as no peer
// at all (an invalid Prefix) and added to the records that name none. A
// masked IPv6 key (N < 128) has its last bit clear, and an IPv4 key is
// ::ffff:a.b.c.d, so ::/N takes v6ZeroPrefix (::1), which no other masked
// key is; peer and peerEntry read it back as ::/N. (Unmasked, at /128,
// :: itself stays the zero key: the unspecified address is no packet's
// source or destination off the link, RFC 4291 §2.5.2.)
func (e *engine) peerKey(a netip.Addr) addrKey {
	if !a.IsValid() {
		return addrKey{}
	}
	k := keyOf(a)
	if a.Is4() {
		if b := e.cfg.v4Bits; b < 32 {
			k[1] &^= 1<<(32-b) - 1
		}
		return k
	}
	switch b := e.cfg.v6Bits; {
	case b >= 128:
		return k
	case b > 64:
		k[1] &^= 1<<(128-b) - 1
	default:
		k[0] &^= 1<<(64-b) - 1
		k[1] = 0
	}
	if k == (addrKey{}) {
		return v6ZeroPrefix
	}
	return k
}

// v6ZeroPrefix is the key of the IPv6 peer prefix ::/N, N < 128 (see
// peerKey).
var v6ZeroPrefix = addrKey{0, 1}

// keyOf packs a, unmasked (IPv4 as IPv4-mapped IPv6).
func keyOf(a netip.Addr) addrKey {
	if a.Is4() {
		b := a.As4()
		return addrKey{0, 0xffff<<32 | uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return addrKey{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// addr unpacks a peer key; the zero key is the invalid address. An IPv4
// key (::ffff:a.b.c.d, what keyOf makes of one) is read from its low
// word: taking the groups renders every kept peer, half a million at ten
// thousand tasks, and AddrFrom16 then Unmap took three times as long.
func (k addrKey) addr() netip.Addr {
	if k[0] == 0 && k[1]>>32 == 0xffff {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(k[1]))
		return netip.AddrFrom4(b)
	}
	if k == (addrKey{}) {
		return netip.Addr{}
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], k[0])
	binary.BigEndian.PutUint64(b[8:], k[1])
	return netip.AddrFrom16(b)
}

// serviceNames interns AWS service names for peerVal: one copy of each,
// whose address the entries keep.
type serviceNames map[string]*string

// maxServiceNames bounds serviceNames. AWS names a few dozen services in
// pkt-src-aws-service and pkt-dst-aws-service; past this many, the field
// holds something else (a corrupt or hostile log), and each entry gets
// its own copy instead: memory then grows with the peers kept, which are
// bounded, rather than with the distinct values read.
const maxServiceNames = 1024

// intern returns the one copy of the service name s, nil for "".
func (m serviceNames) intern(s string) *string {
	if s == "" {
		return nil
	}
	if v, ok := m[s]; ok {
		return v
	}
	v := new(string)
	*v = strings.Clone(s)
	if len(m) < maxServiceNames {
		m[*v] = v
	}
	return v
}

// recordClass is classify's evidence from the record itself, the most
// specific: pkt-*-aws-service, traffic-path (egress), v11 next-hop VPC.
func recordClass(f *flow, svc string, svcKnown, in bool) (PeerClass, bool) {
	if svc != "" {
		return PeerAWSService, true
	}
	if !in {
		if c, ok := classByTrafficPath(f.trafficPath, svcKnown); ok {
			return c, true
		}
	}
	if f.vpcID != "" && f.nextHopVPCID != "" && f.vpcID != f.nextHopVPCID {
		return PeerOtherVPC, true
	}
	return PeerUnknown, false
}

// classify decides a peer's class from what the data allows, most specific
// evidence first: the record's own (recordClass, staged in o.pre), then
// the peer's address: a task or instance the history knows there at the
// record's time, a load balancer node of the Topology, its subnets and
// VPCs.
func (e *engine) classify(o *op, st *taskState) PeerClass {
	if o.pre != 0 {
		return PeerClass(o.pre - 1)
	}
	peer := o.peer
	if !peer.IsValid() {
		return PeerUnknown
	}
	ph := o.h
	if !e.wholePeers {
		ph = addrHash(peer)
	}
	// A task's or an instance's address: same AZ or not. Most peers are
	// neither, which the filter tells without the map lookups.
	// owned: the history has an owner there at the record's time, AZ
	// known or not: then the address is no load balancer node's.
	owned := false
	if t := o.start; e.ix.mayOwnHash(ph) {
		if s, ok := e.ix.byAddr[peer]; ok {
			if p := findOwner(s, t, e.cfg.slack); p != nil {
				if c, ok := compareAZ(st.az, p.az); ok {
					return c
				}
				owned = true
			}
		}
		if s, ok := e.ix.instByAddr[peer]; ok {
			if p := findOwner(s, t, e.cfg.slack); p != nil {
				if c, ok := compareAZ(st.az, p.info.AvailabilityZone); ok {
					return c
				}
				owned = true
			}
		}
	}
	// An Application or Classic Load Balancer node, before its subnet
	// would class it by AZ: AWS does not bill its cross-AZ transfer with
	// its targets (see PeerLoadBalancer). The Topology is a snapshot, so
	// an owner the history knows at the record's time (above) comes first:
	// a node's address may have been a task's before. A node in another
	// VPC than the task's is reached across a peering, whose transfer is
	// billed as any other VPC's (the subnet and VPC checks below).
	// Only for the node's targets: a task that calls the load balancer
	// (an internal one, over its private addresses) is its client, and
	// client ↔ node traffic across AZs is billed.
	if o.lbNode && !o.peerServes && !owned {
		if vpc, ok := e.lbNodes[peer.Unmap()]; ok {
			if local := e.localVPC(o.vpcID, st); vpc == "" || local == "" || vpc == local {
				return PeerLoadBalancer
			}
		}
	}
	inVPC := false // the peer is in a VPC of the Topology
	if e.hasTopo {
		topo := &e.cfg.topo
		local := e.localVPC(o.vpcID, st)
		// Another VPC's subnet is left to vpcOf: the local VPC's block
		// may hold the address too, and wins.
		sn, sok := topo.subnetOf(peer, local)
		if sok && (local == "" || sn.VPC == "" || sn.VPC == local) {
			inVPC = true
			if c, ok := compareAZ(st.az, sn.AZ); ok {
				return c
			}
		}
		if v, ok := topo.vpcOf(peer, local, sn, sok); ok {
			if local != "" && v != local {
				return PeerOtherVPC
			}
			inVPC = true
		}
	}
	// An address of a VPC is not the internet's, routable or not (IPv6
	// blocks always are; a VPC may use public IPv4 space).
	public := isPublic(peer) && !inVPC
	// next-hop-az-id is the AZ of the next hop's interface: the peer's
	// only when the peer is reached at its own address in a VPC. A public
	// IPv4 peer outside the Topology's VPCs (or a NAT64 address) is
	// reached through a NAT gateway, whose AZ that is, or at a public
	// address, which AWS bills ($0.01/GB each way) whatever the AZ: its
	// class is never same or cross AZ.
	if !public || !viaPublicIPv4(peer) {
		switch o.azEvidence {
		case 1:
			return PeerSameAZ
		case 2:
			return PeerCrossAZ
		}
	}
	if public {
		if o.svcKnown {
			return PeerInternet
		}
		return PeerPublic
	}
	return PeerUnknown
}

// localVPC is the task's VPC: the record's vpc-id, else its subnet's
// (the history's SubnetID), else the one VPC of the topology holding its
// address; "" when none does, or several (VPCs of the same CIDR: which
// one is the task's is not known).
func (e *engine) localVPC(vpcID string, st *taskState) string {
	if vpcID != "" {
		return vpcID
	}
	if i := st.topoVPC; i > 0 {
		return e.vpcIDs[i-1]
	}
	return ""
}

// internVPC adds id to e.vpcIDs (newEngine only).
func (e *engine) internVPC(id string) {
	if id == "" {
		return
	}
	if e.vpcIdx == nil {
		e.vpcIdx = map[string]int32{}
	}
	if _, ok := e.vpcIdx[id]; !ok {
		e.vpcIDs = append(e.vpcIDs, id)
		e.vpcIdx[id] = int32(len(e.vpcIDs))
	}
}

// topoVPC is localVPC without vpc-id, by the Topology: its subnet by ID,
// else the VPCs holding its addresses, done once a task
// (taskState.topoVPC).
func (e *engine) topoVPC(st *taskState) string {
	topo := &e.cfg.topo
	if id := st.info.SubnetID; id != "" {
		if v, ok := e.subnetVPC[id]; ok {
			return v
		}
	}
	for _, a := range st.addrs {
		if v, n := topo.vpcsOf(a); n == 1 {
			return v
		} else if n > 1 {
			return ""
		}
	}
	return ""
}
