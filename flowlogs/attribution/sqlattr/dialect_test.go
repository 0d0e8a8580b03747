package sqlattr

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// lex reads a query text as its engine's lexer and parser do and returns
// the values of its string literals, and the text outside them (without
// quoted identifiers and -- comments). spark: Spark SQL (and the Hive
// lexer that reads Athena's DDL), where a backslash escapes (the
// SqlBaseLexer's STRING_LITERAL,
//
//	'\'' ( ~('\''|'\\') | ('\\' .) )* '\''
//
// ) and the parser's stringLit+ concatenates adjacent literals, so a
// doubled quote is no escape; identifiers are in backticks. Otherwise
// DuckDB or Trino: a quote doubled is a quote, a backslash is itself,
// identifiers are in double quotes.
func lex(q string, spark bool) (lits []string, outside string) {
	ident := byte('"')
	if spark {
		ident = '`'
	}
	var out strings.Builder
	i := 0
	for i < len(q) {
		switch c := q[i]; {
		case c == ident:
			i += strings.IndexByte(q[i+1:], ident) + 2
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				return lits, out.String()
			}
			i += j
		case c == '\'':
			var lit string
			lit, i = literal(q, i, spark)
			lits = append(lits, lit)
		default:
			out.WriteByte(c)
			i++
		}
	}
	return lits, out.String()
}

// literal reads the literal (with spark, the chain of adjacent literals)
// that opens at q[i], and returns its value and the index after it.
func literal(q string, i int, spark bool) (string, int) {
	var b strings.Builder
	for i++; ; i++ {
		switch {
		case spark && q[i] == '\\':
			i++ // the escaped byte
		case q[i] != '\'':
		case !spark && i+1 < len(q) && q[i+1] == '\'':
			i++ // a doubled quote is one
		default:
			rest := strings.TrimLeft(q[i+1:], " \n")
			if !spark || !strings.HasPrefix(rest, "'") {
				return b.String(), i + 1
			}
			i = len(q) - len(rest) // the next literal continues this one
			continue
		}
		b.WriteByte(q[i])
	}
}

// sparkLiterals and standardLiterals are lex's literals of a Spark text
// and of a DuckDB or Trino one.
func sparkLiterals(q string) []string    { l, _ := lex(q, true); return l }
func standardLiterals(q string) []string { l, _ := lex(q, false); return l }

// sparkOutsideLiterals is the Spark text without its literals, backtick
// identifiers and comments: what must hold no double quote, which Spark
// reads as the start of a string literal, not of an identifier.
func sparkOutsideLiterals(q string) string { _, o := lex(q, true); return o }

// The Spark query must carry every reason's name as attribution writes it,
// or its unattributed rows' keys differ from the Go report's. Escaped by
// doubling the quote, Spark read the literal of "outside any task's
// lifetime" as two adjacent literals, concatenated: "outside any tasks
// lifetime".
func TestSparkReasonLiterals(t *testing.T) {
	q, err := (&Builder{Dialect: Spark}).Query()
	if err != nil {
		t.Fatal(err)
	}
	lits := sparkLiterals(q)
	for _, r := range attribution.Reasons() {
		if !slices.Contains(lits, r.String()) {
			t.Errorf("Spark reads no literal %q in the query (reason %d); nearest: %q", r.String(), int(r), nearest(lits, "outside"))
		}
	}
	rq, err := (&Reduce{Dialect: Spark}).Query()
	if err != nil {
		t.Fatal(err)
	}
	lits = sparkLiterals(rq)
	for _, r := range attribution.Reasons() {
		if !slices.Contains(lits, r.String()) {
			t.Errorf("Spark reads no literal %q in the reduce query (reason %d); nearest: %q", r.String(), int(r), nearest(lits, "outside"))
		}
	}
}

