package flowlogs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// Record lines below are copied from AWS's "Flow log record examples"
// page (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html),
// including its double space in the tcp-flags example.

func mustParse(t *testing.T, f *Format, line string) *Record {
	t.Helper()
	r, err := ParseLine(f, line)
	if err != nil {
		t.Fatalf("ParseLine(%q): %v", line, err)
	}
	return r
}

func TestDocExampleAcceptedRejected(t *testing.T) {
	r := mustParse(t, DefaultFormat, "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK")
	if r.Version != 2 || r.AccountID != "123456789010" || r.InterfaceID != "eni-1235b8ca123456789" ||
		r.SrcAddr != netip.MustParseAddr("172.31.16.139") || r.DstAddr != netip.MustParseAddr("172.31.16.21") ||
		r.SrcPort != 20641 || r.DstPort != 22 || r.Protocol != 6 || r.Packets != 20 || r.Bytes != 4249 ||
		r.Start != 1418530010 || r.End != 1418530070 || r.Action != ActionAccept || r.LogStatus != StatusOK {
		t.Errorf("accepted SSH: got %+v", r)
	}
	if r.Present != DefaultFormat.Set() {
		t.Errorf("Present = %v, want %v", r.Present, DefaultFormat.Set())
	}
	if got := r.StartTime().Unix(); got != 1418530010 {
		t.Errorf("StartTime = %d", got)
	}
	r = mustParse(t, DefaultFormat, "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK")
	if r.Action != ActionReject || r.DstPort != 3389 {
		t.Errorf("rejected RDP: got %v %d", r.Action, r.DstPort)
	}
	// ICMP: ports are 0, present, not absent.
	r = mustParse(t, DefaultFormat, "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK")
	if !r.Has(FieldSrcPort) || r.SrcPort != 0 || r.Protocol != 1 {
		t.Errorf("ICMP: ports should be present zeros: %+v", r)
	}
}

func TestDocExampleNoDataSkipData(t *testing.T) {
	for _, tc := range []struct {
		line   string
		status LogStatus
		eni    string
	}{
		{"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA", StatusNoData, "eni-1235b8ca123456789"},
		{"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA", StatusSkipData, "eni-11111111aaaaaaaaa"},
	} {
		r := mustParse(t, DefaultFormat, tc.line)
		if r.LogStatus != tc.status || r.InterfaceID != tc.eni || r.Start != 1431280876 || r.End != 1431280934 {
			t.Errorf("%s: got %+v", tc.status, r)
		}
		for _, f := range []Field{FieldSrcAddr, FieldDstAddr, FieldSrcPort, FieldDstPort, FieldProtocol, FieldPackets, FieldBytes, FieldAction} {
			if r.Has(f) {
				t.Errorf("%s: %v should be absent", tc.status, f)
			}
		}
		if r.SrcAddr.IsValid() || r.Bytes != 0 || r.Action != ActionNone {
			t.Errorf("%s: absent fields should be zero", tc.status)
		}
	}
	// Seen in the wild: NODATA/SKIPDATA records with counters. Kept as written.
	r := mustParse(t, DefaultFormat, "2 123456789010 eni-1 - - - - - 3 180 1431280876 1431280934 - SKIPDATA")
	if !r.Has(FieldBytes) || r.Bytes != 180 || r.Packets != 3 {
		t.Errorf("SKIPDATA with bytes: %+v", r)
	}
}

func TestDocExampleIPv6(t *testing.T) {
	r := mustParse(t, DefaultFormat, "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK")
	if r.SrcAddr != netip.MustParseAddr("2001:db8:1234:a100:8d6e:3477:df66:f105") ||
		r.DstAddr != netip.MustParseAddr("2001:db8:1234:a102:3304:8879:34cf:4071") || r.Bytes != 8855 {
		t.Errorf("IPv6: %+v", r)
	}
}

const tcpFlagsHeader = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status"

