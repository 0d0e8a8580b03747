package sqlattr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// RuleVersion names the attribution rules the query states:
// attribution.RuleVersion, whose documentation says what each version
// changed. The query's first line names it.
const RuleVersion = attribution.RuleVersion

// Builder prints the attribution join for one SQL engine. The zero value
// needs only Dialect.
type Builder struct {
	Dialect Dialect
	// By picks the group key: task ARN (the default), service group,
	// family, container instance ARN or cluster, as attribution.GroupBy.
	By attribution.GroupBy
	// FlowLogs and Intervals are the table (or view) names the query
	// reads; default "flowlogs" and "intervals".
	FlowLogs, Intervals string
	// Fields are the flow-log fields the flow-log table has (its format);
	// nil means all of attribution.Fields() (the Athena DDL then declares
	// the columns of FlowLogFields, which has them all). Fields the rules
	// read but the table lacks are taken as absent ("-") in every record.
	Fields []flowlogs.Field
	// Slack is how long after an owner stopped a record still counts as
	// its (attribution.WithLateSlack): zero means attribution's default
	// of 60 s, a negative value none.
	Slack time.Duration
	// NoIPFallback turns the address fallback off
	// (attribution.WithoutIPFallback).
	NoIPFallback bool
	// FlowLogFilter and IntervalFilter are SQL predicates on the two
	// tables, for partition pruning: for example
	// `"year" = '2026' AND "month" = '11' AND "day" BETWEEN '01' AND '07'`
	// on AWS's Hive-style Parquet layout (ParquetHive), `"day" BETWEEN
	// '2026/11/01' AND '2026/11/07'` on its text layout, and
	// `"date" <= '2026-11-07'` on the interval table written
	// with intervals.WritePartitioned, for records up to that day (in
	// Spark, whose "date" is a string literal, `date` in backticks). That
	// one gives the unpruned answer but for records from before their
	// key's or task's start: intervals.PartitionDate files each row by
	// the day of the second its start falls in, and a row can own a
	// record only from its first second on, so the rows of later days
	// own no record up to the last day queried. They only make their
	// keys known, and name their tasks, from the beginning of time: a
	// record on an ENI or address whose first owner starts after the
	// last day queried is, pruned, on a key the query does not know, so
	// it goes to the address fallback (unpruned, and in attribution, it
	// is outside any task's lifetime); and a record naming in its ecs-*
	// fields a task that starts after that day (no flow log writes one)
	// gets a task made from its fields. And a task made from ecs-*
	// fields resolves its cluster name and container instance ID over
	// the rows kept: a cluster or instance whose rows all start after
	// that day is not known. Earlier partitions are always needed, and so
	// is every cluster= partition: a record on an ENI or address of a
	// cluster left out is on a key the query does not know, and the
	// address fallback may give it to a task of a cluster kept (its
	// peer), whose own ENI's record counts the same bytes: counted twice.
	// The filters are pasted as they are; the records a filter drops are
	// not counted anywhere.
	FlowLogFilter, IntervalFilter string
}

// OutputColumns returns the query's output columns, in order (a new slice
// each call).
func OutputColumns() []string { return slices.Clone(outputColumns) }

var outputColumns = []string{"kind", "key", "bytes_in", "bytes_out", "packets_in", "packets_out",
	"bytes", "packets", "records", "bytes_unknown_direction", "packets_unknown_direction",
	"accepted_bytes", "rejected_bytes"}

// ErrMissingField is wrapped by errors about flow-log fields a rule needs.
var ErrMissingField = errors.New("sqlattr: flow logs lack a field the join needs")

func (b *Builder) slack() int64 {
	switch {
	case b.Slack == 0:
		return 60
	case b.Slack < 0:
		return 0
	}
	return int64(b.Slack / time.Second)
}

func (b *Builder) names() (flow, iv string) {
	flow, iv = b.FlowLogs, b.Intervals
	if flow == "" {
		flow = "flowlogs"
	}
	if iv == "" {
		iv = "intervals"
	}
	return flow, iv
}

// column is a flow-log field's column name (Athena's: underscores).
func column(f flowlogs.Field) string { return strings.ReplaceAll(f.String(), "-", "_") }

func (b *Builder) present() (map[flowlogs.Field]bool, error) {
	fs := b.Fields
	if fs == nil {
		fs = attribution.Fields()
	}
	has := map[flowlogs.Field]bool{}
	for _, f := range fs {
		has[f] = true
	}
	var missing []string
	for _, f := range []flowlogs.Field{flowlogs.FieldBytes, flowlogs.FieldPackets} {
		if !has[f] {
			missing = append(missing, f.String())
		}
	}
	if !has[flowlogs.FieldStart] && !has[flowlogs.FieldEnd] {
		missing = append(missing, "start (or end)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s (every total counts them)", ErrMissingField, strings.Join(missing, ", "))
	}
	join := []flowlogs.Field{flowlogs.FieldInterfaceID, flowlogs.FieldECSTaskARN, flowlogs.FieldECSTaskID}
	if !b.NoIPFallback {
		join = append(join, flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr, flowlogs.FieldPktSrcAddr, flowlogs.FieldPktDstAddr)
	}
	for _, f := range join {
		if has[f] {
			return has, nil
		}
	}
	var names []string
	for _, f := range join {
		names = append(names, f.String())
	}
	return nil, fmt.Errorf("%w: none of %s, so no record could be attributed", ErrMissingField, strings.Join(names, ", "))
}

