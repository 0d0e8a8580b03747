package awswire

import (
	"testing"
	"time"
)

// Exporters that hold epoch milliseconds as floats write them with a
// fraction or an exponent; too large to be seconds, they are milliseconds
// as the whole number is (they decoded to the year 56353).
func TestMillisWithFractionOrExponent(t *testing.T) {
	want := time.UnixMilli(1716167472123).UTC()
	for _, in := range []string{`1716167472123`, `1716167472123.0`, `1716167472123.5`, `1.716167472123E12`} {
		var v struct{ CreatedAt *time.Time }
		if err := Unmarshal([]byte(`{"createdAt":`+in+`}`), &v); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if d := v.CreatedAt.Sub(want); d < 0 || d >= time.Millisecond {
			t.Errorf("%s: got %v, want %v", in, v.CreatedAt, want)
		}
	}
}

// Times before 1970 with a fraction, and far from 1970 either way, are
// written exactly and read back (float nanoseconds lost digits, and
// overflowed before 1678).
func TestTimeRoundTripFarAndNegative(t *testing.T) {
	for _, tm := range []time.Time{
		time.Unix(-1_000_000_000, 123_456_789).UTC(),
		time.Unix(-1, 500_000_000).UTC(),
		time.Date(1600, 1, 1, 0, 0, 0, 500_000_000, time.UTC),
		time.Date(6000, 1, 1, 0, 0, 0, 250_000_000, time.UTC),
		time.Date(6000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 750_000_000, time.UTC), // the earliest Unmarshal takes (-3000 before: see TestTimeOutsideJSONYears)
	} {
		b, err := Marshal(struct{ T time.Time }{tm})
		if err != nil {
			t.Fatal(err)
		}
		var back struct{ T time.Time }
		if err := Unmarshal(b, &back); err != nil {
			t.Fatalf("%v: wrote %s: %v", tm, b, err)
		}
		if !back.T.Equal(tm) {
			t.Errorf("%v: wrote %s, read back %v", tm, b, back.T)
		}
	}
}

// A map keyed by anything but a string is an error, not a panic.
func TestNonStringMapKey(t *testing.T) {
	var m map[int]int
	if err := Unmarshal([]byte(`{"a":1}`), &m); err == nil {
		t.Fatal("want an error")
	}
}