func TestDocExampleTCPFlags(t *testing.T) {
	f, err := ParseHeader(tcpFlagsHeader)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version() != 3 {
		t.Errorf("Version = %d, want 3", f.Version())
	}
	for _, tc := range []struct {
		line  string
		flags TCPFlags
		str   string
	}{
		{"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK", 2, "SYN"},
		{"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43416 10.0.0.62 52.213.180.42 6 376 7 1566848875 1566848933 ACCEPT 18 OK", 18, "SYN|ACK"},
		{"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43418 10.0.0.62 52.213.180.42 6 63388 1219 1566848933 1566849113 ACCEPT 1 OK", 1, "FIN"},
		{"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43638 5001 52.213.180.42 10.0.0.62 6 1260 17 1566933133 1566933193 ACCEPT 3 OK", 3, "SYN|FIN"},
		// AWS's own example has two spaces after 43638.
		{"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43638  10.0.0.62 52.213.180.42 6 967 14 1566933133 1566933193 ACCEPT 19 OK", 19, "SYN|ACK|FIN"},
	} {
		r := mustParse(t, f, tc.line)
		if r.TCPFlags != tc.flags || r.TCPFlags.String() != tc.str || r.Type != TypeIPv4 || r.VPCID != "vpc-abcdefab012345678" {
			t.Errorf("%q: flags %v (%d), type %v", tc.line, r.TCPFlags, r.TCPFlags, r.Type)
		}
		if r.PktSrcAddr != r.SrcAddr {
			t.Errorf("pkt-srcaddr %v != srcaddr %v", r.PktSrcAddr, r.SrcAddr)
		}
	}
}

func TestDocExampleNATGateway(t *testing.T) {
	f, err := ParseHeader("instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr")
	if err != nil {
		t.Fatal(err)
	}
	r := mustParse(t, f, "- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5")
	if r.Has(FieldInstanceID) || r.InstanceID != "" {
		t.Errorf("instance-id should be absent on a NAT gateway ENI")
	}
	if r.DstAddr != netip.MustParseAddr("10.0.0.220") || r.PktDstAddr != netip.MustParseAddr("203.0.113.5") {
		t.Errorf("NAT: dst %v pkt-dst %v", r.DstAddr, r.PktDstAddr)
	}
	if r.Has(FieldVersion) || r.Has(FieldBytes) {
		t.Errorf("fields outside the format must be absent")
	}
	r = mustParse(t, f, "- eni-1235b8ca123456789 10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5")
	if r.SrcAddr != netip.MustParseAddr("10.0.0.220") || r.PktSrcAddr != netip.MustParseAddr("203.0.113.5") {
		t.Errorf("NAT reply: src %v pkt-src %v", r.SrcAddr, r.PktSrcAddr)
	}
}

const v5Header = "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status"

func TestDocExampleTrafficPath(t *testing.T) {
	f, err := ParseHeader(v5Header)
	if err != nil {
		t.Fatal(err)
	}
	in := mustParse(t, f, "5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK")
	if in.FlowDirection != DirectionIngress || in.Has(FieldTrafficPath) || in.PktSrcAWSService != "S3" ||
		in.Has(FieldPktDstAWSService) || in.Region != "ap-southeast-2" || in.AZID != "apse2-az3" || in.Has(FieldSublocationType) {
		t.Errorf("ingress: %+v", in)
	}
	out := mustParse(t, f, "5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK")
	if out.FlowDirection != DirectionEgress || out.TrafficPath != PathInternetGatewayNitro || out.PktDstAWSService != "S3" {
		t.Errorf("egress: %+v", out)
	}
	if out.TrafficPath.String() != "internet-gateway-nitro" {
		t.Errorf("TrafficPath.String = %q", out.TrafficPath)
	}
}

// A v7 ECS format (field names from the flow-log-records page), with
// version 5 in the records: fields are mapped by the format, never by the
// version value. Interface-id is "-" on every line, as seen in ECS records.
const v7Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id"

