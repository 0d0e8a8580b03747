package flowlogs

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/ecsnet/ecsnet/internal/errname"
)

// Stats counts what a Reader has seen so far.
type Stats struct {
	Lines     int64 // lines read, header and blank lines included
	Headers   int64 // header lines (several when objects were concatenated)
	Records   int64 // records parsed, before filtering
	Returned  int64 // records returned by Scan
	Filtered  int64 // records dropped by the filter
	Malformed int64 // malformed lines skipped (lenient mode)
	NoData    int64 // NODATA records parsed, before filtering
	SkipData  int64 // SKIPDATA records parsed, before filtering
	Bytes     int64 // uncompressed bytes consumed
}

// Incomplete reports whether a SKIPDATA record was seen: flows were lost,
// so totals computed from the records are lower bounds.
func (s Stats) Incomplete() bool { return s.SkipData > 0 }

// Option configures a Reader.
type Option func(*options)

type options struct {
	formats []*Format // WithFormat, WithFormats
	fields  FieldSet
	source  string
	lenient bool
	keep    int
	filter  Filter
	bufSize int
	maxLine int
	sync    bool
	noScan  bool // tests: lines found and split apart (nextLine, build), never by scanLine

	chunkSize int // tests: bytes per decompressed chunk (asyncChunk)

	inPart     bool  // reading a Part: a header of another format is an error
	partOffset int64 // the part's offset in its file
}

// WithFormat sets the format of header-less input (CloudWatch Logs
// messages, Firehose). A header line in the input still takes precedence
// from where it appears. Without it, header-less input is read with
// DefaultFormat. It is WithFormats(f).
func WithFormat(f *Format) Option { return WithFormats(f) }

// WithFormats sets the formats of header-less input written by several
// flow logs into one stream (a CloudWatch Logs group, even one log stream,
// receives the records of every flow log delivering to it: an ACCEPT-only
// and a REJECT-only one, a VPC- and an ENI-level one). Each line is parsed
// as a [MultiParser] does: with the format whose field count matches its
// own. A header line in the input still takes precedence from where it
// appears. Nil formats are dropped; without any, header-less input is read
// with DefaultFormat.
func WithFormats(fs ...*Format) Option {
	var keep []*Format
	for _, f := range fs {
		if f != nil {
			keep = append(keep, f)
		}
	}
	return func(o *options) { o.formats = keep }
}

// WithFields makes the Reader decode only the given fields (plus
// log-status, so NODATA and SKIPDATA are always counted, and the fields
// the filter reads). Other fields stay zero and absent, and are not even
// split (see [NewParser]), which is what makes a selective read fast; as a
// consequence malformed values in them are not reported. A given field
// the input's format does not have is zero and absent as well, not an
// error: a sum of Bytes over a format without bytes is 0, so check
// [Reader.Format] (Format.Has) or [Record.Present] where that matters.
func WithFields(fs ...Field) Option { return func(o *options) { o.fields = Fields(fs...) } }

// WithSource names the input in errors (a file name or S3 key).
func WithSource(name string) Option { return func(o *options) { o.source = name } }

// WithLenient makes malformed lines be skipped and counted (Stats.Malformed)
// instead of stopping the read; the first keep errors are kept (see
// [Reader.Malformed]). The default is strict: the first malformed line
// stops the read with a *ParseError.
func WithLenient(keep int) Option {
	return func(o *options) { o.lenient, o.keep = true, max(keep, 0) }
}

// WithFilter drops records that do not match f while streaming.
func WithFilter(f Filter) Option { return func(o *options) { o.filter = f } }

// WithMaxLineLength bounds a line (default 1 MiB); a longer line is an
// error wrapping ErrLineTooLong in both modes, as the reader cannot
// resynchronise cheaply. n is taken as at least 64 and at most 1 GiB, so
// that no bound (math.MaxInt for "none") overflows the read buffer's size
// or a field's 32-bit offset in its line.
func WithMaxLineLength(n int) Option {
	return func(o *options) { o.maxLine = min(max(n, 64), maxLineLimit) }
}

