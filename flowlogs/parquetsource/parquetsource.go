// Package parquetsource reads VPC flow logs delivered as Apache Parquet
// (FileFormat "parquet" in CreateFlowLogs' DestinationOptions) into the
// same flowlogs.Record as text logs, with github.com/parquet-go/parquet-go.
// It is a package of its own so that programs reading only text logs do not
// build a Parquet library.
//
// AWS writes one column per field of the flow log's format, typed as listed
// in https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
// (version, srcport, dstport, protocol, tcp-flags, traffic-path INT_32;
// packets, bytes, start, end INT_64; the rest STRING), named with
// underscores as Athena's Parquet tables show (account_id, log_status,
// pkt_src_aws_service). This package maps columns by name, not position:
// hyphens, underscores and camelCase are all accepted, any column order and
// subset works, integer columns may be 32 or 64 bits (Athena's DDL declares
// protocol bigint; Athena's CTAS and DuckDB write version as INT64),
// numeric fields stored as strings (by tools that read the text logs as
// strings) are parsed as the text reader parses them, annotated integers
// are read as their logical type says (DECIMAL at its scale, so that a
// fraction in a number field is an error, not a value 10^scale times too
// large; TIMESTAMP in Unix seconds; unsigned INT64 as unsigned), a null,
// "" or "-" value is absent, and unknown columns stay
// reachable with Record.Raw under their own name. Nested or repeated
// columns are refused.
//
// How: each row's values go to the flowlogs parser typed
// (flowlogs.NewRowReader: integer columns as integers, byte arrays as
// text), which decodes them exactly as the row's text line would be
// decoded, without writing that line: Parquet records get the same
// typing, validation, filters, field selection, lenient mode, Stats and
// errors as text (error line N is row N of the file, counting from 1);
// File.Text renders the lines themselves. Only the columns the Reader's
// options need are read (see File.NewReader): with WithFields, the pages
// of other columns are neither read nor decompressed. Values are read in
// place from each page's typed data, a batch of rows and a page per
// column at a time, so memory is bounded by a few pages per column, and
// nothing is allocated per record (see text.go for what parquet-go
// allocates per page).
//
// Corrupt files are errors, never panics, and the sizes a file claims
// (footer, column chunks, pages, thrift lengths, rows, a page's values and
// a DELTA stream's) are checked before parquet-go allocates for them (see
// internal/parquetguard). A file whose row groups hold other than the rows
// its footer claims is corrupt, not read short.
package parquetsource

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"unicode"

	"github.com/klauspost/compress/gzip"
	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/parquetguard"
)

// ErrSchema is wrapped by errors about a Parquet schema that is not a flat
// flow-log table.
var ErrSchema = errors.New("parquetsource: not a flow-log schema")

// errCorrupt is wrapped by the errors about a corrupt file: those of
// internal/parquetguard's checks (wrapped by guardErr) and those found
// while rendering pages.
var errCorrupt = fmt.Errorf("parquetsource: %w", parquetguard.ErrCorrupt)

// guardErr gives an error of internal/parquetguard this package's prefix.
func guardErr(err error) error { return fmt.Errorf("parquetsource: %w", err) }

// File is an open Parquet flow-log file.
type File struct {
	f      *parquet.File
	r      io.ReaderAt
	format *flowlogs.Format
}

// Open opens a Parquet file of size bytes. Only the footer is read; the
// page headers of a column are checked when it is first read.
func Open(r io.ReaderAt, size int64) (_ *File, err error) {
	defer parquetguard.Recover(&err, guardErr)
	if err := parquetguard.CheckFooter(r, size); err != nil {
		return nil, guardErr(err)
	}
	f, err := parquetguard.OpenFile(r, size)
	if err != nil {
		return nil, guardErr(err) // ErrCorrupt for bad metadata, as the guard's other errors
	}
	if err := parquetguard.CheckChunks(f, size); err != nil {
		return nil, guardErr(err)
	}
	names := make([]string, 0, len(f.Schema().Fields()))
	for _, fld := range f.Schema().Fields() {
		switch {
		case !fld.Leaf():
			return nil, fmt.Errorf("%w: column %q is a group", ErrSchema, fld.Name())
		case fld.Repeated():
			return nil, fmt.Errorf("%w: column %q is repeated", ErrSchema, fld.Name())
		case fld.Name() == "" || strings.IndexFunc(fld.Name(), unicode.IsSpace) >= 0:
			// The header of the names would split it, and the format's
			// fields no longer be the columns.
			return nil, fmt.Errorf("%w: column %q is not a field name", ErrSchema, fld.Name())
		}
		names = append(names, fld.Name())
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no columns", ErrSchema)
	}
	format, err := flowlogs.ParseHeader(strings.Join(names, " "))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSchema, err) // and flowlogs.ErrFormat
	}
	return &File{f: f, r: r, format: format}, nil
}

