package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/netmode"
)

const (
	arnA = "arn:aws:ecs:us-east-1:123456789012:task/demo/aaaaaaaa11112222333344445555aaaa"
	arnB = "arn:aws:ecs:us-east-1:123456789012:task/demo/bbbbbbbb11112222333344445555bbbb"
	arnC = "arn:aws:ecs:us-east-1:123456789012:task/demo/cccccccc11112222333344445555cccc"
	ci   = "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/0123456789abcdef0123456789abcdef"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// result attributes a few records of each kind: two awsvpc tasks of one
// service, a bridge task reached through a host port, and unattributed
// records for three reasons.
func result(t testing.TB, by attribution.GroupBy) *attribution.Result {
	t.Helper()
	tasks := []history.Task{
		{ARN: arnA, ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
			Group: "service:web", Family: "web", Revision: 3, NetworkMode: netmode.ModeAWSVPC, ContainerInstanceARN: ci, AvailabilityZone: "us-east-1a",
			ENI: "eni-0a", IPv4: netip.MustParseAddr("10.0.1.10"), Valid: history.Interval{Start: t0}},
		{ARN: arnB, ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
			Group: "service:web", Family: "web", Revision: 3, NetworkMode: netmode.ModeAWSVPC, ContainerInstanceARN: ci, AvailabilityZone: "us-east-1b",
			ENI: "eni-0b", IPv4: netip.MustParseAddr("10.0.2.10"), Valid: history.Interval{Start: t0, End: t0.Add(30 * time.Minute)}},
		{ARN: arnC, ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
			Group: "service:admin", Family: "admin", Revision: 1, NetworkMode: netmode.ModeBridge, ContainerInstanceARN: ci, Valid: history.Interval{Start: t0},
			Bindings: []history.Binding{{Proto: netmode.TCP, HostPort: 32768, HostPortLast: 32768, ContainerPort: 8080, ContainerPortLast: 8080}}},
	}
	inst := []history.Instance{{ARN: ci, AvailabilityZone: "us-east-1a", ENI: "eni-0host", IPv4: netip.MustParseAddr("10.0.1.5")}}
	h, err := history.NewIndex(tasks, inst)
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(h, attribution.WithStep(time.Minute))
	f, err := flowlogs.ParseFormat("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-dst-aws-service flow-direction")
	if err != nil {
		t.Fatal(err)
	}
	add := func(format string, args ...any) {
		t.Helper()
		r, err := flowlogs.ParseLine(f, fmt.Sprintf(format, args...))
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	for m := range 40 {
		s := t0.Add(time.Duration(m) * time.Minute).Unix()
		add("5 eni-0a 10.0.0.50 10.0.1.10 40000 8080 6 10 %d %d %d ACCEPT OK - ingress", 1000+m*10, s, s+59)
		add("5 eni-0a 10.0.1.10 10.0.0.50 8080 40000 6 20 %d %d %d ACCEPT OK - egress", 5000+m*100, s, s+59)
		add("5 eni-0a 10.0.1.10 52.216.8.1 41000 443 6 5 700 %d %d ACCEPT OK S3 egress", s, s+59)
		if m < 30 {
			add("5 eni-0b 10.0.0.51 10.0.2.10 40000 8080 6 10 2000 %d %d ACCEPT OK - ingress", s, s+59)
			add("5 eni-0b 198.51.100.7 10.0.2.10 5555 22 6 1 60 %d %d REJECT OK - ingress", s, s+59)
		}
		add("5 eni-0host 10.0.0.52 10.0.1.5 40001 32768 6 3 300 %d %d ACCEPT OK - ingress", s, s+59)
		add("5 eni-0host 10.0.1.5 52.94.1.1 45000 443 6 3 123 %d %d ACCEPT OK - egress", s, s+59)
		add("5 eni-0nat 10.0.1.200 203.0.113.9 45000 443 6 3 999 %d %d ACCEPT OK - egress", s, s+59)
	}
	add("5 eni-0a - - - - - - - %d %d - NODATA - -", t0.Unix(), t0.Unix()+59)
	return a.Result(by)
}

func TestJSONShape(t *testing.T) {
	r := result(t, attribution.ByTask)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return strings.Join(sorted(ks), ",")
	}
	if got := keys(raw); got != "groups,total,unattributed" {
		t.Fatalf("top-level keys %s", got)
	}
	g0 := raw["groups"].([]any)[0].(map[string]any)
	if got := keys(g0); got != "accepted_bytes,bytes_in,bytes_out,key,packets_in,packets_out,records,rejected_bytes" {
		t.Fatalf("group keys %s", got)
	}
	if g0["key"] != arnA {
		t.Fatalf("key %v, want the task ARN", g0["key"])
	}
	u0 := raw["unattributed"].([]any)[0].(map[string]any)
	if got := keys(u0); got != "bytes,packets,reason,records" {
		t.Fatalf("unattributed keys %s", got)
	}
	if got := keys(raw["total"].(map[string]any)); got != "bytes,packets,records" {
		t.Fatalf("total keys %s", got)
	}
	var d Document
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	var sum DocumentTotal
	for _, g := range d.Groups {
		sum.Bytes += g.BytesIn + g.BytesOut
		sum.Packets += g.PacketsIn + g.PacketsOut
		sum.Records += g.Records
	}
	for _, u := range d.Unattributed {
		sum.Bytes += u.Bytes
		sum.Packets += u.Packets
		sum.Records += u.Records
	}
	if sum != d.Total {
		t.Fatalf("groups + unattributed = %+v, total %+v", sum, d.Total)
	}
	reasons := map[string]uint64{}
	for _, u := range d.Unattributed {
		reasons[u.Reason] = u.Records
	}
	if reasons["NODATA"] != 1 || reasons["unknown ENI"] != 40 || reasons["shared instance ENI, no port binding"] != 40 {
		t.Fatalf("reasons %v", reasons)
	}
}

func TestJSONEmpty(t *testing.T) {
	a := attribution.New(nil)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, a.Result(attribution.ByService)); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"groups\": [],\n  \"unattributed\": [],\n  \"total\": {\n    \"bytes\": 0,\n    \"packets\": 0,\n    \"records\": 0\n  }\n}\n"
	if buf.String() != want {
		t.Fatalf("got %q", buf.String())
	}
}

