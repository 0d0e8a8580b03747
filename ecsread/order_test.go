package ecsread_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/ecsread"
)

func TestTaskStateOrder(t *testing.T) {
	st := func(v int64, last, desired string) ecsread.TaskState {
		return ecsread.TaskState{Version: v, LastStatus: last, DesiredStatus: desired}
	}
	for _, c := range []struct {
		name string
		a, b ecsread.TaskState
		want bool // a at least as new as b
	}{
		{"higher version, earlier status", st(5, "RUNNING", "RUNNING"), st(4, "STOPPED", "STOPPED"), true},
		{"lower version, later status", st(4, "STOPPED", "STOPPED"), st(5, "RUNNING", "RUNNING"), false},
		{"same version, later status", st(3, "STOPPING", "STOPPED"), st(3, "RUNNING", "STOPPED"), true},
		{"same version, earlier status", st(3, "RUNNING", "STOPPED"), st(3, "STOPPING", "STOPPED"), false},
		{"no versions, told to stop", st(0, "RUNNING", "STOPPED"), st(0, "RUNNING", "RUNNING"), true},
		{"no versions, not told to stop", st(0, "RUNNING", "RUNNING"), st(0, "RUNNING", "STOPPED"), false},
		{"the same state", st(2, "RUNNING", "RUNNING"), st(2, "RUNNING", "RUNNING"), true},
		{"unknown status is before all", st(0, "", ""), st(0, "PROVISIONING", "RUNNING"), false},
	} {
		if got := c.a.AtLeastAsNewAs(c.b); got != c.want {
			t.Errorf("%s: %+v.AtLeastAsNewAs(%+v) = %v, want %v", c.name, c.a, c.b, got, c.want)
		}
	}
}