// Query returns the SELECT statement. Its rows are one per group
// (kind 'group', key the group key), one per reason with records (kind
// 'unattributed', key the reason as attribution.Reason.String writes it)
// and the total (kind 'total', key the empty string), in the order of
// the JSON report: groups heaviest first (ties by key), reasons in
// attribution.Reasons order, the total last. bytes_in, bytes_out, packets_in and packets_out
// are null on reason and total rows, accepted_bytes and rejected_bytes on
// every row but groups'. Top peers, ports and time series are left out:
// attribution keeps them in bounded space-saving summaries that SQL cannot
// reproduce exactly, and the query does not approximate them.
func (b *Builder) Query() (string, error) {
	if err := b.Dialect.valid(); err != nil {
		return "", err
	}
	if _, ok := attribution.ParseGroupBy(b.By.String()); !ok {
		return "", fmt.Errorf("sqlattr: unknown grouping %d", b.By)
	}
	has, err := b.present()
	if err != nil {
		return "", err
	}
	q := &query{b: b, d: b.Dialect, has: has, slack: b.slack()}
	q.flow, q.iv = b.names()
	return q.build(), nil
}

type query struct {
	b        *Builder
	d        Dialect
	has      map[flowlogs.Field]bool
	slack    int64
	flow, iv string
	sb       strings.Builder
}

func (q *query) p(format string, args ...any) { fmt.Fprintf(&q.sb, format, args...) }

// str is a string field normalised: "-" (and "") are absent, as in the
// parser; a field the table lacks is null.
func (q *query) str(f flowlogs.Field) string {
	if !q.has[f] {
		return "CAST(NULL AS " + q.d.str() + ")"
	}
	c := q.d.ident(column(f))
	return fmt.Sprintf("CASE WHEN CAST(%s AS %s) IN ('-', '') THEN NULL ELSE CAST(%s AS %s) END", c, q.d.str(), c, q.d.str())
}

// num is an integer field; null when absent ("-" in an Athena text table
// reads as null).
func (q *query) num(f flowlogs.Field) string {
	if !q.has[f] {
		return "CAST(NULL AS BIGINT)"
	}
	return "CAST(" + q.d.ident(column(f)) + " AS BIGINT)"
}

// groupColumn is the interval table's column of the group key.
func (q *query) groupColumn(alias string) string {
	switch q.b.By {
	case attribution.ByService:
		return alias + ".service_group"
	case attribution.ByFamily:
		return alias + ".family"
	case attribution.ByInstance:
		return alias + ".container_instance_arn"
	case attribution.ByCluster:
		// attribution's key: the cluster ARN, else the cluster name
		// history.Task.Cluster finds in the task ARN. Not the table's
		// cluster column, which a partitioned table's cluster=
		// directories replace on DuckDB, Spark and Athena
		// ("__unknown__" for rows without one).
		return fmt.Sprintf("CASE WHEN %[1]s.cluster_arn <> '' THEN %[1]s.cluster_arn ELSE %[2]s END", alias, q.clusterOf(alias+".task_arn"))
	}
	return alias + ".task_arn"
}

// clusterOf is the cluster name in the long task ARN e
// (arn:PARTITION:ecs:REGION:ACCOUNT:task/CLUSTER/ID), as
// history.Task.Cluster finds it without a cluster ARN: the resource (what
// follows the ARN's fifth colon, or all of e when it is no ARN) split at
// "/" into exactly three parts gives the middle one; else the empty
// string. regexp_extract gives the empty string for no match in DuckDB
// and Spark, NULL in Trino; COALESCE makes both empty.
func (q *query) clusterOf(e string) string {
	return fmt.Sprintf("COALESCE(CASE WHEN %[1]s LIKE 'arn:%%:%%:%%:%%:%%' THEN regexp_extract(%[1]s, %[2]s, 1) ELSE regexp_extract(%[1]s, %[3]s, 1) END, '')",
		e, q.d.lit("^arn:[^:]*:[^:]*:[^:]*:[^:]*:[^/]*/([^/]*)/[^/]*$"), q.d.lit("^[^/]*/([^/]*)/[^/]*$"))
}

// lookup is one LEFT JOIN of the interval table that matches at most one
// row: the row of key whose seconds, up to the next owner's first, hold t.
type lookup struct {
	alias, kind, key string
	extra            string // more ON conditions
}

