package sqlattr

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// flowRow is a flow-log record with AWS's Parquet column names (the field
// names with underscores) and types (INT_32 for version, ports, protocol,
// tcp-flags and traffic-path; INT_64 for packets, bytes, start and end;
// STRING otherwise). An absent value ("-", or a field the format lacks)
// is null.
type flowRow struct {
	Version                 *int32  `parquet:"version,optional"`
	AccountID               *string `parquet:"account_id,optional"`
	InterfaceID             *string `parquet:"interface_id,optional"`
	SrcAddr                 *string `parquet:"srcaddr,optional"`
	DstAddr                 *string `parquet:"dstaddr,optional"`
	SrcPort                 *int32  `parquet:"srcport,optional"`
	DstPort                 *int32  `parquet:"dstport,optional"`
	Protocol                *int32  `parquet:"protocol,optional"`
	Packets                 *int64  `parquet:"packets,optional"`
	Bytes                   *int64  `parquet:"bytes,optional"`
	Start                   *int64  `parquet:"start,optional"`
	End                     *int64  `parquet:"end,optional"`
	Action                  *string `parquet:"action,optional"`
	LogStatus               *string `parquet:"log_status,optional"`
	VPCID                   *string `parquet:"vpc_id,optional"`
	TCPFlags                *int32  `parquet:"tcp_flags,optional"`
	PktSrcAddr              *string `parquet:"pkt_srcaddr,optional"`
	PktDstAddr              *string `parquet:"pkt_dstaddr,optional"`
	AZID                    *string `parquet:"az_id,optional"`
	PktSrcAWSService        *string `parquet:"pkt_src_aws_service,optional"`
	PktDstAWSService        *string `parquet:"pkt_dst_aws_service,optional"`
	FlowDirection           *string `parquet:"flow_direction,optional"`
	TrafficPath             *int32  `parquet:"traffic_path,optional"`
	ECSClusterARN           *string `parquet:"ecs_cluster_arn,optional"`
	ECSClusterName          *string `parquet:"ecs_cluster_name,optional"`
	ECSContainerInstanceARN *string `parquet:"ecs_container_instance_arn,optional"`
	ECSContainerInstanceID  *string `parquet:"ecs_container_instance_id,optional"`
	ECSServiceName          *string `parquet:"ecs_service_name,optional"`
	ECSTaskDefinitionARN    *string `parquet:"ecs_task_definition_arn,optional"`
	ECSTaskARN              *string `parquet:"ecs_task_arn,optional"`
	ECSTaskID               *string `parquet:"ecs_task_id,optional"`
	InterfaceType           *string `parquet:"interface_type,optional"`
	NextHopAZID             *string `parquet:"next_hop_az_id,optional"`
	NextHopVPCID            *string `parquet:"next_hop_vpc_id,optional"`
}

// FlowLogFields are the fields FlowLogWriter writes, in column order: the
// ones attribution reads (attribution.Fields), with version and
// account-id.
func FlowLogFields() []flowlogs.Field {
	return []flowlogs.Field{flowlogs.FieldVersion, flowlogs.FieldAccountID, flowlogs.FieldInterfaceID,
		flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr, flowlogs.FieldSrcPort, flowlogs.FieldDstPort,
		flowlogs.FieldProtocol, flowlogs.FieldPackets, flowlogs.FieldBytes, flowlogs.FieldStart, flowlogs.FieldEnd,
		flowlogs.FieldAction, flowlogs.FieldLogStatus, flowlogs.FieldVPCID, flowlogs.FieldTCPFlags,
		flowlogs.FieldPktSrcAddr, flowlogs.FieldPktDstAddr, flowlogs.FieldAZID,
		flowlogs.FieldPktSrcAWSService, flowlogs.FieldPktDstAWSService, flowlogs.FieldFlowDirection,
		flowlogs.FieldTrafficPath, flowlogs.FieldECSClusterARN, flowlogs.FieldECSClusterName,
		flowlogs.FieldECSContainerInstanceARN, flowlogs.FieldECSContainerInstanceID, flowlogs.FieldECSServiceName, flowlogs.FieldECSTaskDefinitionARN, flowlogs.FieldECSTaskARN,
		flowlogs.FieldECSTaskID, flowlogs.FieldInterfaceType, flowlogs.FieldNextHopAZID, flowlogs.FieldNextHopVPCID}
}

// FlowLogWriter writes flow-log records as one Parquet file in the layout
// AWS delivers (FileFormat "parquet"), so that the SQL of a Builder reads
// them as it would read AWS's files. Values are copied from each record's
// text (Record.RawField), so a record must come from a text or Parquet
// reader that kept the fields FlowLogFields lists (no WithFields narrower
// than that); but start and end are the parser's (Record.Start and End,
// null when absent): Unix seconds, millisecond values converted, and a
// value the parser refused (a lenient reader's) left out, as attribution
// reads them. The file has every column of FlowLogFields whatever the
// records' format: read back with parquetsource, its format has
// pkt-src-aws-service and pkt-dst-aws-service, so a public peer that the
// original format left as attribution.PeerPublic reads as PeerInternet
// (the SQL does not classify peers, so its numbers are the same).
type FlowLogWriter struct {
	w   *parquet.GenericWriter[flowRow]
	buf []flowRow
	n   int
}

