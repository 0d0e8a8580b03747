package attribution

import (
	"testing"
)

// TestFoldKeepsARN: a task made from ecs-* fields, named by a bare
// ecs-task-id in one part (with its service) and by its ARN in another
// (without one), is one task in one run, under its ARN. Merged, the bare
// task is folded into the ARN's; but newerTask's order between two made
// observations (compareTasks: the one that knows more, here the bare
// one's service) made the fold keep the bare observation, ARN and all:
// the merged task was named "4567", not its ARN, in either order and
// through a Merger.
func TestFoldKeepsARN(t *testing.T) {
	const made = "arn:aws:ecs:us-east-1:123456789012:task/prod/4567"
	empty := mustIndex(nil, nil)
	bare := []string{reviewECSLine(100, "api", "-", "4567")}
	byARN := []string{reviewECSLine(200, "-", made, "-")}
	one := reviewAttribute(t, empty, reviewECSHead, append(append([]string(nil), bare...), byARN...)).Partial()
	if len(one.Tasks) != 1 || one.Tasks[0].Task.ARN != made {
		t.Fatalf("one run: %d tasks, want one of ARN %s", len(one.Tasks), made)
	}
	pa := reviewAttribute(t, empty, reviewECSHead, bare).Partial()
	pb := reviewAttribute(t, empty, reviewECSHead, byARN).Partial()
	check := func(how string, p *Partial) {
		t.Helper()
		if len(p.Tasks) != 1 || p.Tasks[0].Task.ARN != made || p.Tasks[0].Bytes() != 300 {
			for _, tp := range p.Tasks {
				t.Logf("%s: task %q, %d bytes", how, tp.Task.ARN, tp.Bytes())
			}
			t.Errorf("%s: want one task, %s, of 300 bytes", how, made)
		}
	}
	for _, order := range [][]*Partial{{pa, pb}, {pb, pa}} {
		m, err := Merge(order...)
		if err != nil {
			t.Fatal(err)
		}
		check("Merge", m)
		var mg Merger
		for _, p := range order {
			if err := mg.Add(p); err != nil {
				t.Fatal(err)
			}
		}
		check("Merger", mg.Partial())
	}
}