func TestV7ECSFields(t *testing.T) {
	f, err := ParseHeader(v7Header)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version() != 7 {
		t.Errorf("Version = %d", f.Version())
	}
	line := "5 123456789012 - 10.0.1.23 10.0.2.45 43210 8080 6 12 3456 1716200000 1716200060 ACCEPT OK " +
		"arn:aws:ecs:us-east-1:123456789012:cluster/prod prod - - 0123456789abcdef0123456789abcdef-1111111111 - web " +
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:42 arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef 0123456789abcdef0123456789abcdef"
	r := mustParse(t, f, line)
	if r.Version != 5 || r.Has(FieldInterfaceID) || r.ECSClusterName != "prod" || r.ECSServiceName != "web" ||
		r.ECSTaskID != "0123456789abcdef0123456789abcdef" || r.Has(FieldECSContainerInstanceARN) ||
		r.ECSTaskARN != "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef" {
		t.Errorf("v7: %+v", r)
	}
}

func TestAlphabeticalAndUnknownFields(t *testing.T) {
	// Fields in alphabetical order, with a field this package does not know.
	f, err := ParseHeader("account-id action bytes dstaddr future-field interface-id log-status packets srcaddr")
	if err != nil {
		t.Fatal(err)
	}
	if f.Field(4) != FieldUnknown || f.Name(4) != "future-field" {
		t.Fatalf("unknown field: %v %q", f.Field(4), f.Name(4))
	}
	r := mustParse(t, f, "123456789012 ACCEPT 840 10.0.0.2 some-value eni-abc OK 10 10.0.0.1")
	if r.Bytes != 840 || r.InterfaceID != "eni-abc" || r.SrcAddr != netip.MustParseAddr("10.0.0.1") {
		t.Errorf("alphabetical: %+v", r)
	}
	if v, ok := r.Value("future-field"); !ok || v != "some-value" {
		t.Errorf("Value(future-field) = %q, %v", v, ok)
	}
	if v, ok := r.Value("future_field"); !ok || v != "some-value" {
		t.Errorf("Value(future_field) = %q, %v", v, ok)
	}
	if v, ok := r.RawField(FieldBytes); !ok || string(v) != "840" {
		t.Errorf("RawField(bytes) = %q, %v", v, ok)
	}
}

func TestMillisecondTimes(t *testing.T) {
	r := mustParse(t, DefaultFormat, "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1418530010000 1418530070123 ACCEPT OK")
	if r.Start != 1418530010 || r.End != 1418530070 {
		t.Errorf("ms times: %d %d", r.Start, r.End)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		line, field string
		err         error
	}{
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 70000 6 1 1 1 2 ACCEPT OK", "dstport", ErrRange},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 x 1 1 2 ACCEPT OK", "packets", ErrSyntax},
		{"2 1 eni-1 10.0.0.256 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", "srcaddr", ErrSyntax},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ALLOW OK", "action", ErrSyntax},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT", "log-status", ErrMissingFields},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK extra", "", ErrExtraFields},
		{"2 1 eni-1 fe80::1%eth0 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", "srcaddr", ErrSyntax},
		{"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 -6 1 1 1 2 ACCEPT OK", "protocol", ErrSyntax},
	} {
		_, err := ParseLine(DefaultFormat, tc.line)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v is not a *ParseError", tc.line, err)
			continue
		}
		if pe.Field != tc.field || !errors.Is(err, tc.err) {
			t.Errorf("%q: got field %q err %v, want %q %v", tc.line, pe.Field, pe.Err, tc.field, tc.err)
		}
	}
}

func TestFormatParsing(t *testing.T) {
	lf := "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
	f, err := ParseFormat(lf)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Equal(DefaultFormat) || f.String() != lf || DefaultFormat.String() != lf {
		t.Errorf("LogFormat round trip: %q", f.String())
	}
	h, err := ParseFormat(DefaultFormat.Header())
	if err != nil || !h.Equal(DefaultFormat) {
		t.Errorf("header round trip: %v %v", h, err)
	}
	// Underscore and camelCase spellings map to the same fields.
	u, err := ParseFormat("interface_id srcAddr log_status")
	if err != nil || u.Field(0) != FieldInterfaceID || u.Field(1) != FieldSrcAddr || u.Name(1) != "srcaddr" {
		t.Errorf("spellings: %v %v", u, err)
	}
	for _, bad := range []string{"", "   ", "${version} ${version}", "version srcaddr version", "${version", "a b\x00c", "interface-id interface_id", "$ {x}"} {
		if _, err := ParseFormat(bad); !errors.Is(err, ErrFormat) {
			t.Errorf("ParseFormat(%q) = %v, want ErrFormat", bad, err)
		}
	}
	if !strings.Contains(DefaultFormat.Header(), "log-status") {
		t.Error("header")
	}
}