// Format returns the flow-log format of the file's columns, with AWS's
// spelling for known fields.
func (f *File) Format() *flowlogs.Format { return f.format }

// Metadata returns the value of the file's key-value metadata under key
// (the footer's, read by Open), and whether there is one. A writer may
// record there what the records are (sqlattr.InputsKey: the flow-log
// objects they were gathered from).
func (f *File) Metadata(key string) (string, bool) { return f.f.Lookup(key) }

// NumRows returns the number of records in the file.
func (f *File) NumRows() int64 { return f.f.NumRows() }

// Text returns the records as flow-log text lines (no header; use Format),
// for flowlogs.NewReader with flowlogs.WithFormat(f.Format()). NewReader
// reads the same records without writing the lines.
func (f *File) Text() io.Reader { return newTextReader(f, nil) }

// NewReader returns a flowlogs.Reader over the file's records. opts are
// the usual Reader options (WithSource, WithFilter, WithFields, Lenient…).
//
// Only the columns of the fields the options select are read (see
// flowlogs.Selection: those of WithFields, log-status and the filter's):
// the other columns, known or not, are not even decompressed. The records
// then hold only those fields, as WithFields promises for text, and the
// Reader's Format lists only them: log-status first, then the others in
// file order. Without WithFields every column is read, in file order,
// unknown ones included (reachable with Record.Raw).
//
// As a text Reader decompresses gzip on a goroutine of its own, pages are
// read and decompressed ahead on one, unless WithSyncDecompression is given
// or GOMAXPROCS is 1: the Reader's Close stops it (Scan closes the Reader
// when it returns false; close it when you stop reading earlier).
func (f *File) NewReader(opts ...flowlogs.Option) *flowlogs.Reader {
	format, cols := f.project(flowlogs.Selection(opts...))
	prefetch := !flowlogs.ResolveOptions(opts...).SyncDecompression && runtime.GOMAXPROCS(0) > 1
	return flowlogs.NewRowReader(newRowReader(f, cols, prefetch), format, opts...)
}

// newTextFlowReader is NewReader through Text's path: the rows rendered as
// text lines and parsed back. The tests check that both read the same.
func (f *File) newTextFlowReader(opts ...flowlogs.Option) *flowlogs.Reader {
	format, cols := f.project(flowlogs.Selection(opts...))
	// Full slice expression: never write into the caller's backing array.
	return flowlogs.NewReader(newTextReader(f, cols), append(opts[:len(opts):len(opts)], flowlogs.WithFormat(format))...)
}

// project returns the format and the column indexes of the file's columns
// holding the fields in sel; nil columns (all) for an empty sel.
func (f *File) project(sel flowlogs.FieldSet) (*flowlogs.Format, []int) {
	if sel.IsEmpty() {
		return f.format, nil
	}
	// log-status first: its values (OK, NODATA, SKIPDATA, -) cannot start
	// a header line, so the parser never takes a rendered row for one,
	// whatever the values of the other columns (tag values can be any
	// word). The others follow in file order.
	var cols []int
	if i := f.format.Position(flowlogs.FieldLogStatus); i >= 0 {
		cols = append(cols, i)
	}
	for i, fld := range f.format.Fields() {
		if fld != flowlogs.FieldUnknown && fld != flowlogs.FieldLogStatus && sel.Has(fld) {
			cols = append(cols, i)
		}
	}
	if len(cols) == f.format.Len() {
		return f.format, nil
	}
	if len(cols) == 0 {
		// None of the fields is in the file: read one column all the
		// same, for the records to be counted (with no field present).
		cols = []int{0}
	}
	names := make([]string, len(cols))
	for k, i := range cols {
		names[k] = f.format.Name(i)
	}
	format, err := flowlogs.ParseHeader(strings.Join(names, " "))
	if err != nil { // cannot happen: the whole header parsed
		return f.format, nil
	}
	return format, cols
}

