package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// TestExportSparkScript: spark.sql was only checked to exist, so a
// script of another dialect (DuckDB's "key" and //, Athena's DDL) or of
// another grouping would have passed. It must be sqlattr's Spark script
// for the run's grouping and address fallback, over the exported files by
// relative path, with Spark's marks: backtick quoting and div.
func TestExportSparkScript(t *testing.T) {
	for _, c := range []struct {
		args []string
		b    sqlattr.Builder
		by   string
	}{
		{nil, sqlattr.Builder{By: attribution.ByTask}, "task"},
		{[]string{"-by", "service", "-ip-fallback=false"}, sqlattr.Builder{By: attribution.ByService, NoIPFallback: true}, "service"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		runOut(t, append([]string{"-q", "-export", dir}, c.args...)...)
		got, err := os.ReadFile(filepath.Join(dir, "spark.sql"))
		if err != nil {
			t.Fatal(err)
		}
		c.b.Dialect = sqlattr.Spark
		query, err := c.b.Script(sqlattr.Tables{})
		if err != nil {
			t.Fatal(err)
		}
		if want := "-- Run inside this directory: spark-sql -f spark.sql (or give absolute paths or s3:// locations).\n" + query; string(got) != want {
			t.Errorf("%v: spark.sql is not sqlattr's Spark script for the run:\n%s\nwant:\n%s", c.args, got, want)
		}
		// Told apart from the other dialects by its own marks, not only
		// by equality with the builder's output.
		s := string(got)
		for _, w := range []string{
			"CREATE OR REPLACE TEMPORARY VIEW flowlogs USING parquet OPTIONS (path 'flowlogs.parquet');",
			"CREATE OR REPLACE TEMPORARY VIEW intervals USING parquet OPTIONS (path 'history.parquet', mergeSchema 'true');",
			"dialect spark, grouped by " + c.by + ".",
			"CAST(`interface_id` AS STRING)", " div 1000)", "`key`",
		} {
			if !strings.Contains(s, w) {
				t.Errorf("%v: spark.sql lacks %q", c.args, w)
			}
		}
		for _, w := range []string{`"key"`, " // ", "read_parquet", "AS VARCHAR", "CREATE EXTERNAL TABLE", "YOUR-FLOW-LOG-BUCKET"} {
			if strings.Contains(s, w) {
				t.Errorf("%v: spark.sql has %q, of another dialect", c.args, w)
			}
		}
	}
}
