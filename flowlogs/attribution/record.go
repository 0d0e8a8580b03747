package attribution

import (
	"iter"
	"math/bits"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// Fields are the flow-log fields attribution reads. Pass them to
// flowlogs.WithFields(attribution.Fields()...) so the parser decodes nothing
// else; fields the format lacks are simply absent. A narrower selection
// must keep pkt-src-aws-service and pkt-dst-aws-service when the format has
// them: a public peer whose field is in the format but empty counts as the
// internet (PeerInternet), not an AWS service. Likewise
// ecs-container-instance-arn and ecs-container-instance-id: a task known
// only from records whose format has one of them, empty, is a Fargate
// task. A selection without start and end leaves every record without a
// time, so no task ENI, address or host port is held then: such records are
// OutsideLifetime (or UnknownENI), not an error, and one without the
// addresses and ports attributes no bridge or trunk traffic. Leave Fields
// whole unless you have measured a reason not to.
func Fields() []flowlogs.Field {
	return []flowlogs.Field{
		flowlogs.FieldInterfaceID, flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr,
		flowlogs.FieldSrcPort, flowlogs.FieldDstPort, flowlogs.FieldProtocol,
		flowlogs.FieldPackets, flowlogs.FieldBytes, flowlogs.FieldStart, flowlogs.FieldEnd,
		flowlogs.FieldAction, flowlogs.FieldLogStatus,
		flowlogs.FieldVPCID, flowlogs.FieldTCPFlags, flowlogs.FieldPktSrcAddr, flowlogs.FieldPktDstAddr,
		flowlogs.FieldAZID,
		flowlogs.FieldPktSrcAWSService, flowlogs.FieldPktDstAWSService, flowlogs.FieldFlowDirection, flowlogs.FieldTrafficPath,
		flowlogs.FieldECSClusterARN, flowlogs.FieldECSClusterName, flowlogs.FieldECSContainerInstanceARN,
		flowlogs.FieldECSContainerInstanceID, flowlogs.FieldECSServiceName,
		flowlogs.FieldECSTaskDefinitionARN, flowlogs.FieldECSTaskARN, flowlogs.FieldECSTaskID,
		flowlogs.FieldNextHopAZID, flowlogs.FieldNextHopVPCID, flowlogs.FieldInterfaceType,
	}
}

// intermediaryTypes are the interface-type values (v11; reference
// flowlogs §2.8) of interfaces that carry other resources' traffic: a NAT
// gateway's, a load balancer's, a transit gateway's, an endpoint's. On
// such an interface a task's address is the far side, or the client that
// a transit gateway or a client-IP-preserving load balancer records as
// pkt-srcaddr (reference §6), and those bytes are on the task's own ENI
// already: the address fallback does not look at their records.
var intermediaryTypes = []string{"nat_gateway", "network_load_balancer", "regional_nat_gateway", "transit_gateway", "vpc_endpoint"}

// IntermediaryInterfaceTypes returns the interface-type values whose
// records the address fallback skips (rule version 3), for the SQL join
// (sqlattr) to skip the same.
func IntermediaryInterfaceTypes() []string { return slices.Clone(intermediaryTypes) }

func isIntermediary(t string) bool {
	if t == "" {
		return false
	}
	return slices.Contains(intermediaryTypes, t)
}

// Add attributes one record. The record is not retained. A record that
// would make the byte or packet total pass 2^64-1 is refused, and so is
// every later one: Err then returns an *OverflowError. What the record's
// format has (Record.Format) counts, not only its values: a public peer
// is the internet only when the format has the peer side's
// pkt-*-aws-service field. A Record built by hand has no format, so its
// public peers are PeerPublic, and a task made from its ecs-* fields has
// no launch type.
func (a *Attributor) Add(r *flowlogs.Record) {
	var f flow
	fromRecord(r, &f)
	a.e.add(&f)
}

// AddAll attributes every record of a stream (flowlogs.Reader.All, or any
// source with the same shape) and returns the stream's error, if any; the
// records before it are attributed. It stops at a record that would
// overflow a total (see Add) and returns the *OverflowError.
//
// With more than one core (GOMAXPROCS > 1, and without WithSyncAddAll),
// the work runs in stages that overlap, a batch of records at a time: the
// caller's goroutine runs the stream and copies what attribution needs of
// each record; a second goroutine joins the records to their tasks, in
// order, and applies them to the tasks' rollups, or, when the rollups are
// large enough for that to keep the parser waiting (thousands of tasks),
// hands the joined records to a third goroutine that applies them (the
// batches take up to 8 MiB: 5.5 for a stream of more than 12,288
// records, 0.5 for the joined records, 1.6 more once the third goroutine
// is used). The stream's records are not retained either way (strings
// from a flowlogs.Parser are interned, so the copies need none of its
// buffers); the results are those of attributing record after record.
func (a *Attributor) AddAll(records iter.Seq2[*flowlogs.Record, error]) error {
	if a.e.cfg.syncAdd || runtime.GOMAXPROCS(0) < 2 {
		// The records are added a few at a time (see addBatch); those the
		// stream yielded are added also when it panics. A record that would
		// overflow a total is added at once, so that the stream is read no
		// further than record by record would (proj is the total with what
		// waits added).
		var fs [opsBatch]flow
		proj := a.e.total
		n := 0
		add := func() {
			b := fs[:n]
			n = 0 // not again, if adding them panics
			a.e.addBatch(b)
			proj = a.e.total
		}
		defer add()
		for r, err := range records {
			if err != nil {
				add()
				a.e.flush()
				if over := a.Err(); over != nil {
					return over // it came before the stream's error
				}
				return err
			}
			f := &fs[n]
			fromRecord(r, f)
			n++
			var c1, c2 uint64
			proj.Bytes, c1 = bits.Add64(proj.Bytes, f.bytes, 0)
			proj.Packets, c2 = bits.Add64(proj.Packets, f.packets, 0)
			if n == len(fs) || c1|c2 != 0 || a.e.over != nil {
				add()
				if a.e.over != nil {
					break
				}
			}
		}
		add()
		a.e.flush()
		return a.Err()
	}
	return a.addPipelined(records)
}

// pipeBatch is how many records AddAll hands to its attributing goroutine
// at a time, and pipeBatches how many batches may exist (filled, in
// flight, or being attributed). When one side outpaces the other, every
// batch handed over wakes the waiting one: a futex wake and a switch of
// threads, paid by the side that is behind, and dear under some
// hypervisors (on the machine of bench/README, at some moments about
// 40 µs: a goroutine that only hands the batches back then cost the
// parser a fifth at 1,024 flows a batch; see BenchmarkHandoff). So a
// batch is big: 4,096 flows, 1.4 MiB.
const (
	pipeBatch   = 4096
	pipeBatches = 4
)

func (a *Attributor) addPipelined(records iter.Seq2[*flowlogs.Record, error]) (err error) {
	bs := newBatches[flow](pipeBatches, pipeBatch)
	done := make(chan struct{})
	// A panic while attributing is caught here and raised again in the
	// caller's goroutine once AddAll is done with a.e, as in sync mode,
	// where it reaches the caller directly; the records attributed before
	// it stay counted either way.
	var failed atomic.Bool // after a panic or an overflow
	var panicked any
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				panicked = p
				failed.Store(true)
				bs.discard() // until the caller sees failed
			}
		}()
		// The applier is done with the rollups before this goroutine is,
		// also after a panic here; its own panic is raised again here.
		a.e.startApplier(func() bool { return len(bs.full) > 0 })
		defer a.e.stopApplier()
		for b := range bs.full {
			a.e.addBatch(b)
			if a.e.over != nil || a.e.apl.fail.Load() {
				failed.Store(true) // the caller stops reading
			}
			bs.giveBack(b)
		}
	}()
	b, n := bs.empty(), 0
	// The attributing goroutine gets the partial batch and is done with a.e
	// before AddAll returns, also if the stream panics: sync mode has
	// attributed every record the stream yielded before its panic too.
	defer func() {
		if n > 0 {
			bs.full <- b[:n] // never blocks: b is one of the pipeBatches
		}
		close(bs.full)
		<-done
		if panicked != nil {
			panic(panicked) // the staged records wait for Result, as in sync mode
		}
		a.e.flush()
		if over := a.Err(); over != nil {
			err = over // sync mode stops there, before any later stream error
		}
	}()
	for r, rerr := range records {
		if rerr != nil {
			err = rerr
			break
		}
		fromRecord(r, &b[n])
		if n++; n == len(b) {
			bs.full <- b
			b, n = bs.empty(), 0
			if failed.Load() {
				break
			}
		}
	}
	return err
}

