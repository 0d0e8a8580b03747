package pricing_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
)

// TestLoadDuplicateClass: a price file that gives one class twice
// is not one price list: encoding/json keeps the last member, so here
// cross-AZ egress (priced in the first) silently becomes unpriced. Like
// the other JSON Load refuses, it is an error placed at the member.
func TestLoadDuplicateClass(t *testing.T) {
	const table = `{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {
    "cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01},
    "cross_az": {"in_per_gb": 0.01}
  }
}`
	tb, err := pricing.Load(strings.NewReader(table), "prices.json")
	if err == nil || !strings.Contains(err.Error(), "line 4, column 5") || !strings.Contains(err.Error(), "twice") {
		t.Errorf("err = %v (table %+v), want the second cross_az refused at line 4, column 5", err, tb)
	}
}

// TestLoadPlacesRateError: a rate that is not a price, or a class
// that does not exist, is refused (Validate) with its place in the file
// and the member that holds it, as Load's other errors are.
func TestLoadPlacesRateError(t *testing.T) {
	for body, want := range map[string]string{
		`{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {
    "cross_az": {"in_per_gb": 0.01,
      "out_per_gb": -0.01}}}`: `line 4, column 7: class "cross_az": out_per_gb -0.01 is not a price`,
		// A finite rate past any price made a cost of +Inf, which the
		// JSON report could not write.
		`{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {
    "cross_az": {"in_per_gb": 1e308}}}`: `line 3, column 18: class "cross_az": in_per_gb 1e+308 is not a price (0 to 1e+06 a GB)`,
		`{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {
    "same_az": {},
    "crossaz": {"in_per_gb": 0.01}}}`: `line 4, column 5: unknown class "crossaz"`,
	} {
		_, err := pricing.Load(strings.NewReader(body), "prices.json")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
}

// TestLoadRefusesNoRate: a price file of no rate ("classes": {}, or
// classes without in_per_gb or out_per_gb) loaded, and every report then
// said "not priced" and exited 0: asked for prices, the answer was none.
func TestLoadRefusesNoRate(t *testing.T) {
	for _, classes := range []string{`{}`, `{"cross_az": {}}`} {
		table := `{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824, "classes": ` + classes + `}`
		if _, err := pricing.Load(strings.NewReader(table), "prices.json"); err == nil || !strings.Contains(err.Error(), "no rate") {
			t.Errorf("classes %s: err = %v, want the table refused for having no rate", classes, err)
		}
	}
}
