package sqlattr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/flowlogs"
)

// athenaType is the Hive DDL type AWS's Athena examples give a flow-log
// column (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html).
func athenaType(f flowlogs.Field) string {
	switch f {
	case flowlogs.FieldVersion, flowlogs.FieldSrcPort, flowlogs.FieldDstPort, flowlogs.FieldTCPFlags, flowlogs.FieldTrafficPath:
		return "int"
	case flowlogs.FieldProtocol, flowlogs.FieldPackets, flowlogs.FieldBytes, flowlogs.FieldStart, flowlogs.FieldEnd:
		return "bigint"
	}
	return "string"
}

func (b *Builder) athenaDDL(t Tables) (string, error) {
	var missing []string
	if t.FlowLogsLocation == "" {
		missing = append(missing, "FlowLogsLocation")
	}
	if len(t.Accounts) == 0 {
		missing = append(missing, "Accounts")
	}
	if len(t.Regions) == 0 {
		missing = append(missing, "Regions")
	}
	if t.IntervalsLocation == "" {
		missing = append(missing, "IntervalsLocation")
	}
	if len(t.Clusters) == 0 {
		missing = append(missing, "Clusters")
	}
	if len(missing) > 0 {
		return "", errors.New("sqlattr: Athena DDL needs Tables." + strings.Join(missing, ", Tables."))
	}
	firstDay, firstDate := t.FirstDay, t.FirstDate
	if firstDay == "" {
		firstDay = "2024/01/01"
	}
	if firstDate == "" {
		firstDate = "1970-01-01"
	}
	if _, err := time.Parse("2006/01/02", firstDay); err != nil {
		return "", fmt.Errorf("sqlattr: Tables.FirstDay %q: want yyyy/MM/dd", firstDay)
	}
	if _, err := time.Parse(time.DateOnly, firstDate); err != nil {
		return "", fmt.Errorf("sqlattr: Tables.FirstDate %q: want yyyy-MM-dd", firstDate)
	}
	flow, iv := b.names()
	fields := b.Fields
	if fields == nil {
		fields = FlowLogFields()
	}
	var cols []string
	for _, f := range fields {
		if f == flowlogs.FieldUnknown {
			return "", fmt.Errorf("sqlattr: an unknown field in Builder.Fields")
		}
		cols = append(cols, fmt.Sprintf("  `%s` %s", column(f), athenaType(f)))
	}
	loc := strings.TrimSuffix(t.FlowLogsLocation, "/") + "/"
	// The layout's own path is appended to it: a location short of
	// AWSLogs/, or past it, is a table over no file, and a total of 0.
	if !strings.HasSuffix(loc, "/AWSLogs/") {
		return "", fmt.Errorf("sqlattr: Tables.FlowLogsLocation %q: want the S3 prefix up to and including AWSLogs/ (s3://BUCKET/PREFIX/AWSLogs/)", t.FlowLogsLocation)
	}
	var sb strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&sb, format, args...) }
	accounts, regions := strings.Join(t.Accounts, ","), strings.Join(t.Regions, ",")
	switch t.FlowLogsLayout {
	case ParquetHive:
		p("-- Flow logs as AWS delivers them with FileFormat parquet, HiveCompatiblePartitions and PerHourPartition.\n")
		p("CREATE EXTERNAL TABLE IF NOT EXISTS %s (\n%s\n)\n", flow, strings.Join(cols, ",\n"))
		p("PARTITIONED BY (`aws-account-id` string, `aws-service` string, `aws-region` string, `year` string, `month` string, `day` string, `hour` string)\n")
		p(hiveParquet)
		p("LOCATION %s\n", hiveLit(loc))
		p("TBLPROPERTIES (\n")
		p("  'projection.enabled' = 'true',\n")
		p("  'projection.aws-account-id.type' = 'enum', 'projection.aws-account-id.values' = %s,\n", hiveLit(accounts))
		p("  'projection.aws-service.type' = 'enum', 'projection.aws-service.values' = 'vpcflowlogs',\n")
		p("  'projection.aws-region.type' = 'enum', 'projection.aws-region.values' = %s,\n", hiveLit(regions))
		p("  'projection.year.type' = 'integer', 'projection.year.range' = '%s,2100', 'projection.year.digits' = '4',\n", firstDay[:4])
		p("  'projection.month.type' = 'integer', 'projection.month.range' = '1,12', 'projection.month.digits' = '2',\n")
		p("  'projection.day.type' = 'integer', 'projection.day.range' = '1,31', 'projection.day.digits' = '2',\n")
		p("  'projection.hour.type' = 'integer', 'projection.hour.range' = '0,23', 'projection.hour.digits' = '2',\n")
		p("  'storage.location.template' = %s\n);\n\n", hiveLit(loc+"aws-account-id=${aws-account-id}/aws-service=${aws-service}/aws-region=${aws-region}/year=${year}/month=${month}/day=${day}/hour=${hour}/"))
	case Text:
		p("-- Flow logs as AWS delivers them by default: plain text, a header line per file, …/AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/.\n")
		p("-- The columns must be in the flow log's format order (Builder.Fields).\n")
		p("CREATE EXTERNAL TABLE IF NOT EXISTS %s (\n%s\n)\n", flow, strings.Join(cols, ",\n"))
		// Not `region`: a format with the region field (v4) has that data
		// column, and Athena refuses a partition column of a data
		// column's name.
		p("PARTITIONED BY (`accid` string, `aws_region` string, `day` string)\n")
		p("ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\n")
		p("LOCATION %s\n", hiveLit(loc))
		p("TBLPROPERTIES (\n")
		p("  'skip.header.line.count' = '1',\n")
		p("  'projection.enabled' = 'true',\n")
		p("  'projection.accid.type' = 'enum', 'projection.accid.values' = %s,\n", hiveLit(accounts))
		p("  'projection.aws_region.type' = 'enum', 'projection.aws_region.values' = %s,\n", hiveLit(regions))
		p("  'projection.day.type' = 'date', 'projection.day.format' = 'yyyy/MM/dd', 'projection.day.range' = %s,\n", hiveLit(firstDay+",NOW"))
		p("  'projection.day.interval' = '1', 'projection.day.interval.unit' = 'DAYS',\n")
		p("  'storage.location.template' = %s\n);\n\n", hiveLit(loc+"${accid}/vpcflowlogs/${aws_region}/${day}/"))
	default:
		return "", fmt.Errorf("sqlattr: unknown flow-log layout %d", t.FlowLogsLayout)
	}
	ivLoc := strings.TrimSuffix(t.IntervalsLocation, "/") + "/"
	p("-- The task history (eni/history/intervals, schema version %d), written with WritePartitioned.\n", intervals.SchemaVersion)
	// A table made by an earlier ecsnet lacks schema_version, which the
	// query reads: IF NOT EXISTS keeps it, and the query stops at the
	// column's name until it is dropped and made again (its files stay).
	p("-- A table made before schema_version was declared: DROP TABLE %s, then run this again (the files stay).\n", iv)
	p("CREATE EXTERNAL TABLE IF NOT EXISTS %s (\n", iv)
	p("  `kind` string, `key` string, `protocol` int, `port_first` int, `port_last` int,\n")
	p("  `first_second` bigint, `last_second` bigint, `next_first_second` bigint, `late_base_second` bigint, `start` timestamp, `end` timestamp,\n")
	p("  `owner` string, `task_arn` string, `task_id` string, `cluster_arn` string, `service_group` string, `family` string,\n")
	p("  `task_definition` string, `launch_type` string, `network_mode` string, `container_instance_arn` string,\n")
	p("  `ec2_instance_id` string, `az` string, `subnet_id` string, `eni` string, `ipv4` string, `ipv6` string,\n")
	// Files written before the column read it as NULL, version 1 to the
	// query (query.versionCheck).
	p("  `schema_version` int\n)\n")
	p("PARTITIONED BY (`cluster` string, `date` string)\n")
	p("STORED AS PARQUET\n")
	p("LOCATION %s\n", hiveLit(ivLoc))
	p("TBLPROPERTIES (\n")
	p("  'projection.enabled' = 'true',\n")
	// The projected clusters are Tables.Clusters and the directory of the
	// rows without a cluster: a value of an enum projection without a
	// directory reads as no rows, a directory without a value is never
	// read.
	clusters := slices.Clone(t.Clusters)
	if !slices.Contains(clusters, intervals.UnknownCluster) {
		clusters = append(clusters, intervals.UnknownCluster)
	}
	p("  'projection.cluster.type' = 'enum', 'projection.cluster.values' = %s,\n", hiveLit(strings.Join(clusters, ",")))
	p("  'projection.date.type' = 'date', 'projection.date.format' = 'yyyy-MM-dd', 'projection.date.range' = %s,\n", hiveLit(firstDate+",NOW"))
	p("  'projection.date.interval' = '1', 'projection.date.interval.unit' = 'DAYS',\n")
	p("  'storage.location.template' = %s\n);\n", hiveLit(ivLoc+"cluster=${cluster}/date=${date}/"))
	return sb.String(), nil
}

// hiveParquet are the storage clauses of a Hive table of Parquet files.
const hiveParquet = "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n" +
	"STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n" +
	"OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n"
