package sqlattr

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func athenaTables(layout Layout) Tables {
	return Tables{
		FlowLogsLocation: "s3://flow-logs-bucket/vpc/AWSLogs/", FlowLogsLayout: layout,
		Accounts: []string{"123456789012"}, Regions: []string{"us-east-1", "eu-west-1"}, FirstDay: "2026/01/01",
		IntervalsLocation: "s3://ecsnet-history/intervals/", Clusters: []string{"demo", "prod"}, FirstDate: "2026-01-01",
	}
}

// textFormat is a v5 format with the ECS fields, in the order a flow log
// would write them (the text table's columns must follow it).
var textFormat = []flowlogs.Field{flowlogs.FieldVersion, flowlogs.FieldAccountID, flowlogs.FieldInterfaceID,
	flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr, flowlogs.FieldSrcPort, flowlogs.FieldDstPort, flowlogs.FieldProtocol,
	flowlogs.FieldPackets, flowlogs.FieldBytes, flowlogs.FieldStart, flowlogs.FieldEnd, flowlogs.FieldAction,
	flowlogs.FieldLogStatus, flowlogs.FieldPktSrcAddr, flowlogs.FieldPktDstAddr, flowlogs.FieldFlowDirection,
	flowlogs.FieldECSTaskARN, flowlogs.FieldECSTaskID}

func TestGolden(t *testing.T) {
	cases := []struct {
		file   string
		b      Builder
		tables Tables
	}{
		{"athena_parquet.sql", Builder{Dialect: Athena}, athenaTables(ParquetHive)},
		{"athena_text.sql", Builder{Dialect: Athena, By: attribution.ByService, Fields: textFormat}, athenaTables(Text)},
		{"spark.sql", Builder{Dialect: Spark}, Tables{FlowLogsPath: "s3://flow-logs-bucket/vpc/AWSLogs/", IntervalsPath: "s3://ecsnet-history/intervals/"}},
		{"duckdb.sql", Builder{Dialect: DuckDB}, Tables{}},
	}
	for _, c := range cases {
		got, err := c.b.Script(c.tables)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		checkGolden(t, c.file, got)
	}
}

// checkGolden compares got with testdata/file (go test -update rewrites it).
func checkGolden(t *testing.T, file, got string) {
	t.Helper()
	name := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff", file)
	}
}

func TestErrors(t *testing.T) {
	if _, err := ParseDialect("mysql"); err == nil || !strings.Contains(err.Error(), `"mysql"`) {
		t.Errorf("ParseDialect(mysql) = %v", err)
	}
	for _, s := range []string{"duckdb", "Athena", "trino", "spark"} {
		if _, err := ParseDialect(s); err != nil {
			t.Errorf("ParseDialect(%s): %v", s, err)
		}
	}
	if _, err := (&Builder{}).Query(); err == nil || !strings.Contains(err.Error(), "unknown SQL dialect") {
		t.Errorf("zero dialect: %v", err)
	}
	b := Builder{Dialect: DuckDB, Fields: []flowlogs.Field{flowlogs.FieldInterfaceID, flowlogs.FieldStart}}
	if _, err := b.Query(); !errors.Is(err, ErrMissingField) || !strings.Contains(err.Error(), "bytes, packets") {
		t.Errorf("no bytes/packets: %v", err)
	}
	b.Fields = []flowlogs.Field{flowlogs.FieldBytes, flowlogs.FieldPackets, flowlogs.FieldEnd, flowlogs.FieldAction}
	if _, err := b.Query(); !errors.Is(err, ErrMissingField) || !strings.Contains(err.Error(), "interface-id") {
		t.Errorf("nothing to join on: %v", err)
	}
	if _, err := (&Builder{Dialect: Athena}).DDL(Tables{}); err == nil || !strings.Contains(err.Error(), "Tables.FlowLogsLocation") {
		t.Errorf("Athena without locations: %v", err)
	}
	bad := athenaTables(ParquetHive)
	bad.FirstDay = "26"
	if _, err := (&Builder{Dialect: Athena}).DDL(bad); err == nil || !strings.Contains(err.Error(), "FirstDay") {
		t.Errorf("Athena with FirstDay 26: %v", err)
	}
	if _, err := (&Builder{Dialect: DuckDB, By: attribution.GroupBy(9)}).Query(); err == nil {
		t.Error("an unknown grouping is accepted")
	}
}

// TestREADMEFieldCounts: the README's figures for what a Parquet query
// reads are this package's and the parser's (a field added to either left
// them stale once).
func TestREADMEFieldCounts(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := strings.Join(strings.Fields(string(b)), " ")
	want := fmt.Sprintf("at most the %d of `sqlattr.FlowLogFields()`, of the %d fields the parser knows",
		len(FlowLogFields()), flowlogs.AllFields().Len())
	if !strings.Contains(readme, want) {
		t.Errorf("README does not say %q", want)
	}
}

// Athena refuses a partition column named as a data column ("Partitioned
// columns don't exist within the table data itself", alter-table-add-
// partition), and the text layout's columns are the format's: with the
// region field (v4) a partition column `region` made CREATE TABLE fail.
func TestAthenaPartitionColumnsAreNotDataColumns(t *testing.T) {
	for _, layout := range []Layout{ParquetHive, Text} {
		b := Builder{Dialect: Athena, Fields: FlowLogFields()}
		if layout == Text {
			b.Fields = nil
			for f := flowlogs.Field(1); f.String() != "unknown"; f++ {
				b.Fields = append(b.Fields, f)
			}
		}
		ddl, err := b.DDL(athenaTables(layout))
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range strings.Split(ddl, "CREATE EXTERNAL TABLE")[1:] {
			head, rest, _ := strings.Cut(table, "PARTITIONED BY (")
			parts, _, _ := strings.Cut(rest, ")")
			for _, pc := range strings.Split(parts, ",") {
				name := strings.Fields(pc)[0]
				if strings.Contains(head, "\n  "+name+" ") {
					t.Errorf("layout %d: partition column %s is also a data column", layout, name)
				}
			}
		}
	}
}
