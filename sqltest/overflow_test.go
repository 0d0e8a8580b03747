package sqltest

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// TestSumPastInt64: two records of 5·10^18 bytes each on one task's ENI:
// the Go engine's counters are uint64 (it refuses only a total past 2^64-1)
// and it reports 10^19 bytes; the query casts every sum to BIGINT, which
// cannot hold it: DuckDB (and Trino) stop with a conversion/overflow error,
// Spark without ANSI mode wraps the SUM to a negative number.
func TestSumPastInt64(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := rvTask("00000000000000000000000000000021", "eni-big", "10.0.1.21", t0, time.Time{})
	h := rvIndex(t, []history.Task{tk}, nil)
	ts := t0.Add(time.Minute).Unix()
	line := strings.Join([]string{"2", "111122223333", "eni-big", "10.0.1.21", "52.94.1.1", "40000", "443", "6", "3",
		"5000000000000000000", itoa(ts), itoa(ts + 30), "ACCEPT", "OK"}, " ")
	fx := rvFixture(h, rvHeadV2, line, line)

	a, tables := writeTables(t, fx, false)
	if err := a.Err(); err != nil || a.Total().Bytes != 10_000_000_000_000_000_000 {
		t.Fatalf("Go: total %d bytes, err %v; want 10^19", a.Total().Bytes, err)
	}
	b := sqlattr.Builder{Dialect: sqlattr.DuckDB}
	// The output is BIGINT (documented): the query cannot give 10^19, so
	// it must say so in its own words, in every dialect, not with the
	// engine's cast error (DuckDB, Trino) nor with a wrapped sum (Spark).
	ddl, err := b.DDL(tables)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []sqlattr.Dialect{sqlattr.DuckDB, sqlattr.Athena, sqlattr.Spark} {
		bd := b
		bd.Dialect = d
		q, err := bd.Query()
		if err != nil {
			t.Fatal(err)
		}
		if d != sqlattr.DuckDB {
			q = queryInDuckDB(t, d, q)
		}
		rows, err := duckQuery(t, ddl+"\n"+q)
		if msg := firstLine(err); !strings.Contains(msg, "ecsnet: a sum passes 2^63-1") {
			t.Errorf("%s: rows %v, error %q; want the query's own refusal of a sum past 2^63-1 (Go: 10^19 bytes)", d, rows, msg)
		}
	}
}