func TestCSV(t *testing.T) {
	r := result(t, attribution.ByService)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("header %v", rows[0])
	}
	last := rows[len(rows)-1]
	if last[0] != "total" || last[6] != fmt.Sprint(r.Total.Bytes) || last[8] != fmt.Sprint(r.Total.Records) {
		t.Fatalf("total row %v", last)
	}
	if rows[1][0] != "group" || rows[1][1] != "service:web" {
		t.Fatalf("first group %v", rows[1])
	}
}

func TestTable(t *testing.T) {
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster} {
		r := result(t, by)
		var buf bytes.Buffer
		if err := WriteTable(&buf, r); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"UNATTRIBUTED", "unknown ENI", "eni-0nat", "NODATA", "total", "inferred from bridge host-port bindings"} {
			if !strings.Contains(out, want) {
				t.Errorf("by %v: table lacks %q:\n%s", by, want, out)
			}
		}
		if by == attribution.ByTask && (!strings.Contains(out, "aaaaaaaa11112222333344445555aaaa") || !strings.Contains(out, "stopped 10:30")) {
			t.Errorf("task table:\n%s", out)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 30: "5.0 GiB", 1 << 62: "4.0 EiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"table", "json", "csv", "html", "JSON"} {
		f, err := ParseFormat(s)
		if err != nil || !strings.EqualFold(f.String(), s) {
			t.Errorf("%s: %v %v", s, f, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}

func sorted(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}
