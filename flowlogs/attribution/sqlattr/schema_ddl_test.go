package sqlattr

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
)

// schemaRows builds the interval table of the sample cluster.
func schemaRows(t *testing.T) []intervals.Row {
	t.Helper()
	files, err := filepath.Glob("../../../examples/attribute/sample/tasks/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("sample tasks: %v (%d files)", err, len(files))
	}
	b := history.NewBuilder()
	if _, err := b.LoadFiles(files...); err != nil {
		t.Fatal(err)
	}
	rows, err := intervals.Build(b.Index())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// fileColumn is one leaf column of a Parquet file, as Hive DDL would
// declare it, and whether it may be null.
type fileColumn struct {
	hive     string
	optional bool
}

// parquetColumns reads the schema of the Parquet file name: every column,
// its Hive type and nullability, and its schema version metadata.
func parquetColumns(t *testing.T, name string) (map[string]fileColumn, []string, string) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]fileColumn{}
	var order []string
	for _, path := range pf.Schema().Columns() {
		if len(path) != 1 {
			t.Fatalf("%s: nested column %v", name, path)
		}
		leaf, _ := pf.Schema().Lookup(path...)
		typ := leaf.Node.Type()
		var hive string
		var lv format.LogicalTypeValue
		if lt := typ.LogicalType(); lt != nil {
			lv = lt.Value
		}
		ts, isTS := lv.(*format.TimestampType)
		_, isString := lv.(*format.StringType)
		switch {
		case isString:
			hive = "string"
		case isTS:
			// The documented unit and zone: microseconds, an instant (UTC).
			if _, micros := ts.Unit.Value.(*format.MicroSeconds); !micros || !ts.IsAdjustedToUTC {
				t.Errorf("%s: column %s is %v, want TIMESTAMP(isAdjustedToUTC=true, MICROS)", name, path[0], ts)
			}
			hive = "timestamp"
		case typ.Kind() == parquet.Int32:
			hive = "int"
		case typ.Kind() == parquet.Int64:
			hive = "bigint"
		default:
			t.Fatalf("%s: column %s of type %v has no Hive type in the DDL's vocabulary", name, path[0], typ)
		}
		cols[path[0]] = fileColumn{hive: hive, optional: leaf.Node.Optional()}
		order = append(order, path[0])
	}
	v, _ := pf.Lookup(intervals.MetadataKey)
	return cols, order, v
}

// ddlColumns parses "`name` type" pairs.
var ddlColumn = regexp.MustCompile("`([^`]+)` ([a-z]+)")

// athenaIntervalTable parses the interval table's CREATE of an Athena DDL:
// its data columns in order, its partition columns, and its properties.
func athenaIntervalTable(t *testing.T, ddl, table string) (data, parts [][2]string, props map[string]string) {
	t.Helper()
	_, rest, ok := strings.Cut(ddl, "CREATE EXTERNAL TABLE IF NOT EXISTS "+table+" (\n")
	if !ok {
		t.Fatalf("no CREATE of %s in\n%s", table, ddl)
	}
	cols, rest, _ := strings.Cut(rest, "\n)\n")
	pcols, rest, ok := strings.Cut(strings.TrimPrefix(rest, "PARTITIONED BY ("), ")\n")
	if !ok {
		t.Fatalf("%s has no PARTITIONED BY", table)
	}
	for _, m := range ddlColumn.FindAllStringSubmatch(cols, -1) {
		data = append(data, [2]string{m[1], m[2]})
	}
	for _, m := range ddlColumn.FindAllStringSubmatch(pcols, -1) {
		parts = append(parts, [2]string{m[1], m[2]})
	}
	props = map[string]string{}
	tbl, _, _ := strings.Cut(rest, ");")
	for _, m := range regexp.MustCompile(`'([^']+)' = '([^']*)'`).FindAllStringSubmatch(tbl, -1) {
		props[m[1]] = m[2]
	}
	return data, parts, props
}

