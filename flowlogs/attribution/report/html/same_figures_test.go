package html

import (
	"bytes"
	"encoding/json"
	"html"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
)

func reviewPrices() *pricing.Table {
	rate := func(v float64) *float64 { return &v }
	return &pricing.Table{Region: "us-east-1", AsOf: "2026-06-02", Source: "test", Currency: "EUR", BytesPerGB: 1 << 30,
		Classes: map[string]pricing.Rate{
			"same_az":  {In: rate(0), Out: rate(0)},
			"cross_az": {In: rate(0.01), Out: rate(0.01)},
			"internet": {Out: rate(0.09)},
		}}
}

// TestHTMLSameFiguresAsJSON renders the fixture, priced, as the
// page and the JSON document, and checks that the page's groups table
// has every group of the document in its order, each with the rounding
// of the document's exact counts and the table report's cost, under a
// heading that names the currency; and the same reasons and total.
func TestHTMLSameFiguresAsJSON(t *testing.T) {
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByInstance} {
		t.Run(by.String(), func(t *testing.T) {
			r := fixture.Result(t, by)
			p := reviewPrices()
			var pb, jb bytes.Buffer
			if err := Write(&pb, r, Options{Now: fixture.T0, Prices: p}); err != nil {
				t.Fatal(err)
			}
			if err := report.WriteJSON(&jb, r, report.WithPrices(p)); err != nil {
				t.Fatal(err)
			}
			var doc report.Document
			if err := json.Unmarshal(jb.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			page := pb.String()
			groups := regexp.MustCompile(`(?s)<table id="groups">.*?</table>`).FindString(page)
			if !strings.Contains(groups, "cost "+p.Currency) {
				t.Errorf("groups table does not name the currency %s", p.Currency)
			}
			rows := regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(strings.SplitN(groups, "<tbody>", 2)[1], -1)
			if len(rows) != len(doc.Groups) {
				t.Fatalf("%d rows on the page, %d groups in JSON", len(rows), len(doc.Groups))
			}
			cell := func(s string) string { return `<td class="n">` + html.EscapeString(s) + `</td>` }
			for i, g := range doc.Groups {
				row := html.UnescapeString(rows[i])
				if !strings.Contains(rows[i], html.EscapeString(g.Key)) && !strings.Contains(rows[i], g.Tasks[0].ID) {
					t.Errorf("row %d is not group %s: %s", i, g.Key, row)
				}
				for _, v := range []uint64{g.BytesIn, g.BytesOut, g.AcceptedBytes, g.RejectedBytes} {
					if !strings.Contains(row, `<td class="n">`+text.Bytes(v)+`</td>`) {
						t.Errorf("row of %s lacks %s (%d bytes): %s", g.Key, text.Bytes(v), v, row)
					}
				}
				want := text.Cost(g.Cost.Total, g.BytesIn+g.BytesOut+g.BytesUnknown, g.Cost.UnpricedBytes)
				if !strings.Contains(rows[i], cell(want)) {
					t.Errorf("row of %s lacks the cost %s of JSON's %v: %s", g.Key, want, g.Cost.Total, row)
				}
			}
			un := html.UnescapeString(regexp.MustCompile(`(?s)<table id="unattributed">.*?</table>`).FindString(page))
			for _, x := range doc.Unattributed {
				if !strings.Contains(un, "<td>"+x.Reason+`</td><td class="n">`+text.Bytes(x.Bytes)+"</td>") {
					t.Errorf("unattributed table lacks %q with %s", x.Reason, text.Bytes(x.Bytes))
				}
			}
			if !strings.Contains(un, `<th>total</th><td class="n">`+text.Bytes(doc.Total.Bytes)+"</td>") {
				t.Errorf("unattributed table lacks the total %s", text.Bytes(doc.Total.Bytes))
			}
		})
	}
}

// TestHTMLTopBoundsOneSided: a top peer's or port's Bytes may
// over-count by MaxError and never under-count (Bytes−MaxError ≤ true ≤
// Bytes; the JSON document's max_error, the table's "≤" before an
// interface's size). The page wrote "4.9 KiB (±2.0 KiB)", which reads as
// up to 6.9 KiB; and its records, estimates whenever MaxError is not 0,
// as exact counts.
func TestHTMLTopBoundsOneSided(t *testing.T) {
	r := serviceGroups(1)
	r.Groups[0].TopPeers = []attribution.Peer{{Prefix: netip.MustParsePrefix("10.0.0.9/32"), Class: attribution.PeerSameAZ, Bytes: 5000, Records: 3, MaxError: 2048},
		{Prefix: netip.MustParsePrefix("10.0.0.8/32"), Class: attribution.PeerSameAZ, Bytes: 700, Records: 2}}
	r.Groups[0].TopPorts = []attribution.Port{{Protocol: 6, Port: 443, Bytes: 5000, Records: 3, MaxError: 2048},
		{Protocol: 6, Port: 80, Bytes: 700, Records: 2}}
	page, err := write(t, r)
	if err != nil {
		t.Fatal(err)
	}
	sec := html.UnescapeString(regexp.MustCompile(`(?s)<section class="group">.*?</section>`).FindString(page))
	if strings.Contains(sec, "±") {
		t.Errorf("a one-sided bound shown as ±: %s", regexp.MustCompile(`(?s)<figure.*?</figure>`).ReplaceAllString(sec, ""))
	}
	for _, what := range []string{"10.0.0.9", "443/tcp"} {
		row := regexp.MustCompile(`(?s)<tr><td>(<code>)?` + regexp.QuoteMeta(what) + `.*?</tr>`).FindString(sec)
		if !strings.Contains(row, "≤4.9 KiB") || !strings.Contains(row, "2.0 KiB") {
			t.Errorf("%s: want ≤4.9 KiB and its over-count 2.0 KiB: %s", what, row)
		}
		if !strings.Contains(row, "≈3<") {
			t.Errorf("%s: its records, an estimate, shown as exact: %s", what, row)
		}
	}
	for _, what := range []string{"10.0.0.8", "80/tcp"} {
		row := regexp.MustCompile(`(?s)<tr><td>(<code>)?` + regexp.QuoteMeta(what) + `.*?</tr>`).FindString(sec)
		if !strings.Contains(row, `<td class="n">700 B</td><td class="n">2</td>`) {
			t.Errorf("%s, exact, not shown as such: %s", what, row)
		}
	}
	if c := captionOf(t, page, "chart-talkers"); strings.Contains(c, "±") {
		t.Errorf("talkers caption refers to a ±: %s", c)
	}
}