func TestFieldNames(t *testing.T) {
	for f := Field(1); f < numFields; f++ {
		g, ok := LookupField(f.String())
		if !ok || g != f {
			t.Errorf("LookupField(%q) = %v %v", f.String(), g, ok)
		}
		if f.Version() < 2 || f.Version() > 11 {
			t.Errorf("%v: version %d", f, f.Version())
		}
	}
	// The spellings of Athena and Vector, and of Logs Insights, whose
	// discovered fields name start and end startTime and endTime.
	for name, want := range map[string]Field{"interface_id": FieldInterfaceID, "interfaceId": FieldInterfaceID,
		"srcAddr": FieldSrcAddr, "startTime": FieldStart, "endTime": FieldEnd, "logStatus": FieldLogStatus} {
		if g, ok := LookupField(name); !ok || g != want {
			t.Errorf("LookupField(%q) = %v %v, want %v", name, g, ok, want)
		}
	}
	if numFields-1 != 72 {
		t.Errorf("%d known fields, want 72 (v2–v11 incl. v6 TGW)", numFields-1)
	}
	all := AllFields()
	if all.Len() != 72 || all.Has(FieldUnknown) {
		t.Errorf("AllFields: %d", all.Len())
	}
}

func TestSelectedFields(t *testing.T) {
	p := NewParser(DefaultFormat, Fields(FieldInterfaceID, FieldBytes))
	var r Record
	// Malformed fields in between are not seen: they are not decoded.
	if err := p.Parse([]byte("2 1 eni-9 x y z w q 1 77 a b c d"), &r); err != nil {
		t.Fatal(err)
	}
	if r.InterfaceID != "eni-9" || r.Bytes != 77 || r.Has(FieldSrcAddr) || r.Present.Len() != 2 {
		t.Errorf("selected: %+v", r)
	}
	// With the last field selected (log-status), a missing or extra field
	// is reported wherever it is.
	p = NewParser(DefaultFormat, Fields(FieldInterfaceID, FieldBytes, FieldLogStatus))
	for _, line := range []string{"2 1 eni-9 x y z w q 1 77 a b OK", "2 1 eni-9 x y z w q 1 77 a b c d OK", "2 1 eni-9 x y z  w q 1 77 a  b OK"} {
		if err := p.Parse([]byte(line), &r); err == nil {
			t.Errorf("%q: err %v", line, err)
		}
	}
	if err := p.Parse([]byte("2 1 eni-9  x y z w q 1 77 a  b c OK"), &r); err != nil || r.Bytes != 77 {
		t.Errorf("double spaces: %v %d", err, r.Bytes)
	}
	p = NewParser(DefaultFormat, Fields(FieldBytes, FieldLogStatus))
	for _, line := range []string{"2 1 eni-1 - - - - - - - 1 2 - NODATA", "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 99 1 2 ACCEPT OK"} {
		if err := p.Parse([]byte(line), &r); err != nil {
			t.Errorf("%q: %v", line, err)
		}
	}
	if r.Bytes != 99 || r.LogStatus != StatusOK {
		t.Errorf("tail: %+v", r)
	}
}

