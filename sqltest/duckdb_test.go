package sqltest

import (
	"bytes"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// row is one output row of the query, or of the JSON document in the
// same shape; -1 stands for SQL NULL.
type row struct {
	Kind, Key                                string
	BytesIn, BytesOut, PacketsIn, PacketsOut int64
	Bytes, Packets, Records                  int64
	BytesUnknown, PacketsUnknown             int64
	Accepted, Reject                         int64
}

func (r row) String() string {
	return fmt.Sprintf("%s %q in=%d/%d out=%d/%d unknown=%d/%d bytes=%d packets=%d records=%d acc=%d rej=%d",
		r.Kind, r.Key, r.BytesIn, r.PacketsIn, r.BytesOut, r.PacketsOut, r.BytesUnknown, r.PacketsUnknown,
		r.Bytes, r.Packets, r.Records, r.Accepted, r.Reject)
}

// docRows is the JSON document as the query's rows.
func docRows(d report.Document) []row {
	var out []row
	for _, g := range d.Groups {
		out = append(out, row{"group", g.Key, int64(g.BytesIn), int64(g.BytesOut), int64(g.PacketsIn), int64(g.PacketsOut),
			int64(g.BytesIn + g.BytesOut + g.BytesUnknown), int64(g.PacketsIn + g.PacketsOut + g.PacketsUnknown), int64(g.Records),
			int64(g.BytesUnknown), int64(g.PacketsUnknown), int64(g.AcceptedBytes), int64(g.RejectedBytes)})
	}
	for _, u := range d.Unattributed {
		out = append(out, row{"unattributed", u.Reason, -1, -1, -1, -1, int64(u.Bytes), int64(u.Packets), int64(u.Records), -1, -1, -1, -1})
	}
	out = append(out, row{"total", "", -1, -1, -1, -1, int64(d.Total.Bytes), int64(d.Total.Packets), int64(d.Total.Records), -1, -1, -1, -1})
	return out
}

// fixture is one history and one set of flow logs, run through both engines.
type fixture struct {
	h       *history.Index
	records func(yield func(*flowlogs.Record) error) error
}

// run attributes the fixture with the Go engine and with DuckDB, and
// compares the rows.
func run(t *testing.T, fx fixture, b sqlattr.Builder, opts ...attribution.Option) []row {
	return runLayout(t, fx, b, false, opts...)
}

// runLayout is run with the interval table in one file or, partitioned,
// in intervals.WritePartitioned's layout.
func runLayout(t *testing.T, fx fixture, b sqlattr.Builder, partitioned bool, opts ...attribution.Option) []row {
	t.Helper()
	return runDialects(t, fx, b, partitioned, []sqlattr.Dialect{sqlattr.DuckDB}, opts...)
}

// runAll is runLayout for the DuckDB query and for the Athena and Spark
// queries made to run in DuckDB (queryInDuckDB), over the same views.
func runAll(t *testing.T, fx fixture, b sqlattr.Builder, partitioned bool, opts ...attribution.Option) []row {
	t.Helper()
	return runDialects(t, fx, b, partitioned, []sqlattr.Dialect{sqlattr.DuckDB, sqlattr.Athena, sqlattr.Spark}, opts...)
}

// runDialects attributes the fixture with the Go engine and with each
// dialect's query, run in DuckDB, compares the rows, and returns the
// DuckDB query's.
func runDialects(t *testing.T, fx fixture, b sqlattr.Builder, partitioned bool, dialects []sqlattr.Dialect, opts ...attribution.Option) []row {
	t.Helper()
	a, tables := writeTables(t, fx, partitioned, opts...)
	want := docRows(report.NewDocument(a.Result(b.By)))
	b.Dialect = sqlattr.DuckDB
	got := duck(t, &b, tables)
	compare(t, got, want)
	for _, d := range dialects {
		if d == sqlattr.DuckDB {
			continue
		}
		ddl, err := b.DDL(tables)
		if err != nil {
			t.Fatal(err)
		}
		bd := b
		bd.Dialect = d
		q, err := bd.Query()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s query", d)
		compare(t, duckScript(t, ddl+"\n"+queryInDuckDB(t, d, q)), want)
	}
	return got
}

func writeFile(t *testing.T, name string, write func(*bytes.Buffer) error) {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// duck runs the builder's DuckDB script: every statement in order, the
// last one's rows are the answer.
func duck(t testing.TB, b *sqlattr.Builder, tables sqlattr.Tables) []row {
	t.Helper()
	script, err := b.Script(tables)
	if err != nil {
		t.Fatal(err)
	}
	return duckScript(t, script)
}

// duckScript runs a script in a fresh in-memory DuckDB: every statement
// in order; the last one's rows are the answer.
func duckScript(t testing.TB, script string) []row {
	t.Helper()
	rows, err := duckQuery(t, script)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// duckQuery is duckScript returning the last statement's error, for
// queries meant to fail; the statements before it must not.
func duckQuery(t testing.TB, script string) ([]row, error) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stmts := strings.Split(strings.TrimSpace(script), ";\n")
	for _, s := range stmts[:len(stmts)-1] {
		if _, err := conn.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	q := strings.TrimSuffix(stmts[len(stmts)-1], ";")
	rs, err := conn.QueryContext(t.Context(), q)
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, q)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var r row
		var n [11]sql.NullInt64
		if err := rs.Scan(&r.Kind, &r.Key, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8], &n[9], &n[10]); err != nil {
			t.Fatal(err)
		}
		v := func(i int) int64 {
			if !n[i].Valid {
				return -1
			}
			return n[i].Int64
		}
		r.BytesIn, r.BytesOut, r.PacketsIn, r.PacketsOut = v(0), v(1), v(2), v(3)
		r.Bytes, r.Packets, r.Records = v(4), v(5), v(6)
		r.BytesUnknown, r.PacketsUnknown, r.Accepted, r.Reject = v(7), v(8), v(9), v(10)
		out = append(out, r)
	}
	return out, rs.Err()
}