// TestIntervalSchemaMatchesDDL reads the schema of the Parquet
// files intervals writes (one file, and WritePartitioned's layout) and
// holds it against the DDL each dialect is given: Athena's declared
// columns (names, Hive types, the partition columns and the directory
// names projection computes), DuckDB's and Spark's paths, and the
// package documentation's nullability (the bounds null when open, every
// other column always set).
func TestIntervalSchemaMatchesDDL(t *testing.T) {
	rows := schemaRows(t)
	dir := t.TempDir()
	single := filepath.Join(dir, "history.parquet")
	f, err := os.Create(single)
	if err != nil {
		t.Fatal(err)
	}
	if err := intervals.WriteParquet(f, rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	pdir := filepath.Join(dir, "intervals")
	files, err := intervals.WritePartitioned(pdir, rows)
	if err != nil {
		t.Fatal(err)
	}

	cols, order, version := parquetColumns(t, single)
	if !slices.Equal(order, intervals.Columns()) {
		t.Errorf("file columns %v, want intervals.Columns() %v", order, intervals.Columns())
	}
	if version != "1" || intervals.SchemaVersion != 1 {
		t.Errorf("schema version %q in the file, %d in the package: the DDL below is version 1's", version, intervals.SchemaVersion)
	}
	nullable := []string{"first_second", "last_second", "next_first_second", "late_base_second", "start", "end"}
	for name, c := range cols {
		if c.optional != slices.Contains(nullable, name) {
			t.Errorf("column %s: optional %v, the documentation says otherwise", name, c.optional)
		}
	}
	for _, p := range files {
		pc, _, v := parquetColumns(t, p)
		if v != version || len(pc) != len(cols) {
			t.Errorf("%s: %d columns, version %q; the single file %d, %q", p, len(pc), v, len(cols), version)
		}
		for name, c := range cols {
			if pc[name] != c {
				t.Errorf("%s: column %s %+v, the single file's %+v", p, name, pc[name], c)
			}
		}
	}

	// Athena: every file column is declared, with its type, but cluster,
	// whose value the partition directory gives; the partitions are
	// cluster and date, strings, as WritePartitioned names them.
	clusters := map[string]bool{}
	firstDate := ""
	for _, r := range rows {
		clusters[r.Cluster] = true
		if d := intervals.PartitionDate(r); firstDate == "" || d < firstDate {
			firstDate = d
		}
	}
	var names []string
	for c := range clusters {
		if c != "" {
			names = append(names, c)
		}
	}
	slices.Sort(names)
	tables := Tables{
		FlowLogsLocation: "s3://flow/AWSLogs/", Accounts: []string{"123456789012"}, Regions: []string{"us-east-1"},
		IntervalsLocation: "s3://history/intervals/", Clusters: names, FirstDate: firstDate,
		IntervalsPath: pdir, IntervalsPartitioned: true,
	}
	ddl, err := (&Builder{Dialect: Athena}).DDL(tables)
	if err != nil {
		t.Fatal(err)
	}
	data, parts, props := athenaIntervalTable(t, ddl, "intervals")
	var declared []string
	for _, c := range data {
		declared = append(declared, c[0])
		fc, ok := cols[c[0]]
		switch {
		case !ok:
			t.Errorf("Athena declares %s, which the file lacks", c[0])
		case fc.hive != c[1]:
			t.Errorf("Athena declares %s %s, the file holds %s", c[0], c[1], fc.hive)
		}
	}
	want := slices.DeleteFunc(slices.Clone(order), func(c string) bool { return c == "cluster" })
	if !slices.Equal(declared, want) {
		t.Errorf("Athena's data columns %v, want the file's but cluster %v", declared, want)
	}
	if !slices.Equal(parts, [][2]string{{"cluster", "string"}, {"date", "string"}}) {
		t.Errorf("Athena's partition columns %v, want cluster string, date string", parts)
	}
	if cols["cluster"].hive != "string" {
		t.Errorf("the file's cluster column is %s; the partition column that stands for it is a string", cols["cluster"].hive)
	}
	if props["projection.date.format"] != "yyyy-MM-dd" {
		t.Errorf("date projection format %q", props["projection.date.format"])
	}
	from, _, _ := strings.Cut(props["projection.date.range"], ",")
	projected := strings.Split(props["projection.cluster.values"], ",")
	template := strings.TrimPrefix(props["storage.location.template"], "s3://history/intervals/")
	for _, p := range files {
		rel, _ := filepath.Rel(pdir, p)
		rel = filepath.ToSlash(rel)
		var cluster, date string
		if d, _, _ := strings.Cut(rel, "/"+intervals.PartitionFile); strings.Count(d, "/") == 1 {
			c, dt, _ := strings.Cut(d, "/")
			cluster, date = strings.TrimPrefix(c, "cluster="), strings.TrimPrefix(dt, "date=")
		}
		if got := strings.NewReplacer("${cluster}", cluster, "${date}", date).Replace(template) + intervals.PartitionFile; got != rel {
			t.Errorf("file %s is not where the projection looks (%s)", rel, got)
		}
		if !slices.Contains(projected, cluster) {
			t.Errorf("file %s: cluster %q is not among the projected %v", rel, cluster, projected)
		}
		if d, err := time.Parse(time.DateOnly, date); err != nil || d.Format(time.DateOnly) != date || date < from {
			t.Errorf("file %s: date %q is not a yyyy-MM-dd the projection (from %s) gives", rel, date, from)
		}
		got, err := intervals.ReadParquetFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			if c := r.Cluster; c != cluster && !(c == "" && cluster == intervals.UnknownCluster) {
				t.Errorf("file %s holds a row of cluster %q", rel, c)
			}
			if d := intervals.PartitionDate(r); d != date {
				t.Errorf("file %s holds a row of date %s", rel, d)
			}
		}
	}

	// DuckDB reads the layout through a glob that must match every file
	// WritePartitioned writes, and the single file by its path; Spark
	// discovers the partitions under the directory it is given.
	duck, err := (&Builder{Dialect: DuckDB}).DDL(tables)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VIEW intervals AS SELECT \* FROM read_parquet\('([^']*)', hive_partitioning = true, union_by_name = true\)`).FindStringSubmatch(duck)
	if m == nil {
		t.Fatalf("DuckDB's interval view does not read the layout with hive_partitioning:\n%s", duck)
	}
	for _, p := range files {
		if ok, _ := filepath.Match(m[1], p); !ok {
			t.Errorf("DuckDB's glob %s misses %s", m[1], p)
		}
	}
	single1, err := (&Builder{Dialect: DuckDB}).DDL(Tables{IntervalsPath: single})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(single1, "VIEW intervals AS SELECT * FROM read_parquet("+DuckDB.lit(single)+", union_by_name = true);") {
		t.Errorf("DuckDB's view does not read %s:\n%s", single, single1)
	}
	spark, err := (&Builder{Dialect: Spark}).DDL(tables)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(spark, "VIEW intervals USING parquet OPTIONS (path "+Spark.lit(pdir)+", mergeSchema 'true');") {
		t.Errorf("Spark's view does not read %s:\n%s", pdir, spark)
	}
}