func TestLineBits(t *testing.T) {
	inputs := []string{"", "a", "a b", "a  b", "eni-0123456789abcdef0 10.0.0.1 10.0.0.2 443 55555 6 12 3456 1 2 ACCEPT OK",
		strings.Repeat("x", 64), strings.Repeat("x", 63) + " y", strings.Repeat("ab ", 21) + "c", strings.Repeat("abcdefg ", 127) + "abcdefgh",
		strings.Repeat("x", 1024), strings.Repeat("a ", 511) + "b"}
	var l lineBits
	for _, in := range inputs {
		if len(in) > maxFastLine {
			t.Fatalf("input of %d bytes", len(in))
		}
		l.tokens = tokenStarts(&l.space, l.build([]byte(in)), &l.starts)
		var starts []int
		for i := range in {
			if in[i] != ' ' && (i == 0 || in[i-1] == ' ') {
				starts = append(starts, i)
			}
		}
		if l.tokens != len(starts) {
			t.Errorf("%q: %d tokens, want %d", in, l.tokens, len(starts))
			continue
		}
		for k := range l.tokens {
			s := int(l.starts[k])
			e := l.tokenEnd(s)
			want := strings.IndexByte(in[s:]+" ", ' ') + s
			if s != starts[k] || e != want {
				t.Errorf("%q: token %d at [%d,%d), want [%d,%d)", in, k, s, e, starts[k], want)
			}
		}
	}
}

// Lines longer than maxFastLine take the token-by-token path.
func TestLongLine(t *testing.T) {
	f, err := ParseHeader("interface-id instance-tag bytes log-status")
	if err != nil {
		t.Fatal(err)
	}
	tag := strings.Repeat("t", 2000)
	for _, sel := range []FieldSet{{}, Fields(FieldInterfaceID, FieldBytes)} {
		p := NewParser(f, sel)
		var r Record
		if err := p.Parse([]byte("eni-1  "+tag+" 42 OK"), &r); err != nil || r.Bytes != 42 || r.InterfaceID != "eni-1" {
			t.Errorf("long line (sel %v): %v %+v", sel, err, r.Bytes)
		}
		if _, ok := r.Raw("instance-tag"); ok != sel.IsEmpty() {
			t.Errorf("raw instance-tag available: %v", ok)
		}
		for _, bad := range []string{"eni-1 " + tag + " 42", "eni-1 " + tag + " 42 OK x", "eni-1 " + tag + " x OK"} {
			if err := p.Parse([]byte(bad), &r); err == nil {
				t.Errorf("long line %q...: no error", bad[len(bad)-8:])
			}
		}
	}
}

func TestTypesString(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{ActionAccept.String(), "ACCEPT"}, {ActionNone.String(), "-"},
		{StatusSkipData.String(), "SKIPDATA"}, {TypeEFA.String(), "EFA"},
		{DirectionEgress.String(), "egress"}, {TCPFlags(0).String(), "0"},
		{TrafficPath(42).String(), "42"}, {EncryptionNitro.String(), "nitro"},
		{FieldECSTaskARN.String(), "ecs-task-arn"}, {Fields(FieldBytes, FieldSrcAddr).String(), "srcaddr bytes"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q want %q", tc.got, tc.want)
		}
	}
}

// The transit gateway example of AWS's record examples page (a v3 custom
// format on the VPC side of a transit gateway).
func TestDocExampleTransitGateway(t *testing.T) {
	f, err := ParseHeader("version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status")
	if err != nil {
		t.Fatal(err)
	}
	r := mustParse(t, f, "3 eni-11111111111111111 123456789010 vpc-abcdefab012345678 subnet-11111111aaaaaaaaa - 10.40.1.175 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK")
	if r.Has(FieldInstanceID) || r.SrcAddr != netip.MustParseAddr("10.40.1.175") || r.PktSrcAddr != netip.MustParseAddr("10.20.33.164") || r.TCPFlags != FlagSYN|FlagFIN {
		t.Errorf("TGW ENI: %+v", r)
	}
}

