package sqlattr

import (
	"fmt"
	"strings"
)

// Dialect is the SQL engine a Builder prints for.
type Dialect uint8

const (
	// DuckDB: DuckDB 1.x, reading the Parquet files with read_parquet.
	DuckDB Dialect = iota + 1
	// Athena: Amazon Athena engine v3 (Trino) queries, Hive DDL for the
	// tables (CREATE EXTERNAL TABLE with partition projection).
	Athena
	// Spark: Apache Spark SQL 3.x/4.x (ANSI mode on or off).
	Spark
)

var dialectNames = map[Dialect]string{DuckDB: "duckdb", Athena: "athena", Spark: "spark"}

func (d Dialect) String() string {
	if n, ok := dialectNames[d]; ok {
		return n
	}
	return fmt.Sprintf("Dialect(%d)", uint8(d))
}

// ParseDialect parses "duckdb", "athena" (also "trino") or "spark".
func ParseDialect(s string) (Dialect, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "duckdb":
		return DuckDB, nil
	case "athena", "trino":
		return Athena, nil
	case "spark", "sparksql", "spark-sql":
		return Spark, nil
	}
	return 0, fmt.Errorf("sqlattr: unknown SQL dialect %q (want duckdb, athena or spark)", s)
}

func (d Dialect) valid() error {
	if _, ok := dialectNames[d]; !ok {
		return fmt.Errorf("sqlattr: unknown SQL dialect %d (want DuckDB, Athena or Spark)", uint8(d))
	}
	return nil
}

// ident quotes a column name for queries: Trino and DuckDB take standard
// double quotes, Spark backticks.
func (d Dialect) ident(s string) string {
	if d == Spark {
		return "`" + s + "`"
	}
	return `"` + s + `"`
}

// lit is s as a string literal of the dialect's queries (and of its DDL,
// but for Athena's, which hiveLit writes). DuckDB and Trino take the
// standard form, a quote doubled and nothing else escaped. Spark reads a
// backslash as an escape and a doubled quote as two adjacent literals, which it
// concatenates (its docs' Literals page; the SqlBase lexer's
// STRING_LITERAL and the parser's stringLit+), so a quote is written \'
// and a backslash \\ (the default spark.sql.parser.escapedStringLiterals,
// false).
func (d Dialect) lit(s string) string {
	if d == Spark {
		return hiveLit(s)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// backslashEscapes escapes a backslash and a single quote with a backslash.
var backslashEscapes = strings.NewReplacer(`\`, `\\`, `'`, `\'`)

// hiveLit is s as a string literal of Hive's SQL, which Athena's DDL is
// (CREATE EXTERNAL TABLE is parsed as HiveQL), and Spark's: C-style
// backslash escapes, a quote doubled being no escape but two literals.
func hiveLit(s string) string { return "'" + backslashEscapes.Replace(s) + "'" }

// ddlLit is s as a string literal of the dialect's DDL: Athena's is
// HiveQL, the others' their query syntax.
func (d Dialect) ddlLit(s string) string {
	if d == Athena {
		return hiveLit(s)
	}
	return d.lit(s)
}

// intDiv is the integer quotient of two BIGINT expressions, truncated:
// DuckDB's // (its / divides as floating point), Spark's div (its / always
// divides as floating point; div returns a BIGINT, Spark 3.0 and later),
// Trino's / (integer division truncates).
func (d Dialect) intDiv(a, b string) string {
	switch d {
	case DuckDB:
		return "(" + a + " // " + b + ")"
	case Spark:
		return "(" + a + " div " + b + ")"
	}
	return "(" + a + " / " + b + ")"
}

// str is the string type of CASTs.
func (d Dialect) str() string {
	if d == Spark {
		return "STRING"
	}
	return "VARCHAR"
}

// fail is an expression that stops the query with msg, an SQL string
// expression, when it is evaluated: DuckDB's error(message); Spark's
// raise_error(expr) (3.1 and later); Trino's fail(message), which Trino's
// planner itself emits for a constant that fails to evaluate and for a
// scalar subquery of several rows, so Athena engine v3 has it, though
// SHOW FUNCTIONS and the docs leave it out (trinodb/trino
// core/trino-main/.../scalar/FailureFunction.java). Each is typed NULL,
// so it takes the type of the CASE it is a branch of.
func (d Dialect) fail(msg string) string {
	switch d {
	case DuckDB:
		return "error(" + msg + ")"
	case Spark:
		return "raise_error(" + msg + ")"
	}
	return "fail(" + msg + ")"
}

// bigSum is SUM(e) of a BIGINT expression e (0 when there are no rows) as
// a BIGINT. The sum is taken exactly, as DECIMAL(20,0) (every engine sums
// that without overflow), and a sum past 2^63-1, which attribution
// counts (uint64) but no BIGINT holds, stops the query with a message
// rather than with the engine's cast error, or, in Spark without ANSI
// mode, a SUM(BIGINT) that wraps silently to a wrong number.
func (d Dialect) bigSum(e string) string {
	s := "SUM(CAST(" + e + " AS DECIMAL(20,0)))"
	return "CASE WHEN " + s + " > 9223372036854775807 THEN " +
		d.fail(d.lit("ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)")) +
		" ELSE CAST(COALESCE(" + s + ", 0) AS BIGINT) END"
}
