package attribution

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// distinctECSTasks is a v7 flow log whose every record names another task
// in ecs-task-id / ecs-task-arn, unknown to the history (issue 15: 300,000
// such records took 2.7 GB).
func distinctECSTasks(n int) []byte {
	var b bytes.Buffer
	b.WriteString("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction ecs-cluster-name ecs-service-name ecs-task-arn ecs-task-id\n")
	s := t0.Unix()
	for i := range n {
		fmt.Fprintf(&b, "7 eni-%08x 10.%d.%d.%d 52.94.%d.%d 443 %d 6 3 %d %d %d ACCEPT OK egress demo web arn:aws:ecs:us-east-1:123456789012:task/demo/%032x %032x\n",
			i, i>>16&255, i>>8&255, i&255, i>>8&255, i&255, 1024+i%60000, 100+i%1000, s+int64(i%3600), s+int64(i%3600)+59, i, i)
	}
	return b.Bytes()
}

// TestECSTaskLimitMemory: memory grows with what is kept, not with
// records, also when every record names another unknown task. 300,000
// distinct ids stay within 256 MiB of heap (measured, not timed); the
// records beyond the limit are unattributed as ECSTaskLimit.
func TestECSTaskLimitMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 300,000-record flow log")
	}
	const n = 300000
	in := distinctECSTasks(n)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	a := New(mustIndex(nil, nil), WithSyncAddAll())
	if err := a.AddAll(flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...)).All()); err != nil {
		t.Fatal(err)
	}
	r := a.Result(ByTask)
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap %.1f MiB after %d records naming distinct tasks (%d groups)", float64(heap)/(1<<20), n, len(r.Groups))
	if heap > 256<<20 {
		t.Errorf("heap grew %d MiB, want at most 256", heap>>20)
	}
	if len(r.Groups) != DefaultMaxECSTasks || r.Stats.ECSFieldOnly != DefaultMaxECSTasks {
		t.Errorf("%d groups, %d ECS-only records", len(r.Groups), r.Stats.ECSFieldOnly)
	}
	var over Totals
	for _, u := range r.Unattributed {
		if u.Reason == ECSTaskLimit {
			over = u.Totals
		}
	}
	if over.Records != n-DefaultMaxECSTasks {
		t.Errorf("%d records over the limit, want %d", over.Records, n-DefaultMaxECSTasks)
	}
	if att, un := r.Attributed(), r.UnattributedTotal(); att.Bytes+un.Bytes != r.Total.Bytes || att.Records+un.Records != n {
		t.Errorf("attributed %+v + unattributed %+v != total %+v", att, un, r.Total)
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(in)
}

// WithMaxECSTasks is configurable, and a task already learned keeps its
// records after the limit is reached.
func TestWithMaxECSTasks(t *testing.T) {
	in := distinctECSTasks(50)
	in = append(in, distinctECSTasks(3)[bytes.IndexByte(distinctECSTasks(3), '\n')+1:]...) // tasks 0-2 again
	for _, c := range []struct{ limit, groups, over int }{{0, 0, 53}, {2, 2, 49}, {100, 50, 0}} {
		a := New(mustIndex(nil, nil), WithMaxECSTasks(c.limit))
		if err := a.AddAll(flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
		r := a.Result(ByTask)
		var over uint64
		for _, u := range r.Unattributed {
			if u.Reason == ECSTaskLimit {
				over = u.Records
			}
		}
		if len(r.Groups) != c.groups || over != uint64(c.over) || r.Total.Records != 53 {
			t.Errorf("limit %d: %d groups, %d over the limit, %d records", c.limit, len(r.Groups), over, r.Total.Records)
		}
	}
}