// Transit Gateway flow logs (v6 fields) and the v8–v11 fields.
func TestV6AndV8ToV11Fields(t *testing.T) {
	f, err := ParseLogFormat("${version} ${resource-type} ${account-id} ${tgw-id} ${tgw-attachment-id} ${tgw-src-vpc-account-id} ${tgw-dst-vpc-account-id} ${tgw-src-vpc-id} ${tgw-dst-vpc-id} ${tgw-src-subnet-id} ${tgw-dst-subnet-id} ${tgw-src-eni} ${tgw-dst-eni} ${tgw-src-az-id} ${tgw-dst-az-id} ${tgw-pair-attachment-id} ${srcaddr} ${dstaddr} ${packets} ${bytes} ${packets-lost-no-route} ${packets-lost-blackhole} ${packets-lost-mtu-exceeded} ${packets-lost-ttl-expired} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	if f.Version() != 6 {
		t.Errorf("version %d", f.Version())
	}
	r := mustParse(t, f, "6 TransitGateway 123456789012 tgw-0123 tgw-attach-1 111111111111 222222222222 vpc-a vpc-b subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 tgw-attach-2 10.0.0.1 10.1.0.1 10 1000 0 2 0 1 OK")
	if r.ResourceType != "TransitGateway" || r.TGWID != "tgw-0123" || r.TGWDstENI != "eni-b" || r.TGWPairAttachmentID != "tgw-attach-2" ||
		r.PacketsLostBlackhole != 2 || r.PacketsLostTTLExpired != 1 || !r.Has(FieldPacketsLostNoRoute) || r.Has(FieldInterfaceID) {
		t.Errorf("v6: %+v", r)
	}
	f, err = ParseLogFormat("${version} ${interface-id} ${action} ${reject-reason} ${resource-id} ${encryption-status} ${instance-tag} ${instance-tag-2} ${interface-tag} ${interface-tag-2} ${asg-tag} ${asg-tag-2} ${interface-type} ${next-hop-interface-id} ${next-hop-subnet-id} ${next-hop-az-id} ${next-hop-vpc-id} ${next-hop-interface-type}")
	if err != nil {
		t.Fatal(err)
	}
	if f.Version() != 11 {
		t.Errorf("version %d", f.Version())
	}
	r = mustParse(t, f, "11 - REJECT BPA rnat-0abc 3 web%20server - team-a - asg-1 - regional_nat_gateway eni-nh subnet-nh use1-az2 vpc-nh network_load_balancer")
	if r.RejectReason != "BPA" || r.ResourceID != "rnat-0abc" || r.EncryptionStatus != EncryptionBoth || r.InstanceTag != "web%20server" ||
		r.Has(FieldInstanceTag2) || r.InterfaceType != "regional_nat_gateway" || r.NextHopAZID != "use1-az2" || r.NextHopInterfaceType != "network_load_balancer" {
		t.Errorf("v8–v11: %+v", r)
	}
	if r.EncryptionStatus.String() != "nitro+application" {
		t.Errorf("encryption %v", r.EncryptionStatus)
	}
}

func TestCloneIndependent(t *testing.T) {
	p := NewParser(DefaultFormat, FieldSet{})
	var r Record
	line := []byte("2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA")
	if err := p.Parse(line, &r); err != nil {
		t.Fatal(err)
	}
	c := r.Clone()
	copy(line, "9 999999999999 eni-xxxxxxxxxxxxxxxxx")
	if got := c.String(); got != "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA" {
		t.Errorf("clone follows the buffer: %q", got)
	}
	if v, _ := c.Value("log-status"); v != "NODATA" || c.InterfaceID != "eni-1235b8ca123456789" {
		t.Errorf("clone: %q %q", v, c.InterfaceID)
	}
	if n := testing.AllocsPerRun(100, func() { r.Clone() }); n > 3 {
		t.Errorf("Clone: %v allocs", n)
	}
}

