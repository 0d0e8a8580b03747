package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/netmode"
)

// reviewRandomAttributor is an Attributor over a cluster of random tasks
// (services, families, bridge tasks with host ports, instances in two
// clusters, names a spreadsheet would run) that has added n random
// records: known and unknown interfaces and addresses, every direction,
// AWS services, ECS fields naming tasks the history lacks, and byte
// counts drawn so that groups often tie.
func reviewRandomAttributor(t *testing.T, seed uint64, n int, opts ...attribution.Option) *attribution.Attributor {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	services := []string{"service:web", "service:api", "service:=cmd|' /C calc'!A0", "family:batch", "service:-x", ""}
	families := []string{"web", "api", "+f", "@g", ""}
	var insts []history.Instance
	for i := range 3 {
		cl := []string{"demo", "=other"}[i%2]
		insts = append(insts, history.Instance{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:1:container-instance/%s/ci%d", cl, i),
			EC2InstanceID: fmt.Sprintf("i-%017x", i+1), AvailabilityZone: []string{"us-east-1a", "us-east-1b"}[i%2],
			ENI: fmt.Sprintf("eni-host%d", i), IPv4: netip.AddrFrom4([4]byte{10, 0, byte(i%2 + 1), 5})})
	}
	var tasks []history.Task
	for i := range 24 {
		in := insts[i%len(insts)]
		cl := []string{"demo", "=other"}[(i%len(insts))%2]
		tk := history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:1:task/%s/%032x", cl, i),
			ClusterARN: "arn:aws:ecs:us-east-1:1:cluster/" + cl, Group: services[rng.IntN(len(services))],
			Family: families[rng.IntN(len(families))], Revision: rng.IntN(4), ContainerInstanceARN: in.ARN, AvailabilityZone: in.AvailabilityZone,
			Valid: history.Interval{Start: t0.Add(time.Duration(rng.IntN(30)-10) * time.Minute)}}
		if rng.IntN(3) == 0 {
			tk.Valid.End = tk.Valid.Start.Add(time.Duration(20+rng.IntN(40)) * time.Minute)
		}
		if i%4 == 3 {
			tk.NetworkMode = netmode.ModeBridge
			p := uint16(32768 + i)
			tk.Bindings = []history.Binding{{Proto: netmode.TCP, HostPort: p, HostPortLast: p, ContainerPort: 8080, ContainerPortLast: 8080}}
		} else {
			tk.NetworkMode = netmode.ModeAWSVPC
			tk.ENI = fmt.Sprintf("eni-t%d", i)
			tk.IPv4 = netip.AddrFrom4([4]byte{10, 0, byte(i%2 + 1), byte(10 + i)})
		}
		tasks = append(tasks, tk)
	}
	h, err := history.NewIndex(tasks, insts)
	if err != nil {
		t.Fatal(err)
	}
	top := attribution.Topology{Subnets: []attribution.Subnet{
		{ID: "subnet-a", Prefix: netip.MustParsePrefix("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"},
		{ID: "subnet-b", Prefix: netip.MustParsePrefix("10.0.2.0/24"), AZ: "us-east-1b", VPC: "vpc-1"},
	}}
	a := attribution.New(h, append([]attribution.Option{attribution.WithStep(time.Minute), attribution.WithTopology(top)}, opts...)...)
	f, err := flowlogs.ParseFormat("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-src-aws-service pkt-dst-aws-service flow-direction ecs-task-arn")
	if err != nil {
		t.Fatal(err)
	}
	peers := []string{"10.0.1.50", "10.0.2.60", "8.8.8.8", "52.216.8.1", "198.51.100.7", "10.9.0.1", "2600:1f18::1"}
	for range n {
		i := rng.IntN(len(tasks) + 3)
		var eni, self string
		var port int
		switch {
		case i >= len(tasks):
			eni, self, port = fmt.Sprintf("eni-zz%d", i), "10.0.3.3", 443
		case tasks[i].NetworkMode == netmode.ModeBridge:
			in := insts[i%len(insts)]
			eni, self, port = in.ENI, in.IPv4.String(), int(tasks[i].Bindings[0].HostPort)
		default:
			eni, self, port = tasks[i].ENI, tasks[i].IPv4.String(), 8080
		}
		peer := peers[rng.IntN(len(peers))]
		if (peer == "2600:1f18::1") != (rng.IntN(7) == 0) {
			peer = peers[0]
		}
		src, dst, sp, dp, dir := peer, self, 40000, port, "ingress"
		if rng.IntN(2) == 0 {
			src, dst, sp, dp, dir = self, peer, port, 40000, "egress"
		}
		if rng.IntN(6) == 0 {
			dir = "-"
		}
		svc := []string{"-", "-", "S3", "AMAZON"}[rng.IntN(4)]
		ecs := "-"
		if rng.IntN(15) == 0 {
			ecs = []string{"arn:aws:ecs:us-east-1:1:task/demo/ghost", "=1+1", tasks[rng.IntN(len(tasks))].ARN}[rng.IntN(3)]
		}
		s := t0.Add(time.Duration(rng.IntN(60)) * time.Minute).Unix()
		line := fmt.Sprintf("5 %s %s %s %d %d 6 %d %d %d %d %s OK %s %s %s %s", eni, src, dst, sp, dp,
			1+rng.IntN(5), 100*(1+rng.IntN(4)), s, s+59, []string{"ACCEPT", "REJECT"}[rng.IntN(5)/4], "-", svc, dir, ecs)
		r, err := flowlogs.ParseLine(f, line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		a.Add(r)
	}
	return a
}

// TestStreamMatchesWholeRandom: WriteCSVStream and WriteJSONStream
// write WriteCSV's and WriteJSON's bytes over random attributions, in
// every grouping, unpriced, priced with the built-in table, with the
// zero Table and with a table in decimal GB, with and without peers.
func TestStreamMatchesWholeRandom(t *testing.T) {
	builtin, _ := pricing.BuiltIn("us-east-1")
	decimal, _ := pricing.BuiltIn("us-east-1")
	decimal.BytesPerGB = 1e9
	for seed := range uint64(12) {
		var opts []attribution.Option
		if seed%3 == 2 {
			opts = append(opts, attribution.WithoutPeers())
		}
		a := reviewRandomAttributor(t, seed, 400+int(seed)*50, opts...)
		for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster} {
			for pi, wo := range [][]Option{nil, {WithPrices(builtin)}, {WithPrices(&pricing.Table{})}, {WithPrices(decimal)}} {
				for _, f := range []Format{CSV, JSON} {
					var whole, streamed bytes.Buffer
					if err := Write(&whole, f, a.Result(by), wo...); err != nil {
						t.Fatal(err)
					}
					head, groups := a.ResultStream(by)
					if err := WriteStream(&streamed, f, head, groups, wo...); err != nil {
						t.Fatal(err)
					}
					if whole.String() != streamed.String() {
						t.Errorf("seed %d, %v by %v, prices %d: streamed output differs:\n%s\nwant\n%s", seed, f, by, pi, streamed.String(), whole.String())
					}
				}
			}
		}
	}
}