// maxLineLimit is the largest bound WithMaxLineLength sets.
const maxLineLimit = 1 << 30

// WithSyncDecompression makes a gzip input be decompressed in the caller's
// goroutine instead of a helper goroutine that overlaps decompression and
// parsing. Use it when cores are scarce or many readers run in parallel
// (it is the default when GOMAXPROCS is 1).
func WithSyncDecompression() Option { return func(o *options) { o.sync = true } }

// Selection returns the fields a Reader made with opts decodes: those of
// WithFields, plus log-status and the fields the filter reads. The empty
// set means every field. A source that stores fields apart, such as a
// Parquet file's columns, uses it to read only those.
func Selection(opts ...Option) FieldSet {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o.selection()
}

func (o *options) selection() FieldSet {
	if o.fields.IsEmpty() {
		return FieldSet{}
	}
	sel := o.fields.Union(Fields(FieldLogStatus))
	if !o.filter.IsZero() {
		sel = sel.Union(o.filter.Fields())
	}
	return sel
}

// Reader reads flow-log records from a stream of text: S3 objects
// (gzip-compressed or not, detected by their magic bytes, with header
// lines, even repeated mid-stream by concatenated objects), local files or
// header-less message streams. A UTF-8 byte-order mark before the first
// line is skipped. It uses constant memory and, in steady
// state, allocates nothing per record.
//
// Use it like bufio.Scanner:
//
//	r := flowlogs.NewReader(f)
//	defer r.Close()
//	for r.Scan() {
//		rec := r.Record()
//		…
//	}
//	if err := r.Err(); err != nil { … }
//
// The *Record returned by Record is reused by the next Scan. Its string
// fields are interned and stay valid for ever; copy the struct (or use
// Clone, which also keeps Raw valid) to keep a record.
type Reader struct {
	src    io.Reader
	opts   options
	sel    FieldSet
	filter *matcher

	buf        []byte
	start, end int
	rdErr      error
	sniffed    bool
	async      *asyncReader
	borrowed   bool // buf is a chunk taken from async

	format *Format
	parser *Parser
	multi  *MultiParser // WithFormats with several formats, until a header
	syms   *symbols     // kept across format changes, so symbols stay stable
	rec    Record
	line   int
	err    error
	done   bool

	stats     Stats
	lineOff   int64 // stats.Bytes before the current line
	malformed []*ParseError

	rows RowSource // NewRowReader: rows instead of src

	rowsClosed bool  // rows, an io.Closer, was closed
	closeErr   error // what closing it returned
	rw         *rowDecoder
}

// The read buffer starts at firstBufSize and doubles, while the input
// fills it, up to defaultBufSize: a small input (an S3 object of a few
// records, a Parquet file's rows) does not pay for a large buffer.
const (
	defaultBufSize = 256 << 10
	firstBufSize   = 16 << 10
)

// NewReader returns a Reader reading from src.
func NewReader(src io.Reader, opts ...Option) *Reader {
	r := &Reader{src: src, syms: newSymbols()}
	r.opts.maxLine = 1 << 20
	r.opts.bufSize = defaultBufSize
	for _, o := range opts {
		o(&r.opts)
	}
	r.sel = r.opts.selection()
	if !r.opts.filter.IsZero() {
		f := r.opts.filter
		r.filter = newMatcher(&f)
	}
	switch len(r.opts.formats) {
	case 0:
	case 1:
		r.setFormat(r.opts.formats[0])
	default:
		// r.parser stays nil, so lines take the slow path (nextScanned
		// needs one parser) until a header sets one.
		r.multi = newMultiParser(r.opts.formats, r.sel, r.syms)
	}
	return r
}

