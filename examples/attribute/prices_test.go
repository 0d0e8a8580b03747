package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
)

// TestPrices: -prices adds costs to every format, from the built-in
// table or a file, and every mistake in it is named.
func TestPrices(t *testing.T) {
	table, _ := runOut(t, "-prices", "us-east-1", "-by", "service")
	for _, s := range []string{"COST USD", "Data transfer at us-east-1 prices as of", "not priced"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}
	out, _ := runOut(t, "-prices", "us-east-1", "-format", "json")
	schema := documentSchema(t)
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Errorf("priced JSON: %v", err)
	}
	var d report.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, g := range d.Groups {
		if g.Cost == nil {
			t.Fatalf("group %s has no cost", g.Key)
		}
		sum += g.Cost.Total
		// Cross-AZ at $0.01 per GiB each way, as the built-in table says.
		want := float64(g.ClassBytes["cross_az"]) / (1 << 30) * 0.01
		if got := g.Cost.ByClass["cross_az"]; (got-want) > 1e-12 || (want-got) > 1e-12 {
			t.Errorf("group %s: cross-AZ cost %v, want %v", g.Key, got, want)
		}
	}
	if d.Prices == nil || d.Prices.Region != "us-east-1" || d.Cost == nil || d.Cost.Total-sum > 1e-12 || sum-d.Cost.Total > 1e-12 || sum == 0 {
		t.Errorf("document prices %+v, cost %+v, groups' sum %v", d.Prices, d.Cost, sum)
	}
	csv, _ := runOut(t, "-prices", "us-east-1", "-format", "csv")
	if head := strings.SplitN(csv, "\n", 2)[0]; !strings.Contains(head, ",cost_aws_service,cost,unpriced_bytes,") {
		t.Errorf("CSV header %s", head)
	}

	// A file of one's own: internet egress at a discount.
	dir := t.TempDir()
	own := writeFile(t, dir, "prices.json", `{"region":"eu-west-1","as_of":"2026-12-01","source":"our contract","currency":"EUR",
		"bytes_per_gb":1000000000,"classes":{"internet":{"in_per_gb":0,"out_per_gb":0.05},"cross_az":{"in_per_gb":0.01,"out_per_gb":0.01}}}`)
	if out, _ := runOut(t, "-prices", own, "-by", "cluster"); !strings.Contains(out, "COST EUR") || !strings.Contains(out, "eu-west-1 prices as of 2026-12-01") {
		t.Errorf("own prices:\n%s", out)
	}
	for _, c := range []struct{ body, want string }{
		{`{"region":"x","currency":"USD","bytes_per_gb":1073741824,"classes":{"intranet":{}}}`, `unknown class "intranet"`},
		{`{"region":"x","currency":"USD","bytes_per_gb":1024}`, "bytes_per_gb 1024"},
		{`{"region":"x","currency":"USD","bytes_per_gb":1073741824,"clases":{}}`, `unknown field "clases"`},
		{`{"region":"x","currency":"USD","bytes_per_gb":1073741824,"classes":{"internet":{"out_per_gb":-1}}}`, "is not a price"},
	} {
		bad := writeFile(t, dir, "bad.json", c.body)
		code, stdout, stderr := runCode(t, "-prices", bad)
		if code != 1 || stdout != "" || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "bad.json") {
			t.Errorf("%s: exit %d, stderr %q; want %q", c.body, code, stderr, c.want)
		}
	}
	if code, _, stderr := runCode(t, "-prices", "mars-1"); code != 1 || !strings.Contains(stderr, "us-east-1") {
		t.Errorf("unknown region: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCode(t, "-prices", "us-east-1", "-partial", fileIn(dir)); code != 1 || !strings.Contains(stderr, "-prices applies to a report") {
		t.Errorf("-prices with -partial: exit %d, %s", code, stderr)
	}
	// And on merged partials.
	parts := samplePartials(t, t.TempDir())
	want, _ := runOut(t, "-prices", "us-east-1", "-format", "json", "-by", "service")
	if got, _ := runOut(t, append([]string{"-merge", "-prices", "us-east-1", "-format", "json", "-by", "service"}, parts...)...); got != want {
		t.Errorf("priced merge differs from the priced single run")
	}
}

func fileIn(dir string) string { return dir + "/p.parquet" }
