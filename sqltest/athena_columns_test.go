package sqltest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// TestAthenaDeclaredColumnsServeQuery: Athena reads of a Parquet
// file only the columns its CREATE declares, with the declared types, and
// takes the partition columns from the directories. The other tests run
// the Athena query over DuckDB's view of the whole file, which would not
// see a column the query needs but the DDL leaves out, or a type the
// file's values do not cast to. Here the interval table is made in DuckDB
// from the Athena DDL's own column list (string VARCHAR, int INTEGER,
// bigint BIGINT, timestamp TIMESTAMP; cluster and date strings from the
// cluster=/date= directories, as projection gives them), filled from
// WritePartitioned's files, and the Athena query, pruned on the string
// date as Athena compares it, must give the Go engine's numbers.
func TestAthenaDeclaredColumnsServeQuery(t *testing.T) {
	fx := sampleFixture(t)
	a, tables := writeTables(t, fx, true)
	want := docRows(report.NewDocument(a.Result(attribution.ByTask)))

	athena := tables
	athena.FlowLogsLocation, athena.Accounts, athena.Regions = "s3://flow/AWSLogs/", []string{"123456789012"}, []string{"us-east-1"}
	athena.IntervalsLocation, athena.Clusters = "s3://history/intervals/", []string{"demo"}
	ddl, err := (&sqlattr.Builder{Dialect: sqlattr.Athena}).DDL(athena)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(ddl, "CREATE EXTERNAL TABLE IF NOT EXISTS intervals (\n")
	if !ok {
		t.Fatalf("no interval table in\n%s", ddl)
	}
	cols, rest, _ := strings.Cut(rest, "\n)\n")
	parts, _, _ := strings.Cut(strings.TrimPrefix(rest, "PARTITIONED BY ("), ")\n")
	duckType := map[string]string{"string": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "timestamp": "TIMESTAMP"}
	var defs, sel []string
	pair := regexp.MustCompile("`([^`]+)` ([a-z]+)")
	for _, m := range pair.FindAllStringSubmatch(cols, -1) {
		dt, ok := duckType[m[2]]
		if !ok {
			t.Fatalf("Athena type %s of %s", m[2], m[1])
		}
		defs = append(defs, fmt.Sprintf(`"%s" %s`, m[1], dt))
		sel = append(sel, fmt.Sprintf(`CAST("%s" AS %s)`, m[1], dt))
	}
	for _, m := range pair.FindAllStringSubmatch(parts, -1) {
		if m[2] != "string" {
			t.Fatalf("partition column %s is %s", m[1], m[2])
		}
		defs = append(defs, fmt.Sprintf(`"%s" VARCHAR`, m[1]))
		sel = append(sel, fmt.Sprintf(`CAST("%s" AS VARCHAR)`, m[1]))
	}
	script := fmt.Sprintf("CREATE OR REPLACE VIEW flowlogs AS SELECT * FROM read_parquet('%s');\n", tables.FlowLogsPath) +
		fmt.Sprintf("CREATE TABLE intervals (%s);\n", strings.Join(defs, ", ")) +
		fmt.Sprintf("INSERT INTO intervals SELECT %s FROM read_parquet('%s/*/*/*.parquet', hive_partitioning = true);\n",
			strings.Join(sel, ", "), tables.IntervalsPath)
	for _, filter := range []string{"", `"date" <= '2026-11-25'`} {
		q, err := (&sqlattr.Builder{Dialect: sqlattr.Athena, IntervalFilter: filter}).Query()
		if err != nil {
			t.Fatal(err)
		}
		compare(t, duckScript(t, script+queryInDuckDB(t, sqlattr.Athena, q)), want)
	}
}
