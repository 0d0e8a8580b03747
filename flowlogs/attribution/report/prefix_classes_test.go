package report

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/netmode"
)

var reviewT0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func reviewAttributor(t testing.TB) *attribution.Attributor {
	t.Helper()
	tasks := []history.Task{
		{ARN: "arn:aws:ecs:us-east-1:1:task/c/a1", Group: "service:web", Family: "web", Revision: 1, NetworkMode: netmode.ModeAWSVPC,
			AvailabilityZone: "us-east-1a", ENI: "eni-a1", IPv4: netip.MustParseAddr("10.0.1.10"), Valid: history.Interval{Start: reviewT0}},
		{ARN: "arn:aws:ecs:us-east-1:1:task/c/a2", Group: "service:api", Family: "api", Revision: 1, NetworkMode: netmode.ModeAWSVPC,
			AvailabilityZone: "us-east-1a", ENI: "eni-a2", IPv4: netip.MustParseAddr("10.0.1.20"), Valid: history.Interval{Start: reviewT0}},
		{ARN: "arn:aws:ecs:us-east-1:1:task/c/b1", Group: "service:api", Family: "api", Revision: 1, NetworkMode: netmode.ModeAWSVPC,
			AvailabilityZone: "us-east-1b", ENI: "eni-b1", IPv4: netip.MustParseAddr("10.0.2.20"), Valid: history.Interval{Start: reviewT0}},
	}
	h, err := history.NewIndex(tasks, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(h, attribution.WithStep(time.Minute), attribution.WithPeerPrefix(16, 64))
	f, err := flowlogs.ParseFormat("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction")
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
	for m := range 5 {
		s := reviewT0.Add(time.Duration(m) * time.Minute).Unix()
		add("5 eni-a1 10.0.1.10 10.0.1.20 40000 8080 6 10 %d %d %d ACCEPT OK egress", 100+m, s, s+59)
		add("5 eni-a1 10.0.1.10 10.0.2.20 40000 8080 6 10 %d %d %d ACCEPT OK egress", 5000+m, s, s+59)
		add("5 eni-a1 10.0.2.20 10.0.1.10 8080 40000 6 10 %d %d %d ACCEPT OK ingress", 3000+m, s, s+59)
		add("5 eni-a1 10.0.1.10 93.184.216.34 40000 443 6 10 %d %d %d ACCEPT OK egress", 700+m, s, s+59)
		add("5 eni-a1 10.0.1.10 93.184.1.1 40000 443 6 10 %d %d %d ACCEPT OK egress", 900+m, s, s+59)
		add("5 eni-a1 93.184.1.1 10.0.1.10 443 40000 6 10 %d %d %d ACCEPT OK -", 77+m, s, s+59)
		add("5 eni-a2 10.0.1.20 10.0.1.10 8080 40000 6 10 %d %d %d ACCEPT OK egress", 200+m, s, s+59)
		add("5 eni-b1 10.0.2.20 10.0.1.10 8080 40000 6 10 %d %d %d ACCEPT OK egress", 3000+m, s, s+59)
		add("5 eni-zz 10.0.9.9 10.0.1.10 8080 40000 6 10 %d %d %d ACCEPT OK egress", 3000+m, s, s+59)
	}
	return a
}

// TestPrefixStreamAgrees: with WithPeerPrefix, where a kept
// peer's class differs from some of its bytes' (Group.ClassBytes), the
// streamed CSV and JSON are the whole ones byte for byte, and every
// format gives the same class totals and cost.
func TestPrefixStreamAgrees(t *testing.T) {
	p, _ := pricing.BuiltIn("us-east-1")
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService} {
		r := reviewAttributor(t).Result(by)
		for _, f := range []Format{JSON, CSV} {
			var whole, stream bytes.Buffer
			if err := Write(&whole, f, r, WithPrices(p)); err != nil {
				t.Fatal(err)
			}
			head, groups := reviewAttributor(t).ResultStream(by)
			if err := WriteStream(&stream, f, head, groups, WithPrices(p)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(whole.Bytes(), stream.Bytes()) {
				t.Errorf("%v %v: the streamed output differs from the whole", by, f)
			}
		}
		d := NewDocument(r, WithPrices(p))
		for i, g := range r.Groups {
			var sum uint64
			for c, b := range g.ClassBytes {
				sum += b
				if g.ClassBytesIn[c]+g.ClassBytesOut[c] > b {
					t.Errorf("%s class %d: in %d + out %d > %d", g.Key, c, g.ClassBytesIn[c], g.ClassBytesOut[c], b)
				}
				if d.Groups[i].ClassBytes[ClassKey(attribution.PeerClass(c))] != b {
					t.Errorf("%s: JSON class bytes differ", g.Key)
				}
			}
			if sum != g.Bytes() {
				t.Errorf("%s: class bytes add up to %d, bytes %d", g.Key, sum, g.Bytes())
			}
		}
	}
}

// TestManyPrefixes: many /16 peers (more than the summary keeps),
// of several classes and directions: class bytes stay exact.
func TestManyPrefixes(t *testing.T) {
	a := reviewAttributor(t)
	f, _ := flowlogs.ParseFormat("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction")
	s := reviewT0.Unix()
	for i := range 3000 {
		dir := []string{"egress", "ingress", "-"}[i%3]
		peer := fmt.Sprintf("%d.%d.%d.9", 11+i%150, i%7, i%3)
		if i%5 == 0 {
			peer = fmt.Sprintf("10.0.%d.%d", 1+i%2, i%200)
		}
		src, dst := "10.0.1.10", peer
		if dir == "ingress" {
			src, dst = peer, "10.0.1.10"
		}
		if dir == "-" {
			src, dst = "10.0.1.10", peer
		}
		r, err := flowlogs.ParseLine(f, fmt.Sprintf("5 eni-a1 %s %s 1 2 6 1 %d %d %d ACCEPT OK %s", src, dst, 100+i, s, s+59, dir))
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	p, _ := pricing.BuiltIn("us-east-1")
	for _, g := range a.Result(attribution.ByTask).Groups {
		var sum uint64
		for c, b := range g.ClassBytes {
			sum += b
			if g.ClassBytesIn[c]+g.ClassBytesOut[c] > b || g.ClassBytesIn[c] > b {
				t.Errorf("%s class %d: in %d + out %d > %d", g.Key, c, g.ClassBytesIn[c], g.ClassBytesOut[c], b)
			}
		}
		if sum != g.Bytes() {
			t.Errorf("%s: class bytes add up to %d, bytes %d", g.Key, sum, g.Bytes())
		}
		c := p.Cost(&g)
		if c.UnpricedBytes > g.Bytes() || c.Total < 0 {
			t.Errorf("%s: cost %+v", g.Key, c)
		}
	}
}