func compare(t *testing.T, got, want []row) {
	t.Helper()
	if len(got) == len(want) {
		same := true
		for i := range got {
			same = same && got[i] == want[i]
		}
		if same {
			return
		}
	}
	var g, w []string
	for _, r := range got {
		g = append(g, r.String())
	}
	for _, r := range want {
		w = append(w, r.String())
	}
	t.Errorf("SQL and Go engine differ\nSQL:\n  %s\nGo:\n  %s", strings.Join(g, "\n  "), strings.Join(w, "\n  "))
}

const sampleDir = "../examples/attribute/sample"

func sampleFixture(t *testing.T) fixture {
	t.Helper()
	files, _ := filepath.Glob(sampleDir + "/tasks/*.json")
	b := history.NewBuilder()
	if _, err := b.LoadFiles(files...); err != nil {
		t.Fatal(err)
	}
	var logs []string
	err := filepath.WalkDir(sampleDir+"/flowlogs", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			logs = append(logs, p)
		}
		return err
	})
	if err != nil || len(logs) == 0 {
		t.Fatalf("sample flow logs: %v (%d files)", err, len(logs))
	}
	sort.Strings(logs)
	return fixture{h: b.Index(), records: func(yield func(*flowlogs.Record) error) error {
		for _, name := range logs {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			r := flowlogs.NewReader(f, flowlogs.WithSource(filepath.Base(name)))
			for rec, err := range r.All() {
				if err == nil {
					err = yield(rec)
				}
				if err != nil {
					f.Close()
					return err
				}
			}
			r.Close()
			f.Close()
		}
		return nil
	}}
}

func TestSample(t *testing.T) {
	fx := sampleFixture(t)
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily,
		attribution.ByInstance, attribution.ByCluster} {
		t.Run(by.String(), func(t *testing.T) {
			got := run(t, fx, sqlattr.Builder{By: by})
			if len(got) < 3 {
				t.Errorf("only %d rows", len(got))
			}
		})
	}
	t.Run("partitioned history", func(t *testing.T) {
		runLayout(t, fx, sqlattr.Builder{}, true)
		// Pruning the partitions after the last day of records changes
		// nothing.
		runLayout(t, fx, sqlattr.Builder{IntervalFilter: `"date" <= '2026-11-25'`}, true)
	})
	t.Run("athena and spark queries", func(t *testing.T) {
		// The Athena (Trino) query is DuckDB's text but for its header;
		// Spark's differs in quoting and the string type. Run both in
		// DuckDB, Spark's with those two spelled DuckDB's way, over the
		// DuckDB views: the same rows prove the same query structure.
		a, tables := writeTables(t, fx, false)
		want := docRows(report.NewDocument(a.Result(attribution.ByTask)))
		duckDDL, err := (&sqlattr.Builder{Dialect: sqlattr.DuckDB}).DDL(tables)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []sqlattr.Dialect{sqlattr.Athena, sqlattr.Spark} {
			q, err := (&sqlattr.Builder{Dialect: d}).Query()
			if err != nil {
				t.Fatal(err)
			}
			compare(t, duckScript(t, duckDDL+"\n"+queryInDuckDB(t, d, q)), want)
		}
	})
	t.Run("no IP fallback", func(t *testing.T) {
		run(t, fx, sqlattr.Builder{NoIPFallback: true}, attribution.WithoutIPFallback())
	})
}

