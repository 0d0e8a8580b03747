package sqlattr

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
)

// TestFlowLogFieldsCoverAttribution: FlowLogFields are documented as
// "the ones attribution reads, with version and account-id", and
// FlowLogWriter's file as one its records can be attributed from again.
// attribution.Fields() has next-hop-az-id and next-hop-vpc-id (v11; they
// class a peer as same-AZ, cross-AZ or another VPC), which the writer
// dropped: a record exported with them read back without, and its bytes
// changed peer class.
func TestFlowLogFieldsCoverAttribution(t *testing.T) {
	have := FlowLogFields()
	for _, f := range attribution.Fields() {
		if !slices.Contains(have, f) {
			t.Errorf("FlowLogFields lacks %s, which attribution reads", f)
		}
	}
	var b bytes.Buffer
	fw := NewFlowLogWriter(&b)
	rd := flowlogs.NewReader(strings.NewReader("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status az-id next-hop-az-id next-hop-vpc-id\n" +
		"11 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1796605200 1796605260 ACCEPT OK use1-az1 use1-az2 vpc-2\n"))
	if !rd.Scan() {
		t.Fatal(rd.Err())
	}
	if err := fw.Write(rd.Record()); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	back, err := parquetsource.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !back.Scan() {
		t.Fatal(back.Err())
	}
	for f, want := range map[flowlogs.Field]string{flowlogs.FieldNextHopAZID: "use1-az2", flowlogs.FieldNextHopVPCID: "vpc-2"} {
		if got, _ := back.Record().RawField(f); string(got) != want {
			t.Errorf("%s read back as %q, want %q", f, got, want)
		}
	}
}
