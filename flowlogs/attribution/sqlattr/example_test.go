package sqlattr_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
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
	// CREATE OR REPLACE VIEW intervals AS SELECT * FROM read_parquet('history.parquet', union_by_name = true);
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

// The query for Athena, a week of flow logs by service. The filters are
// pasted as they are into WHERE clauses on the two tables, so that Athena
// reads only the partitions of the window: here on the partition columns
// of AWS's Hive-style Parquet layout (string year, month, day, hour; on the
// text layout it would be "day" BETWEEN '2026/11/01' AND '2026/11/07'), and
// on the interval table written by intervals.WritePartitioned.
func ExampleBuilder_Query() {
	b := &sqlattr.Builder{
		Dialect:        sqlattr.Athena,
		By:             attribution.ByService,
		FlowLogFilter:  `"year" = '2026' AND "month" = '11' AND "day" BETWEEN '01' AND '07'`,
		IntervalFilter: `"date" <= '2026-11-07'`,
	}
	q, err := b.Query()
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range strings.Split(q, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "-- ecsnet") || strings.Contains(l, "2026") {
			fmt.Println(l)
		}
	}
	// Output:
	// -- ecsnet attribution join, rule version 4, dialect athena, grouped by service.
	// WHERE "year" = '2026' AND "month" = '11' AND "day" BETWEEN '01' AND '07'
	// WHERE "date" <= '2026-11-07'
}

// NewFlowLogWriter turns flow logs read from any source (text files, a log
// group) into AWS's Parquet layout, so that DuckDB or Spark can run the
// join on them next to the history table: what `attribute -export` writes
// as flowlogs.parquet. The file has every column of FlowLogFields, absent
// values as nulls.
func ExampleNewFlowLogWriter() {
	const textLog = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction
5 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41020 8080 6 30 36793 1795600800 1795600859 ACCEPT OK ingress
5 123456789012 eni-0a1b2c3d4e5f60711 - - - - - - - 1795601100 1795601159 - NODATA -
`
	var file bytes.Buffer // os.Create("flowlogs.parquet") in real use
	fw := sqlattr.NewFlowLogWriter(&file)
	r := flowlogs.NewReader(strings.NewReader(textLog)) // every field: the writer copies their text
	for rec, err := range r.All() {
		if err != nil {
			log.Fatal(err)
		}
		if err := fw.Write(rec); err != nil {
			log.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		log.Fatal(err)
	}

	// Read back as AWS's own Parquet files are read.
	pr, err := parquetsource.NewReader(bytes.NewReader(file.Bytes()), int64(file.Len()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pr.Format().Len(), "columns")
	for rec, err := range pr.All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.InterfaceID, rec.Bytes, rec.Has(flowlogs.FieldBytes), rec.LogStatus, rec.Start)
	}
	// Output:
	// 34 columns
	// eni-0a1b2c3d4e5f60711 36793 true OK 1795600800
	// eni-0a1b2c3d4e5f60711 0 false NODATA 1795601100
}

// A program's -dialect flag: the engine the user runs the join on. Case
// and the names Trino and Spark SQL go by are accepted; anything else is
// an error that lists the choices.
func ExampleParseDialect() {
	for _, s := range []string{"duckdb", "Trino", "spark-sql"} {
		d, err := sqlattr.ParseDialect(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %v\n", s, d)
	}
	_, err := sqlattr.ParseDialect("postgres")
	fmt.Println(err)
	// Output:
	// duckdb: duckdb
	// Trino: athena
	// spark-sql: spark
	// sqlattr: unknown SQL dialect "postgres" (want duckdb, athena or spark)
}

// Which flow-log objects a flowlogs.parquet gathers (an `attribute
// -export` wrote them in its footer with SetInputs): a partial made of
// the file must name them, not the file, so that Merge refuses it beside
// those objects' own partials instead of counting their records twice.
func ExampleParseInputs() {
	const textLog = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41020 8080 6 30 36793 1796602200 1796602259 ACCEPT OK
`
	var file bytes.Buffer // os.Create("flowlogs.parquet") in real use
	fw := sqlattr.NewFlowLogWriter(&file)
	r := flowlogs.NewReader(strings.NewReader(textLog))
	for rec, err := range r.All() {
		if err != nil {
			log.Fatal(err)
		}
		if err := fw.Write(rec); err != nil {
			log.Fatal(err)
		}
	}
	err := fw.SetInputs([]attribution.Input{
		{Name: "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261207T0000Z_a1b2c3d4"}, // an S3 delivery
		{Name: "logs:/vpc/flow-logs/eni-0a1b2c3d4e5f60711-all", // a log stream's records of one hour
			Since: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		log.Fatal(err)
	}

	// What a reader of the file does.
	f, err := parquetsource.Open(bytes.NewReader(file.Bytes()), int64(file.Len()))
	if err != nil {
		log.Fatal(err)
	}
	v, ok := f.Metadata(sqlattr.InputsKey)
	if !ok {
		fmt.Println("gathers nothing: the file is its own input")
		return
	}
	ins, err := sqlattr.ParseInputs(v)
	if err != nil {
		log.Fatal(err)
	}
	for _, in := range ins {
		fmt.Println(in)
	}

	// A footer edited by hand: a bound that is not RFC 3339.
	_, err = sqlattr.ParseInputs(`[{"name": "logs:/vpc/flow-logs/eni-0a1b2c3d4e5f60711-all", "since": "2026-12-07 00:00"}]`)
	fmt.Println(err)
	// Output:
	// 123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261207T0000Z_a1b2c3d4
	// logs:/vpc/flow-logs/eni-0a1b2c3d4e5f60711-all [2026-12-07T00:00:00Z, 2026-12-07T01:00:00Z)
	// sqlattr: metadata ecsnet.inputs: [0] ("logs:/vpc/flow-logs/eni-0a1b2c3d4e5f60711-all"): since "2026-12-07 00:00" is not an RFC 3339 time (2006-01-02T15:04:05Z)
}
