package history

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/eni"

	"github.com/ecsnet/ecsnet/netmode"
)

func TestLoadEC2DescribeInstancesForPrimaryInterfaces(t *testing.T) {
	b := NewBuilder()
	if _, err := b.LoadFiles("testdata/events.jsonl", "testdata/describe-instances.json"); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	in, ok := x.InstanceByENI("eni-0prim0000000000a", ts("2026-11-25T10:30:00Z"))
	if !ok || in.EC2InstanceID != "i-0123456789abcdef0" || in.IPv4 != mustAddr("10.0.0.10") ||
		in.IPv6 != mustAddr("2600:1f18:1234:5600::a") || in.MAC != "0e:00:00:00:00:0a" {
		t.Fatalf("instance %+v", in)
	}
	// The task ENI (device index 1) is not the instance's.
	if _, ok := x.InstanceByENI("eni-0a11aa11aa11aa111", ts("2026-11-25T10:03:00Z")); ok {
		t.Fatal("task ENI taken for the primary")
	}
}

func TestLoadDescribeTaskDefinitionSetsMode(t *testing.T) {
	b := NewBuilder()
	in := `{"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:us-east-1:111122223333:task-definition/legacy:2","family":"legacy","networkMode":"host","revision":2}}`
	if _, err := b.Load(strings.NewReader(in), "td.json"); err != nil {
		t.Fatal(err)
	}
	b.AddTasks(bridgeTask("b1", 8080, 0, -1))
	if tk, _ := b.Index().Task(taskARN("b1")); tk.NetworkMode != netmode.ModeHost {
		t.Fatalf("mode %v", tk.NetworkMode)
	}
}

// The eni package's cluster snapshot loads as task history.
func TestLoadENISnapshot(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	snap, err := eni.ReadCluster(context.Background(), fc.api, "prod")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	b := NewBuilder()
	st, err := b.Load(&buf, "snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	if st.Tasks != 2 || st.Instances < 1 {
		t.Fatalf("stats %+v", st)
	}
	x := b.Index()
	if tk, ok := x.TaskByENI("eni-1", at(3)); !ok || tk.ID() != "t1" {
		t.Fatal("awsvpc task missing")
	}
	tk, ok := x.TaskByHostPort(ciA, 32768, netmode.TCP, at(3))
	if !ok || tk.NetworkMode != netmode.ModeBridge {
		t.Fatalf("bridge task %+v", tk)
	}
	if in, ok := x.Instance(ciA); !ok || in.InstanceType != "c5.large" || in.Cluster() != "prod" {
		t.Fatalf("instance %+v", in)
	}
}

func TestObserveThroughRealClientUnderFaults(t *testing.T) {
	var tasks []types.Task
	for i := 0; i < 230; i++ { // three DescribeTasks batches
		id := fmt.Sprintf("r%03d", i)
		tk := awsvpcTask(id, "eni-"+id, "10.0.2.1", i, -1)
		if i%2 == 1 {
			tk = awsvpcTask(id, "eni-"+id, "10.0.2.1", i, i+1)
		}
		tasks = append(tasks, tk)
	}
	fc := newFakeCluster(t, tasks...)
	fc.srv.SetPageSize(0)
	fc.srv.SetMissing(taskARN("r005")) // aged out between ListTasks and DescribeTasks
	b := NewBuilder()
	o, err := Collect(context.Background(), fc.api, "prod", b, ecsread.WithConcurrency(3))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Tasks) != 229 || b.Len() != 229 || len(o.Failures) != 1 {
		t.Fatalf("observed %d, recorded %d, failures %v", len(o.Tasks), b.Len(), o.Failures)
	}
	calls := fc.srv.Calls()
	// 115 RUNNING and 115 STOPPED tasks: two batches of at most 100 each.
	if calls["ecs:DescribeTasks"] != 4 || calls["ecs:ListTasks"] != 4 {
		t.Fatalf("calls %v", calls)
	}
}
