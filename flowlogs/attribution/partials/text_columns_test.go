package partials

import (
	"reflect"
	"strconv"
	"testing"
)

// TestRowTextIsEveryStringColumn: Write checks the columns Row.text
// returns; a string column added to Row and not to text would go out
// unchecked. Each string field, set to a value of its own, is the one
// text gives at its column's place.
func TestRowTextIsEveryStringColumn(t *testing.T) {
	var r Row
	v := reflect.ValueOf(&r).Elem()
	var want []string
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String {
			f.SetString("v" + strconv.Itoa(i))
			want = append(want, f.String())
		}
	}
	got := r.text()
	if len(want) != len(got) || len(textColumns) != len(got) {
		t.Fatalf("Row has %d string fields, %d named; text gives %d", len(want), len(textColumns), len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("text()[%d] (column %s) = %q, want %q", i, textColumns[i], got[i], want[i])
		}
	}
}