// reviewGroup is a group of one task with bytes sent to peers of the
// classes given, each class b bytes out.
func reviewGroup(b uint64, classes ...attribution.PeerClass) attribution.Group {
	arn := "arn:aws:ecs:us-east-1:1:task/c/review"
	g := attribution.Group{Key: arn, Tasks: []*history.Task{{ARN: arn, NetworkMode: netmode.ModeAWSVPC}}}
	for _, c := range classes {
		g.ClassBytes[c], g.ClassBytesOut[c] = b, b
		g.BytesOut += b
	}
	g.Records = uint64(len(classes))
	return g
}

// TestNotesTotalOfUnpricedBytes: the priced note of the table and
// the HTML page wrote "0.00 USD in all" for traffic none of which has a
// price (public peers: the built-in table cannot price them), which reads
// as free where the cost is not known, the reading CSV (empty cost),
// JSON (a class absent from by_class) and the table's cost column ("not
// priced") all avoid; and it wrote the total of partly priced traffic
// without the "+" the same sentence says marks a cost that leaves bytes
// out, while the cost column beside it has the "+".
func TestNotesTotalOfUnpricedBytes(t *testing.T) {
	prices, _ := pricing.BuiltIn("us-east-1")
	const gib = 1 << 30
	note := func(g attribution.Group) string {
		r := &attribution.Result{By: attribution.ByTask, Step: time.Minute, Groups: []attribution.Group{g},
			Total: attribution.Totals{Bytes: g.Bytes(), Records: g.Records}}
		for _, n := range Notes(r, WithPrices(prices)) {
			if strings.HasPrefix(n, "Data transfer") {
				return n
			}
		}
		t.Fatalf("no priced note in %q", Notes(r, WithPrices(prices)))
		return ""
	}
	if n := note(reviewGroup(gib, attribution.PeerPublic)); strings.Contains(n, "0.00 USD") || !strings.Contains(n, "not priced") {
		t.Errorf("traffic none of which is priced:\n%s", n)
	}
	if n := note(reviewGroup(gib, attribution.PeerCrossAZ, attribution.PeerPublic)); !strings.Contains(n, "0.01+ USD in all") {
		t.Errorf("partly priced traffic (0.01 USD and 1 GiB unpriced): want 0.01+ USD in all:\n%s", n)
	}
	if n := note(reviewGroup(gib, attribution.PeerCrossAZ)); !strings.Contains(n, "0.01 USD in all") {
		t.Errorf("priced traffic:\n%s", n)
	}
}

// TestJSONCountsPast2To53: byte, packet and record counts are
// uint64 and written as exact JSON integers up to 2^64-1, but a JSON
// number above 2^53 loses its low digits in most consumers (JavaScript,
// jq before 1.7, any decoder into float64): a cluster's bytes over a
// quarter pass 2^53 (8 PiB). The writer keeps them exact (a decoder that
// keeps numbers, as json.Decoder.UseNumber, reads them back), and the
// schema, which a consumer reads to type the fields, says so; it said
// nothing.
func TestJSONCountsPast2To53(t *testing.T) {
	const big = math.MaxUint64 - 1 // odd digits a float64 cannot hold
	g := reviewGroup(big, attribution.PeerSameAZ)
	g.Records = big
	r := &attribution.Result{By: attribution.ByTask, Step: time.Minute, Groups: []attribution.Group{g},
		Total: attribution.Totals{Bytes: big, Packets: big, Records: big}}
	if err := validateJSON(t, compileSchema(t), r); err != nil {
		t.Errorf("a document of counts near 2^64: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var v struct {
		Total map[string]json.Number `json:"total"`
	}
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"bytes", "packets", "records"} {
		if got := v.Total[k].String(); got != strconv.FormatUint(big, 10) {
			t.Errorf("total.%s = %s, want %d", k, got, uint64(big))
		}
	}
	var schema struct {
		Defs map[string]struct {
			Description string `json:"description"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(DocumentSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	if d := schema.Defs["count"].Description; !strings.Contains(d, "2^53") || !strings.Contains(d, "2^64-1") {
		t.Errorf("the schema's count does not say that counts run to 2^64-1 and pass the 2^53 a float64 holds exactly: %q", d)
	}
}
