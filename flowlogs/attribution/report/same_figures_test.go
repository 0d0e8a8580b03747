package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
)

// renderFormats renders one Result as table, JSON and CSV with the same
// options.
func renderFormats(t *testing.T, r *attribution.Result, opts ...Option) (table string, doc Document, rows [][]string) {
	t.Helper()
	var tb, jb bytes.Buffer
	if err := WriteTable(&tb, r, opts...); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&jb, r, opts...); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(jb.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return tb.String(), doc, csvRows(t, r, opts...)
}

// TestSameFiguresEveryFormat renders the fixture grouped every way,
// priced, as table, JSON and CSV, and checks that each figure one format
// has is its counterpart's in the others: the same groups and reasons in
// the same order, exact counts equal in JSON and CSV, the table's sizes
// the rounding of those counts, costs the same amount, and the same totals.
func TestSameFiguresEveryFormat(t *testing.T) {
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster} {
		t.Run(by.String(), func(t *testing.T) {
			p := pricedTable()
			r := result(t, by)
			table, doc, rows := renderFormats(t, r, WithPrices(p))
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			var groupRows, reasonRows [][]string
			for _, row := range rows[1:] {
				switch row[0] {
				case "group":
					groupRows = append(groupRows, row)
				case "unattributed":
					reasonRows = append(reasonRows, row)
				}
			}
			if len(groupRows) != len(doc.Groups) || len(doc.Groups) != len(r.Groups) {
				t.Fatalf("groups: %d in CSV, %d in JSON, %d in the Result", len(groupRows), len(doc.Groups), len(r.Groups))
			}
			tableLines := strings.Split(table, "\n")
			u := func(v uint64) string { return strconv.FormatUint(v, 10) }
			var sumCost float64
			for i, g := range doc.Groups {
				row := groupRows[i]
				if unCSV(row[col["key"]]) != g.Key {
					t.Errorf("group %d: CSV key %q, JSON %q", i, row[col["key"]], g.Key)
				}
				for name, v := range map[string]uint64{"bytes_in": g.BytesIn, "bytes_out": g.BytesOut, "records": g.Records,
					"rejected_bytes": g.RejectedBytes, "accepted_bytes": g.AcceptedBytes, "inferred_bytes": g.InferredBytes,
					"bytes": g.BytesIn + g.BytesOut + g.BytesUnknown} {
					if row[col[name]] != u(v) {
						t.Errorf("group %s: CSV %s %s, JSON %d", g.Key, name, row[col[name]], v)
					}
				}
				for k, v := range g.ClassBytes {
					if row[col["bytes_"+k]] != u(v) {
						t.Errorf("group %s: CSV bytes_%s %s, JSON %d", g.Key, k, row[col["bytes_"+k]], v)
					}
				}
				// The table's row: the same group, in the same place, with
				// the rounding of the same counts and the same cost.
				line := tableLines[3+i]
				for _, v := range []uint64{g.BytesIn, g.BytesOut, g.RejectedBytes} {
					if !strings.Contains(line, text.Bytes(v)) {
						t.Errorf("table row %q lacks %s (%d bytes)", line, text.Bytes(v), v)
					}
				}
				if !strings.Contains(line, " "+u(g.Records)+" ") {
					t.Errorf("table row %q lacks %d records", line, g.Records)
				}
				c := p.Cost(&r.Groups[i])
				if want := text.Cost(g.Cost.Total, r.Groups[i].Bytes(), g.Cost.UnpricedBytes); !strings.Contains(line, want) {
					t.Errorf("table row %q lacks the cost %s of JSON's %v", line, want, g.Cost.Total)
				}
				if got, want := row[col["cost"]], costCell(g.Cost.Total, r.Groups[i].Bytes(), g.Cost.UnpricedBytes); got != want || g.Cost.Total != c.Total {
					t.Errorf("group %s: CSV cost %s, JSON %v (%s)", g.Key, got, g.Cost.Total, want)
				}
				sumCost += g.Cost.Total
			}
			if doc.Cost.Total != sumCost {
				t.Errorf("JSON cost total %v, its groups add up to %v", doc.Cost.Total, sumCost)
			}
			if len(reasonRows) != len(doc.Unattributed) {
				t.Fatalf("reasons: %d in CSV, %d in JSON", len(reasonRows), len(doc.Unattributed))
			}
			for i, x := range doc.Unattributed {
				row := reasonRows[i]
				if unCSV(row[col["key"]]) != x.Reason || row[col["bytes"]] != u(x.Bytes) || row[col["packets"]] != u(x.Packets) || row[col["records"]] != u(x.Records) {
					t.Errorf("reason %d: CSV %v, JSON %+v", i, row[:9], x)
				}
				if !strings.Contains(table, x.Reason+"  ") || !strings.Contains(table, text.Bytes(x.Bytes)) {
					t.Errorf("table lacks reason %q with %s", x.Reason, text.Bytes(x.Bytes))
				}
			}
			total := rows[len(rows)-1]
			if total[0] != "total" || total[col["bytes"]] != u(doc.Total.Bytes) || total[col["packets"]] != u(doc.Total.Packets) || total[col["records"]] != u(doc.Total.Records) {
				t.Errorf("CSV total %v, JSON %+v", total[:9], doc.Total)
			}
			if want := "total  "; !strings.Contains(table, want) || !strings.Contains(table, text.Bytes(doc.Total.Bytes)) {
				t.Errorf("table total lacks %s", text.Bytes(doc.Total.Bytes))
			}
			// The groups' and reasons' bytes add up to the total in
			// every format.
			var sum uint64
			for _, g := range doc.Groups {
				sum += g.BytesIn + g.BytesOut + g.BytesUnknown
			}
			for _, x := range doc.Unattributed {
				sum += x.Bytes
			}
			if sum != doc.Total.Bytes {
				t.Errorf("groups and reasons add up to %d bytes, total %d", sum, doc.Total.Bytes)
			}
			if !strings.Contains(table, "COST "+p.Currency) || doc.Prices.Currency != p.Currency {
				t.Errorf("table or JSON does not name the currency %s", p.Currency)
			}
		})
	}
}

