// Package partials writes and reads attribution partial results
// (attribution.Partial) as Parquet files, so that workers next to the data
// (one per flow-log object: see examples/lambda) can each write what their
// object contributed, and a reduce step can merge them: in Go
// (attribution.Merge, then Partial.Result) or in SQL (Athena, DuckDB,
// Spark: Reduce of package flowlogs/attribution/sqlattr prints the table
// and the query).
//
// A file is one table in long form: every row has a Kind, and only the
// columns of its kind are set (the others are zero or empty). Rows of one
// task repeat its dimensions (ARN, cluster, service group, family,
// container instance, EC2 instance), so SQL can group peers, ports and
// time-series points by any of them without a join. SchemaVersion, in the
// file's key/value metadata under MetadataKey and in the meta row's
// schema_version column (which SQL engines can read, and the reduce query
// checks), changes whenever a column is added, removed or changes meaning;
// Read refuses files of another version.
//
// A file names the flow-log objects its partial was made from (rows of
// kind input: attribution.Partial.Inputs), so that Merge and the reduce
// query refuse files that hold the same records, such as a merged file
// beside one of its own parts, instead of counting them twice.
package partials
