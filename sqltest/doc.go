// Package sqltest proves the SQL attribution join (flowlogs/attribution/
// sqlattr) equal to the Go engine: its tests run the DuckDB dialect in
// process through the official DuckDB Go driver and compare every group,
// reason and total with attribution's JSON document, on the embedded
// sample, on generated clusters and on edge cases (edge_test.go); the
// Athena and Spark texts run too, made DuckDB's where their syntax differs
// (string literals, identifiers, integer division: queryInDuckDB). It is a
// module of its own because the driver needs cgo and a native library that
// the core module must not depend on.
package sqltest
