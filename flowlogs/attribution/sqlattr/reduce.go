package sqlattr

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// Reduce prints the SQL that adds up partials files
// (flowlogs/attribution/partials, written per flow-log object by
// examples/lambda or `attribute -partial`): the reduce step of the
// fan-out, for a team that keeps it in the engine it already runs. Its
// rows are the join query's (OutputColumns, in the same order) and equal
// what attribution.Merge of the same partials reports: the counters,
// unattributed reasons and totals add up exactly. Top peers, ports and
// series are in the table too (kinds peer, port, point) but are not part
// of this query. Where Merge refuses, the query fails with a message that
// starts "ecsnet: ": no partials (a Filter or Path that matches nothing),
// files of another partials.SchemaVersion, or files made with other
// options or by code of another attribution.RuleVersion
// (attribution.ErrIncompatible; the message names the columns that
// differ, rule_version among them), or files that hold the same records
// (inputs that overlap, attribution.OverlapError: a merged file in the
// table beside one of its parts; the message names one). It fails with the engine's error function: DuckDB's
// error, Spark's raise_error, and Trino's fail, which Trino's planner
// emits itself but its docs leave out. The zero value needs only Dialect.
type Reduce struct {
	Dialect Dialect
	// By picks the group key, as attribution.GroupBy.
	By attribution.GroupBy
	// Table is the table (or view) name; default "partials".
	Table string
	// Filter is an SQL predicate on the table, for partition pruning
	// (`"date" BETWEEN '2026-11-01' AND '2026-11-07'`; in Spark, whose
	// "date" is a string literal, `date` in backticks), pasted as it is.
	Filter string
}

// ReduceTables says where the partials lie, for DDL.
type ReduceTables struct {
	// Path is, for DuckDB and Spark, the partials files: a file, a glob
	// ("parts/*.parquet") or, Partitioned, the root of the workers'
	// cluster=/date=/hour= layout. Default "partials.parquet".
	Path        string
	Partitioned bool
	// Athena only: Location is the S3 prefix of the workers' layout
	// (s3://BUCKET/PREFIX/, holding cluster=…/date=…/hour=…/), Clusters
	// the cluster names and FirstDate the earliest date ("2026-01-01") to
	// project (empty: 2024-01-01, so older partials are not read unless it
	// is set).
	Location  string
	Clusters  []string
	FirstDate string
}

