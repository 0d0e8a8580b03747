// Package source finds and reads VPC flow-log files: local files ([Files]),
// a directory tree laid out like flow-log delivery to Amazon S3 ([Dir]),
// and, in sub-packages, S3 itself (s3source.Bucket) and Parquet files
// (parquetsource.WithDecoder). It depends only on the standard library,
// golang.org/x/sync and the flowlogs parser.
//
// Every source is a [Source]: it lists its objects, pruned by account,
// region and time from their keys before anything is read (see [Key] and
// [Prune]), and opens them. [Map], [Each] and [Records] read the objects in
// parallel, one core each by default (errgroup.SetLimit), with a
// flowlogs.Reader per object named after it, so every error says which
// object (an [ObjectError]) and, for bad records, which line and field.
//
// Ordering guarantee: List returns objects in ascending key order (Dir and
// S3; Files keeps the order given). Map returns one result per object in
// that order whatever order the reads finished in; Records yields the
// objects' records in that order and each object's records in file order.
// Results therefore do not depend on WithConcurrency or on timing. A failed
// object fails the whole read (Map returns no partial results), so no
// record is lost or counted twice silently.
package source