// writeTables writes the fixture's history (partitioned by date, or as
// one file) and records as the tables a query reads, in a directory of
// their own, and returns them with the Go engine's Attributor over the
// same records.
func writeTables(t *testing.T, fx fixture, partitioned bool, opts ...attribution.Option) (*attribution.Attributor, sqlattr.Tables) {
	t.Helper()
	dir := t.TempDir()
	rows, err := intervals.Build(fx.h)
	if err != nil {
		t.Fatal(err)
	}
	tables := sqlattr.Tables{
		FlowLogsPath:         filepath.Join(dir, "flowlogs.parquet"),
		IntervalsPath:        filepath.Join(dir, "history.parquet"),
		IntervalsPartitioned: partitioned,
	}
	if partitioned {
		tables.IntervalsPath = filepath.Join(dir, "history")
		if _, err := intervals.WritePartitioned(tables.IntervalsPath, rows); err != nil {
			t.Fatal(err)
		}
	} else {
		writeFile(t, tables.IntervalsPath, func(w *bytes.Buffer) error { return intervals.WriteParquet(w, rows) })
	}
	a := attribution.New(fx.h, opts...)
	writeFile(t, tables.FlowLogsPath, func(w *bytes.Buffer) error {
		fw := sqlattr.NewFlowLogWriter(w)
		if err := fx.records(func(r *flowlogs.Record) error {
			a.Add(r)
			return fw.Write(r)
		}); err != nil {
			return err
		}
		return fw.Close()
	})
	return a, tables
}

// queryInDuckDB makes an Athena or Spark join query run in DuckDB. The
// Athena (Trino) query is DuckDB's text but for its header and integer
// division (Trino's / of BIGINTs, DuckDB's //); Spark's differs in
// quoting (backticks; string literals with backslash escapes), the
// string type and integer division (div). Run in DuckDB over the DuckDB
// views, the same rows prove the same query structure.
func queryInDuckDB(t *testing.T, d sqlattr.Dialect, q string) string {
	t.Helper()
	if d == sqlattr.Spark {
		q = sparkInDuckDB(q)
		if !strings.Contains(q, " div 1000)") {
			t.Fatal("Spark query: no div 1000 (a start or end in milliseconds)")
		}
		return macros + strings.NewReplacer(" AS STRING)", " AS VARCHAR)", " div ", " // ").Replace(q)
	}
	if !strings.Contains(q, " / 1000)") {
		t.Fatal("Athena query: no / 1000 (a start or end in milliseconds)")
	}
	return macros + strings.ReplaceAll(q, " / 1000)", " // 1000)")
}

// macros are Trino's fail and Spark's raise_error as DuckDB macros over
// its error, for the Athena and Spark texts run in DuckDB.
const macros = "CREATE MACRO fail(m) AS error(m);\nCREATE MACRO raise_error(m) AS error(m);\n"

// sparkInDuckDB rewrites a Spark text's identifiers (backticks) and string
// literals (a backslash escapes the next character) as DuckDB's (double
// quotes; a quote doubled). -- comments are copied as they are.
func sparkInDuckDB(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); {
		switch c := q[i]; {
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '`':
			j := strings.IndexByte(q[i+1:], '`')
			b.WriteString(`"` + q[i+1:i+1+j] + `"`)
			i += j + 2
		case c == '\'':
			var v strings.Builder
			for i++; q[i] != '\''; i++ {
				if q[i] == '\\' {
					i++
				}
				v.WriteByte(q[i])
			}
			i++
			b.WriteString("'" + strings.ReplaceAll(v.String(), "'", "''") + "'")
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