func (r *Reduce) table() string { return cmpOr(r.Table, "partials") }

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// DDL returns the statement that makes the table Query reads.
func (r *Reduce) DDL(t ReduceTables) (string, error) {
	if err := r.Dialect.valid(); err != nil {
		return "", err
	}
	path := cmpOr(t.Path, "partials.parquet")
	// The files' columns are taken by name, over all of them, so that a
	// file of another schema version reaches the query's version check
	// (see refusal): by default DuckDB and Spark take one file's schema.
	switch r.Dialect {
	case DuckDB:
		if t.Partitioned {
			return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet(%s, hive_partitioning = true, hive_types_autocast = false, union_by_name = true);\n",
				r.table(), r.Dialect.ddlLit(strings.TrimSuffix(path, "/")+"/**/*.parquet")), nil
		}
		return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet(%s, union_by_name = true);\n", r.table(), r.Dialect.ddlLit(path)), nil
	case Spark:
		return fmt.Sprintf("CREATE OR REPLACE TEMPORARY VIEW %s USING parquet OPTIONS (path %s, mergeSchema 'true');\n", r.table(), r.Dialect.ddlLit(path)), nil
	}
	var missing []string
	if t.Location == "" {
		missing = append(missing, "Location")
	}
	if len(t.Clusters) == 0 {
		missing = append(missing, "Clusters")
	}
	if len(missing) > 0 {
		return "", errors.New("sqlattr: Athena DDL needs ReduceTables." + strings.Join(missing, ", ReduceTables."))
	}
	first := cmpOr(t.FirstDate, "2024-01-01")
	if _, err := time.Parse(time.DateOnly, first); err != nil {
		return "", fmt.Errorf("sqlattr: ReduceTables.FirstDate %q: want yyyy-MM-dd", first)
	}
	var cols []string
	rt := reflect.TypeFor[partials.Row]()
	for i, name := range partials.Columns() {
		cols = append(cols, fmt.Sprintf("  `%s` %s", name, hiveType(rt.Field(i).Type)))
	}
	loc := strings.TrimSuffix(t.Location, "/") + "/"
	var sb strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&sb, format, args...) }
	p("-- Partials as the workers write them: …/cluster=NAME/date=YYYY-MM-DD/hour=HH/*.parquet (schema version %d).\n", partials.SchemaVersion)
	p("CREATE EXTERNAL TABLE IF NOT EXISTS %s (\n%s\n)\n", r.table(), strings.Join(cols, ",\n"))
	p("PARTITIONED BY (`cluster` string, `date` string, `hour` string)\n")
	p(hiveParquet)
	p("LOCATION %s\n", hiveLit(loc))
	p("TBLPROPERTIES (\n")
	p("  'projection.enabled' = 'true',\n")
	p("  'projection.cluster.type' = 'enum', 'projection.cluster.values' = %s,\n", hiveLit(strings.Join(t.Clusters, ",")))
	p("  'projection.date.type' = 'date', 'projection.date.format' = 'yyyy-MM-dd', 'projection.date.range' = %s,\n", hiveLit(first+",NOW"))
	p("  'projection.date.interval' = '1', 'projection.date.interval.unit' = 'DAYS',\n")
	p("  'projection.hour.type' = 'integer', 'projection.hour.range' = '0,23', 'projection.hour.digits' = '2',\n")
	p("  'storage.location.template' = %s\n);\n", hiveLit(loc+"cluster=${cluster}/date=${date}/hour=${hour}/"))
	return sb.String(), nil
}

// hiveType is the Hive DDL type of a Row field.
func hiveType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int64:
		return "bigint"
	case reflect.Int32:
		return "int"
	case reflect.Bool:
		return "boolean"
	}
	return "timestamp" // *time.Time
}