// NewReaderBytes returns a Reader reading from data in memory without
// copying it: lines are parsed where they are. It is the fastest way to
// read input already in memory, such as a downloaded object or a
// memory-mapped file. data must not change while the Reader is in use.
// Gzip data is decompressed as NewReader would, and data in another
// compression is named (ErrCompressed) as NewReader names it.
func NewReaderBytes(data []byte, opts ...Option) *Reader {
	r := NewReader(bytes.NewReader(data), opts...) // src is read only by sniff's decoding or naming of a compression
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b || compressedAs(data[:min(len(data), sniffLen)]) != "" {
		return r // read through sniff: gzip decoded, another compression named (ErrCompressed)
	}
	// The whole input is the buffer, already at its end: nextLine never
	// reads, moves or grows it, so data is never written.
	// Its capacity is cut, so that nothing past len(data) is read either.
	r.buf, r.end, r.rdErr, r.sniffed = data[:len(data):len(data)], len(data), io.EOF, true
	return r
}

func (r *Reader) setFormat(f *Format) {
	r.format = f
	r.parser = newParser(f, r.sel, r.syms)
}

// Format returns the format in use (nil before the first line of
// header-less input without WithFormat; with several WithFormats, the
// format of the last line parsed).
func (r *Reader) Format() *Format { return r.format }

// Record returns the last record read by Scan.
func (r *Reader) Record() *Record { return &r.rec }

// Line returns the 1-based number of the last line read.
func (r *Reader) Line() int { return r.line }

// Stats returns counts of what was read so far.
func (r *Reader) Stats() Stats { return r.stats }

// Malformed returns the first malformed lines skipped in lenient mode (at
// most the number given to WithLenient).
func (r *Reader) Malformed() []*ParseError { return r.malformed }

// Err returns the error that stopped the read, or nil at a clean end of
// input.
func (r *Reader) Err() error { return r.err }

// Close stops the decompression goroutine, if any; Scan returns false
// afterwards. It does not close the underlying reader (a RowSource that is
// an io.Closer excepted: it is closed once, and Close returns its error,
// then and on later calls). Scan calls it when it returns false; call it
// when you stop reading earlier.
func (r *Reader) Close() error {
	r.done = true
	if r.async != nil {
		r.async.close()
		r.async = nil
	}
	if c, ok := r.rows.(io.Closer); ok && !r.rowsClosed {
		// The source may reuse what the last record's Raw views.
		if r.rec.row != nil {
			r.rec.row.materialize(&r.rec)
		}
		r.rowsClosed = true
		r.closeErr = c.Close()
	}
	return r.closeErr
}

// All returns an iterator over the records. In strict mode a malformed
// line ends the sequence with (nil, err); I/O errors do so in both modes.
// Breaking out of the loop closes the Reader.
func (r *Reader) All() iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		defer r.Close()
		for r.Scan() {
			if !yield(&r.rec, nil) {
				return
			}
		}
		if r.err != nil {
			yield(nil, r.err)
		}
	}
}

