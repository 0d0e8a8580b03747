package pricing_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
)

// Load reads at most 1 MiB: a larger file is refused as such, not cut
// there and then reported as JSON that ends too soon (or, when the cut
// falls after the table, read without what follows it).
func TestLoadRefusesFileOverCap(t *testing.T) {
	table := `{"region": "us-east-1", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {"cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01}}` + strings.Repeat(" ", 2<<20) + "}\n"
	_, err := pricing.Load(strings.NewReader(table), "prices.json")
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("padded table: err = %v, want it refused as larger than the cap", err)
	}
	// A second value past the cap is no longer seen.
	table = `{"region": "us-east-1", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {"cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01}}}` + strings.Repeat("\n", 2<<20) + `{"region": "eu-west-1"}`
	if _, err := pricing.Load(strings.NewReader(table), "prices.json"); err == nil {
		t.Errorf("a second value after 2 MiB of blank lines: no error")
	}
}