// Query returns the query: one row per group, per unattributed reason and
// the total, as the join query's.
func (r *Reduce) Query() (string, error) {
	if err := r.Dialect.valid(); err != nil {
		return "", err
	}
	id := r.Dialect.ident
	var gk string
	switch r.By {
	case attribution.ByTask:
		gk = "t.task_arn"
	case attribution.ByService:
		gk = "t.service_group"
	case attribution.ByFamily:
		gk = "t.family"
	case attribution.ByInstance:
		gk = "t.container_instance_arn"
	case attribution.ByCluster:
		gk = "CASE WHEN t.cluster_arn <> '' THEN t.cluster_arn ELSE t.cluster_name END"
	default:
		return "", fmt.Errorf("sqlattr: unknown grouping %d", r.By)
	}
	where := func(kind string) string {
		w := "t." + id("kind") + " = '" + kind + "'"
		if r.Filter != "" {
			w += " AND (" + r.Filter + ")"
		}
		return w
	}
	sum := func(c string) string { return r.Dialect.bigSum("t." + c) }
	null := "CAST(NULL AS BIGINT)"
	var reasons []string
	for _, rs := range attribution.Reasons() {
		reasons = append(reasons, fmt.Sprintf("WHEN %s THEN %d", r.Dialect.lit(rs.String()), int(rs)))
	}
	var sb strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&sb, format, args...) }
	p("-- Adds up partials (schema version %d) by %s: what attribution.Merge reports.\n", partials.SchemaVersion, r.By)
	// An input that overlaps another is one that meets more than itself:
	// a file's inputs never overlap (partials.Read), so the other is in
	// another file, which holds some of its records too.
	p("WITH inputs AS (\n")
	p("  SELECT t.input_name, t.input_since, t.input_until FROM %s t WHERE %s\n", r.table(), where(partials.KindInput))
	p("), overlap AS (\n")
	p("  SELECT MIN(x.input_name) AS ecsnet_overlap FROM (\n")
	p("    SELECT a.input_name FROM inputs a JOIN inputs b ON a.input_name = b.input_name\n")
	p("      AND (a.input_since IS NULL OR b.input_until IS NULL OR a.input_since < b.input_until)\n")
	p("      AND (b.input_since IS NULL OR a.input_until IS NULL OR b.input_since < a.input_until)\n")
	p("    GROUP BY a.input_name, a.input_since, a.input_until HAVING COUNT(*) > 1\n")
	p("  ) x\n")
	// One observation of each task, as attribution.Merge keeps one
	// (newerTask): the history's over one made from ecs-* fields, then
	// the newer by version and lifecycle status, then the one that knows
	// the task ended; its group key is the task's, whichever part the
	// counters come from. (Of two it cannot order so, Merge keeps the one
	// that knows more, then compares them field by field (compareTasks);
	// the query takes the least key. A task's service, family and cluster
	// do not change over its life, so the two differ only for parts that
	// disagree on them. A partials file keeps no desiredStatus, so neither
	// orders by it.)
	var ranks []string
	for _, s := range []string{"PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING",
		"DEPROVISIONING", "STOPPED", "DELETED"} {
		ranks = append(ranks, fmt.Sprintf("WHEN '%s' THEN %d", s, ecsread.StatusRank(s)))
	}
	// tasks: each task row with the key of the task it is one of: a task
	// made from ecs-task-id alone (its ID as its ARN) is the task of that
	// ID another part knew by its ARN (of several, the greatest), as
	// attribution.Merge folds it (Merger.folded).
	last := r.Dialect.lit("([^/]*)$")
	p("), ids AS (\n")
	p("  SELECT regexp_extract(t.task_arn, %[1]s, 1) AS task_id, MAX(t.task_arn) AS task_arn FROM %[2]s t\n", last, r.table())
	p("  WHERE %s AND t.task_arn LIKE '%%/%%' AND t.task_arn NOT LIKE '%%/' GROUP BY regexp_extract(t.task_arn, %s, 1)\n", where(partials.KindTask), last)
	p("), tasks AS (\n")
	p("  SELECT t.*, COALESCE(CASE WHEN t.ecs_field_only AND t.task_arn NOT LIKE '%%/%%' THEN d.task_arn END, t.task_arn) AS task_key\n")
	p("  FROM %s t LEFT JOIN ids d ON d.task_id = t.task_arn WHERE %s\n", r.table(), where(partials.KindTask))
	p("), ident AS (\n")
	p("  SELECT x.task_key, x.gk FROM (\n")
	p("    SELECT t.task_key, %s AS gk, ROW_NUMBER() OVER (PARTITION BY t.task_key ORDER BY\n", gk)
	p("      CASE WHEN t.ecs_field_only THEN 1 ELSE 0 END, t.task_version DESC,\n")
	p("      CASE t.last_status %s ELSE 0 END DESC,\n", strings.Join(ranks, " "))
	// Of a folded task, the ARN's row (Merge keeps it, of two it cannot
	// otherwise order).
	p("      CASE WHEN t.valid_end IS NULL THEN 1 ELSE 0 END, CASE WHEN t.task_arn = t.task_key THEN 0 ELSE 1 END, %s) AS rn\n", gk)
	p("    FROM tasks t\n")
	p("  ) x WHERE x.rn = 1\n")
	p("), o AS (\n")
	gk = "i.gk"
	p("  SELECT 'group' AS kind, %s AS %s, %s AS bytes_in, %s AS bytes_out, %s AS packets_in, %s AS packets_out,\n",
		gk, id("key"), sum("bytes_in"), sum("bytes_out"), sum("packets_in"), sum("packets_out"))
	p("    %s AS bytes, %s AS packets, %s AS records,\n", sum("bytes"), sum("packets"), sum("records"))
	p("    %s AS bytes_unknown_direction, %s AS packets_unknown_direction,\n", sum("bytes_unknown"), sum("packets_unknown"))
	p("    %s AS accepted_bytes, %s AS rejected_bytes, 0 AS ord, -%s AS heavy\n", sum("accepted_bytes"), sum("rejected_bytes"), sum("bytes"))
	p("  FROM tasks t JOIN ident i ON i.task_key = t.task_key GROUP BY %s\n", gk)
	p("  UNION ALL\n")
	p("  SELECT 'unattributed', t.reason, %s, %s, %s, %s,\n", null, null, null, null)
	p("    %s, %s, %s, %s, %s, %s, %s, 1, CAST(MIN(CASE t.reason %s END) AS BIGINT)\n",
		sum("bytes"), sum("packets"), sum("records"), null, null, null, null, strings.Join(reasons, " "))
	p("  FROM %s t WHERE %s GROUP BY t.reason\n", r.table(), where(partials.KindUnattributed))
	p("  UNION ALL\n")
	p("  SELECT 'total', '', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,\n", null, null, null, null,
		sum("bytes"), sum("packets"), sum("records"), null, null, null, null)
	p("    %s, 0\n", r.refusal())
	p("  FROM %s t CROSS JOIN overlap v WHERE %s\n)\n", r.table(), where(partials.KindMeta))
	var cols []string
	for _, c := range outputColumns {
		if c == "key" {
			c = id(c)
		}
		cols = append(cols, c)
	}
	p("SELECT %s\nFROM o\nORDER BY ord, heavy, %s\n", strings.Join(cols, ", "), id("key"))
	return sb.String(), nil
}