// Scan advances to the next record that passes the filter. It returns
// false at the end of the input or on error (see Err).
func (r *Reader) Scan() bool {
	if r.done {
		return false
	}
	if r.rows != nil {
		return r.scanRow()
	}
	for {
		r.lineOff = r.stats.Bytes
		if line, nw, ok := r.nextScanned(); ok {
			r.line++
			r.stats.Lines++
			if r.record(r.parser.parseScanned(line, &r.rec, nw)) {
				return true
			}
			if r.done {
				return false
			}
			continue
		}
		line, ok := r.nextLine()
		if !ok {
			r.finish()
			return false
		}
		r.line++
		r.stats.Lines++
		if r.line == 1 {
			// A byte-order mark, written by some editors and Windows
			// tools, would hide the header (and the format with it).
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		line = trimSpace(line)
		if len(line) == 0 {
			continue
		}
		if c := line[0]; 'a' <= c && c <= 'z' && isHeader(line) { // a header starts with a field name, most records with a digit
			r.stats.Headers++
			// With several formats, r.format is only the last line's: a
			// header naming it must still end the guessing.
			if r.format == nil || r.multi != nil || !bytes.Equal(line, []byte(r.format.Header())) {
				f, err := ParseHeader(string(line))
				if err != nil { // a name repeated ("version version")
					if r.fail(newParseError("", line, err)) {
						return false
					}
					continue
				}
				if r.opts.inPart && !f.Equal(cmp.Or(r.format, DefaultFormat)) {
					r.err = &ParseError{Name: r.opts.source, Line: r.line, Offset: r.partPos(r.lineOff), Value: newParseError("", line, nil).Value,
						Err: fmt.Errorf("%w (the part at byte %d)", ErrHeaderInPart, r.opts.partOffset)}
					r.finish()
					return false
				}
				if !f.Equal(r.format) || r.multi != nil {
					r.multi = nil
					r.setFormat(f)
				}
			}
			continue
		}
		if r.multi != nil {
			err := r.multi.Parse("", line, &r.rec)
			r.format = r.multi.Format()
			if r.record(err) {
				return true
			}
			if r.done {
				return false
			}
			continue
		}
		if r.parser == nil {
			r.setFormat(DefaultFormat)
		}
		if r.record(r.parser.Parse(line, &r.rec)) {
			return true
		}
		if r.done {
			return false
		}
	}
}

// record counts the record just parsed, with error err, and reports
// whether Scan returns it. After a failure that stops the read, r.done is
// set.
func (r *Reader) record(err error) bool {
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			pe = &ParseError{Err: err}
		}
		// Text with no header line, read with no format given, is read in
		// DefaultFormat: a line of another field count is then most
		// likely in a custom format, which the error says.
		assumed := r.rows == nil && len(r.opts.formats) == 0 && r.stats.Headers == 0
		if assumed && (pe.Err == ErrExtraFields || pe.Err == ErrMissingFields) {
			pe.Err = fmt.Errorf("%w (the input has no header line, so it was read in the default format, version 2's 14 fields)", pe.Err)
		}
		r.fail(pe)
		return false
	}
	r.stats.Records++
	switch r.rec.LogStatus {
	case StatusNoData:
		r.stats.NoData++
	case StatusSkipData:
		r.stats.SkipData++
	}
	if r.filter != nil && !r.filter.match(&r.rec) {
		r.stats.Filtered++
		return false
	}
	r.stats.Returned++
	return true
}

// partPos is the file offset of off, a byte count of this Reader's input,
// when it reads a part of Split that does not start its file (its lines
// are counted from the part's start); 0 otherwise, as ParseError.Offset
// wants it.
func (r *Reader) partPos(off int64) int64 {
	if r.opts.partOffset > 0 {
		return r.opts.partOffset + off
	}
	return 0
}

// fail records a malformed line; it reports whether the read stops.
func (r *Reader) fail(pe *ParseError) bool {
	pe.Name, pe.Line, pe.Offset = r.opts.source, r.line, r.partPos(r.lineOff)
	if r.opts.lenient {
		r.stats.Malformed++
		if len(r.malformed) < r.opts.keep {
			r.malformed = append(r.malformed, pe)
		}
		return false
	}
	r.err = pe
	r.finish()
	return true
}

func (r *Reader) finish() {
	r.done = true
	r.Close()
}

// utf8BOM is the UTF-8 byte-order mark, skipped before the first line.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// awsNames holds the AWS spelling of every known field, for a cheap
// header test on each line.
var awsNames = func() map[string]Field {
	m := make(map[string]Field, numFields)
	for f := Field(1); f < numFields; f++ {
		m[f.String()] = f
	}
	return m
}()

// nameShapes has, for each length (up to 63) and first letter of a known
// field name, a bit for the class of its last byte (see nameClass): a
// first token without a matching bit is no field name, found with three
// loads instead of hashing it. Records whose first field is a string
// (interface-id first in a custom format) meet isHeader on every line.
var nameShapes = func() (t [64][26]uint64) {
	for name := range awsNames {
		if n := len(name); n < 64 {
			t[n][name[0]-'a'] |= 1 << nameClass(name[n-1])
		}
	}
	return t
}()

