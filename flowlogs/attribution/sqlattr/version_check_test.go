package sqlattr

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history/intervals"
)

// TestVersionCheck: every dialect's join query checks the interval
// rows' schema_version with its engine's error function, NULL (a file of
// before the column) as intervals.SchemaVersion; Athena's DDL declares the
// column, and DuckDB's and Spark's views take columns over all files.
func TestVersionCheck(t *testing.T) {
	v := intervals.SchemaVersion
	for d, fail := range map[Dialect]string{DuckDB: "error(", Athena: "fail(", Spark: "raise_error("} {
		q, err := (&Builder{Dialect: d}).Query()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			fmt.Sprintf("COALESCE(schema_version, %[1]d) <> %[1]d", v),
			"ELSE " + fail + d.lit("ecsnet: the task history (eni/history/intervals) holds rows of schema version ") + " || CAST(ver.ecsnet_other_version AS " + d.str() + ")",
			fmt.Sprintf("this query reads version %d", v),
			"FROM o CROSS JOIN ver\n",
		} {
			if !strings.Contains(q, want) {
				t.Errorf("%s query lacks %q", d, want)
			}
		}
	}
	ddl, err := (&Builder{Dialect: Athena}).DDL(athenaTables(ParquetHive))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ddl, "`ipv6` string,\n  `schema_version` int\n)") {
		t.Errorf("Athena DDL does not declare schema_version:\n%s", ddl)
	}
	for d, want := range map[Dialect]string{DuckDB: "union_by_name = true);", Spark: "mergeSchema 'true');"} {
		s, err := (&Builder{Dialect: d}).DDL(Tables{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, "VIEW intervals") || !strings.Contains(s, want) {
			t.Errorf("%s DDL: no %q:\n%s", d, want, s)
		}
	}
}
