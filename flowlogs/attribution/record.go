package attribution

import (
	"iter"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// Fields are the flow-log fields attribution reads. Pass them to
// flowlogs.WithFields(attribution.Fields()...) so the parser decodes nothing
// else; fields the format lacks are simply absent.
func Fields() []flowlogs.Field {
	return []flowlogs.Field{
		flowlogs.FieldInterfaceID, flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr,
		flowlogs.FieldSrcPort, flowlogs.FieldDstPort, flowlogs.FieldProtocol,
		flowlogs.FieldPackets, flowlogs.FieldBytes, flowlogs.FieldStart, flowlogs.FieldEnd,
		flowlogs.FieldAction, flowlogs.FieldLogStatus,
		flowlogs.FieldVPCID, flowlogs.FieldTCPFlags, flowlogs.FieldPktSrcAddr, flowlogs.FieldPktDstAddr,
		flowlogs.FieldAZID,
		flowlogs.FieldPktSrcAWSService, flowlogs.FieldPktDstAWSService, flowlogs.FieldFlowDirection, flowlogs.FieldTrafficPath,
		flowlogs.FieldECSClusterARN, flowlogs.FieldECSContainerInstanceARN, flowlogs.FieldECSServiceName,
		flowlogs.FieldECSTaskDefinitionARN, flowlogs.FieldECSTaskARN, flowlogs.FieldECSTaskID,
		flowlogs.FieldNextHopAZID, flowlogs.FieldNextHopVPCID,
	}
}

// Add attributes one record. The record is not retained.
func (a *Attributor) Add(r *flowlogs.Record) {
	var f flow
	fromRecord(r, &f)
	a.e.add(&f)
}

// AddAll attributes every record of a stream (flowlogs.Reader.All, or any
// source with the same shape) and returns the stream's error, if any; the
// records before it are attributed.
func (a *Attributor) AddAll(records iter.Seq2[*flowlogs.Record, error]) error {
	var f flow
	for r, err := range records {
		if err != nil {
			return err
		}
		fromRecord(r, &f)
		a.e.add(&f)
	}
	return nil
}

func fromRecord(r *flowlogs.Record, f *flow) {
	*f = flow{
		eni:          r.InterfaceID,
		eniSym:       r.Symbol(flowlogs.FieldInterfaceID),
		src:          r.SrcAddr.Unmap(),
		dst:          r.DstAddr.Unmap(),
		pktSrc:       r.PktSrcAddr.Unmap(),
		pktDst:       r.PktDstAddr.Unmap(),
		srcPort:      r.SrcPort,
		dstPort:      r.DstPort,
		proto:        r.Protocol,
		hasPorts:     r.Has(flowlogs.FieldSrcPort) || r.Has(flowlogs.FieldDstPort),
		start:        r.Start,
		trafficPath:  uint8(r.TrafficPath),
		tcpFlags:     uint8(r.TCPFlags),
		hasFlags:     r.Has(flowlogs.FieldTCPFlags),
		srcService:   r.PktSrcAWSService,
		dstService:   r.PktDstAWSService,
		ecsTaskARN:   r.ECSTaskARN,
		ecsTaskID:    r.ECSTaskID,
		ecsCluster:   r.ECSClusterARN,
		ecsService:   r.ECSServiceName,
		ecsTaskDef:   r.ECSTaskDefinitionARN,
		ecsInstance:  r.ECSContainerInstanceARN,
		azID:         r.AZID,
		nextHopAZID:  r.NextHopAZID,
		vpcID:        r.VPCID,
		nextHopVPCID: r.NextHopVPCID,
	}
	if r.Bytes > 0 {
		f.bytes = uint64(r.Bytes)
	}
	if r.Packets > 0 {
		f.packets = uint64(r.Packets)
	}
	if !r.Has(flowlogs.FieldStart) {
		f.start = r.End
	}
	switch r.Action {
	case flowlogs.ActionAccept:
		f.action = actionAccept
	case flowlogs.ActionReject:
		f.action = actionReject
	}
	switch r.LogStatus {
	case flowlogs.StatusNoData:
		f.status = statusNoData
	case flowlogs.StatusSkipData:
		f.status = statusSkipData
	}
	switch r.FlowDirection {
	case flowlogs.DirectionIngress:
		f.dir = dirIngress
	case flowlogs.DirectionEgress:
		f.dir = dirEgress
	}
}
