package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
	"github.com/ecsnet/ecsnet/netmode"
)

// clusterResult is a Result of one cluster group of n tasks over nInst
// container instances, revs revisions of one family.
func clusterResult(n, nInst, revs int) *attribution.Result {
	t0 := time.Unix(1_700_000_000, 0)
	g := attribution.Group{Key: "arn:aws:ecs:us-east-1:123456789012:cluster/c"}
	g.BytesIn = 1
	for i := range nInst {
		g.Instances = append(g.Instances, &history.Instance{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/c/%032x", i),
			EC2InstanceID: fmt.Sprintf("i-%017x", i)})
	}
	for i := range n {
		g.Tasks = append(g.Tasks, &history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/c/%032x", i),
			Group: fmt.Sprintf("service:s%d", i%7), Family: "f", Revision: 1 + i%revs, NetworkMode: netmode.ModeBridge,
			ContainerInstanceARN: g.Instances[(i*7919)%nInst].ARN, Valid: history.Interval{Start: t0}})
	}
	return &attribution.Result{By: attribution.ByCluster, Groups: []attribution.Group{g}}
}

func BenchmarkCSVDims(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("tasks=%d/instances=%d", n, n/20), func(b *testing.B) {
			r := clusterResult(n, n/20, 5)
			for b.Loop() {
				if err := WriteCSV(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCSVDims checks the CSV's cells of a group's distinct values
// against the scan that made them (every value once, in task order), on
// random groups below and of more than manyValues tasks.
func TestCSVDims(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	col := map[string]int{}
	for i, h := range csvHeader {
		col[h] = i
	}
	for iter := range 200 {
		n, nInst := 1+rng.IntN(200), 1+rng.IntN(50)
		r := clusterResult(n, nInst, 1+rng.IntN(40))
		g := &r.Groups[0]
		for _, tk := range g.Tasks {
			tk.Group = fmt.Sprintf("service:s%d", rng.IntN(1+rng.IntN(40)))
			if rng.IntN(10) == 0 {
				tk.Group = ""
			}
			if rng.IntN(10) == 0 {
				tk.Family = ""
			}
			tk.NetworkMode = netmode.Mode(rng.IntN(5))
			tk.ContainerInstanceARN = g.Instances[rng.IntN(nInst)].ARN
			if rng.IntN(10) == 0 {
				tk.ContainerInstanceARN = ""
			}
		}
		ec2IDs := map[string]string{}
		for _, in := range g.Instances {
			ec2IDs[in.ARN] = in.EC2InstanceID
		}
		scan := func(f func(t *history.Task) string) string {
			var vs []string
			for _, t := range g.Tasks {
				if v := f(t); v != "" && !slices.Contains(vs, v) {
					vs = append(vs, v)
				}
			}
			return cellCSV(strings.Join(vs, ";"))
		}
		want := map[string]string{
			"service": scan(func(t *history.Task) string { return text.ServiceName(t.Group) }),
			"family": scan(func(t *history.Task) string {
				if t.Family == "" {
					return ""
				}
				return text.FamilyRev(t)
			}),
			"network_mode":           scan(func(t *history.Task) string { return modeName(t.NetworkMode) }),
			"container_instance_arn": scan(func(t *history.Task) string { return t.ContainerInstanceARN }),
			"ec2_instance_id":        scan(func(t *history.Task) string { return ec2IDs[t.ContainerInstanceARN] }),
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, r); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for h, w := range want {
			if got := rows[1][col[h]]; got != w {
				t.Fatalf("iteration %d: %s is %q, want %q", iter, h, got, w)
			}
		}
	}
}
