// Package source finds and reads VPC flow-log files: local files, a
// directory tree laid out like flow-log delivery to Amazon S3, and (in
// sub-packages) Amazon S3 itself and Parquet files.
//
// Every source is a [Source]: it lists its objects, pruned by account,
// region and time from their keys (see [Prune] and [ParseKey]), and opens
// them. Reading many objects runs in parallel with a deterministic result.
package source
