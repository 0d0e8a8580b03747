// Package sqltest proves the SQL attribution join (flowlogs/attribution/
// sqlattr) equal to the Go engine: its tests run the DuckDB dialect in
// process through the official DuckDB Go driver and compare every group,
// reason and total with attribution's JSON document, on the embedded sample
// and on generated clusters. It is a module of its own because the driver
// needs cgo and a native library that the core module must not depend on.
package sqltest
