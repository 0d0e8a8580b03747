package sqltest

import (
	"net/netip"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestClusterPruning: the interval table's cluster= partitions
// cannot be pruned, and this shows why (it asserts the double count that
// pruning by cluster gives). intervals' package documentation once said a query
// over records up to day D needs "only the partitions date <= D (and its
// clusters)". Two awsvpc tasks of two clusters in one VPC talk to each
// other; each ENI records the connection (default v2 format, no
// flow-direction). Pruned to cluster=east, the west task's ENI is unknown
// to the query, the address fallback tries both sides and gives the
// west ENI's record to the east task: the east task counts its bytes
// twice, where Go gives them to the west task. The documentation now
// says that only date may be pruned; the date pruning it documents still
// gives Go's answer.
func TestClusterPruning(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	const acct = "arn:aws:ecs:us-east-1:111122223333:"
	west := history.Task{ARN: acct + "task/west/00000000000000000000000000000001", ClusterARN: acct + "cluster/west",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-w", IPv4: netip.MustParseAddr("10.0.1.1"), Valid: history.Interval{Start: t0}}
	east := history.Task{ARN: acct + "task/east/00000000000000000000000000000002", ClusterARN: acct + "cluster/east",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-e", IPv4: netip.MustParseAddr("10.0.2.2"), Valid: history.Interval{Start: t0}}
	h := rvIndex(t, []history.Task{west, east}, nil)
	ts := t0.Add(time.Minute).Unix()
	fx := rvFixture(h, rvHeadV2, rvLine("eni-w", "10.0.1.1", "10.0.2.2", ts), rvLine("eni-e", "10.0.1.1", "10.0.2.2", ts))

	// Every cluster, dates pruned as documented: Go's answer.
	got := runAll(t, fx, sqlattr.Builder{IntervalFilter: `"date" <= '2026-11-25'`}, true)
	if len(got) != 3 || got[0].Bytes != 300 || got[1].Bytes != 300 {
		t.Errorf("rows %v, want each task 300 bytes", got)
	}

	// Pruned to one cluster: the east task counts the west ENI's record
	// too. This is why the documentation forbids it.
	a, tables := writeTables(t, fx, true)
	want := docRows(report.NewDocument(a.Result(attribution.ByTask)))
	b := sqlattr.Builder{Dialect: sqlattr.DuckDB, IntervalFilter: `"cluster" = 'east' AND "date" <= '2026-11-25'`}
	pruned := duck(t, &b, tables)
	if len(pruned) == 0 || pruned[0].Key != east.ARN || pruned[0].Bytes != 600 || len(want) != 3 {
		t.Fatalf("pruned to cluster=east: rows %v (Go %v); want the east task with both records, the hazard documented", pruned, want)
	}
}
