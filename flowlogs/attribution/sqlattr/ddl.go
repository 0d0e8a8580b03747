package sqlattr

import (
	"fmt"
	"strings"
)

// Tables says where the two tables' data lies, for DDL.
type Tables struct {
	// FlowLogsPath and IntervalsPath are, for DuckDB and Spark, the Parquet
	// files (or globs, or directories for Spark) to read; defaults
	// "flowlogs.parquet" and "history.parquet", relative to where the
	// engine runs.
	FlowLogsPath, IntervalsPath string
	// IntervalsPartitioned: IntervalsPath is a directory written by
	// intervals.WritePartitioned (cluster=/date=).
	IntervalsPartitioned bool

	// Athena only. FlowLogsLocation is the S3 prefix up to and including
	// "AWSLogs/" (s3://BUCKET/PREFIX/AWSLogs/; one not ending there is
	// refused, as the DDL appends AWS's layout to it); FlowLogsLayout how AWS
	// delivers there; Accounts and Regions the partition values to project.
	FlowLogsLocation string
	FlowLogsLayout   Layout
	Accounts         []string
	Regions          []string
	// FirstDay is the first day ("2026/01/01") of flow logs to project;
	// empty means 2024/01/01, so older flow logs are not read unless it
	// is set.
	FirstDay string
	// IntervalsLocation is the S3 prefix intervals.WritePartitioned's
	// layout was copied to; Clusters all its cluster names (one left out
	// is never read, and its keys are unknown to the query: see
	// Builder.IntervalFilter) and FirstDate its
	// earliest date=… ("2026-01-01"; empty means 1970-01-01), the
	// projected values. The
	// projection lists intervals.UnknownCluster too, the directory of the
	// rows without a cluster, which Athena reads only if it is listed;
	// the query takes no cluster from the partition column (which holds
	// "__unknown__" there where the rows hold "").
	IntervalsLocation string
	Clusters          []string
	FirstDate         string
}

// Layout is how flow logs lie in S3.
type Layout uint8

const (
	// ParquetHive: FileFormat parquet with HiveCompatiblePartitions and
	// PerHourPartition (…/AWSLogs/aws-account-id=…/aws-service=vpcflowlogs/
	// aws-region=…/year=…/month=…/day=…/hour=…/).
	ParquetHive Layout = iota
	// Text: the default plain-text layout
	// (…/AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/), a header line per
	// file.
	Text
)

// DDL returns the statements that make the tables the query reads.
func (b *Builder) DDL(t Tables) (string, error) {
	if err := b.Dialect.valid(); err != nil {
		return "", err
	}
	if _, err := b.present(); err != nil {
		return "", err
	}
	flow, iv := b.names()
	fp, ip := t.FlowLogsPath, t.IntervalsPath
	if fp == "" {
		fp = "flowlogs.parquet"
	}
	if ip == "" {
		ip = "history.parquet"
	}
	var sb strings.Builder
	switch b.Dialect {
	// The interval files' columns are taken by name, over all of them, so
	// that files written before the schema_version column read it as NULL
	// beside files with it, and a file of another schema version reaches
	// the query's version check (query.versionCheck): by default DuckDB
	// and Spark take one file's schema. A table only of files from before
	// the column has none, and the query stops at its name.
	case DuckDB:
		fmt.Fprintf(&sb, "CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet(%s);\n", flow, b.Dialect.ddlLit(fp))
		if t.IntervalsPartitioned {
			fmt.Fprintf(&sb, "CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet(%s, hive_partitioning = true, union_by_name = true);\n",
				iv, b.Dialect.ddlLit(strings.TrimSuffix(ip, "/")+"/*/*/*.parquet"))
		} else {
			fmt.Fprintf(&sb, "CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet(%s, union_by_name = true);\n", iv, b.Dialect.ddlLit(ip))
		}
	case Spark:
		fmt.Fprintf(&sb, "CREATE OR REPLACE TEMPORARY VIEW %s USING parquet OPTIONS (path %s);\n", flow, b.Dialect.ddlLit(fp))
		fmt.Fprintf(&sb, "CREATE OR REPLACE TEMPORARY VIEW %s USING parquet OPTIONS (path %s, mergeSchema 'true');\n", iv, b.Dialect.ddlLit(ip))
	case Athena:
		s, err := b.athenaDDL(t)
		if err != nil {
			return "", err
		}
		sb.WriteString(s)
	}
	return sb.String(), nil
}

// Script is DDL followed by Query, each statement ending in ";".
func (b *Builder) Script(t Tables) (string, error) {
	return script(func() (string, error) { return b.DDL(t) }, b.Query)
}

// script joins the statements of ddl and query, each ending in ";".
func script(ddl, query func() (string, error)) (string, error) {
	d, err := ddl()
	if err != nil {
		return "", err
	}
	q, err := query()
	if err != nil {
		return "", err
	}
	return d + "\n" + strings.TrimRight(q, "\n") + ";\n", nil
}
