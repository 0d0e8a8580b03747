package pricing_test

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"unicode"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestTextWithControlCharacters: a price file's region, as_of,
// source and currency are printed by the table report as they are (its
// COST column's head and the priced note), where every other text from
// input is escaped: a tab in the currency added a column to the head
// only, a newline in the source a line of its own, and an escape
// sequence reached the terminal. A price file's text holding a control or
// format character (or bytes that are not UTF-8, in a Table built in Go)
// is no currency or region: Load refuses it, placed at its member, and
// so does Validate, which every report writer applies.
func TestTextWithControlCharacters(t *testing.T) {
	const rest = `"bytes_per_gb": 1073741824, "classes": {"cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01}}}`
	for _, c := range []struct{ head, member string }{
		{`{"region": "us-east-1", "currency": "US\tD", `, "currency"},
		{`{"region": "us-east-1", "currency": "USD", "source": "x\n\nAttributed 0 B of 0 B (0%).", `, "source"},
		{`{"region": "us-east-1\u001b]0;x\u0007", "currency": "USD", `, "region"},
		{`{"region": "us-east-1", "currency": "USD", "as_of": "2026\u202e-06-02", `, "as_of"},
	} {
		tb, err := pricing.Load(strings.NewReader(c.head+rest), "prices.json")
		if err == nil || !strings.Contains(err.Error(), "line 1, column") || !strings.Contains(err.Error(), c.member) {
			t.Errorf("%s: Load = %v, want %s refused at its place", c.head, err, c.member)
		}
		if tb != nil {
			var out bytes.Buffer
			if err := report.WriteTable(&out, result(t), report.WithPrices(tb)); err == nil &&
				strings.ContainsFunc(out.String(), func(r rune) bool { return r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) }) {
				t.Errorf("%s: the table writes the price table's text raw:\n%q", c.head, out.String())
			}
		}
	}
	// Built in Go, past Load: Validate.
	ok := func() *pricing.Table {
		v := 0.01
		return &pricing.Table{Region: "us-east-1", Currency: "USD", BytesPerGB: 1 << 30, Classes: map[string]pricing.Rate{"cross_az": {In: &v, Out: &v}}}
	}
	for _, set := range []func(*pricing.Table){
		func(tb *pricing.Table) { tb.Currency = "EUR\x1b[2J" },
		func(tb *pricing.Table) { tb.Source = "a\xffb" },
	} {
		tb := ok()
		set(tb)
		if err := tb.Validate(); err == nil {
			t.Errorf("%+v: Validate passed it", tb)
		}
		var out bytes.Buffer
		if err := report.WriteTable(&out, result(t), report.WithPrices(tb)); err == nil {
			t.Errorf("%+v: WriteTable wrote it:\n%q", tb, out.String())
		}
	}
	// Text as any currency or source may be written stays valid.
	tb := ok()
	tb.Currency, tb.Source = "€", "AWS-Preisliste, März 2026 (日本語)"
	if err := tb.Validate(); err != nil {
		t.Error(err)
	}
}

// result is a small attributed result.
func result(t *testing.T) *attribution.Result {
	t.Helper()
	h, err := history.NewIndex([]history.Task{{ARN: "arn:aws:ecs:us-east-1:1:task/c/t", ClusterARN: "c", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(h)
	r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, "2 1 eni-a 10.0.0.1 10.0.0.9 1 2 6 3 100 1795600800 1795600859 ACCEPT OK")
	if err != nil {
		t.Fatal(err)
	}
	a.Add(r)
	return a.Result(attribution.ByTask)
}
