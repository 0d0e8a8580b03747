package html

import (
	"bytes"
	"fmt"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
	"net/netip"
	"strings"
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

// TestPrefixPeerClass: with WithPeerPrefix a kept peer is a
// prefix whose records count each in its own class (Group.ClassBytes),
// while Peer.Class is its first record's. The page labelled the /16 of
// the tasks' subnets "same AZ" with 55 KiB, in the top-talkers chart
// and in each group's top peers, while its own notes and by-class table
// put 1.5 KiB in all in same AZ: most of those bytes were cross-AZ.
func TestPrefixPeerClass(t *testing.T) {
	p, _ := pricing.BuiltIn("us-east-1")
	r := reviewAttributor(t).Result(attribution.ByService)
	var class [len(attribution.Group{}.ClassBytes)]uint64
	for _, g := range r.Groups {
		for c, b := range g.ClassBytes {
			class[c] += b
		}
	}
	for _, tk := range topTalkers(r, 12) {
		l := talkerLabel(tk)
		if strings.Contains(l, "("+strings.ReplaceAll(tk.Class.String(), " ", "\u00a0")+")") && tk.Bytes > class[tk.Class] {
			t.Errorf("talker %q: %s labelled with a class whose bytes are %s in all", l, text.Bytes(tk.Bytes), text.Bytes(class[tk.Class]))
		}
	}
	var b bytes.Buffer
	if err := Write(&b, r, Options{Prices: p, Now: reviewT0}); err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Groups {
		for _, pe := range g.TopPeers {
			row := fmt.Sprintf("<tr><td><code>%s</code></td><td>%s</td><td class=\"n\">%s</td>", pe.Prefix, pe.Class, text.Bytes(pe.Bytes))
			if pe.Bytes > g.ClassBytes[pe.Class] && strings.Contains(b.String(), row) {
				t.Errorf("%s: top peer row %s: the group has %s of that class", g.Key, row, text.Bytes(g.ClassBytes[pe.Class]))
			}
		}
	}
}
