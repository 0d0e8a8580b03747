package attribution

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
)

// planGroups sorts small copies of its keys (5d898ff); this is the order
// it had with stable sorts over the tasks and the plans, against which
// random tasks with repeated starts, ARNs and keys are checked.
func TestPlanGroupsOrder(t *testing.T) {
	reference := func(g GroupBy, tasks []*taskState) []groupPlan {
		tasks = slices.Clone(tasks)
		slices.SortStableFunc(tasks, func(a, b *taskState) int {
			if c := a.info.Valid.Start.Compare(b.info.Valid.Start); c != 0 {
				return c
			}
			return strings.Compare(a.info.ARN, b.info.ARN)
		})
		byKey := map[string]int{}
		var plans []groupPlan
		for _, st := range tasks {
			k := groupKey(g, st.info)
			j, ok := byKey[k]
			if !ok {
				j = len(plans)
				byKey[k] = j
				plans = append(plans, groupPlan{key: k})
			}
			plans[j].tasks = append(plans[j].tasks, st)
			plans[j].c.add(st.c)
		}
		slices.SortStableFunc(plans, func(a, b groupPlan) int {
			if a.c.Bytes() != b.c.Bytes() {
				return cmp.Compare(b.c.Bytes(), a.c.Bytes())
			}
			return strings.Compare(a.key, b.key)
		})
		return plans
	}
	r := rand.New(rand.NewPCG(7, 17))
	t0 := time.Unix(1_700_000_000, 0)
	for iter := range 300 {
		n := 1 + r.IntN(60)
		tasks := make([]*taskState, n)
		for i := range tasks {
			info := &history.Task{
				ARN:    fmt.Sprintf("arn:aws:ecs:us-east-1:1:task/c/%d", r.IntN(n)), // repeats
				Group:  fmt.Sprintf("service:s%d", r.IntN(4)),
				Family: fmt.Sprintf("f%d", r.IntN(3)),
				Valid:  history.Interval{Start: t0.Add(time.Duration(r.IntN(5)) * time.Second / 2)},
			}
			tasks[i] = &taskState{rollup: &rollup{}, info: info}
			tasks[i].c.BytesIn = uint64(r.IntN(4)) // ties in bytes
		}
		for _, g := range []GroupBy{ByTask, ByService, ByFamily} {
			want := reference(g, tasks)
			got := planGroups(g, slices.Clone(tasks))
			if len(got) != len(want) {
				t.Fatalf("iteration %d, by %v: %d plans, want %d", iter, g, len(got), len(want))
			}
			for i := range want {
				if got[i].key != want[i].key || got[i].c != want[i].c || !slices.Equal(got[i].tasks, want[i].tasks) {
					t.Fatalf("iteration %d, by %v: plan %d is %q with %d tasks, want %q with %d", iter, g, i, got[i].key, len(got[i].tasks), want[i].key, len(want[i].tasks))
				}
			}
		}
	}
}

// BenchmarkPlanGroups plans 12,477 task groups, the streamed groups of
// attrscale's 10,000-task day (bench/README, session 17: 16-22 ms with the
// stable sorts, 9-14 ms with the key copies).
func BenchmarkPlanGroups(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Unix(1_700_000_000, 0)
	tasks := make([]*taskState, 12477)
	for i := range tasks {
		tasks[i] = &taskState{rollup: &rollup{}, info: &history.Task{
			ARN:   fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/scale/%032x", r.Uint64()),
			Valid: history.Interval{Start: t0.Add(time.Duration(r.IntN(86400)) * time.Second)}}}
		tasks[i].c.BytesIn = uint64(r.IntN(1 << 30))
	}
	in := make([]*taskState, len(tasks))
	for b.Loop() {
		copy(in, tasks)
		planGroups(ByTask, in)
	}
}
