package sqltest

// Edge cases of the join, each run through the Go engine and the DuckDB
// query (most also through the Athena and Spark texts, made to run in
// DuckDB): where the two once disagreed, and where they agreed.

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/netmode"
)

const (
	rvCluster = "arn:aws:ecs:us-east-1:111122223333:cluster/rv"
	rvPrefix  = "arn:aws:ecs:us-east-1:111122223333:task/rv/"
	rvHeadV7  = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"pkt-srcaddr pkt-dstaddr flow-direction ecs-cluster-arn ecs-container-instance-arn ecs-service-name " +
		"ecs-task-definition-arn ecs-task-arn ecs-task-id"
	rvHeadV2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
)

func rvIndex(t *testing.T, tasks []history.Task, insts []history.Instance) *history.Index {
	t.Helper()
	h, err := history.NewIndex(tasks, insts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func rvFixture(h *history.Index, head string, lines ...string) fixture {
	return fixture{h: h, records: func(yield func(*flowlogs.Record) error) error {
		return yieldLines(head, lines, yield)
	}}
}

// yieldLines parses the flow log of a header line and lines, and yields
// each record, stopping at the first error (a parse error or yield's).
func yieldLines(head string, lines []string, yield func(*flowlogs.Record) error) error {
	rd := flowlogs.NewReader(strings.NewReader(head + "\n" + strings.Join(lines, "\n") + "\n"))
	defer rd.Close()
	for rec, err := range rd.All() {
		if err == nil {
			err = yield(rec)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func rvTask(id, eni, ip string, start, stop time.Time) history.Task {
	tk := history.Task{
		ARN: rvPrefix + id, ClusterARN: rvCluster, Group: "service:web", Family: "web", Revision: 1,
		TaskDefinitionARN: "arn:aws:ecs:us-east-1:111122223333:task-definition/web:1",
		LaunchType:        "FARGATE", NetworkMode: netmode.ModeAWSVPC, ENI: eni,
		IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: start, End: stop},
	}
	return tk
}

// rvLine is a v2 record line (rvHeadV2) of 3 packets, 300 bytes, 30 s.
func rvLine(eni, src, dst string, start int64) string {
	return strings.Join([]string{"2", "111122223333", eni, src, dst, "40000", "443", "6", "3", "300",
		itoa(start), itoa(start + 30), "ACCEPT", "OK"}, " ")
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// duckExec runs one statement in a fresh in-memory DuckDB.
func duckExec(t *testing.T, stmt string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), stmt); err != nil {
		t.Fatalf("%v\n%s", err, stmt)
	}
}

// A task ENI whose only owner held it for less than a whole second: Go
// knows the ENI (a task's) and reports its records outside any task's
// lifetime, never looking at their addresses; the table has no interval
// of it, and the query once went on to the address fallback and
// attributed the record to whichever task owned the address. It now knows
// the ENI from the task row.
func TestSubSecondENIFallsThroughToAddress(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	short := rvTask("00000000000000000000000000000001", "eni-short", "10.0.1.1",
		t0.Add(200*time.Millisecond), t0.Add(700*time.Millisecond))
	// The address's next owner, on its own ENI, from 10:05.
	next := rvTask("00000000000000000000000000000002", "eni-next", "10.0.1.1", t0.Add(5*time.Minute), time.Time{})
	h := rvIndex(t, []history.Task{short, next}, nil)
	ts := t0.Add(6 * time.Minute).Unix()
	line := strings.Join([]string{"5", "111122223333", "eni-short", "10.0.1.1", "52.94.1.1", "40000", "443", "6", "3", "300",
		itoa(ts), itoa(ts + 50), "ACCEPT", "OK", "10.0.1.1", "52.94.1.1", "egress", "-", "-", "-", "-", "-", "-"}, " ")
	got := runAll(t, rvFixture(h, rvHeadV7, line), sqlattr.Builder{}, false)
	if len(got) != 2 || got[0].Key != attribution.OutsideLifetime.String() {
		t.Errorf("rows %v, want the record outside any task's lifetime", got)
	}
}

// An address whose only task owner held it for less than a whole second:
// Go knows it as a task's address, so a record that finds it (and no
// owner) by the address fallback is outside any task's lifetime, not on an
// unknown ENI; the query knows the address from the task row.
func TestSubSecondAddressKnown(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	short := rvTask("00000000000000000000000000000011", "eni-short2", "10.0.1.11",
		t0.Add(100*time.Millisecond), t0.Add(900*time.Millisecond))
	dual := rvTask("00000000000000000000000000000012", "eni-dual", "10.0.1.12",
		t0.Add(300*time.Millisecond), t0.Add(600*time.Millisecond))
	dual.IPv6 = netip.MustParseAddr("2600:1f18:0:1::12")
	h := rvIndex(t, []history.Task{short, dual}, nil)
	ts := t0.Add(time.Minute).Unix()
	fx := rvFixture(h, rvHeadV2,
		rvLine("eni-natgw", "10.0.1.11", "52.94.1.1", ts),
		rvLine("-", "52.94.1.1", "10.0.1.11", ts),
		rvLine("-", "2600:1f18:0:1::12", "2600:1f18:ffff::9", ts),
		rvLine("eni-other", "10.0.7.7", "52.94.1.1", ts))
	got := runAll(t, fx, sqlattr.Builder{}, false)
	if len(got) != 3 || got[1].Key != attribution.OutsideLifetime.String() || got[1].Records != 3 {
		t.Errorf("rows %v, want 3 records outside any task's lifetime", got)
	}
	runAll(t, fx, sqlattr.Builder{}, true)
}

// WritePartitioned once filed a row by the UTC date of its first whole
// second: a task that starts in the last second of a day (23:59:59.5) has
// its first second on the next day, so its task row landed in the next
// day's partition. A record of 23:59:59 naming it in ecs-task-arn belongs
// to it in Go (records that name a task belong to it whatever their
// second), but the documented pruning for a query over that day (date <=
// day) dropped the row, and SQL made a task from the record's ecs-*
// fields: no addresses, so the direction was lost. Rows are now filed by
// the date of the second their start falls in.
func TestMidnightTaskRowPruned(t *testing.T) {
	start := time.Date(2026, 11, 25, 23, 59, 59, 500_000_000, time.UTC)
	tk := rvTask("00000000000000000000000000000003", "eni-mid", "10.0.1.3", start, time.Time{})
	h := rvIndex(t, []history.Task{tk}, nil)
	ts := time.Date(2026, 11, 25, 23, 59, 59, 0, time.UTC).Unix()
	// ECS-enriched record, no interface, no flow-direction.
	line := strings.Join([]string{"5", "111122223333", "-", "10.0.1.3", "52.94.1.1", "40000", "443", "6", "3", "300",
		itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "10.0.1.3", "52.94.1.1", "-", rvCluster, "-", "-",
		"arn:aws:ecs:us-east-1:111122223333:task-definition/web:1", tk.ARN, "-"}, " ")
	fx := rvFixture(h, rvHeadV7, line)
	// Unpruned: agrees.
	runLayout(t, fx, sqlattr.Builder{}, true)
	// Pruned as Builder.IntervalFilter documents for records up to 2026-11-25.
	runAll(t, fx, sqlattr.Builder{IntervalFilter: `"date" <= '2026-11-25'`}, true)
	runLayout(t, fx, sqlattr.Builder{IntervalFilter: `"date" <= '2026-11-25'`, By: attribution.ByService}, true)
}

// The same filing on a keyed row: task B starts at 23:59:59.5 on its ENI
// with an address task A held until 23:59:50. A record of 23:59:59 on B's
// ENI is OutsideLifetime in Go (B holds from 00:00:00; the ENI is a known
// task ENI, so no address fallback). Filed by its first second and pruned
// as documented for that day, B's rows were gone, the ENI unknown, and the
// query attributed the record by address to A, a different task.
func TestMidnightENIPrunedMisattributes(t *testing.T) {
	d := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	a := rvTask("0000000000000000000000000000000a", "eni-a", "10.0.1.9", d.Add(20*time.Hour), d.Add(23*time.Hour+59*time.Minute+50*time.Second))
	b := rvTask("0000000000000000000000000000000b", "eni-b", "10.0.1.9", d.Add(24*time.Hour-500*time.Millisecond), time.Time{})
	h := rvIndex(t, []history.Task{a, b}, nil)
	ts := d.Add(24*time.Hour - time.Second).Unix()
	line := strings.Join([]string{"5", "111122223333", "eni-b", "10.0.1.9", "52.94.1.1", "40000", "443", "6", "3", "300",
		itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "10.0.1.9", "52.94.1.1", "egress", "-", "-", "-", "-", "-", "-"}, " ")
	fx := rvFixture(h, rvHeadV7, line)
	runLayout(t, fx, sqlattr.Builder{}, true)
	runAll(t, fx, sqlattr.Builder{IntervalFilter: `"date" <= '2026-11-25'`}, true)
}

// A record naming, in ecs-task-arn, a task the history lacks, in a format
// without ecs-cluster-arn (or with it "-"): Go makes the task with
// history.Task.Cluster() falling back to the long task ARN's cluster
// segment (groupKey ByCluster is cmp.Or(ClusterARN, Cluster())); the
// query's made-up task once keyed on ecs-cluster-arn only, so it said "".
// That name is the history's cluster ARN when the history has exactly one
// of that name (here rvCluster), else it stays the key. Besides: a short
// task ARN (no cluster), an ID only, and a record that does carry
// ecs-cluster-arn.
func TestECSOnlyTaskClusterFromARN(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	known := rvTask("00000000000000000000000000000004", "eni-k", "10.0.1.4", t0, time.Time{})
	h := rvIndex(t, []history.Task{known}, nil)
	noARN := known
	noARN.ClusterARN = ""
	ts := t0.Add(time.Minute).Unix()
	head := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction ecs-task-arn"
	line := strings.Join([]string{"7", "111122223333", "-", "10.0.7.7", "52.94.1.1", "40000", "443", "6", "3", "300",
		itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", rvPrefix + "ffff0000000000000000000000000001"}, " ")
	for _, c := range []struct {
		h    *history.Index
		want string
	}{{h, rvCluster}, {rvIndex(t, []history.Task{noARN}, nil), "rv"}} {
		got := runAll(t, rvFixture(c.h, head, line), sqlattr.Builder{By: attribution.ByCluster}, false)
		if len(got) == 0 || got[0].Key != c.want {
			t.Errorf("rows %v, want the group %s first", got, c.want)
		}
	}

	v7 := func(bytes, cluster, arn, id string) string {
		return strings.Join([]string{"7", "111122223333", "-", "10.0.7.8", "52.94.1.1", "40000", "443", "6", "3", bytes,
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", cluster, arn, id}, " ")
	}
	head = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction ecs-cluster-arn ecs-task-arn ecs-task-id"
	fx := rvFixture(h, head,
		v7("100", "-", rvPrefix+"ffff0000000000000000000000000002", "-"),
		v7("200", "-", "arn:aws:ecs:us-east-1:111122223333:task/ffff0000000000000000000000000003", "-"),
		v7("400", "-", "-", "ffff0000000000000000000000000004"),
		v7("800", "arn:aws:ecs:us-east-1:111122223333:cluster/other", "arn:aws:ecs:us-east-1:111122223333:task/other2/ffff0000000000000000000000000005", "-"),
		v7("1600", "-", "arn:aws:ecs:us-east-1:111122223333:task/a/b/ffff0000000000000000000000000006", "-"))
	runAll(t, fx, sqlattr.Builder{By: attribution.ByCluster}, false)
}

// A history task without a cluster ARN, of a long task ARN: attribution
// keys it by the cluster in its ARN.
func TestHistoryTaskClusterFromARN(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := rvTask("00000000000000000000000000000008", "eni-nca", "10.0.1.8", t0, time.Time{})
	tk.ClusterARN = ""
	h := rvIndex(t, []history.Task{tk}, nil)
	fx := rvFixture(h, rvHeadV2, rvLine("eni-nca", "10.0.1.8", "52.94.1.1", t0.Add(time.Minute).Unix()))
	for _, partitioned := range []bool{false, true} {
		if got := runAll(t, fx, sqlattr.Builder{By: attribution.ByCluster}, partitioned); len(got) == 0 || got[0].Key != "rv" {
			t.Errorf("partitioned %v: rows %v, want the group rv first", partitioned, got)
		}
	}
}

// Flow-log start and end in milliseconds: the parser reads them as seconds
// (flowlogs unixSeconds). The table written from the same records once
// kept the milliseconds, and the query's t was then 1000 times the second;
// FlowLogWriter now writes the parser's seconds, and the query divides
// what a table holds in milliseconds, as the parser does (a table that
// AWS's layout holds in milliseconds, rewritten here).
func TestMillisecondTimes(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := rvTask("00000000000000000000000000000005", "eni-ms", "10.0.1.5", t0, t0.Add(10*time.Minute))
	h := rvIndex(t, []history.Task{tk}, nil)
	var lines []string
	for _, d := range []time.Duration{-time.Second, 0, time.Minute, 10*time.Minute - time.Millisecond, 10 * time.Minute, 11*time.Minute + 999*time.Millisecond} {
		ms := t0.Add(d).UnixMilli()
		lines = append(lines, strings.Join([]string{"2", "111122223333", "eni-ms", "10.0.1.5", "52.94.1.1", "40000", "443", "6", "3", "300",
			itoa(ms), itoa(ms + 30_000), "ACCEPT", "OK"}, " "))
	}
	fx := rvFixture(h, rvHeadV2, lines...)
	runAll(t, fx, sqlattr.Builder{}, false)

	// The table as a pipeline wrote it, in milliseconds: the query reads
	// it as the parser reads the text.
	dir := t.TempDir()
	msFlow := filepath.Join(dir, "flowlogs-ms.parquet")
	var ms []string
	for _, l := range lines {
		f := strings.Fields(l)
		ms = append(ms, "("+f[10]+", "+f[11]+")")
	}
	duckExec(t, "COPY (SELECT 'eni-ms' AS interface_id, '10.0.1.5' AS srcaddr, '52.94.1.1' AS dstaddr, 40000 AS srcport, 443 AS dstport, "+
		"6 AS protocol, CAST(3 AS BIGINT) AS packets, CAST(300 AS BIGINT) AS bytes, CAST(s AS BIGINT) AS \"start\", CAST(e AS BIGINT) AS \"end\", "+
		"'ACCEPT' AS action, 'OK' AS log_status FROM (VALUES "+strings.Join(ms, ", ")+") AS v(s, e)) TO '"+msFlow+"' (FORMAT parquet)")
	fields := []flowlogs.Field{flowlogs.FieldInterfaceID, flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr, flowlogs.FieldSrcPort,
		flowlogs.FieldDstPort, flowlogs.FieldProtocol, flowlogs.FieldPackets, flowlogs.FieldBytes, flowlogs.FieldStart,
		flowlogs.FieldEnd, flowlogs.FieldAction, flowlogs.FieldLogStatus}
	want := runLayout(t, fx, sqlattr.Builder{}, false)
	hist := filepath.Join(dir, "history.parquet")
	ivRows, err := intervals.Build(h)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, hist, func(w *bytes.Buffer) error { return intervals.WriteParquet(w, ivRows) })
	for _, d := range []sqlattr.Dialect{sqlattr.DuckDB, sqlattr.Athena, sqlattr.Spark} {
		b := sqlattr.Builder{Dialect: sqlattr.DuckDB, Fields: fields}
		ddl, err := b.DDL(sqlattr.Tables{FlowLogsPath: msFlow, IntervalsPath: hist})
		if err != nil {
			t.Fatal(err)
		}
		b.Dialect = d
		q, err := b.Query()
		if err != nil {
			t.Fatal(err)
		}
		if d != sqlattr.DuckDB {
			q = queryInDuckDB(t, d, q)
		}
		compare(t, duckScript(t, ddl+"\n"+q), want)
	}
}

// A task whose history has no cluster (no ClusterARN, short task ARN):
// WritePartitioned files it under cluster=__unknown__, and DuckDB's (and
// Athena's, Spark's) partition column then replaces the row's own cluster
// value, so by cluster the group key once was "__unknown__" where Go says
// "". The query takes no cluster from the table's cluster column now.
func TestPartitionedUnknownCluster(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := rvTask("00000000000000000000000000000007", "eni-nc", "10.0.1.7", t0, time.Time{})
	tk.ARN, tk.ClusterARN = "arn:aws:ecs:us-east-1:111122223333:task/00000000000000000000000000000007", ""
	h := rvIndex(t, []history.Task{tk}, nil)
	fx := rvFixture(h, rvHeadV2, rvLine("eni-nc", "10.0.1.7", "52.94.1.1", t0.Add(time.Minute).Unix()))
	run(t, fx, sqlattr.Builder{By: attribution.ByCluster})
	got := runAll(t, fx, sqlattr.Builder{By: attribution.ByCluster}, true)
	if len(got) == 0 || got[0].Key != "" {
		t.Errorf("rows %v, want the group \"\" first", got)
	}
}

// Two records whose ecs-task-arn has no "/" (and no ecs-task-id), naming
// two different tasks the history lacks: Go once derived the ID "" for
// both (taskFromECSFields: id only after a '/'), so the second record
// found the first one's made-up task in byID[""]; SQL kept them apart.
// Both take the whole ARN as the ID now, also for an ARN ending in "/".
func TestSlashlessECSTaskARN(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	known := rvTask("00000000000000000000000000000006", "eni-s", "10.0.1.6", t0, time.Time{})
	h := rvIndex(t, []history.Task{known}, nil)
	ts := t0.Add(time.Minute).Unix()
	head := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction ecs-task-arn"
	l1 := strings.Join([]string{"7", "111122223333", "-", "10.0.7.7", "52.94.1.1", "40000", "443", "6", "3", "300",
		itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", "task-a"}, " ")
	l2 := strings.Join([]string{"7", "111122223333", "-", "10.0.7.8", "52.94.1.1", "40000", "443", "6", "3", "500",
		itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", "task-b"}, " ")
	got := runAll(t, rvFixture(h, head, l1, l2), sqlattr.Builder{}, false)
	if len(got) != 3 || got[0].Key != "task-b" || got[1].Key != "task-a" {
		t.Errorf("rows %v, want the groups task-b and task-a", got)
	}

	// ARNs ending in "/", a long one, and ecs-task-id beside them.
	head += " ecs-task-id"
	line := func(bytes, arn, id string) string {
		return strings.Join([]string{"7", "111122223333", "-", "10.0.7.9", "52.94.1.1", "40000", "443", "6", "3", bytes,
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", arn, id}, " ")
	}
	fx := rvFixture(h, head,
		line("100", "task-a", "-"), line("200", "task-b", "-"), line("400", "task-a", "-"),
		line("800", rvPrefix, "-"), line("1600", "arn:aws:ecs:us-east-1:111122223333:task/other/", "-"),
		line("3200", rvPrefix+"ffff0000000000000000000000000009", "-"), line("6400", "-", "ffff0000000000000000000000000009"),
		line("12800", "task-d", "00000000000000000000000000000006"), line("25600", rvPrefix+"/", "-"))
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByCluster} {
		runAll(t, fx, sqlattr.Builder{By: by}, false)
	}
}

// Host-port inference with both ports bound (host-mode on the
// destination, bridge on the source), direction unknown, records before
// the instance, at the late-slack boundary, and only-end records: the two
// engines agreed before the fixes and still do.
func TestHostPortEdges(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := hostPortIndex(t, t0, t0.Add(10*time.Minute))
	stop := t0.Add(10 * time.Minute).Unix()
	var lines []string
	for _, ts := range []int64{t0.Unix() - 1, t0.Unix(), stop - 1, stop, stop + 59, stop + 60, stop + 61} {
		for _, addrs := range [][2]string{{"10.0.5.5", "10.0.5.6"}, {"10.0.9.9", "10.0.5.6"}, {"10.0.5.6", "10.0.9.9"}} {
			lines = append(lines, strings.Join([]string{"2", "111122223333", "eni-inst", addrs[0], addrs[1], "32770", "9100", "6", "3", "300",
				itoa(ts), itoa(ts + 5), "ACCEPT", "OK"}, " "))
			lines = append(lines, strings.Join([]string{"2", "111122223333", "-", addrs[0], addrs[1], "9100", "32799", "6", "3", "300",
				itoa(ts), itoa(ts + 5), "ACCEPT", "OK"}, " "))
		}
	}
	fx := rvFixture(h, rvHeadV2, lines...)
	runAll(t, fx, sqlattr.Builder{}, false)
	run(t, fx, sqlattr.Builder{By: attribution.ByService})
	endOnly := rvFixture(h, "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action log-status",
		func() []string {
			var out []string
			for _, l := range lines {
				f := strings.Fields(l)
				out = append(out, strings.Join(append(f[:10:10], f[11:]...), " "))
			}
			return out
		}()...)
	run(t, endOnly, sqlattr.Builder{})
}

// Tasks known only from records in the compact v7 set (ecs-task-id,
// ecs-cluster-name, ecs-service-name, ecs-container-instance-id), and in
// formats with both the ARNs and the names: the cluster name and the
// container instance ID are the keys where the ARNs are absent, in Go as
// in SQL. Go once put every such task under cluster "" and instance "".
func TestECSCompactFields(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	known := rvTask("00000000000000000000000000000021", "eni-cf", "10.0.1.21", t0, time.Time{})
	h := rvIndex(t, []history.Task{known}, nil)
	ts := t0.Add(time.Minute).Unix()
	const (
		head   = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction "
		ciARN  = "arn:aws:ecs:us-east-1:111122223333:container-instance/rv/"
		clProd = "arn:aws:ecs:us-east-1:111122223333:cluster/prod"
	)
	line := func(bytes string, ecs ...string) string {
		return strings.Join(append([]string{"7", "111122223333", "-", "10.0.7.21", "52.94.1.1", "40000", "443", "6", "3", bytes,
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress"}, ecs...), " ")
	}
	compact := rvFixture(h, head+"ecs-cluster-name ecs-container-instance-id ecs-service-name ecs-task-id",
		line("100", "prod", "0123456789abcdef0123456789abcdef", "api", "aaaa0000000000000000000000000001"),
		line("200", "prod", "0123456789abcdef0123456789abcdef", "api", "aaaa0000000000000000000000000001"),
		line("400", "prod", "-", "api", "aaaa0000000000000000000000000002"),
		line("800", "prod", "fedcba9876543210fedcba9876543210", "-", "aaaa0000000000000000000000000003"),
		line("1600", "-", "fedcba9876543210fedcba9876543210", "batch", "aaaa0000000000000000000000000004"),
		line("3200", "other", "-", "-", "00000000000000000000000000000021"))
	both := rvFixture(h, head+"ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-task-arn ecs-task-id",
		line("100", clProd, "prod", ciARN+"0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef", "-", "bbbb0000000000000000000000000001"),
		line("200", "-", "prod", "-", "0123456789abcdef0123456789abcdef", "-", "bbbb0000000000000000000000000002"),
		line("400", "-", "-", "-", "fedcba9876543210fedcba9876543210", rvPrefix+"bbbb0000000000000000000000000003", "-"),
		line("800", "-", "blue", "-", "-", rvPrefix+"bbbb0000000000000000000000000004", "-"),
		line("1600", clProd, "-", ciARN+"fedcba9876543210fedcba9876543210", "-", "-", "bbbb0000000000000000000000000005"))
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily,
		attribution.ByInstance, attribution.ByCluster} {
		got := runAll(t, compact, sqlattr.Builder{By: by}, false)
		groups := map[string]int64{}
		for _, r := range got {
			if r.Kind == "group" {
				groups[r.Key] = r.Bytes
			}
		}
		var want map[string]int64
		switch by {
		case attribution.ByCluster:
			want = map[string]int64{"prod": 1500, "": 1600, rvCluster: 3200}
		case attribution.ByInstance:
			want = map[string]int64{"0123456789abcdef0123456789abcdef": 300, "": 3600, "fedcba9876543210fedcba9876543210": 2400}
		}
		if want != nil && fmt.Sprint(groups) != fmt.Sprint(want) {
			t.Errorf("by %v: bytes by group %v, want %v", by, groups, want)
		}
		runAll(t, both, sqlattr.Builder{By: by}, false)
	}
}

// Host-port inference with tcp-flags: the port of the side the flags name
// as the connection's opener (the source of a SYN without ACK, the
// destination of a SYN-ACK) is never looked up, with every direction
// (flow-direction, the instance's address, neither) and on both paths to
// the instance (its ENI, and its address without an interface). Go once
// attributed an egress SYN from the instance's port 32768 (and the
// ingress SYN-ACK to it) to the bridge task bound there.
func TestHostPortOpenerFlags(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := hostPortIndex(t, t0, time.Time{})
	ts := t0.Add(time.Minute).Unix()
	var withFlags, without []string
	for _, eni := range []string{"eni-inst", "-"} {
		for _, addrs := range [][2]string{{"10.0.9.9", "52.94.1.1"}, {"52.94.1.1", "10.0.9.9"}, {"10.0.5.5", "52.94.1.1"}} {
			for _, ports := range [][2]string{{"32768", "443"}, {"443", "32768"}, {"32770", "9100"}, {"9100", "32799"}, {"32770", "32771"}} {
				for _, dir := range []string{"-", "ingress", "egress"} {
					for _, flags := range []string{"-", "0", "1", "2", "3", "4", "6", "16", "18", "19", "22", "23"} {
						f := []string{"5", "111122223333", eni, addrs[0], addrs[1], ports[0], ports[1], "6", "3", "300",
							itoa(ts), itoa(ts + 30), "ACCEPT", "OK", flags, dir}
						withFlags = append(withFlags, strings.Join(f, " "))
						if flags == "-" {
							without = append(without, strings.Join(append(f[:14:14], dir), " "))
						}
					}
				}
			}
		}
	}
	fx := rvFixture(h, rvHeadV2+" tcp-flags flow-direction", withFlags...)
	got := runAll(t, fx, sqlattr.Builder{}, false)
	if len(got) < 3 || got[0].Key != rvPrefix+"b1" {
		t.Errorf("rows %v, want the bridge task first", got)
	}
	run(t, fx, sqlattr.Builder{By: attribution.ByService})
	run(t, fx, sqlattr.Builder{NoIPFallback: true}, attribution.WithoutIPFallback())
	// The reviewers' two records: the instance opened both connections.
	client := rvFixture(h, rvHeadV2+" tcp-flags flow-direction",
		strings.Join([]string{"5", "111122223333", "eni-inst", "10.0.9.9", "52.94.1.1", "32768", "443", "6", "3", "300",
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "2", "egress"}, " "),
		strings.Join([]string{"5", "111122223333", "eni-inst", "52.94.1.1", "10.0.9.9", "443", "32768", "6", "3", "300",
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "18", "ingress"}, " "))
	if got := runAll(t, client, sqlattr.Builder{}, false); len(got) != 2 || got[0].Key != attribution.SharedENINoBinding.String() || got[0].Records != 2 {
		t.Errorf("rows %v, want both records on the shared ENI without a binding", got)
	}
	// A table without tcp-flags: both ports are tried, as before.
	var fields []flowlogs.Field
	for _, f := range attribution.Fields() {
		if f != flowlogs.FieldTCPFlags {
			fields = append(fields, f)
		}
	}
	run(t, rvFixture(h, rvHeadV2+" flow-direction", without...), sqlattr.Builder{Fields: fields})
}

// One cluster, one group; one container instance, one group: a task known
// only from records' compact v7 fields names its cluster by name
// (ecs-cluster-name, or the cluster in a long task ARN) and its instance
// by ID (ecs-container-instance-id), and each becomes the one ARN of the
// history (tasks' and instances' cluster ARNs; instances' ARNs and those
// tasks name) ending in "/NAME" or "/ID", in Go as in SQL. "prod" was
// once a group of its own beside the history's cluster/prod, and an ID
// beside its instance's ARN. A name or ID of two ARNs, or of none, stays
// the key as it is.
func TestOneClusterTwoGroups(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	const (
		acct     = "arn:aws:ecs:us-east-1:111122223333:"
		prod     = acct + "cluster/prod"
		instID   = "0123456789abcdef0123456789abcdef"
		inst     = acct + "container-instance/prod/" + instID
		onlyID   = "1111111111111111aaaaaaaaaaaaaaaa" // named by a task only
		dupID    = "2222222222222222bbbbbbbbbbbbbbbb" // two instances' ID
		otherDup = "arn:aws:ecs:us-west-2:111122223333:cluster/dup"
	)
	task := func(id, cluster, instance, eni, ip string) history.Task {
		return history.Task{ARN: acct + "task/" + lastPart(cluster) + "/" + id, ClusterARN: cluster, Group: "service:api", Family: "api",
			LaunchType: "EC2", NetworkMode: netmode.ModeAWSVPC, ContainerInstanceARN: instance, ENI: eni,
			IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: t0}}
	}
	h := rvIndex(t, []history.Task{
		task("aaaa0000000000000000000000000001", prod, inst, "eni-a", "10.0.1.1"),
		task("aaaa0000000000000000000000000002", prod, acct+"container-instance/prod/"+onlyID, "eni-b", "10.0.1.2"),
		task("aaaa0000000000000000000000000003", acct+"cluster/dup", acct+"container-instance/dup/"+dupID, "eni-c", "10.0.1.3"),
		task("aaaa0000000000000000000000000004", otherDup, "arn:aws:ecs:us-west-2:111122223333:container-instance/dup/"+dupID, "eni-d", "10.0.1.4"),
	}, []history.Instance{{ARN: inst, ClusterARN: prod, EC2InstanceID: "i-0abc", ENI: "eni-inst",
		IPv4: netip.MustParseAddr("10.0.9.9"), Valid: history.Interval{Start: t0}}})
	ts := t0.Add(time.Minute).Unix()
	line := func(bytes, eni, src string, ecs ...string) string {
		return strings.Join(append([]string{"7", "111122223333", eni, src, "52.94.1.1", "40000", "443", "6", "3", bytes,
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress"}, ecs...), " ")
	}
	head := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction "
	compact := rvFixture(h, head+"ecs-cluster-name ecs-container-instance-id ecs-task-id",
		line("100", "eni-a", "10.0.1.1", "prod", instID, "aaaa0000000000000000000000000001"), // the history's task
		line("200", "-", "10.0.7.1", "prod", instID, "bbbb0000000000000000000000000001"),
		line("400", "-", "10.0.7.2", "prod", onlyID, "bbbb0000000000000000000000000002"),
		line("800", "-", "10.0.7.3", "dup", dupID, "bbbb0000000000000000000000000003"),
		line("1600", "-", "10.0.7.4", "blue", "3333333333333333cccccccccccccccc", "bbbb0000000000000000000000000004"),
		line("3200", "-", "10.0.7.5", "-", "-", "bbbb0000000000000000000000000005"))
	// The cluster from a long task ARN, without ecs-cluster-name.
	long := rvFixture(h, head+"ecs-task-arn",
		line("100", "eni-a", "10.0.1.1", acct+"task/prod/aaaa0000000000000000000000000001"),
		line("200", "-", "10.0.7.1", acct+"task/prod/bbbb0000000000000000000000000001"),
		line("400", "-", "10.0.7.2", acct+"task/dup/bbbb0000000000000000000000000003"))
	for _, c := range []struct {
		fx   fixture
		by   attribution.GroupBy
		want map[string]int64
	}{
		{compact, attribution.ByCluster, map[string]int64{prod: 700, "dup": 800, "blue": 1600, "": 3200}},
		{compact, attribution.ByInstance, map[string]int64{inst: 300, acct + "container-instance/prod/" + onlyID: 400, dupID: 800,
			"3333333333333333cccccccccccccccc": 1600, "": 3200}},
		{long, attribution.ByCluster, map[string]int64{prod: 300, "dup": 400}},
	} {
		for _, partitioned := range []bool{false, true} {
			got := runAll(t, c.fx, sqlattr.Builder{By: c.by}, partitioned)
			groups := map[string]int64{}
			for _, r := range got {
				if r.Kind == "group" {
					groups[r.Key] = r.Bytes
				}
			}
			if fmt.Sprint(groups) != fmt.Sprint(c.want) {
				t.Errorf("by %v, partitioned %v: bytes by group %v, want %v", c.by, partitioned, groups, c.want)
			}
		}
	}
}

func lastPart(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// hostPortIndex is a container instance (eni-inst, 10.0.9.9) from t0 with
// a host-mode task bound on TCP 9100 and a bridge task on the range
// 32768-32800 from t0 to brEnd (zero: still running).
func hostPortIndex(t *testing.T, t0, brEnd time.Time) *history.Index {
	inst := history.Instance{ARN: "arn:aws:ecs:us-east-1:111122223333:container-instance/rv/ci", ClusterARN: rvCluster,
		ENI: "eni-inst", IPv4: netip.MustParseAddr("10.0.9.9"), Valid: history.Interval{Start: t0}}
	host := history.Task{ARN: rvPrefix + "h1", ClusterARN: rvCluster, Group: "service:exp", Family: "exp", LaunchType: "EC2",
		ContainerInstanceARN: inst.ARN, NetworkMode: netmode.ModeHost, Valid: history.Interval{Start: t0},
		Bindings: []history.Binding{{Proto: netmode.Protocol(6), HostPort: 9100}}}
	br := history.Task{ARN: rvPrefix + "b1", ClusterARN: rvCluster, Group: "service:legacy", Family: "legacy", LaunchType: "EC2",
		ContainerInstanceARN: inst.ARN, NetworkMode: netmode.ModeBridge, Valid: history.Interval{Start: t0, End: brEnd},
		Bindings: []history.Binding{{Proto: netmode.Protocol(6), HostPort: 32768, HostPortLast: 32800}}}
	return rvIndex(t, []history.Task{host, br}, []history.Instance{inst})
}

// TestNoInterfaceInstanceFarSide: records without an interface (a
// regional NAT gateway's) with flow-direction: the instance's address
// counts on the local side only (dstaddr on ingress, srcaddr on egress),
// in Go as in SQL. The query once looked the instance up on either side,
// as Go did: the instance's own outbound calls through the NAT gateway
// went to the task holding the port they called.
func TestNoInterfaceInstanceFarSide(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := hostPortIndex(t, t0, t0.Add(10*time.Minute))
	ts := t0.Add(time.Minute).Unix()
	var lines []string
	for _, c := range []struct{ src, dst, sport, dport, dir string }{
		{"10.0.9.9", "52.94.1.1", "41000", "32770", "ingress"}, // the instance calls out: far side
		{"52.94.1.1", "10.0.9.9", "32770", "41000", "egress"},  // its reply: far side
		{"52.94.1.1", "10.0.9.9", "41000", "32770", "ingress"}, // a client calls the bridge task: local side
		{"10.0.9.9", "52.94.1.1", "32770", "41000", "egress"},  // the task answers: local side
		{"52.94.1.1", "10.0.9.9", "41000", "32770", "-"},       // no direction: either side
	} {
		lines = append(lines, strings.Join([]string{"7", "111122223333", "-", c.src, c.dst, c.sport, c.dport, "6", "3", "300",
			itoa(ts), itoa(ts + 30), "ACCEPT", "OK", c.src, c.dst, c.dir, "-", "-", "-", "-", "-", "-"}, " "))
	}
	rows := runAll(t, rvFixture(h, rvHeadV7, lines...), sqlattr.Builder{}, false)
	for _, r := range rows {
		if r.Kind == "group" && r.Bytes != 900 {
			t.Errorf("%v: want the bridge task's 900 bytes (two local-side records and the undirected one)", r)
		}
	}
}

// TestIntermediaryInterfaceType: records of a transit gateway's ENI carry
// the calling task as pkt-srcaddr (egress) and pkt-dstaddr (ingress); with
// v11's interface-type naming an intermediary, neither engine takes them
// by address (the task's own ENI has those bytes), and on an ordinary
// interface both do, as before.
func TestIntermediaryInterfaceType(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := rvIndex(t, []history.Task{rvTask("c1", "eni-c1", "10.0.1.111", t0, time.Time{})}, nil)
	ts := t0.Add(time.Minute).Unix()
	head := "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"pkt-srcaddr pkt-dstaddr flow-direction interface-type"
	var lines []string
	for _, itype := range []string{"transit_gateway", "network_load_balancer", "regional_nat_gateway", "interface", "-"} {
		lines = append(lines,
			strings.Join([]string{"11", "eni-tgw", "10.9.0.5", "10.9.1.7", "40000", "5432", "6", "3", "300", itoa(ts), itoa(ts + 30),
				"ACCEPT", "OK", "10.0.1.111", "10.9.1.7", "egress", itype}, " "),
			strings.Join([]string{"11", "eni-tgw", "10.9.1.7", "10.9.0.5", "5432", "40000", "6", "3", "300", itoa(ts), itoa(ts + 30),
				"ACCEPT", "OK", "10.9.1.7", "10.0.1.111", "ingress", itype}, " "))
	}
	rows := runAll(t, rvFixture(h, head, lines...), sqlattr.Builder{}, false)
	for _, r := range rows {
		if r.Kind == "group" && r.Bytes != 1200 {
			t.Errorf("%v: want the two ordinary interfaces' 1200 bytes", r)
		}
	}
}
