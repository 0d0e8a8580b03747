// Package sqlattr prints flowlogs/attribution's join as SQL for the engines
// that already hold the flow logs — Amazon Athena (Trino), Apache Spark SQL
// and DuckDB — against the task history written as a table by package
// eni/history/intervals. The rules are stated once, in a Builder, and
// printed per Dialect: the DDL (for Athena, CREATE EXTERNAL TABLE with
// partition projection for AWS's Parquet and text flow-log layouts and for
// the interval table) and the query.
//
// # The query
//
// It returns what attribution's JSON report (flowlogs/attribution/report)
// holds, one row per group, per unattributed reason with records and one
// total, with the columns [OutputColumns]:
//
//	kind            'group' | 'unattributed' | 'total'
//	key             group key (task ARN, service group, family, container
//	                instance ARN or cluster, per Builder.By); the reason as
//	                attribution.Reason.String writes it; '' for the total
//	bytes_in …      in and out of the task: groups only (null otherwise)
//	bytes, packets, records
//	bytes_unknown_direction, packets_unknown_direction,
//	accepted_bytes, rejected_bytes: groups only
//
// in the JSON's order, so attributed + unattributed = total holds in SQL as
// in Go. Each record takes the first path that applies, as in attribution
// (rule version RuleVersion):
//
//  1. NODATA and SKIPDATA records are unattributed with that reason.
//  2. A record whose v7 ecs-task-arn or ecs-task-id is set belongs to that
//     task: the history's (by ARN: ecs-task-arn, else ecs-task-id; then
//     by that value's task ID, what follows its last "/", else all of it,
//     the greater ARN of two tasks of one ID), else one made from the
//     record's ecs-* fields, identified by that task ID (an ecs-task-id
//     beside the ARN does not count: AWS writes it as the ARN's last
//     segment), and keyed by the greatest long ARN its records give (in
//     ecs-task-arn, else in ecs-task-id; a bare value in either is the
//     ID), else that ID. Such a task is
//     grouped by cluster by its ecs-cluster-arn, else its
//     ecs-cluster-name, else the cluster of its long task ARN, as
//     history.Task.Cluster reads it; by instance by its
//     ecs-container-instance-arn, else its ecs-container-instance-id. A
//     name or an ID is the interval table's ARN (cluster_arn, or
//     container_instance_arn, of its task and instance rows) that ends in
//     "/NAME" or "/ID" when exactly one does, so that the task is in one
//     group with the history's tasks of its cluster or instance; else it
//     is the key as it is.
//  3. An interface-id that is a task ENI: the task that owned it at the
//     record's second, or OutsideLifetime.
//  4. A container instance's ENI: host-port inference over the bridge
//     tasks' bindings (the destination port inbound, the source port
//     outbound, both when the direction is unknown; never the port of the
//     side tcp-flags name as the connection's opener: the source of a SYN
//     without ACK, the destination of a SYN-ACK), HostMode for a
//     host-mode task's port, else SharedENINoBinding.
//  5. Otherwise the address fallback (unless Builder.NoIPFallback): the
//     local side by flow-direction (pkt-dstaddr, dstaddr on ingress;
//     pkt-srcaddr, srcaddr on egress; all four without it); without an
//     interface at all, a container instance's address on that local side
//     (srcaddr on egress, dstaddr on ingress; either without
//     flow-direction) leads to step 4. None of this on an intermediary's
//     interface (interface-type one of attribution's
//     IntermediaryInterfaceTypes).
//     Else OutsideLifetime if an address was ever a task's, or UnknownENI.
//
// A record counts at its start (its end when the table has no start), in
// Unix seconds; values from 10^12 to 10^13 are milliseconds and are
// divided by 1000, as the flow-log parser reads them.
//
// Ownership is the interval table's: owners of a key are disjoint by the
// hand-off rule (applied when the table is written, by the code
// attribution's index uses), and a record at second t belongs to the row
// whose first_second <= t < next_first_second, if t <= late_base_second +
// slack (the window includes stop + slack when the owner's own stop ends
// the interval on a whole second). Direction is flow-direction, else which
// side carries the instance's (on the host-port path) or the task's
// address, else unknown: those bytes and packets go to the
// *_unknown_direction columns, as attribution counts them apart.
//
// # What the query does not do
//
//   - Top peers, top ports and time series: attribution keeps them in
//     bounded space-saving summaries whose result depends on record order;
//     SQL could only approximate them, so they are left out.
//   - A task known only from its records' ecs-* fields is made, in Go, from
//     its first record; SQL has no record order and takes the largest value
//     of each field over the task's records. The two agree whenever a
//     task's records carry the same ecs-* values, as one flow log writes
//     them.
//   - attribution learns at most WithMaxECSTasks tasks from records' ecs-*
//     fields, in record order, and reports records naming more as
//     ECSTaskLimit; the query has no such bound (nor needs one).
//   - Addresses are compared as text: the interval table writes Go's
//     canonical form (RFC 5952 for IPv6, IPv4 unmapped); flow logs are
//     expected to use the same.
//   - Times are taken as the table holds them. flowlogs refuses a record
//     whose start or end is 0 or neither Unix seconds nor milliseconds
//     (which it converts to seconds), or whose end is before its start
//     or more than an hour after it (see flowlogs.Parser.Parse); the
//     query counts it at its start as it stands. AWS writes no such
//     record; a pipeline that wrote "-" as 0 would.
//   - A container instance registered for no whole second has no rows
//     (nor does any key held for no whole second). The query knows a task
//     ENI or address without rows from the task rows, as attribution knows
//     it (records on it are OutsideLifetime in both), but has nothing to
//     know such an instance's ENI by: attribution reports records on it as
//     OutsideLifetime, the query takes them to the address fallback.
//   - A cluster name or container instance ID (step 2) is resolved over
//     the ARNs the interval table holds; attribution resolves it over the
//     history's. They differ only for a container instance without rows
//     (registered for no whole second, or with neither an ENI nor an
//     address) whose ARN or cluster ARN no task row carries: attribution
//     knows that ARN, the query does not.
//   - Builder.IntervalFilter prunes the interval table: what it leaves out
//     the query does not know (see its documentation for what is safe),
//     the ARNs a name or ID resolves to included.
//
// # Engines
//
// Only documented syntax of each engine is used, but for one function:
// Reduce's query stops with an error, as attribution.Merge does, rather than
// add up partials that do not add up, and Trino's fail(message), which does
// that, is left out of its docs (see Reduce). The join query stops so too
// when the interval table holds rows of another intervals.SchemaVersion
// (its schema_version column; NULL, a file written before the column, is
// version 1), naming the version found and the one it reads: an engine
// sees no Parquet metadata, and an Athena table made IF NOT EXISTS over
// another ecsnet's files would otherwise read a changed meaning without a
// word. Otherwise: standard CTEs,
// LEFT JOIN, UNION, CASE, COALESCE, LIKE, regexp_extract(s, pattern,
// group) (all three; where it does not match, Trino returns NULL, DuckDB
// and Spark an empty string, which the query takes alike), and
// identifiers quoted with double quotes (DuckDB, Trino) or backticks
// (Spark, and Athena DDL). String literals are each engine's: a quote
// doubled in DuckDB and Trino; backslash escapes (\' and \\) in Spark,
// which reads a doubled quote as two adjacent literals and concatenates
// them (the default spark.sql.parser.escapedStringLiterals, false, is
// assumed), and in Athena's DDL, which is HiveQL. Integer division is
// DuckDB's //, Spark's div and Trino's / (the / of DuckDB and Spark
// divides as floating point). Sums are taken as DECIMAL(20,0) and cast to
// BIGINT (DuckDB sums BIGINT to HUGEINT; Spark without ANSI mode wraps);
// a sum past 2^63-1, which attribution still counts (uint64), stops the
// query with a message. The join has an equality key (kind, key) besides
// the time range, so engines hash-join it. For Spark only Parquet flow logs are
// supported (its CSV reader would need the ANSI-mode-safe casts of "-").
//
// FlowLogWriter writes records in AWS's Parquet flow-log layout, for tests
// and for the examples' exports, start and end as the parser read them;
// SetInputs records in its footer the objects the records were gathered
// from (InputsKey), so that a partial made of the file names them.
package sqlattr
