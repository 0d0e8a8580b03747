package sqlattr

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// TestReduceGolden pins the reduce scripts (sqltest runs them).
func TestReduceGolden(t *testing.T) {
	for _, c := range []struct {
		file   string
		r      Reduce
		tables ReduceTables
	}{
		{"reduce_athena.sql", Reduce{Dialect: Athena, By: attribution.ByService, Filter: `"date" BETWEEN '2026-11-01' AND '2026-11-07'`},
			ReduceTables{Location: "s3://ecsnet-partials/partials/", Clusters: []string{"demo", "prod"}, FirstDate: "2026-01-01"}},
		{"reduce_duckdb.sql", Reduce{Dialect: DuckDB}, ReduceTables{Path: "partials/", Partitioned: true}},
		{"reduce_spark.sql", Reduce{Dialect: Spark, By: attribution.ByCluster}, ReduceTables{Path: "s3://ecsnet-partials/partials/"}},
	} {
		got, err := c.r.Script(c.tables)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		checkGolden(t, c.file, got)
	}
}

// TestReduceAthenaColumns: the Athena table declares every column of the
// partials schema, in order, and none of its partition columns twice.
func TestReduceAthenaColumns(t *testing.T) {
	ddl, err := (&Reduce{Dialect: Athena}).DDL(ReduceTables{Location: "s3://b/p", Clusters: []string{"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	at := 0
	for _, c := range partials.Columns() {
		i := strings.Index(ddl[at:], "`"+c+"` ")
		if i < 0 {
			t.Fatalf("column %s missing or out of order", c)
		}
		at += i
		if c == "cluster" || c == "date" || c == "hour" {
			t.Errorf("data column %s is also a partition column", c)
		}
	}
	if !strings.Contains(ddl, "'storage.location.template' = 's3://b/p/cluster=${cluster}/date=${date}/hour=${hour}/'") {
		t.Errorf("location template:\n%s", ddl)
	}
}

func TestReduceErrors(t *testing.T) {
	if _, err := (&Reduce{Dialect: Athena}).DDL(ReduceTables{}); err == nil || !strings.Contains(err.Error(), "ReduceTables.Location, ReduceTables.Clusters") {
		t.Errorf("Athena without location: %v", err)
	}
	if _, err := (&Reduce{Dialect: Athena}).DDL(ReduceTables{Location: "s3://b/", Clusters: []string{"c"}, FirstDate: "2026/01/01"}); err == nil {
		t.Error("bad FirstDate: no error")
	}
	if _, err := (&Reduce{}).Query(); err == nil {
		t.Error("no dialect: no error")
	}
	if _, err := (&Reduce{Dialect: DuckDB, By: 99}).Query(); err == nil {
		t.Error("unknown grouping: no error")
	}
}
