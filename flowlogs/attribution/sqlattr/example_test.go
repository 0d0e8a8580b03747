package sqlattr_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// The DuckDB script for history.parquet (eni/history/intervals) and
// flowlogs.parquet (AWS's Parquet flow-log layout, FlowLogWriter) in the
// current directory, grouped by service: run it with
// `duckdb < duckdb.sql`; the last statement's rows are the report.
func ExampleBuilder_Script() {
	b := sqlattr.Builder{Dialect: sqlattr.DuckDB, By: attribution.ByService}
	script, err := b.Script(sqlattr.Tables{})
	if err != nil {
		log.Fatal(err)
	}
	lines := strings.Split(script, "\n")
	fmt.Println(strings.Join(lines[:3], "\n"))
	fmt.Println(strings.Join(sqlattr.OutputColumns(), ", "))
	// Output:
	// CREATE OR REPLACE VIEW flowlogs AS SELECT * FROM read_parquet('flowlogs.parquet');
	// CREATE OR REPLACE VIEW intervals AS SELECT * FROM read_parquet('history.parquet');
	//
	// kind, key, bytes_in, bytes_out, packets_in, packets_out, bytes, packets, records, bytes_unknown_direction, packets_unknown_direction, accepted_bytes, rejected_bytes
}

// Athena: the tables over AWS's Hive-compatible Parquet delivery and over
// the interval table copied to S3 with intervals.WritePartitioned.
func ExampleBuilder_DDL() {
	b := sqlattr.Builder{Dialect: sqlattr.Athena}
	ddl, err := b.DDL(sqlattr.Tables{
		FlowLogsLocation: "s3://my-flow-logs/AWSLogs/", FlowLogsLayout: sqlattr.ParquetHive,
		Accounts: []string{"123456789012"}, Regions: []string{"us-east-1"}, FirstDay: "2026/01/01",
		IntervalsLocation: "s3://my-ecs-history/intervals/", Clusters: []string{"prod"}, FirstDate: "2026-01-01",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range strings.Split(ddl, "\n") {
		if strings.HasPrefix(l, "CREATE") {
			fmt.Println(l)
		}
	}
	// Output:
	// CREATE EXTERNAL TABLE IF NOT EXISTS flowlogs (
	// CREATE EXTERNAL TABLE IF NOT EXISTS intervals (
}

// ExampleReduce prints the DuckDB script that adds up the partials the
// Lambda workers (examples/lambda) wrote, by service.
func ExampleReduce() {
	r := sqlattr.Reduce{Dialect: sqlattr.DuckDB, By: attribution.ByService}
	script, err := r.Script(sqlattr.ReduceTables{Path: "partials/", Partitioned: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.SplitN(script, "\n", 2)[0])
	// Output:
	// CREATE OR REPLACE VIEW partials AS SELECT * FROM read_parquet('partials/**/*.parquet', hive_partitioning = true, hive_types_autocast = false, union_by_name = true);
}
