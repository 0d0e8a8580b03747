package pricing

import (
	"strings"
	"testing"
)

// TestLoadPlacesUnknownFieldWhereItIs: a member a class's rate does not
// have ("notes" inside a class, where the table's own "notes" is valid)
// must be placed at that member, not at the first key spelt the same,
// the table's valid top-level "notes".
func TestLoadPlacesUnknownFieldWhereItIs(t *testing.T) {
	const table = `{
  "region": "us-east-1", "as_of": "2026-12-01", "source": "mine", "currency": "USD",
  "bytes_per_gb": 1073741824,
  "notes": ["my prices"],
  "classes": {
    "internet": {"in_per_gb": 0, "out_per_gb": 0.09,
      "notes": "first 10 TB"}
  }
}`
	_, err := Load(strings.NewReader(table), "prices.json")
	if err == nil || !strings.Contains(err.Error(), "line 7, column 7") {
		t.Errorf("err = %v, want the unknown field placed at line 7, column 7 (the class's \"notes\")", err)
	}
}