// nameClass maps a byte to 0-63: letters and digits to their own class,
// the rest shared.
func nameClass(c byte) uint {
	switch {
	case 'a' <= c && c <= 'z':
		return uint(c - 'a')
	case '0' <= c && c <= '9':
		return 26 + uint(c-'0')
	}
	return 63
}

// maybeName reports whether tok (starting with a lower-case letter) could
// be a known field name.
func maybeName(tok []byte) bool {
	n := len(tok)
	return n < 64 && nameShapes[n][tok[0]-'a']&(1<<nameClass(tok[n-1])) != 0
}

// isHeader reports whether line is an S3 header line: every token is a
// field name starting with a lower-case letter, as every AWS name does,
// at least half are names this package knows, spelled as AWS writes
// them, and so is the first or at least two. A name this package does
// not know (a newer field) may come first, since AWS takes the fields in
// any order; a record of a format whose values are all lower-case words
// reads as a header only when two of them are field names, or the first
// is one. The test stops at the first token that cannot be a name, which
// for most records is the first or second: a number, an address, an
// upper-case word, and for most formats the last token decides it.
func isHeader(line []byte) bool {
	// Most records end with a number or an upper-case word (log-status's
	// OK, action's ACCEPT), which no name is: look at the last token
	// first, before reading the line from its start.
	j := len(line)
	for j > 0 && isSpace(line[j-1]) {
		j--
	}
	for j > 0 && !isSpace(line[j-1]) {
		j--
	}
	if j == len(line) || !('a' <= line[j] && line[j] <= 'z') {
		return false
	}
	known, total, firstKnown := 0, 0, false
	for len(line) > 0 {
		if c := line[0]; !('a' <= c && c <= 'z') {
			return false
		}
		i := 1
		for i < len(line) && !isSpace(line[i]) {
			if !nameByte(line[i]) {
				return false
			}
			i++
		}
		if i > maxNameLen {
			return false
		}
		tok := line[:i]
		if maybeName(tok) {
			if _, ok := awsNames[string(tok)]; ok {
				known++
				firstKnown = firstKnown || total == 0
			}
		}
		total++
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		line = line[i:]
	}
	return (firstKnown || known >= 2) && known*2 >= total
}

// newBuffer returns a read buffer of n bytes followed by 64 spare bytes:
// scanLine reads whole 64-byte blocks, up to 63 bytes past the data.
func newBuffer(n int) []byte { return make([]byte, n, n+64) }

// nextScanned returns the next line when it is in the buffer, at most
// maxFastLine bytes long, neither blank nor a header nor with spaces
// around it, after
// finding it and storing its space bits in one pass (scanLine); the
// number of words of bits is nw. Other lines, and the end of the buffer,
// are left to nextLine.
func (r *Reader) nextScanned() (line []byte, nw int, ok bool) {
	if r.parser == nil || r.start >= r.end || r.opts.noScan || r.line == 0 {
		return nil, 0, false
	}
	n := min(r.end-r.start, maxFastLine+1, r.opts.maxLine+1)
	i := scanLine(r.buf[r.start:cap(r.buf)], n, &r.parser.lb.space)
	if i <= 0 {
		return nil, 0, false
	}
	line = r.buf[r.start : r.start+i]
	if c := line[0]; isSpace(c) || isSpace(line[i-1]) || 'a' <= c && c <= 'z' && isHeader(line) {
		return nil, 0, false
	}
	r.start += i + 1
	r.stats.Bytes += int64(i + 1)
	// The words holding the line: a line of exactly maxFastLine bytes has
	// its '\n' first in word 16, all ones, which need not be read.
	return line, min(i>>6+1, maxFastLine/64), true
}

