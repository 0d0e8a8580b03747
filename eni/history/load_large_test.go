package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/largecluster"
)

// largeCluster is a platform-scale cluster (internal/largecluster's) and
// history, the file a Watcher would have written of it over two polls
// (everything running, then the stops and replacements).
type largeCluster struct {
	*largecluster.Cluster
	history []byte
}

func newLargeCluster(tb testing.TB, n int) *largeCluster {
	c, err := largecluster.New(n)
	if err != nil {
		tb.Fatal(err)
	}
	rc := &largeCluster{Cluster: c}

	// The Watcher's file: each task as Watcher.addTask writes it (trimmed,
	// awswire's wire form), then the instances and primary interfaces.
	var buf bytes.Buffer
	line := func(stamp time.Time, v any) {
		raw, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		var tk types.Task
		if err := awswire.Unmarshal(raw, &tk); err != nil {
			tb.Fatal(err)
		}
		tk = trimTask(&tk)
		detail, err := awswire.Marshal(&tk)
		if err != nil {
			tb.Fatal(err)
		}
		appendLine(&buf, detailTask, stamp.Format(time.RFC3339Nano), *tk.TaskArn, detail)
	}
	poll1 := c.Start.Add(time.Minute)
	for _, t := range c.Bridge {
		line(poll1, t)
	}
	for _, t := range c.Running {
		line(poll1, t)
	}
	for _, c := range c.Instances {
		raw, _ := json.Marshal(c)
		var ci types.ContainerInstance
		if err := awswire.Unmarshal(raw, &ci); err != nil {
			tb.Fatal(err)
		}
		ci = trimInstance(&ci)
		detail, err := awswire.Marshal(&ci)
		if err != nil {
			tb.Fatal(err)
		}
		cluster, _ := json.Marshal(rc.ClusterARN)
		detail = append(append(append([]byte(`{"clusterArn":`), cluster...), ','), detail[1:]...)
		appendLine(&buf, detailInstance, poll1.Format(time.RFC3339Nano), *ci.ContainerInstanceArn, detail)
	}
	for i := range c.Instances {
		pj := primaryToJSON(largecluster.EC2InstanceID(i), PrimaryInterface{
			ENI: largecluster.InstanceENI(i), MAC: largecluster.InstanceMAC(i), IPv4: largecluster.InstanceIPv4(i),
		})
		detail, _ := json.Marshal(pj)
		appendLine(&buf, detailPrimary, poll1.Format(time.RFC3339Nano), pj.EC2InstanceID, detail)
	}
	for _, t := range c.Stops {
		line(c.Half.Add(time.Minute), t)
	}
	rc.history = buf.Bytes()
	return rc
}

// TestLargeClusterLoads checks that the benchmark's inputs load whole, and
// that the Watcher's file gives the history the describe outputs give.
func TestLargeClusterLoads(t *testing.T) {
	rc := newLargeCluster(t, 200)
	b := NewBuilder()
	for _, in := range [][]byte{rc.DescribeTasks, rc.DescribeInstances, rc.DescribeEC2} {
		if _, err := b.Load(bytes.NewReader(in), "describe"); err != nil {
			t.Fatal(err)
		}
	}
	h := NewBuilder()
	st, err := h.Load(bytes.NewReader(rc.history), "history")
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != rc.Tasks || h.Len() != rc.Tasks || st.Errors != 0 {
		t.Fatalf("describe %d tasks, history %d, want %d (%+v)", b.Len(), h.Len(), rc.Tasks, st)
	}
	// Task by task, but for when a poll saw it stopped, which only the
	// Watcher's file tells. (Its instances know their cluster, which
	// describe-container-instances does not print.)
	bt, ht := b.Tasks(), h.Tasks()
	byARN := func(x, y Task) int { return strings.Compare(x.ARN, y.ARN) }
	slices.SortFunc(bt, byARN)
	slices.SortFunc(ht, byARN)
	for i := range bt {
		ht[i].seenStopped = time.Time{}
		if !reflect.DeepEqual(bt[i], ht[i]) {
			t.Fatalf("describe:\n%+v\nhistory:\n%+v", bt[i], ht[i])
		}
	}
}

// BenchmarkLoadLarge measures loading a platform-scale history into
// an Index: the describe-* outputs (as LoadFiles reads them) and the
// Watcher's file of the same cluster (as the Lambda worker reads it for
// every object).
func BenchmarkLoadLarge(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		rc := newLargeCluster(b, n)
		for _, c := range []struct {
			name   string
			inputs [][]byte
		}{
			{"describe", [][]byte{rc.DescribeTasks, rc.DescribeInstances, rc.DescribeEC2}},
			{"history", [][]byte{rc.history}},
		} {
			size := 0
			for _, in := range c.inputs {
				size += len(in)
			}
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					bl := NewBuilder()
					for _, in := range c.inputs {
						if _, err := bl.Load(bytes.NewReader(in), c.name); err != nil {
							b.Fatal(err)
						}
					}
					if bl.Len() != rc.Tasks {
						b.Fatalf("%d tasks, want %d", bl.Len(), rc.Tasks)
					}
					bl.Index()
				}
			})
		}
	}
}
