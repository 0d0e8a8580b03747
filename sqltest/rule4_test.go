package sqltest

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/netmode"
)

const reviewHead = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction ecs-service-name ecs-task-arn ecs-task-id"

func reviewLine(ts int64, bytes, service, arn, id string) string {
	return strings.Join([]string{"7", "111122223333", "-", "10.0.7.7", "52.94.1.1", "40000", "443", "6", "3", bytes,
		itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", service, arn, id}, " ")
}

// groupBytes is the query's groups, key → bytes.
func groupBytes(rows []row) map[string]int64 {
	out := map[string]int64{}
	for _, r := range rows {
		if r.Kind == "group" {
			out[r.Key] += r.Bytes
		}
	}
	return out
}

// TestECSFieldsOneTaskPerARN: the SQL twin of attribution's
// TestECSFieldsOneTaskPerARN and TestECSFieldsOrderFree. A
// record whose ecs-task-id is not its ecs-task-arn's last segment, or
// holds a task's ARN, names one task, the same in both engines, and a
// history task named by its ARN in ecs-task-id is that task (its service
// group, not one made from the record).
func TestECSFieldsOneTaskPerARN(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	known := rvTask("00000000000000000000000000000001", "eni-k", "10.0.1.1", t0, time.Time{})
	h := rvIndex(t, []history.Task{known}, nil)
	ts := t0.Add(time.Minute).Unix()
	A, B := rvPrefix+"aaaa", rvPrefix+"bbbb"
	fx := rvFixture(h, reviewHead,
		reviewLine(ts, "100", "-", "-", known.ARN),
		reviewLine(ts, "200", "api", A, "cccc"),
		reviewLine(ts, "400", "api", B, "cccc"),
		reviewLine(ts, "800", "api", B, "dddd"),
		reviewLine(ts, "1600", "api", "-", A))
	got := groupBytes(runAll(t, fx, sqlattr.Builder{}, false))
	if want := map[string]int64{known.ARN: 100, A: 1800, B: 1200}; len(got) != len(want) || got[known.ARN] != 100 || got[A] != 1800 || got[B] != 1200 {
		t.Errorf("by task %v, want %v", got, want)
	}
	got = groupBytes(runAll(t, fx, sqlattr.Builder{By: attribution.ByService}, false))
	if got["service:web"] != 100 || got["service:api"] != 3000 {
		t.Errorf("by service %v, want service:web 100 and service:api 3000", got)
	}
}

// TestSameTaskIDTwoTasks: two history tasks of one task ID; a
// record naming the ID alone goes to the same one in both engines (the
// greater ARN), whichever started later.
func TestSameTaskIDTwoTasks(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	const acct = "arn:aws:ecs:us-east-1:111122223333:"
	mk := func(cl, eni, ip string, start time.Time) history.Task {
		return history.Task{ARN: acct + "task/" + cl + "/0123", ClusterARN: acct + "cluster/" + cl, NetworkMode: netmode.ModeAWSVPC,
			ENI: eni, IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: start}}
	}
	ta, tb := mk("a", "eni-a", "10.0.1.1", t0.Add(time.Minute)), mk("b", "eni-b", "10.0.1.2", t0)
	h := rvIndex(t, []history.Task{ta, tb}, nil)
	ts := t0.Add(2 * time.Minute).Unix()
	got := groupBytes(runAll(t, rvFixture(h, reviewHead, reviewLine(ts, "100", "-", "-", "0123")), sqlattr.Builder{}, false))
	if len(got) != 1 || got[tb.ARN] != 100 {
		t.Errorf("by task %v, want %s 100", got, tb.ARN)
	}
}

// TestMadeTaskTakesItsARN: a task the history does not know, named by
// its bare ID in one record and by its ARN in another, is one task keyed
// by its ARN in both engines, whichever record comes first (the query
// takes the ARN of any record that has one).
func TestMadeTaskTakesItsARN(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := rvIndex(t, []history.Task{rvTask("00000000000000000000000000000001", "eni-k", "10.0.1.1", t0, time.Time{})}, nil)
	ts := t0.Add(time.Minute).Unix()
	C := rvPrefix + "cccc"
	for _, lines := range [][]string{
		{reviewLine(ts, "100", "api", "-", "cccc"), reviewLine(ts, "200", "api", C, "cccc")},
		{reviewLine(ts, "200", "api", C, "cccc"), reviewLine(ts, "100", "api", "-", "cccc")},
	} {
		got := groupBytes(runAll(t, rvFixture(h, reviewHead, lines...), sqlattr.Builder{}, false))
		if len(got) != 1 || got[C] != 300 {
			t.Errorf("records %q: by task %v, want %s 300", lines, got, C)
		}
		// Its cluster, without a cluster field, is its long ARN's, the
		// history's cluster of that name.
		got = groupBytes(runAll(t, rvFixture(h, reviewHead, lines...), sqlattr.Builder{By: attribution.ByCluster}, false))
		if cl := "arn:aws:ecs:us-east-1:111122223333:cluster/rv"; len(got) != 1 || got[cl] != 300 {
			t.Errorf("records %q: by cluster %v, want %s 300", lines, got, cl)
		}
	}
}

// TestMadeTaskTakesARNFromTaskIDField: the SQL twin of
// attribution's test of that name. A task the history does not know,
// named by its bare ID in one record and by its ARN written in
// ecs-task-id in another, is one task keyed by its ARN in both engines,
// whichever record comes first (the query took the greatest ecs-task-id,
// the bare "cccc" over "arn:…").
func TestMadeTaskTakesARNFromTaskIDField(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := rvIndex(t, []history.Task{rvTask("00000000000000000000000000000001", "eni-k", "10.0.1.1", t0, time.Time{})}, nil)
	ts := t0.Add(time.Minute).Unix()
	C := rvPrefix + "cccc"
	for _, lines := range [][]string{
		{reviewLine(ts, "100", "api", "-", "cccc"), reviewLine(ts, "200", "api", "-", C)},
		{reviewLine(ts, "200", "api", "-", C), reviewLine(ts, "100", "api", "-", "cccc")},
	} {
		got := groupBytes(runAll(t, rvFixture(h, reviewHead, lines...), sqlattr.Builder{}, false))
		if len(got) != 1 || got[C] != 300 {
			t.Errorf("records %q: by task %v, want %s 300", lines, got, C)
		}
	}
}