// nextLine returns the next line without its '\n', valid until the next
// call. It reports false at the end of input or on a read error (r.err).
func (r *Reader) nextLine() ([]byte, bool) {
	if r.buf == nil {
		r.buf = newBuffer(min(r.opts.bufSize, firstBufSize))
	}
	for {
		if i := bytes.IndexByte(r.buf[r.start:r.end], '\n'); i >= 0 {
			if i > r.opts.maxLine {
				r.err = &ParseError{Name: r.opts.source, Line: r.line + 1, Offset: r.partPos(r.stats.Bytes), Err: ErrLineTooLong}
				return nil, false
			}
			line := r.buf[r.start : r.start+i]
			r.start += i + 1
			r.stats.Bytes += int64(i + 1)
			return line, true
		}
		if r.rdErr != nil {
			// After the last gzip member, the records end as at EOF, and
			// then what follows is reported.
			if end := r.rdErr == io.EOF; end || errors.Is(r.rdErr, ErrTrailingData) {
				if r.end-r.start > r.opts.maxLine {
					r.err = &ParseError{Name: r.opts.source, Line: r.line + 1, Offset: r.partPos(r.stats.Bytes), Err: ErrLineTooLong}
					return nil, false
				}
				if r.start < r.end { // last line without '\n'
					line := r.buf[r.start:r.end]
					r.stats.Bytes += int64(r.end - r.start)
					r.start = r.end
					return line, true
				}
				if end {
					return nil, false
				}
			}
			r.err = r.readError(r.rdErr)
			return nil, false
		}
		if r.async != nil && r.takeChunk() {
			continue
		}
		if r.start > 0 {
			buf := r.buf
			if len(buf) < r.opts.bufSize {
				// The input is larger than the first buffer: double it,
				// up to bufSize, for fewer and larger reads.
				buf = newBuffer(min(2*len(buf), r.opts.bufSize))
			}
			r.end = copy(buf, r.buf[r.start:r.end])
			r.buf, r.start = buf, 0
		}
		if r.end == len(r.buf) {
			if len(r.buf) > r.opts.maxLine {
				r.err = &ParseError{Name: r.opts.source, Line: r.line + 1, Offset: r.partPos(r.stats.Bytes), Err: ErrLineTooLong}
				return nil, false
			}
			nb := newBuffer(min(2*len(r.buf), r.opts.maxLine+1)) // a line of maxLine bytes and its '\n'
			copy(nb, r.buf[:r.end])
			r.buf = nb
		}
		if !r.sniffed {
			r.sniff()
			continue
		}
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.rdErr = err
		}
	}
}

// takeChunk parses the next decompressed chunk where it is, with the rest
// of the buffer (the start of a line) copied before it. When that does not
// fit, it reports false, after moving a borrowed buffer's rest into a
// buffer of the Reader's own, and nextLine reads the chunk by copying.
//
// A line too long is reported, as when reading by copying, once the line
// has its '\n' or the buffer it is read into is full: a line longer than
// the headroom is read into the Reader's buffer, which then grows as
// before.
func (r *Reader) takeChunk() bool {
	rest := r.buf[r.start:r.end]
	b, lo, hi, err, ok := r.async.take(len(rest))
	if ok {
		lo -= copy(b[lo-len(rest):lo], rest)
		if r.borrowed {
			r.async.release(r.buf)
		}
		r.buf, r.start, r.end, r.rdErr, r.borrowed = b[:hi], lo, hi, err, true
		return true
	}
	if r.borrowed {
		buf := newBuffer(max(r.opts.bufSize, 2*len(rest)))
		r.end, r.start = copy(buf, rest), 0
		r.async.release(r.buf)
		r.buf, r.borrowed = buf, false
	}
	return false
}

// readError describes an I/O error, such as a truncated gzip stream, with
// how far the read got.
func (r *Reader) readError(err error) error {
	what := "read error"
	switch {
	case errors.Is(err, ErrTrailingData):
		what = "stopped"
	case errors.Is(err, io.ErrUnexpectedEOF):
		what = "input truncated"
	case errors.Is(err, ErrCompressed):
		what = "not read"
	}
	src := r.opts.source
	if errname.Names(err.Error(), src) {
		src = "" // the input's own error names it (s3source's s3://bucket/key)
	} else {
		src += ": "
	}
	return fmt.Errorf("flowlogs: %s%s after %d records (%d lines): %w", src, what, r.stats.Records, r.line, err)
}
