package awswire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Every time Unmarshal takes, encoding/json can write: one outside the
// years 0 to 9999 (epoch milliseconds go up to the year 33658, an ISO
// time with an offset to the year 10000 in UTC) is refused with a placed
// error, not taken to fail a JSON report later, far from the input.
func TestTimeOutsideJSONYears(t *testing.T) {
	for _, in := range []string{
		`500000000000000`,             // milliseconds, the year 17814
		`-100000000000000`,            // milliseconds, the year -1199
		`"9999-12-31T23:00:00-05:00"`, // the year 10000 in UTC
		`"0000-01-01T00:30:00+01:00"`, // the year -1 in UTC
		`"500000000000000"`,           // epoch as a string
		`-62167219201`,                // a second before the year 0
	} {
		var v struct{ StartedAt *time.Time }
		err := Unmarshal([]byte("{\n  \"startedAt\": "+in+"}"), &v)
		if err == nil {
			_, jerr := json.Marshal(v)
			t.Errorf("%s: taken as %v (encoding/json: %v), want an error", in, v.StartedAt, jerr)
			continue
		}
		if !strings.Contains(err.Error(), "line 2, column 16: startedAt: want a timestamp in the years 0 to 9999") {
			t.Errorf("%s: %v, want it placed at line 2, column 16", in, err)
		}
	}
	// The bounds themselves are taken.
	for _, in := range []string{`-62167219200`, `253402300799.999`, `"9999-12-31T23:59:59Z"`} {
		var v struct{ StartedAt *time.Time }
		if err := Unmarshal([]byte(`{"startedAt": `+in+`}`), &v); err != nil {
			t.Errorf("%s: %v", in, err)
		} else if _, err := json.Marshal(v); err != nil {
			t.Errorf("%s: taken, but encoding/json: %v", in, err)
		}
	}
}
