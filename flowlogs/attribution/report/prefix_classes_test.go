package report

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
)

// TestPrefixStreamAgrees: with WithPeerPrefix, where a kept
// peer's class differs from some of its bytes' (Group.ClassBytes), the
// streamed CSV and JSON are the whole ones byte for byte, and every
// format gives the same class totals and cost.
func TestPrefixStreamAgrees(t *testing.T) {
	p, _ := pricing.BuiltIn("us-east-1")
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService} {
		r := fixture.Prefixes(t).Result(by)
		for _, f := range []Format{JSON, CSV} {
			var whole, stream bytes.Buffer
			if err := Write(&whole, f, r, WithPrices(p)); err != nil {
				t.Fatal(err)
			}
			head, groups := fixture.Prefixes(t).ResultStream(by)
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
	a := fixture.Prefixes(t)
	f, _ := flowlogs.ParseFormat("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction")
	s := fixture.T0.Unix()
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