// Field masks fromRecord tests against Record.Present, word by word (a
// FieldSet copied whole goes through the stack and stalls its loads).
var (
	portMask0, portMask1 = masks(flowlogs.FieldSrcPort, flowlogs.FieldDstPort)
	// The rare fields are those most formats lack (v5 services, v7 ECS,
	// v11 next hop): a record without any of them skips their copies.
	rareMask0, rareMask1 = masks(flowlogs.FieldPktSrcAWSService, flowlogs.FieldPktDstAWSService,
		flowlogs.FieldECSTaskARN, flowlogs.FieldECSTaskID, flowlogs.FieldECSClusterARN, flowlogs.FieldECSClusterName,
		flowlogs.FieldECSServiceName, flowlogs.FieldECSTaskDefinitionARN, flowlogs.FieldECSContainerInstanceARN,
		flowlogs.FieldECSContainerInstanceID, flowlogs.FieldNextHopAZID, flowlogs.FieldNextHopVPCID,
		flowlogs.FieldInterfaceType)
)

// flow.fmtFields bits: fields the record's format has.
const (
	svcSrc         uint8 = 1 << iota // pkt-src-aws-service
	svcDst                           // pkt-dst-aws-service
	ecsInstance                      // ecs-container-instance-arn or -id (set with the rare fields only)
	onIntermediary                   // not a field: interface-type is an intermediary's (rare fields only)
)

