package attribution

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
)

// groupTestTasks is n tasks of one cluster over nInst container instances,
// each with records (a byte in), for taking the groups.
func groupTestTasks(n, nInst int) ([]*taskState, func(*taskState) *history.Instance) {
	t0 := time.Unix(1_700_000_000, 0)
	insts := make([]*history.Instance, nInst)
	for i := range insts {
		insts[i] = &history.Instance{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/c/%032x", i)}
	}
	byTask := map[*taskState]*history.Instance{}
	tasks := make([]*taskState, n)
	for i := range tasks {
		info := &history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/c/%032x", i),
			ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/c", Group: "service:s", Family: "f",
			Valid: history.Interval{Start: t0.Add(time.Duration(i) * time.Second)}}
		st := &taskState{rollup: &rollup{}, info: info}
		st.c.BytesIn = 1
		tasks[i] = st
		byTask[st] = insts[(i*7919)%nInst]
	}
	return tasks, func(st *taskState) *history.Instance { return byTask[st] }
}

func BenchmarkGroupInstances(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("tasks=%d/instances=%d", n, n/20), func(b *testing.B) {
			tasks, inst := groupTestTasks(n, n/20)
			cfg := defaultConfig()
			for b.Loop() {
				if g := groupTasks(ByCluster, tasks, &cfg, inst); len(g) != 1 || len(g[0].Instances) != n/20 {
					b.Fatalf("%d groups", len(g))
				}
			}
		})
	}
}

// TestGroupInstances checks a group's Instances against the scan
// fill made of every task's instance (the first of each ARN, in task
// order), with instances repeated under other pointers (as tasks restored
// from partials read apart have), groups below and past manyInstances,
// and groups filled one after another in one grouper.
func TestGroupInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := range 200 {
		n, nInst := 1+r.IntN(300), 1+r.IntN(60)
		tasks, _ := groupTestTasks(n, 1)
		insts := make([]*history.Instance, nInst)
		for i := range insts {
			insts[i] = &history.Instance{ARN: fmt.Sprintf("ci/%d", r.IntN(nInst))} // ARNs repeat
		}
		byTask := map[*taskState]*history.Instance{}
		for i, st := range tasks {
			st.info.ClusterARN = fmt.Sprintf("c%d", r.IntN(3))
			st.c.BytesIn = uint64(i + 1)
			if r.IntN(8) > 0 {
				byTask[st] = insts[r.IntN(nInst)]
			}
		}
		inst := func(st *taskState) *history.Instance { return byTask[st] }
		cfg := defaultConfig()
		for _, g := range []GroupBy{ByCluster, ByTask} {
			for _, reuse := range []bool{false, true} {
				plans := planGroups(g, slices.Clone(tasks))
				gr := newGrouper(&cfg, inst)
				var grp Group
				for i := range plans {
					gr.fill(&grp, &plans[i], reuse)
					var want []*history.Instance
					for _, st := range plans[i].tasks {
						if in := inst(st); in != nil && !slices.ContainsFunc(want, func(x *history.Instance) bool { return x.ARN == in.ARN }) {
							want = append(want, in)
						}
					}
					if !slices.Equal(grp.Instances, want) {
						t.Fatalf("iteration %d, by %v, group %d: %d instances, want %d", iter, g, i, len(grp.Instances), len(want))
					}
				}
			}
		}
	}
}