// unCSV undoes cellCSV's quote.
func unCSV(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// TestCSVNamesCurrency: the table heads its costs "COST EUR", the
// HTML page "cost EUR", the JSON document has prices.currency; a priced
// CSV wrote its cost columns without a word of the currency, so that a
// spreadsheet of a EUR price file read as dollars, or as nothing.
func TestCSVNamesCurrency(t *testing.T) {
	p := pricedTable()
	p.Currency = "EUR"
	r := result(t, attribution.ByService)
	rows := csvRows(t, r, WithPrices(p))
	i := slices.Index(rows[0], "currency")
	if i < 0 {
		t.Fatalf("priced CSV header has no currency column: %v", rows[0])
	}
	for _, row := range rows[1:] {
		want := ""
		if row[0] == "group" {
			want = "EUR"
		}
		if row[i] != want {
			t.Errorf("%s row %q: currency %q, want %q", row[0], row[1], row[i], want)
		}
	}
	// Unpriced, the column is there and empty, as cost is.
	for _, row := range csvRows(t, r)[1:] {
		if row[i] != "" {
			t.Errorf("unpriced %s row %q: currency %q", row[0], row[1], row[i])
		}
	}
	// The zero Table prices nothing: its groups' costs are empty, and so
	// is their currency (it has none).
	for _, row := range csvRows(t, r, WithPrices(&pricing.Table{}))[1:] {
		if row[i] != "" {
			t.Errorf("zero-table %s row %q: currency %q", row[0], row[1], row[i])
		}
	}
}

// TestJSONPricesLoad: a priced document names the rates it was priced
// with, and its prices object is the price table itself, which
// pricing.Load reads back: a reader checks a cost against the very rates,
// or prices another report with them. It named region, source and
// currency but not one rate.
func TestJSONPricesLoad(t *testing.T) {
	p := pricedTable()
	var b bytes.Buffer
	if err := WriteJSON(&b, result(t, attribution.ByService), WithPrices(p)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Prices json.RawMessage `json:"prices"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	back, err := pricing.Load(bytes.NewReader(doc.Prices), "prices")
	if err != nil {
		t.Fatalf("pricing.Load of the document's prices %s: %v", doc.Prices, err)
	}
	if len(back.Notes) == 0 && len(p.Notes) == 0 { // the document writes none as []
		back.Notes = p.Notes
	}
	if !reflect.DeepEqual(back, p) {
		t.Errorf("loaded back %+v\nwant the table the report was priced with %+v", back, p)
	}
}