func masks(fs ...flowlogs.Field) (uint64, uint64) {
	s := flowlogs.Fields(fs...)
	return s[0], s[1]
}

func has(p0, p1 uint64, f flowlogs.Field) bool {
	w := p0
	if f >= 64 {
		w = p1
	}
	return w&(1<<(f&63)) != 0
}

// fromRecord fills f from r field by field: f is reused from record to
// record, and a composite literal would build the whole flow on the stack
// and copy it, write barriers included, on every record.
func fromRecord(r *flowlogs.Record, f *flow) {
	p0, p1 := r.Present[0], r.Present[1]
	f.eni = r.InterfaceID
	f.eniSym = r.Symbol(flowlogs.FieldInterfaceID)
	f.src = r.SrcAddr.Unmap()
	f.dst = r.DstAddr.Unmap()
	f.pktSrc = r.PktSrcAddr.Unmap()
	f.pktDst = r.PktDstAddr.Unmap()
	f.srcPort, f.dstPort, f.proto = r.SrcPort, r.DstPort, r.Protocol
	f.hasPorts = p0&portMask0|p1&portMask1 != 0
	f.bytes, f.packets = 0, 0
	if r.Bytes > 0 {
		f.bytes = uint64(r.Bytes)
	}
	if r.Packets > 0 {
		f.packets = uint64(r.Packets)
	}
	f.start = r.Start
	if !has(p0, p1, flowlogs.FieldStart) {
		f.start = r.End
	}
	f.trafficPath = uint8(r.TrafficPath)
	f.tcpFlags = uint8(r.TCPFlags)
	f.hasFlags = has(p0, p1, flowlogs.FieldTCPFlags)
	f.action = actionNone
	switch r.Action {
	case flowlogs.ActionAccept:
		f.action = actionAccept
	case flowlogs.ActionReject:
		f.action = actionReject
	}
	f.status = statusOK
	switch r.LogStatus {
	case flowlogs.StatusNoData:
		f.status = statusNoData
	case flowlogs.StatusSkipData:
		f.status = statusSkipData
	}
	f.dir = dirUnknown
	switch r.FlowDirection {
	case flowlogs.DirectionIngress:
		f.dir = dirIngress
	case flowlogs.DirectionEgress:
		f.dir = dirEgress
	}
	f.azID, f.vpcID = r.AZID, r.VPCID
	f.fmtFields = 0
	fm := r.Format()
	if fm != nil {
		if fm.Has(flowlogs.FieldPktSrcAWSService) {
			f.fmtFields |= svcSrc
		}
		if fm.Has(flowlogs.FieldPktDstAWSService) {
			f.fmtFields |= svcDst
		}
	}
	if p0&rareMask0|p1&rareMask1 != 0 {
		f.srcService, f.dstService = r.PktSrcAWSService, r.PktDstAWSService
		f.ecsTaskARN, f.ecsTaskID = r.ECSTaskARN, r.ECSTaskID
		// The cluster and the container instance by ARN, else by the
		// name or ID (the compact v7 fields, selectable on their own).
		f.ecsCluster, f.ecsService = r.ECSClusterARN, r.ECSServiceName
		if f.ecsCluster == "" {
			f.ecsCluster = r.ECSClusterName
		}
		f.ecsTaskDef, f.ecsInstance = r.ECSTaskDefinitionARN, r.ECSContainerInstanceARN
		if f.ecsInstance == "" {
			f.ecsInstance = r.ECSContainerInstanceID
		}
		if fm != nil && (fm.Has(flowlogs.FieldECSContainerInstanceARN) || fm.Has(flowlogs.FieldECSContainerInstanceID)) {
			f.fmtFields |= ecsInstance
		}
		f.nextHopAZID, f.nextHopVPCID = r.NextHopAZID, r.NextHopVPCID
		if isIntermediary(r.InterfaceType) {
			f.fmtFields |= onIntermediary
		}
		f.rare = true
	} else if f.rare {
		f.srcService, f.dstService = "", ""
		f.ecsTaskARN, f.ecsTaskID, f.ecsCluster, f.ecsService, f.ecsTaskDef, f.ecsInstance = "", "", "", "", "", ""
		f.nextHopAZID, f.nextHopVPCID = "", ""
		f.rare = false
	}
}
