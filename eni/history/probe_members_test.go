package history

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestProbeMembersAreProbes: quickProbe fills probe through probeMembers,
// a list beside the struct's json tags. A member added to probe and not
// to the list would be found by encoding/json and missed by quickProbe
// (the equivalence test only sees members its lines carry): every field
// of probe is in the list once, under its tag's name, pointing at it.
func TestProbeMembersAreProbes(t *testing.T) {
	var p probe
	v := reflect.ValueOf(&p).Elem()
	if v.NumField() != len(probeMembers) {
		t.Errorf("probe has %d fields, probeMembers %d", v.NumField(), len(probeMembers))
	}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		found := 0
		for _, m := range probeMembers {
			if m.name == name {
				found++
				if m.field(&p) != v.Field(i).Addr().Interface().(*json.RawMessage) {
					t.Errorf("probeMembers %q points at another field than probe.%s", name, v.Type().Field(i).Name)
				}
			}
		}
		if found != 1 {
			t.Errorf("probe.%s (%q) is in probeMembers %d times, want once", v.Type().Field(i).Name, name, found)
		}
	}
}