func nearest(lits []string, prefix string) []string {
	var out []string
	for _, l := range lits {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// TestLiterals: every literal the Spark and Athena texts print reads, by
// their engine's rules, as the same value as the DuckDB text's (which
// sqltest runs against the Go engine): the queries of every grouping and
// the reduce queries literal for literal; the DDL's paths, with a quote
// and a backslash in them, as given. And no Spark text holds a double
// quote outside a literal.
func TestLiterals(t *testing.T) {
	sparkOK := func(name, text string) {
		t.Helper()
		if strings.Contains(sparkOutsideLiterals(text), `"`) {
			t.Errorf("%s: a double quote outside literals, which Spark reads as a string", name)
		}
	}
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily,
		attribution.ByInstance, attribution.ByCluster} {
		for _, noIP := range []bool{false, true} {
			text := func(d Dialect) string {
				q, err := (&Builder{Dialect: d, By: by, NoIPFallback: noIP}).Query()
				if err != nil {
					t.Fatal(err)
				}
				return q
			}
			want := standardLiterals(text(DuckDB))
			if got := sparkLiterals(text(Spark)); !slices.Equal(got, want) {
				t.Errorf("query by %s (no IP fallback %v): Spark reads the literals\n%q\nDuckDB\n%q", by, noIP, got, want)
			}
			if got := standardLiterals(text(Athena)); !slices.Equal(got, want) {
				t.Errorf("query by %s (no IP fallback %v): Trino reads the literals\n%q\nDuckDB\n%q", by, noIP, got, want)
			}
			sparkOK("query by "+by.String(), text(Spark))
		}
		reduce := func(d Dialect) string {
			q, err := (&Reduce{Dialect: d, By: by}).Query()
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		want := standardLiterals(reduce(DuckDB))
		if got := sparkLiterals(reduce(Spark)); !slices.Equal(got, want) {
			t.Errorf("reduce by %s: Spark reads the literals\n%q\nDuckDB\n%q", by, got, want)
		}
		if got := standardLiterals(reduce(Athena)); !slices.Equal(got, want) {
			t.Errorf("reduce by %s: Trino reads the literals\n%q\nDuckDB\n%q", by, got, want)
		}
		sparkOK("reduce by "+by.String(), reduce(Spark))
	}

	const flow, hist = `s3://b/o'neil\flow/AWSLogs/`, `/data/it's\hist`
	lex := map[Dialect]func(string) []string{DuckDB: standardLiterals, Spark: sparkLiterals, Athena: sparkLiterals}
	for _, d := range []Dialect{DuckDB, Spark, Athena} {
		tables := Tables{FlowLogsPath: flow, IntervalsPath: hist}
		if d == Athena {
			tables = athenaTables(ParquetHive)
			tables.FlowLogsLocation, tables.IntervalsLocation = flow, hist
			tables.Clusters = []string{"o'k"}
		}
		ddl, err := (&Builder{Dialect: d}).DDL(tables)
		if err != nil {
			t.Fatal(err)
		}
		lits := lex[d](ddl)
		for _, want := range []string{flow, hist} {
			if d == Athena { // a prefix, ending in "/"
				want = strings.TrimSuffix(want, "/") + "/"
			}
			if !slices.ContainsFunc(lits, func(l string) bool { return strings.HasPrefix(l, want) }) {
				t.Errorf("%s DDL: no literal reads %q: %q", d, want, lits)
			}
		}
		rt := ReduceTables{Path: hist}
		if d == Athena {
			rt = ReduceTables{Location: hist, Clusters: []string{"o'k"}}
		}
		rddl, err := (&Reduce{Dialect: d}).DDL(rt)
		if err != nil {
			t.Fatal(err)
		}
		if lits := lex[d](rddl); !slices.ContainsFunc(lits, func(l string) bool { return strings.HasPrefix(l, hist) }) {
			t.Errorf("%s reduce DDL: no literal reads %q: %q", d, hist, lits)
		}
		if d == Spark {
			sparkOK("Spark DDL", ddl)
			sparkOK("Spark reduce DDL", rddl)
		}
		if d == Athena {
			for _, text := range []string{ddl, rddl} {
				if !slices.ContainsFunc(lex[d](text), func(l string) bool { return strings.HasPrefix(l, "o'k") }) {
					t.Errorf("Athena DDL: the cluster o'k is not projected:\n%s", text)
				}
			}
		}
	}
}
