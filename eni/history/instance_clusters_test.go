package history

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// clusterObservation is a cluster of nInst container instances with
// perInst tasks each, and a tenth as many instances again without tasks.
func clusterObservation(nInst, perInst int) *Observation {
	o := &Observation{Cluster: "c"}
	for i := range nInst + nInst/10 {
		arn := fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/c/%032x", i)
		o.ContainerInstances = append(o.ContainerInstances, types.ContainerInstance{ContainerInstanceArn: &arn})
	}
	cluster := "arn:aws:ecs:us-east-1:123456789012:cluster/c"
	for i := range nInst * perInst {
		arn := fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/c/%032x", i)
		o.Tasks = append(o.Tasks, types.Task{TaskArn: &arn, ClusterArn: &cluster,
			ContainerInstanceArn: o.ContainerInstances[(i*7919)%nInst].ContainerInstanceArn})
	}
	return o
}

func BenchmarkInstanceClusters(b *testing.B) {
	for _, n := range []int{500, 5000} {
		b.Run(fmt.Sprintf("instances=%d/tasks=%d", n, 10*n), func(b *testing.B) {
			o := clusterObservation(n, 10)
			for b.Loop() {
				k := 0
				clusters := instanceClusters(o)
				for i := range o.ContainerInstances {
					if clusterOfInstance(&o.ContainerInstances[i], o, clusters) != o.Cluster {
						k++
					}
				}
				if k != n {
					b.Fatal(k)
				}
			}
		})
	}
}

// TestInstanceClusters checks clusterOfInstance against the scan it
// replaced (the first task on the instance with a cluster ARN, else the
// observation's cluster), on random observations with tasks without an
// instance or a cluster ARN, and instances without an ARN.
func TestInstanceClusters(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	str := func(s string) *string { return &s }
	for iter := range 300 {
		o := &Observation{Cluster: "given"}
		nInst := rng.IntN(20)
		for range nInst {
			ci := types.ContainerInstance{ContainerInstanceArn: str(fmt.Sprintf("ci/%d", rng.IntN(25)))}
			if rng.IntN(10) == 0 {
				ci.ContainerInstanceArn = nil
			}
			o.ContainerInstances = append(o.ContainerInstances, ci)
		}
		for range rng.IntN(60) {
			var tk types.Task
			switch rng.IntN(6) {
			case 0: // Fargate
			case 1:
				tk.ContainerInstanceArn = str("")
			default:
				tk.ContainerInstanceArn = str(fmt.Sprintf("ci/%d", rng.IntN(25)))
			}
			if rng.IntN(4) > 0 {
				tk.ClusterArn = str(fmt.Sprintf("cluster/%d", rng.IntN(3)))
			}
			o.Tasks = append(o.Tasks, tk)
		}
		scan := func(ci *types.ContainerInstance) string {
			for i := range o.Tasks {
				t := &o.Tasks[i]
				if deref(t.ContainerInstanceArn) == deref(ci.ContainerInstanceArn) && t.ClusterArn != nil {
					return *t.ClusterArn
				}
			}
			return o.Cluster
		}
		clusters := instanceClusters(o)
		for i := range o.ContainerInstances {
			ci := &o.ContainerInstances[i]
			if got, want := clusterOfInstance(ci, o, clusters), scan(ci); got != want {
				t.Fatalf("iteration %d, instance %s: %q, want %q", iter, deref(ci.ContainerInstanceArn), got, want)
			}
		}
	}
}