func (q *query) join(l lookup) string {
	on := fmt.Sprintf("%[1]s.kind = '%[2]s' AND %[1]s.%[3]s = %[4]s", l.alias, l.kind, q.d.ident("key"), l.key)
	if l.kind != "task" {
		on += fmt.Sprintf(" AND (%[1]s.first_second IS NULL OR %[1]s.first_second <= r.t) AND (%[1]s.next_first_second IS NULL OR r.t < %[1]s.next_first_second)", l.alias)
	}
	if l.extra != "" {
		on += " AND " + l.extra
	}
	return fmt.Sprintf("  LEFT JOIN %s AS %s ON %s\n", q.iv, l.alias, on)
}

// owned is true when the lookup's row owns the key at t, the late slack
// included.
func (q *query) owned(alias string) string {
	return fmt.Sprintf("COALESCE(%[1]s.held AND (%[1]s.late_base_second IS NULL OR r.t <= %[1]s.late_base_second + %[2]d), FALSE)", alias, q.slack)
}

// owns: the address in column v4 or v6 ("" when none) is among the
// expressions.
func owns(v4, v6 string, exprs ...string) string {
	in := strings.Join(exprs, ", ")
	return fmt.Sprintf("((%[1]s <> '' AND %[1]s IN (%[3]s)) OR (%[2]s <> '' AND %[2]s IN (%[3]s)))", v4, v6, in)
}