// optionColumns are the meta row's columns that hold PartialConfig, the
// rule version (attribution.RuleVersion of the code that wrote the file)
// included: Merge refuses parts whose options differ, and so does the
// query. Like Merge it refuses a mix of rule versions only: files all of
// one version, another than this package's, add up as they were made.
var optionColumns = []string{"step_seconds", "peers_kept", "ports_kept", "interfaces_kept", "peer_prefix_v4",
	"peer_prefix_v6", "no_peers", "no_ip_fallback", "late_slack_seconds", "topology", "rule_version"}

// refusal is the total row's ord (2), computed over the meta rows (one per
// file) so that the query fails, as attribution.Merge does, rather than
// add up what does not add up: no partials at all (a Filter or Path that
// matches nothing), files of another schema version (a version 2 file has
// no schema_version column, which engines read as NULL), files made
// with other options or rule versions (attribution.ErrIncompatible), named
// in the message, or files whose inputs overlap (attribution.OverlapError:
// a merged file beside one of its parts), one of them named.
func (r *Reduce) refusal() string {
	var differs, names []string
	for _, c := range optionColumns {
		differs = append(differs, "COUNT(DISTINCT t."+c+") > 1")
		names = append(names, fmt.Sprintf("CASE WHEN COUNT(DISTINCT t.%s) > 1 THEN %s ELSE '' END", c, r.Dialect.lit(" "+c)))
	}
	v := partials.SchemaVersion
	lit := r.Dialect.lit
	return fmt.Sprintf(`CASE WHEN COUNT(*) = 0 THEN %s
      WHEN COUNT(t.schema_version) < COUNT(*) OR MIN(t.schema_version) <> %d OR MAX(t.schema_version) <> %d THEN %s
      WHEN %s THEN %s
      WHEN MAX(v.ecsnet_overlap) IS NOT NULL THEN %s
      ELSE 2 END`,
		r.Dialect.fail(lit("ecsnet: no partials to add up (no meta rows in the table, or none passes the filter)")), v, v,
		r.Dialect.fail(lit(fmt.Sprintf("ecsnet: partials of another schema version than %d, the one this query reads: "+
			"read them with the ecsnet that wrote them, or write them again", v))),
		strings.Join(differs, " OR "),
		r.Dialect.fail(lit("ecsnet: partials made with other options (attribution.PartialConfig), which do not add up; they differ in")+" || "+
			strings.Join(names, " || ")),
		r.Dialect.fail(lit("ecsnet: partials that hold the same flow-log records, which would be counted twice (attribution.OverlapError): ")+
			" || MAX(v.ecsnet_overlap) || "+lit(" is an input of two of them")))
}

// Script is DDL followed by Query, each statement ending in ";".
func (r *Reduce) Script(t ReduceTables) (string, error) {
	return script(func() (string, error) { return r.DDL(t) }, r.Query)
}