// NewFlowLogWriter returns a writer to w; Close finishes the file.
func NewFlowLogWriter(w io.Writer) *FlowLogWriter {
	return &FlowLogWriter{w: parquet.NewGenericWriter[flowRow](w, parquet.Compression(&parquet.Snappy),
		parquet.CreatedBy("ecsnet", "sqlattr", "v1"))}
}

// Write adds one record. Values that do not parse as their column's type
// (text that is not UTF-8 among them), and text holding white space (a
// tab or line end the text parser kept inside a field, which
// parquetsource refuses to read back), are an error naming the record
// and field.
func (fw *FlowLogWriter) Write(r *flowlogs.Record) error {
	fw.n++
	var row flowRow
	var err error
	s := func(f flowlogs.Field) *string {
		b, ok := r.RawField(f)
		if !ok || len(b) == 0 || string(b) == "-" {
			return nil
		}
		if !utf8.Valid(b) && err == nil {
			// A Parquet STRING is UTF-8: DuckDB refuses a file holding
			// other bytes, whole.
			err = fmt.Errorf("sqlattr: record %d: field %s: %s is not UTF-8", fw.n, f, awswire.Quote(string(b)))
		}
		if bytes.ContainsAny(b, " \t\r\n") && err == nil {
			// The text parser splits fields at spaces only, so a tab or
			// line end inside one is its value; parquetsource refuses
			// them (a text field cannot hold them), so a file holding one
			// could not be read back as flow logs.
			err = fmt.Errorf("sqlattr: record %d: field %s: %s contains white space", fw.n, f, awswire.Quote(string(b)))
		}
		v := string(b)
		return &v
	}
	i64 := func(f flowlogs.Field) *int64 {
		p := s(f)
		if p == nil {
			return nil
		}
		v, perr := strconv.ParseInt(*p, 10, 64)
		if perr != nil && err == nil {
			err = fmt.Errorf("sqlattr: record %d: field %s: %w", fw.n, f, perr)
		}
		return &v
	}
	i32 := func(f flowlogs.Field) *int32 {
		p := i64(f)
		if p == nil {
			return nil
		}
		v := int32(*p)
		if int64(v) != *p && err == nil {
			err = fmt.Errorf("sqlattr: record %d: field %s: %d out of INT_32 range", fw.n, f, *p)
		}
		return &v
	}
	parsed := func(f flowlogs.Field, v int64) *int64 {
		if !r.Has(f) {
			return nil
		}
		return &v
	}
	row = flowRow{
		Version: i32(flowlogs.FieldVersion), AccountID: s(flowlogs.FieldAccountID),
		InterfaceID: s(flowlogs.FieldInterfaceID), SrcAddr: s(flowlogs.FieldSrcAddr), DstAddr: s(flowlogs.FieldDstAddr),
		SrcPort: i32(flowlogs.FieldSrcPort), DstPort: i32(flowlogs.FieldDstPort), Protocol: i32(flowlogs.FieldProtocol),
		Packets: i64(flowlogs.FieldPackets), Bytes: i64(flowlogs.FieldBytes),
		Start: parsed(flowlogs.FieldStart, r.Start), End: parsed(flowlogs.FieldEnd, r.End),
		Action: s(flowlogs.FieldAction), LogStatus: s(flowlogs.FieldLogStatus), VPCID: s(flowlogs.FieldVPCID),
		TCPFlags: i32(flowlogs.FieldTCPFlags), PktSrcAddr: s(flowlogs.FieldPktSrcAddr), PktDstAddr: s(flowlogs.FieldPktDstAddr),
		AZID: s(flowlogs.FieldAZID), PktSrcAWSService: s(flowlogs.FieldPktSrcAWSService),
		PktDstAWSService: s(flowlogs.FieldPktDstAWSService), FlowDirection: s(flowlogs.FieldFlowDirection),
		TrafficPath:   i32(flowlogs.FieldTrafficPath),
		ECSClusterARN: s(flowlogs.FieldECSClusterARN), ECSClusterName: s(flowlogs.FieldECSClusterName),
		ECSContainerInstanceARN: s(flowlogs.FieldECSContainerInstanceARN), ECSContainerInstanceID: s(flowlogs.FieldECSContainerInstanceID),
		ECSServiceName: s(flowlogs.FieldECSServiceName), ECSTaskDefinitionARN: s(flowlogs.FieldECSTaskDefinitionARN),
		ECSTaskARN: s(flowlogs.FieldECSTaskARN), ECSTaskID: s(flowlogs.FieldECSTaskID),
		InterfaceType: s(flowlogs.FieldInterfaceType),
		NextHopAZID:   s(flowlogs.FieldNextHopAZID), NextHopVPCID: s(flowlogs.FieldNextHopVPCID),
	}
	if err != nil {
		return err
	}
	fw.buf = append(fw.buf, row)
	if len(fw.buf) == cap(fw.buf) && len(fw.buf) >= 1024 {
		return fw.flush()
	}
	return nil
}

func (fw *FlowLogWriter) flush() error {
	if len(fw.buf) == 0 {
		return nil
	}
	_, err := fw.w.Write(fw.buf)
	fw.buf = fw.buf[:0]
	if err != nil {
		return fmt.Errorf("sqlattr: writing Parquet: %w", err)
	}
	return nil
}

// Close writes what is buffered and the file's footer.
func (fw *FlowLogWriter) Close() error {
	if err := fw.flush(); err != nil {
		return err
	}
	if err := fw.w.Close(); err != nil {
		return fmt.Errorf("sqlattr: writing Parquet: %w", err)
	}
	return nil
}
