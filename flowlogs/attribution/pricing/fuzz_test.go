package pricing_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
)

// FuzzLoad: a price file, whatever it holds, is a valid table that
// re-encodes to one Load reads back the same, or a LoadError naming the
// file; never a panic, and every cost it makes is finite.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824, "classes": {"cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01}}}`,
		`{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824, "classes": {"cross_az": {"in_per_gb": 0.01}, "cross_az": {}}}`,
		`{"region": "x", "currency": "USD", "bytes_per_gb": 1000000000, "classes": {"cross_az": {"in_per_gb": 1e308}}}`,
		"\xef\xbb\xbf{}",
		``,
		`{} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := pricing.Load(bytes.NewReader(data), "prices.json")
		if err != nil {
			var le *pricing.LoadError
			if !asLoadError(err, &le) || le.Name != "prices.json" || err.Error() == "" || strings.HasSuffix(err.Error(), ": ") {
				t.Fatalf("error %T %q: want a LoadError naming the file, with a message", err, err)
			}
			if tb != nil {
				t.Fatalf("a table (%+v) with an error", tb)
			}
			return
		}
		if err := tb.Validate(); err != nil {
			t.Fatalf("Load gave a table Validate refuses: %v", err)
		}
		var g attribution.Group
		for _, cl := range attribution.PeerClasses() {
			g.ClassBytes[cl] = math.MaxUint64
			g.ClassBytesIn[cl] = math.MaxUint64 / 3
			g.ClassBytesOut[cl] = math.MaxUint64 / 3
		}
		c := tb.Cost(&g)
		if math.IsInf(c.Total, 0) || math.IsNaN(c.Total) {
			t.Fatalf("cost %v of a valid table", c.Total)
		}
		again, err := json.Marshal(tb)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		tb2, err := pricing.Load(bytes.NewReader(again), "again.json")
		if err != nil {
			t.Fatalf("re-encoded table %s does not load: %v", again, err)
		}
		again2, _ := json.Marshal(tb2)
		if !bytes.Equal(again, again2) {
			t.Fatalf("round trip changed the table:\n%s\n%s", again, again2)
		}
	})
}

func asLoadError(err error, le **pricing.LoadError) bool {
	e, ok := err.(*pricing.LoadError)
	*le = e
	return ok
}
