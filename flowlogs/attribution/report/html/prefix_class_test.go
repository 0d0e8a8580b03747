package html

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
)

// TestPrefixPeerClass: with WithPeerPrefix a kept peer is a
// prefix whose records count each in its own class (Group.ClassBytes),
// while Peer.Class is its first record's. The page labelled the /16 of
// the tasks' subnets "same AZ" with 55 KiB, in the top-talkers chart
// and in each group's top peers, while its own notes and by-class table
// put 1.5 KiB in all in same AZ: most of those bytes were cross-AZ.
func TestPrefixPeerClass(t *testing.T) {
	p, _ := pricing.BuiltIn("us-east-1")
	r := fixture.Prefixes(t).Result(attribution.ByService)
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
	if err := Write(&b, r, Options{Prices: p, Now: fixture.T0}); err != nil {
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