func (q *query) build() string {
	F := func(f flowlogs.Field) string { return q.str(f) }
	N := func(f flowlogs.Field) string { return q.num(f) }
	p := q.p
	p("-- ecsnet attribution join, rule version %d, dialect %s, grouped by %s.\n", RuleVersion, q.d, q.b.By)
	p("-- Generated by github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr: the rules are those of\n")
	p("-- flowlogs/attribution, stated once there; see that package's documentation.\n")
	p("WITH\n")
	// r: the records, normalised as the parser reads them.
	p("r AS (\n  SELECT\n")
	p("    %s AS eni,\n", F(flowlogs.FieldInterfaceID))
	p("    %s AS src,\n    %s AS dst,\n", F(flowlogs.FieldSrcAddr), F(flowlogs.FieldDstAddr))
	p("    %s AS psrc,\n    %s AS pdst,\n", F(flowlogs.FieldPktSrcAddr), F(flowlogs.FieldPktDstAddr))
	p("    %s AS sport,\n    %s AS dport,\n", N(flowlogs.FieldSrcPort), N(flowlogs.FieldDstPort))
	p("    COALESCE(%s, 0) AS proto,\n", N(flowlogs.FieldProtocol))
	p("    CASE WHEN %[1]s > 0 THEN %[1]s ELSE 0 END AS b,\n", N(flowlogs.FieldBytes))
	p("    CASE WHEN %[1]s > 0 THEN %[1]s ELSE 0 END AS pk,\n", N(flowlogs.FieldPackets))
	// A record counts at its start (its end when the format has no start),
	// in seconds: the parser reads values from 10^12 to 10^13 as
	// milliseconds (seen in the wild), and so does the query.
	sec := func(f flowlogs.Field) string {
		v := N(f)
		if !q.has[f] {
			return v
		}
		return fmt.Sprintf("CASE WHEN %[1]s >= 1000000000000 AND %[1]s < 10000000000000 THEN %[2]s ELSE %[1]s END", v, q.d.intDiv(v, "1000"))
	}
	p("    COALESCE(%s, %s, 0) AS t,\n", sec(flowlogs.FieldStart), sec(flowlogs.FieldEnd))
	p("    %s AS action,\n    %s AS status,\n", F(flowlogs.FieldAction), F(flowlogs.FieldLogStatus))
	p("    %s AS dir,\n", F(flowlogs.FieldFlowDirection))
	// mid: the record's interface is an intermediary's (attribution's
	// IntermediaryInterfaceTypes), where the address fallback finds none.
	var lits []string
	for _, t := range attribution.IntermediaryInterfaceTypes() {
		lits = append(lits, q.d.lit(t))
	}
	p("    COALESCE(%s IN (%s), FALSE) AS mid,\n", F(flowlogs.FieldInterfaceType), strings.Join(lits, ", "))
	p("    %s AS flags,\n", N(flowlogs.FieldTCPFlags))
	p("    %s AS ecs_arn,\n    %s AS ecs_id0,\n", F(flowlogs.FieldECSTaskARN), F(flowlogs.FieldECSTaskID))
	// The cluster and the container instance by ARN, else by name or ID
	// (the compact v7 fields), as attribution reads them.
	p("    COALESCE(%s, %s) AS ecs_cluster,\n    %s AS ecs_service,\n",
		F(flowlogs.FieldECSClusterARN), F(flowlogs.FieldECSClusterName), F(flowlogs.FieldECSServiceName))
	p("    %s AS ecs_taskdef,\n    COALESCE(%s, %s) AS ecs_instance\n",
		F(flowlogs.FieldECSTaskDefinitionARN), F(flowlogs.FieldECSContainerInstanceARN), F(flowlogs.FieldECSContainerInstanceID))
	p("  FROM %s\n", q.flow)
	if f := q.b.FlowLogFilter; f != "" {
		p("  WHERE %s\n", f)
	}
	p("),\n")
	// iv0: the interval table, pruned if asked. iv adds rows that hold
	// nothing, for the keys whose mere existence matters (a task ENI
	// outside its owners' lives is OutsideLifetime, not a matter for the
	// address fallback; so is an address ever a task's that no task owns
	// at the record's second; and a container instance's ENI no instance
	// holds): for every key of those kinds, one from the beginning of
	// time to its first owner, and for every task ENI and task address
	// without rows (its tasks held it for no whole second; attribution
	// knows the key all the same), one for all time, from the task rows.
	// A lookup then finds a row exactly when the key is known, and an
	// owner when that row is held.
	p("iv0 AS (\n  SELECT * FROM %s\n", q.iv)
	if f := q.b.IntervalFilter; f != "" {
		p("  WHERE %s\n", f)
	}
	p("),\n")
	// ver: a schema version of the rows read other than the one the
	// query is written for (see versionCheck); NULL, a file written
	// before the column, is that version.
	p("ver AS (\n  SELECT MAX(CASE WHEN COALESCE(schema_version, %[1]d) <> %[1]d THEN schema_version END) AS ecsnet_other_version FROM iv0\n),\n",
		intervals.SchemaVersion)
	key := q.d.ident("key")
	ivCols := "kind, " + key + ", protocol, port_first, port_last, first_second, next_first_second, late_base_second, " +
		"task_arn, task_id, cluster_arn, service_group, family, container_instance_arn, network_mode, ipv4, ipv6"
	none := strings.Repeat("'', ", 9) + "FALSE"
	p("iv AS (\n  SELECT %s, TRUE AS held FROM iv0\n  UNION ALL\n", ivCols)
	p("  SELECT kind, %s, 0, 0, 0, CAST(NULL AS BIGINT), MIN(first_second), CAST(NULL AS BIGINT), %s\n", key, none)
	p("  FROM iv0 WHERE kind IN ('task_eni', 'instance_eni', 'task_addr')\n")
	p("  GROUP BY kind, %s HAVING COUNT(*) = COUNT(first_second)\n", key)
	p("  UNION ALL\n")
	p("  SELECT k.kind, k.%s, 0, 0, 0, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), %s\n", key, none)
	// The task's addresses are keys as attribution's index makes them:
	// an awsvpc task's, or one of unknown mode that has an ENI.
	ownsAddrs := "(network_mode = 'awsvpc' OR (network_mode = '' AND eni <> ''))"
	p("  FROM (\n")
	p("    SELECT 'task_eni' AS kind, eni AS %s FROM iv0 WHERE kind = 'task' AND eni <> ''\n", key)
	p("    UNION SELECT 'task_addr', ipv4 FROM iv0 WHERE kind = 'task' AND ipv4 <> '' AND %s\n", ownsAddrs)
	p("    UNION SELECT 'task_addr', ipv6 FROM iv0 WHERE kind = 'task' AND ipv6 <> '' AND %s\n", ownsAddrs)
	p("  ) AS k\n")
	p("  LEFT JOIN (SELECT DISTINCT kind, %[1]s FROM iv0 WHERE kind IN ('task_eni', 'task_addr')) AS h ON h.kind = k.kind AND h.%[1]s = k.%[1]s\n", key)
	p("  WHERE h.kind IS NULL\n),\n")
	q.iv = "iv"
	// r2: the task the ECS fields name, as attribution takes it: by
	// ecs_ref, ecs-task-arn else ecs-task-id, as a task ARN, else by
	// ecs_id, what follows ecs_ref's last "/", else the whole of it
	// (never empty). ecs-task-id beside an ARN does not count: AWS writes
	// it as the ARN's last segment, and one that says otherwise once made
	// tasks of one ARN under two IDs (and, records being a set here, other
	// tasks than attribution's first-come). And the address candidates of
	// the fallback: the interface's local side when flow-direction says
	// which it is, else all four.
	p("r1 AS (\n  SELECT r.*, COALESCE(ecs_arn, ecs_id0) AS ecs_ref FROM r\n),\n")
	p("r2 AS (\n  SELECT r.*,\n")
	p("    COALESCE(CASE WHEN ecs_ref LIKE '%%/%%' AND ecs_ref NOT LIKE '%%/' THEN regexp_extract(ecs_ref, %s, 1) END, ecs_ref) AS ecs_id,\n", q.d.lit("([^/]*)$"))
	// None on an intermediary's interface (mid).
	p("    CASE WHEN mid THEN NULL WHEN dir = 'ingress' THEN pdst ELSE psrc END AS c1,\n")
	p("    CASE WHEN mid THEN NULL WHEN dir = 'ingress' THEN dst ELSE src END AS c2,\n")
	p("    CASE WHEN mid OR dir IN ('ingress', 'egress') THEN NULL ELSE pdst END AS c3,\n")
	p("    CASE WHEN mid OR dir IN ('ingress', 'egress') THEN NULL ELSE dst END AS c4,\n")
	// Without an interface, a container instance's address on the local
	// side only when flow-direction says which it is.
	p("    CASE WHEN mid OR dir = 'ingress' THEN NULL ELSE src END AS i1,\n")
	p("    CASE WHEN mid OR dir = 'egress' THEN NULL ELSE dst END AS i2\n")
	p("  FROM r1 AS r\n),\n")
	// Task IDs to ARNs, one task per ID: of two tasks of one ID, the
	// greater ARN, as attribution's index takes it (taskMaps).
	p("ids AS (\n  SELECT task_id, MAX(task_arn) AS task_arn FROM %s WHERE kind = 'task' AND task_id <> '' GROUP BY task_id\n),\n", q.iv)

	// s1: every lookup, at most one row each.
	lk := []lookup{
		{"te", "task_eni", "r.eni", ""},
		{"ie", "instance_eni", "r.eni", ""},
		{"ea", "task", "r.ecs_ref", ""},
		{"eb", "task", "eid.task_arn", ""},
	}
	if !q.b.NoIPFallback {
		lk = append(lk,
			lookup{"a1", "task_addr", "r.c1", ""}, lookup{"a2", "task_addr", "r.c2", ""},
			lookup{"a3", "task_addr", "r.c3", ""}, lookup{"a4", "task_addr", "r.c4", ""},
			lookup{"ia1", "instance_addr", "r.i1", ""}, lookup{"ia2", "instance_addr", "r.i2", ""})
	}
	known := map[string]bool{"te": true, "ie": true, "a1": true, "a2": true, "a3": true, "a4": true}
	p("s1 AS (\n  SELECT r.*,\n")
	var cols []string
	for _, l := range lk {
		a := l.alias
		ok := q.owned(a)
		if l.kind == "task" {
			ok = "(" + a + ".kind IS NOT NULL)"
		}
		cols = append(cols,
			fmt.Sprintf("    %s AS %s_ok", ok, a),
			fmt.Sprintf("    %s AS %s_g", q.groupColumn(a), a),
			fmt.Sprintf("    %s.ipv4 AS %s_v4", a, a),
			fmt.Sprintf("    %s.ipv6 AS %s_v6", a, a),
			fmt.Sprintf("    %s.container_instance_arn AS %s_inst", a, a),
			fmt.Sprintf("    %s.network_mode AS %s_mode", a, a))
	}
	for _, l := range lk {
		if known[l.alias] {
			cols = append(cols, fmt.Sprintf("    (%[1]s.kind IS NOT NULL) AS %[1]s_known", l.alias))
		}
	}
	p("%s\n  FROM r2 AS r\n", strings.Join(cols, ",\n"))
	p("  LEFT JOIN ids AS eid ON eid.task_id = r.ecs_id\n")
	for _, l := range lk {
		p("%s", q.join(l))
	}
	p("),\n")

	// s2: the path each record takes, in attribution's order.
	p("s2 AS (\n  SELECT s1.*,\n    CASE\n")
	p("      WHEN status = 'NODATA' THEN 'NODATA'\n")
	p("      WHEN status = 'SKIPDATA' THEN 'SKIPDATA'\n")
	p("      WHEN ecs_arn IS NOT NULL OR ecs_id0 IS NOT NULL THEN 'ecs'\n")
	p("      WHEN eni IS NOT NULL AND te_known THEN CASE WHEN te_ok THEN 'te' ELSE 'outside' END\n")
	p("      WHEN eni IS NOT NULL AND ie_known THEN CASE WHEN ie_ok THEN 'ie' ELSE 'outside' END\n")
	if q.b.NoIPFallback {
		p("      ELSE 'unknown'\n")
	} else {
		p("      WHEN a1_ok THEN 'a1' WHEN a2_ok THEN 'a2' WHEN a3_ok THEN 'a3' WHEN a4_ok THEN 'a4'\n")
		p("      WHEN eni IS NULL AND ia1_ok THEN 'ia1'\n")
		p("      WHEN eni IS NULL AND ia2_ok THEN 'ia2'\n")
		p("      WHEN a1_known OR a2_known OR a3_known OR a4_known THEN 'outside'\n")
		p("      ELSE 'unknown'\n")
	}
	p("    END AS path\n  FROM s1\n),\n")

	// s3: for records on a container instance, the instance, the direction
	// (flow-direction, else which side is the instance's) and the host
	// ports to try, in order: never the port of the side tcp-flags name as
	// the connection's opener, a client's (the source of a SYN without ACK,
	// the destination of a SYN-ACK; ORed over the window, SYN with ACK is
	// the responder's line, with FIN or without). A bit of the flags is
	// tested by remainders (flags % 4 >= 2: SYN; flags % 32 >= 16: ACK),
	// which all three engines spell alike.
	instPaths := []string{"ie"}
	if !q.b.NoIPFallback {
		instPaths = append(instPaths, "ia1", "ia2")
	}
	pick := func(suffix string) string {
		var w []string
		for _, a := range instPaths {
			w = append(w, fmt.Sprintf("WHEN '%s' THEN %s_%s", a, a, suffix))
		}
		return "CASE path " + strings.Join(w, " ") + " END"
	}
	p("s3 AS (\n  SELECT s2.*,\n")
	p("    %s AS inst,\n", pick("inst"))
	p("    %s AS inst_v4,\n", pick("v4"))
	p("    %s AS inst_v6,\n", pick("v6"))
	p("    path IN ('%s') AS on_inst\n  FROM s2\n),\n", strings.Join(instPaths, "', '"))
	p("s4 AS (\n  SELECT s3.*,\n")
	p("    CASE WHEN dir IN ('ingress', 'egress') THEN dir\n")
	p("         WHEN %s THEN 'ingress'\n", owns("inst_v4", "inst_v6", "dst", "pdst"))
	p("         WHEN %s THEN 'egress' END AS hdir,\n", owns("inst_v4", "inst_v6", "src", "psrc"))
	p("    CASE WHEN flags %% 4 >= 2 AND flags %% 32 < 16 THEN NULL ELSE sport END AS hsport,\n")
	p("    CASE WHEN flags %% 4 >= 2 AND flags %% 32 >= 16 THEN NULL ELSE dport END AS hdport\n")
	p("  FROM s3\n),\n")
	p("s5 AS (\n  SELECT s4.*,\n")
	p("    CASE WHEN NOT on_inst THEN NULL WHEN hdir = 'egress' THEN hsport ELSE hdport END AS p1,\n")
	p("    CASE WHEN on_inst AND hdir IS NULL THEN hsport END AS p2\n  FROM s4\n),\n")
	p("s6 AS (\n  SELECT r.*,\n")
	for _, h := range []string{"h1", "h2"} {
		p("    %s AS %s_ok, %s AS %s_g, %s.network_mode AS %s_mode, %s.ipv4 AS %s_v4, %s.ipv6 AS %s_v6,\n",
			q.owned(h), h, q.groupColumn(h), h, h, h, h, h, h, h)
	}
	p("    0 AS unused\n  FROM s5 AS r\n")
	for i, h := range []string{"h1", "h2"} {
		p("%s", q.join(lookup{h, "host_port", "r.inst",
			fmt.Sprintf("%[1]s.protocol = r.proto AND r.p%[2]d <> 0 AND %[1]s.port_first <= r.p%[2]d AND r.p%[2]d <= %[1]s.port_last", h, i+1)}))
	}
	p("),\n")

	// s7: the task (its group key and addresses) or the reason.
	hostOK := func(h string) string { return fmt.Sprintf("(%[1]s_ok AND %[1]s_mode <> 'host')", h) }
	p("s7 AS (\n  SELECT s6.*,\n    CASE\n")
	p("      WHEN path = 'ecs' THEN 'ecs'\n")
	p("      WHEN path IN ('%s') THEN CASE WHEN %s THEN 'h1' WHEN %s THEN 'h2' END\n", strings.Join(instPaths, "', '"), hostOK("h1"), hostOK("h2"))
	p("      WHEN path IN ('te'%s) THEN path\n", map[bool]string{false: ", 'a1', 'a2', 'a3', 'a4'", true: ""}[q.b.NoIPFallback])
	p("    END AS via,\n")
	p("    CASE path\n")
	p("      WHEN 'NODATA' THEN 0 WHEN 'SKIPDATA' THEN 1 WHEN 'unknown' THEN 2 WHEN 'outside' THEN 3\n")
	p("      ELSE CASE WHEN path IN ('%s') AND NOT %s AND NOT %s THEN\n", strings.Join(instPaths, "', '"), hostOK("h1"), hostOK("h2"))
	p("        CASE WHEN (h1_ok AND h1_mode = 'host') OR (h2_ok AND h2_mode = 'host') THEN 5 ELSE 4 END END\n")
	p("    END AS reason\n  FROM s6\n),\n")

	// ecs: a task the ECS fields name that the history does not know is
	// made from the fields, one per task ID (attribution makes it from the
	// first record; the query takes the largest value of each field, and
	// as its ARN the largest ecs-task-arn, else ecs-task-id). Its
	// cluster is ecs-cluster-arn, else ecs-cluster-name, and its
	// container instance ecs-container-instance-arn, else
	// ecs-container-instance-id (r). Grouped by cluster or by instance, a
	// name (the field's, else the one in a long task ARN) or an ID
	// becomes the one ARN of the interval table (its cluster_arn or
	// container_instance_arn, on task and instance rows alike) that ends
	// in "/NAME" or "/ID", when exactly one does (names); otherwise the
	// name and the ID are its ByCluster and ByInstance keys as they are,
	// as in attribution.
	ecs := "ecs"
	var nameCol, nameOf string
	switch q.b.By {
	case attribution.ByCluster:
		nameCol, nameOf = "cluster_arn", "COALESCE(e.cluster, "+q.clusterOf("COALESCE(e.arn, e.ecs_id)")+")"
	case attribution.ByInstance:
		nameCol, nameOf = "container_instance_arn", "e.instance"
	}
	if nameCol != "" {
		ecs = "ecs0"
		p("names AS (\n  SELECT nm, MIN(arn) AS arn FROM (\n")
		p("    SELECT DISTINCT %[1]s AS arn, regexp_extract(%[1]s, %[2]s, 1) AS nm FROM iv0\n", nameCol, q.d.lit("([^/]*)$"))
		p("    WHERE %[1]s LIKE '%%/%%' AND %[1]s NOT LIKE '%%/'\n", nameCol)
		p("  ) AS n GROUP BY nm HAVING COUNT(*) = 1\n),\n")
	}
	// A made task's ARN: any record's task reference (ecs_ref) that is a
	// long ARN, in ecs-task-arn or written in ecs-task-id (attribution's
	// takeARN takes either, whichever record came first), else its bare
	// ID. A bare value in ecs-task-arn is a bare ID too (the engine's
	// ref == id): MAX(ecs_arn) first let one greater than "arn:…" win.
	p("%s AS (\n  SELECT ecs_id, COALESCE(MAX(CASE WHEN ecs_ref <> ecs_id THEN ecs_ref END), MAX(ecs_ref)) AS arn,\n", ecs)
	p("    MAX(ecs_cluster) AS cluster, MAX(ecs_service) AS service,\n")
	p("    MAX(ecs_taskdef) AS taskdef, MAX(ecs_instance) AS instance\n")
	p("  FROM s7 WHERE via = 'ecs' AND NOT ea_ok AND NOT eb_ok GROUP BY ecs_id\n),\n")
	if nameCol != "" {
		cl, in := "e.cluster", "e.instance"
		if q.b.By == attribution.ByCluster {
			cl = "COALESCE(n.arn, e.cluster)"
		} else {
			in = "COALESCE(n.arn, e.instance)"
		}
		p("ecs AS (\n  SELECT e.ecs_id, e.arn, %s AS cluster, e.service, e.taskdef, %s AS instance\n", cl, in)
		p("  FROM ecs0 AS e LEFT JOIN names AS n ON n.nm = %s\n),\n", nameOf)
	}
	// The family as history.FamilyRevision reads it: the ARN's resource
	// (what follows its fifth colon; all of the value when it is no
	// ARN), less a leading "task-definition/", up to the first ":".
	family := "regexp_extract(e.taskdef, " + q.d.lit("^(arn:[^:]*:[^:]*:[^:]*:[^:]*:)?(task-definition/)?([^:]*)") + ", 3)"
	var synth string
	switch q.b.By {
	case attribution.ByService:
		synth = fmt.Sprintf("CASE WHEN e.service IS NOT NULL THEN CONCAT('service:', e.service) WHEN COALESCE(%[1]s, '') <> '' THEN CONCAT('family:', %[1]s) ELSE '' END", family)
	case attribution.ByFamily:
		synth = "COALESCE(" + family + ", '')"
	case attribution.ByInstance:
		synth = "COALESCE(e.instance, '')"
	case attribution.ByCluster:
		// attribution's cmp.Or(ClusterARN, Cluster()): the record's
		// ecs-cluster-arn or ecs-cluster-name, else the cluster in the
		// task's long ARN (the record's ecs-task-arn, else its task ID,
		// as attribution makes the task's ARN).
		synth = "COALESCE(e.cluster, " + q.clusterOf("COALESCE(e.arn, e.ecs_id)") + ")"
	default:
		synth = "COALESCE(e.arn, e.ecs_id, '')"
	}
	// s8: group key and direction of each record.
	pickTask := func(suffix string) string {
		ws := []string{fmt.Sprintf("WHEN 'ecs' THEN CASE WHEN ea_ok THEN ea_%[1]s WHEN eb_ok THEN eb_%[1]s END", suffix)}
		for _, a := range []string{"te", "a1", "a2", "a3", "a4", "h1", "h2"} {
			if q.b.NoIPFallback && a[0] == 'a' {
				continue
			}
			ws = append(ws, fmt.Sprintf("WHEN '%[1]s' THEN %[1]s_%[2]s", a, suffix))
		}
		return "CASE via " + strings.Join(ws, " ") + " END"
	}
	p("s8 AS (\n  SELECT s7.*,\n")
	p("    CASE WHEN via = 'ecs' AND NOT ea_ok AND NOT eb_ok THEN %s ELSE %s END AS gk,\n", synth, pickTask("g"))
	p("    %s AS ipv4,\n    %s AS ipv6\n", pickTask("v4"), pickTask("v6"))
	p("  FROM s7 LEFT JOIN ecs AS e ON s7.via = 'ecs' AND e.ecs_id = s7.ecs_id\n),\n")
	// Direction (in = received by the task): flow-direction; else, on a
	// container instance, which side is the instance's; else which side
	// is the task's; else unknown (null), counted apart, never guessed.
	p("a AS (\n  SELECT gk, reason, b, pk, action,\n")
	p("    CASE WHEN via IS NULL THEN NULL\n")
	p("         WHEN dir = 'ingress' THEN 'in' WHEN dir = 'egress' THEN 'out'\n")
	p("         WHEN via IN ('h1', 'h2') AND %s THEN 'in'\n", owns("inst_v4", "inst_v6", "dst", "pdst"))
	p("         WHEN via IN ('h1', 'h2') AND %s THEN 'out'\n", owns("inst_v4", "inst_v6", "src", "psrc"))
	p("         WHEN %s THEN 'out'\n", owns("ipv4", "ipv6", "src", "psrc"))
	p("         WHEN %s THEN 'in' END AS d\n", owns("ipv4", "ipv6", "dst", "pdst"))
	p("  FROM s8\n),\n")

	sum := func(e string) string { return q.d.bigSum(e) }
	null := "CAST(NULL AS BIGINT)"
	p("o AS (\n")
	p("  SELECT 'group' AS kind, gk AS %s, %s AS bytes_in, %s AS bytes_out, %s AS packets_in, %s AS packets_out,\n",
		q.d.ident("key"), sum("CASE WHEN d = 'in' THEN b ELSE 0 END"), sum("CASE WHEN d = 'out' THEN b ELSE 0 END"),
		sum("CASE WHEN d = 'in' THEN pk ELSE 0 END"), sum("CASE WHEN d = 'out' THEN pk ELSE 0 END"))
	p("    %s AS bytes, %s AS packets, CAST(COUNT(*) AS BIGINT) AS records,\n", sum("b"), sum("pk"))
	p("    %s AS bytes_unknown_direction, %s AS packets_unknown_direction,\n",
		sum("CASE WHEN d IS NULL THEN b ELSE 0 END"), sum("CASE WHEN d IS NULL THEN pk ELSE 0 END"))
	p("    %s AS accepted_bytes, %s AS rejected_bytes, 0 AS ord, -%s AS heavy\n",
		sum("CASE WHEN action = 'ACCEPT' THEN b ELSE 0 END"), sum("CASE WHEN action = 'REJECT' THEN b ELSE 0 END"), sum("b"))
	p("  FROM a WHERE reason IS NULL GROUP BY gk\n")
	p("  UNION ALL\n")
	var reasons []string
	for _, r := range attribution.Reasons() {
		reasons = append(reasons, fmt.Sprintf("WHEN %d THEN %s", int(r), q.d.lit(r.String())))
	}
	p("  SELECT 'unattributed', CASE reason %s END, %s, %s, %s, %s,\n", strings.Join(reasons, " "), null, null, null, null)
	p("    %s, %s, CAST(COUNT(*) AS BIGINT), %s, %s, %s, %s, 1, CAST(reason AS BIGINT)\n", sum("b"), sum("pk"), null, null, null, null)
	p("  FROM a WHERE reason IS NOT NULL GROUP BY reason\n")
	p("  UNION ALL\n")
	p("  SELECT 'total', '', %s, %s, %s, %s, %s, %s, CAST(COUNT(*) AS BIGINT), %s, %s, %s, %s, 2, 0\n  FROM a\n)\n",
		null, null, null, null, sum("b"), sum("pk"), null, null, null, null)
	p("SELECT %s\nFROM o CROSS JOIN ver\nORDER BY ord, heavy, %s\n", q.outCols(), q.d.ident("key"))
	return q.sb.String()
}