func TestFieldOffsets(t *testing.T) {
	var r Record
	for f := Field(1); f < numFields; f++ {
		switch fieldInfos[f].kind {
		case kindString, kindInt:
			if fieldOff[f] == 0 {
				t.Errorf("%v: no slot", f)
			}
		}
	}
	// Every string and int64 field of a line with all fields lands in its
	// own struct field.
	var fields []Field
	var vals []string
	for f := Field(1); f < numFields; f++ {
		switch fieldInfos[f].kind {
		case kindString:
			fields, vals = append(fields, f), append(vals, "v-"+f.String())
		case kindInt:
			fields, vals = append(fields, f), append(vals, strconv.Itoa(int(f)))
		}
	}
	format, err := NewFormat(fields...)
	if err != nil {
		t.Fatal(err)
	}
	if err := NewParser(format, FieldSet{}).Parse([]byte(strings.Join(vals, " ")), &r); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if fieldInfos[f].kind == kindString && *r.str(f) != "v-"+f.String() || fieldInfos[f].kind == kindInt && *r.int(f) != int64(f) {
			t.Errorf("%v not stored in its own field", f)
		}
	}
}

// spaceBits64 (assembly on amd64) agrees with spaceBits64Generic on every
// byte value in every position.
func TestSpaceBits64(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, 64)
	for i := range 20000 {
		for j := range b {
			switch rng.IntN(3) {
			case 0:
				b[j] = ' '
			case 1:
				b[j] = byte(rng.IntN(256))
			default:
				b[j] = []byte{0x20 ^ 0x80, 0x1f, 0x21, 0xa0, 0}[rng.IntN(5)]
			}
		}
		if i == 0 {
			clear(b)
		}
		if got, want := spaceBits64(b), spaceBits64Generic(b); got != want {
			t.Fatalf("%q: %064b, want %064b", b, got, want)
		}
	}
}

// tokenStarts (assembly on amd64) agrees with tokenStartsGeneric, up to
// the densest line (a token every two bytes) of the longest length.
func TestTokenStarts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 20000 {
		var space [maxFastLine/64 + 1]uint64
		nw := rng.IntN(maxFastLine/64 + 1)
		for w := range space[:nw] {
			switch i % 3 {
			case 0:
				space[w] = rng.Uint64()
			case 1:
				space[w] = 0xaaaaaaaaaaaaaaaa // "a a a …": the most starts
			default:
				space[w] = rng.Uint64() | rng.Uint64()
			}
		}
		var got, want [maxFastLine/2 + 1]uint16
		n, m := tokenStarts(&space, nw, &got), tokenStartsGeneric(&space, nw, &want)
		if n != m || got != want {
			t.Fatalf("words %x: %d starts %v, want %d %v", space[:nw], n, got[:n], m, want[:m])
		}
	}
}

// atoi8 agrees with atoi on every length and on non-digits around and in
// the token.
func TestAtoi8(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 200000 {
		n := 1 + rng.IntN(8)
		var b [8]byte
		for j := range b {
			b[j] = '0' + byte(rng.IntN(10))
			if i%3 == 0 && rng.IntN(8) == 0 {
				b[j] = byte(rng.IntN(256))
			}
		}
		if i%5 == 0 {
			b[n%8] = ' '
		}
		x := binary.LittleEndian.Uint64(b[:])
		got, gotOK := atoi8(x, n)
		want, wantOK := atoi(b[:n])
		if gotOK && (!wantOK || got != want) {
			t.Fatalf("atoi8(%q, %d) = %d, %v; atoi: %d, %v", b, n, got, gotOK, want, wantOK)
		}
		if wantOK && !gotOK {
			t.Errorf("atoi8(%q, %d) refused a number", b, n)
		}
	}
}

// parseAddr agrees with netip.ParseAddr on addresses and near misses.
func TestParseAddr(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	alphabet := "0123456789.....:abf%"
	cases := []string{"0.0.0.0", "255.255.255.255", "256.1.1.1", "01.1.1.1", "1.1.1.01", "1.1.1.0", "1..1.1", "1.1.1.1.", ".1.1.1.1",
		"1.1.1", "1.1.1.1.1", "10.0.0.255", "1.2.3.4a", "1.2.3.999", "2001:db8::1", "::ffff:1.2.3.4", "fe80::1%eth0", "1.2.3.-4", "00.0.0.0"}
	for range 200000 {
		b := make([]byte, 1+rng.IntN(16))
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		got, ok := parseAddr([]byte(c))
		want, err := netip.ParseAddr(c)
		if err == nil && want.Zone() != "" {
			err = errors.New("zone") // flow logs carry none: refused
		}
		if ok != (err == nil) || ok && got != want {
			t.Fatalf("parseAddr(%q) = %v, %v; netip: %v, %v", c, got, ok, want, err)
		}
	}
}