// NewReader opens a Parquet file and returns a flowlogs.Reader over its
// records. A file gzip-compressed as a whole (magic 1f 8b instead of PAR1)
// is decompressed into memory first, and refused past MaxInMemory bytes.
func NewReader(r io.ReaderAt, size int64, opts ...flowlogs.Option) (*flowlogs.Reader, error) {
	rd, err := newReader(r, size, opts...)
	if err != nil {
		// The Reader's own errors name WithSource's name; say it of a
		// file that cannot be opened too.
		if name := flowlogs.ResolveOptions(opts...).Source; name != "" {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return rd, err
}

func newReader(r io.ReaderAt, size int64, opts ...flowlogs.Option) (*flowlogs.Reader, error) {
	var magic [2]byte
	if n, _ := r.ReadAt(magic[:], 0); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		b, err := gunzip(io.NewSectionReader(r, 0, size))
		if err != nil {
			return nil, err
		}
		r, size = bytes.NewReader(b), int64(len(b))
	}
	f, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return f.NewReader(opts...), nil
}

// MaxInMemory is the most a file may hold that is read into memory
// whole: a gzip-compressed file's Parquet bytes once decompressed
// (NewReader), an object Decode cannot read in place. It is 1 GiB: AWS
// delivers flow-log objects of at most 75 MB, and tools that compact them
// aim at files of 128 MB to 1 GB. A larger input is an error naming the
// bound, not a decompression bomb that runs the process out of memory; a
// larger uncompressed local file is read in place, with no bound.
const MaxInMemory = 1 << 30

// maxInMemory is MaxInMemory, a variable for tests.
var maxInMemory int64 = MaxInMemory

func gunzip(r io.Reader) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("parquetsource: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, maxInMemory+1))
	if err != nil {
		return nil, fmt.Errorf("parquetsource: decompressing: %w", err)
	}
	if int64(len(b)) > maxInMemory {
		return nil, fmt.Errorf("parquetsource: decompressing: more than %d bytes (MaxInMemory), more than a flow-log object holds", maxInMemory)
	}
	return b, nil
}

// Decode is a source.Decoder for Parquet objects. It reads an io.ReaderAt
// (a local *os.File) in place, and anything else (an S3 body) into memory:
// Parquet needs random access to its footer and column chunks. An object
// read into memory may hold up to MaxInMemory bytes.
func Decode(ctx context.Context, o source.Object, r io.Reader, opts ...flowlogs.Option) (*flowlogs.Reader, error) {
	if ra, ok := r.(io.ReaderAt); ok && o.Size >= 0 {
		return NewReader(ra, o.Size, opts...)
	}
	tooBig := func() error {
		return fmt.Errorf("parquetsource: %s: more than %d bytes (MaxInMemory) to read into memory", o.Name, maxInMemory)
	}
	if o.Size > maxInMemory {
		return nil, tooBig()
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInMemory+1))
	if err != nil {
		return nil, fmt.Errorf("parquetsource: %s: reading: %w", o.Name, err)
	}
	if int64(len(b)) > maxInMemory {
		return nil, tooBig()
	}
	return NewReader(bytes.NewReader(b), int64(len(b)), opts...)
}

// WithDecoder makes source.Map, Each and Records read Parquet objects (names
// ending in .parquet) with Decode.
func WithDecoder() source.Option {
	return source.WithDecoder(source.Object.IsParquet, Decode)
}

func appendValue(b []byte, v parquet.Value) ([]byte, error) {
	if v.IsNull() {
		return append(b, '-'), nil
	}
	switch v.Kind() {
	case parquet.Int32:
		return strconv.AppendInt(b, int64(v.Int32()), 10), nil
	case parquet.Int64:
		return strconv.AppendInt(b, v.Int64(), 10), nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return appendBytes(b, v.ByteArray())
	case parquet.Boolean:
		return strconv.AppendBool(b, v.Boolean()), nil
	case parquet.Float:
		return appendFloat(b, float64(v.Float()), 32)
	case parquet.Double:
		return appendFloat(b, v.Double(), 64)
	default:
		return b, fmt.Errorf("unsupported Parquet type %v", v.Kind())
	}
}

// appendFloat writes integral floats as integers, as flow-log fields are.
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '-'), nil
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.AppendInt(b, int64(f), 10), nil
	}
	return strconv.AppendFloat(b, f, 'g', -1, bits), nil
}

// hasSpace reports whether s holds a byte that would split a text field.
// Eight bytes at a time: a word none of whose bytes is below '!' (the
// test of "Bit Twiddling Hacks", hasless(x, 0x21)) holds none.
func hasSpace(s []byte) bool {
	for ; len(s) >= 8; s = s[8:] {
		x := binary.LittleEndian.Uint64(s)
		if (x-0x2121212121212121)&^x&0x8080808080808080 != 0 && spaceIn(s[:8]) {
			return true
		}
	}
	return spaceIn(s)
}

func spaceIn(s []byte) bool {
	for _, c := range s {
		if c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			return true
		}
	}
	return false
}