// outCols are the output columns, kind being where the query stops on
// rows of another schema version (versionCheck).
func (q *query) outCols() string {
	var out []string
	for _, c := range outputColumns {
		switch c {
		case "key":
			c = q.d.ident(c)
		case "kind":
			c = q.versionCheck() + " AS kind"
		}
		out = append(out, c)
	}
	return strings.Join(out, ", ")
}

// versionCheck is the kind column of the output, or, when the interval
// table holds rows of another schema version than the one the query is
// written for (intervals.SchemaVersion), the engine's error (Dialect.fail)
// naming both: a table of files written by another ecsnet, which the
// engine reads without looking at their metadata (Athena's CREATE
// EXTERNAL TABLE IF NOT EXISTS keeps the table an older export made).
// Every output has its total row, so the check is evaluated whenever the
// query answers, over the rows it reads (after IntervalFilter). Rows of
// files written before the schema_version column read it as NULL (the
// column Athena's DDL declares; DuckDB's and Spark's views take it by
// name over all files) and are taken as the version 1 they are: every
// ecsnet before the column wrote version 1, and every one since writes
// the column (see intervals.SchemaVersion).
func (q *query) versionCheck() string {
	v := intervals.SchemaVersion
	msg := q.d.lit("ecsnet: the task history (eni/history/intervals) holds rows of schema version ") +
		" || CAST(ver.ecsnet_other_version AS " + q.d.str() + ") || " +
		q.d.lit(fmt.Sprintf(", and this query reads version %d: query them with the ecsnet that wrote them, or export the history again", v))
	return "CASE WHEN ver.ecsnet_other_version IS NULL THEN o.kind ELSE " + q.d.fail(msg) + " END"
}
