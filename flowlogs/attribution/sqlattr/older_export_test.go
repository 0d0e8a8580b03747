package sqlattr

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
)

// TestOlderExportReads: a flow-log file FlowLogWriter wrote before
// next_hop_az_id and next_hop_vpc_id were added (flowRow without them, as
// that writer made it) still reads with parquetsource, every other field
// as written, the two fields absent from its format (not empty values).
func TestOlderExportReads(t *testing.T) {
	type oldRow struct {
		Version     *int32  `parquet:"version,optional"`
		InterfaceID *string `parquet:"interface_id,optional"`
		SrcAddr     *string `parquet:"srcaddr,optional"`
		DstAddr     *string `parquet:"dstaddr,optional"`
		SrcPort     *int32  `parquet:"srcport,optional"`
		DstPort     *int32  `parquet:"dstport,optional"`
		Protocol    *int32  `parquet:"protocol,optional"`
		Packets     *int64  `parquet:"packets,optional"`
		Bytes       *int64  `parquet:"bytes,optional"`
		Start       *int64  `parquet:"start,optional"`
		End         *int64  `parquet:"end,optional"`
		Action      *string `parquet:"action,optional"`
		LogStatus   *string `parquet:"log_status,optional"`
		AZID        *string `parquet:"az_id,optional"`
		ECSTaskID   *string `parquet:"ecs_task_id,optional"`
		// ... and the other columns of FlowLogFields up to interface_type.
		InterfaceType *string `parquet:"interface_type,optional"`
	}
	s := func(v string) *string { return &v }
	i32 := func(v int32) *int32 { return &v }
	i64 := func(v int64) *int64 { return &v }
	var b bytes.Buffer
	w := parquet.NewGenericWriter[oldRow](&b, parquet.Compression(&parquet.Snappy), parquet.CreatedBy("ecsnet", "sqlattr", "v1"))
	if _, err := w.Write([]oldRow{{Version: i32(5), InterfaceID: s("eni-1"), SrcAddr: s("10.0.0.1"), DstAddr: s("10.0.0.2"),
		SrcPort: i32(1), DstPort: i32(2), Protocol: i32(6), Packets: i64(1), Bytes: i64(40), Start: i64(1796605200),
		End: i64(1796605260), Action: s("ACCEPT"), LogStatus: s("OK"), AZID: s("use1-az1"), ECSTaskID: s("t1")}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rd, err := parquetsource.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !rd.Scan() {
		t.Fatal(rd.Err())
	}
	r := rd.Record()
	for f, want := range map[flowlogs.Field]string{flowlogs.FieldBytes: "40", flowlogs.FieldAZID: "use1-az1", flowlogs.FieldECSTaskID: "t1"} {
		if got, _ := r.RawField(f); string(got) != want {
			t.Errorf("%s read back as %q, want %q", f, got, want)
		}
	}
	for _, f := range []flowlogs.Field{flowlogs.FieldNextHopAZID, flowlogs.FieldNextHopVPCID} {
		if got, ok := r.RawField(f); ok {
			t.Errorf("%s present (%q) in a file without its column", f, got)
		}
	}
	if rd.Scan() || rd.Err() != nil {
		t.Errorf("more than one record, or %v", rd.Err())
	}
}
