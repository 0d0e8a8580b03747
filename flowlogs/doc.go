// Package flowlogs is a streaming VPC Flow Log parser for every field
// version (2 to 11, Transit Gateway v6 and ECS v7 fields included) and any
// custom format.
//
// A [Format] is the ordered field list of a flow log: [DefaultFormat], the
// header line of an S3 text file ([ParseHeader]) or the LogFormat string
// that ec2:DescribeFlowLogs returns ([ParseLogFormat]). Fields are mapped by
// the format, never by the record's version value, and names this package
// does not know are kept, so logs with newer fields still parse (their
// values are reachable with [Record.Raw]).
//
// A [Reader] streams records ([Record]) from any io.Reader (gzip detected
// by its magic bytes and decompressed in a helper goroutine), in constant memory
// and without allocating per record in steady state: string fields are
// interned, numbers and addresses are decoded in place. [WithFields] makes
// it decode only the fields a caller needs; [WithFilter] drops records
// while streaming; strict (default) or [WithLenient] error handling reports
// malformed lines as [*ParseError]. Header-less input takes its format
// from [WithFormat], or from [WithFormats] when several flow logs write
// into one stream. [NewRowReader] reads rows of typed values (a Parquet
// file's, in package parquetsource) as their text lines would be read,
// without writing them. A [Parser] (or [ParseLine]) decodes single lines, such
// as CloudWatch Logs event messages, and a [MultiParser] lines of several
// formats. Code that parses lines itself honours a Reader's options
// through [ResolveOptions], as package cwlogs does.
//
// Values are checked as AWS documents them: a number too large for its
// field wraps [ErrRange], and so do times no record carries (start or end
// 0, neither Unix seconds nor milliseconds, an end before start or more
// than an hour after it; see [Parser.Parse]), so that one bogus line
// cannot stretch every time span computed downstream.
//
// NODATA and SKIPDATA records are records. [Stats] counts both; a SKIPDATA
// record means flows were dropped by AWS, so totals are lower bounds
// ([Stats.Incomplete]).
//
// The package depends only on the standard library and
// github.com/klauspost/compress. Sources (S3, directory trees, Parquet,
// CloudWatch Logs) live in sub-packages.
package flowlogs