// scanLine finds the same line end as bytes.IndexByte and the same space
// bits as lineBits.build, wherever the line ends in its 64-byte blocks.
func TestScanLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	alphabet := []byte("ab c  1\n\r\t\x00\xff ")
	for i := range 20000 {
		buf := make([]byte, rng.IntN(1200), 1300)
		for j := range buf {
			buf[j] = alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(4) != 0 && buf[j] == '\n' {
				buf[j] = 'x' // long lines too
			}
		}
		n := min(len(buf), maxFastLine+1)
		var l lineBits
		got := scanLine(buf[:cap(buf)], n, &l.space)
		want := bytes.IndexByte(buf[:n], '\n')
		if scanLine(nil, 0, &l.space) != -1 || got != -1 && got != want {
			t.Fatalf("case %d: scanLine = %d, want %d", i, got, want)
		}
		if got < 0 {
			continue
		}
		var ref lineBits
		nw := ref.build(buf[:got])
		for w := range max(nw, got>>6+1) {
			// build marks the bytes past the line as spaces too.
			if l.space[w] != ref.space[w] {
				t.Fatalf("case %d (line of %d): word %d = %064b, want %064b", i, got, w, l.space[w], ref.space[w])
			}
		}
	}
}

// Interning gives equal values the same symbol and string and different
// values different ones, for every length (the 8-to-24-byte values take
// their own hash and comparison).
func TestIntern(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	s := newSymbols()
	want := map[string]uint32{}
	var vals []string
	for range 50000 {
		var v string
		if len(vals) > 0 && rng.IntN(2) == 0 {
			v = vals[rng.IntN(len(vals))]
		} else {
			b := make([]byte, rng.IntN(40))
			for j := range b {
				b[j] = "ab01-"[rng.IntN(5)] // few letters: many near-equal values
			}
			v = string(b)
			vals = append(vals, v)
		}
		str, sym := s.intern(FieldInterfaceID, []byte(v))
		if str != v {
			t.Fatalf("intern(%q) = %q", v, str)
		}
		if w, ok := want[v]; ok && w != sym || !ok && sym != uint32(len(want)+1) {
			t.Fatalf("intern(%q) = symbol %d, want %d (%d values)", v, sym, w, len(want))
		}
		want[v] = sym
	}
}

// A Field past the known ones is in no set, and adding it does nothing:
// no panic.
func TestFieldSetOutOfRange(t *testing.T) {
	defer func() {
		if e := recover(); e != nil {
			t.Fatalf("panic: %v", e)
		}
	}()
	var r Record
	if r.Has(Field(200)) || Fields(Field(200)).Len() != 0 {
		t.Error("a Field past the known ones is in a set")
	}
	s := Fields(FieldBytes)
	s.Remove(Field(200))
	if s != Fields(FieldBytes) {
		t.Error("removing a Field past the known ones changed the set")
	}
}

// The package promises that formats with fields it does not know still
// parse; an S3 header whose first name is such a field is read as a record.

// TestExtraFieldsValue: ErrExtraFields carries the extra text as its Value whatever the line's
// length: the bit-set split (lines up to maxFastLine) and the byte scan
// (longer lines) report the same error.
func TestExtraFieldsValue(t *testing.T) {
	f := mustFormat(FieldInterfaceID, FieldBytes)
	for _, id := range []string{"eni-1", "eni-" + strings.Repeat("x", maxFastLine)} {
		_, err := ParseLine(f, id+" 5  6 7")
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrExtraFields) || pe.Value != "6 7" {
			t.Fatalf("line of %d bytes: %#v, want ErrExtraFields with value \"6 7\"", len(id)+8, err)
		}
	}
}
