package flowlogs

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// sniff reads the first bytes and, if they are the gzip magic (1f 8b),
// replaces the source by a gzip reader; if they are the magic of another
// compression (compressedAs), the read ends with ErrCompressed.
// Concatenated gzip members (as produced by concatenating S3 objects) are
// read as one stream.
func (r *Reader) sniff() {
	// Only while the bytes so far may still start a magic: a stream whose
	// first line is shorter than sniffLen ("1 2\n" of a two-field format)
	// is not held until more comes.
	for r.end < sniffLen && r.rdErr == nil && (r.end < 2 || mayBeMagic(r.buf[:r.end])) {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.rdErr = err
		}
	}
	r.sniffed = true
	if c := compressedAs(r.buf[:r.end]); c != "" {
		// Its bytes read as text would be reported as a malformed first
		// line, which says nothing of what the input is.
		r.end, r.rdErr = 0, fmt.Errorf("%w: %s (decompress it first)", ErrCompressed, c)
		return
	}
	if r.end < 2 || r.buf[0] != 0x1f || r.buf[1] != 0x8b {
		return
	}
	head := bytes.Clone(r.buf[:r.end])
	var src io.Reader = bytes.NewReader(head)
	if r.rdErr == nil {
		src = io.MultiReader(src, r.src)
	}
	r.end, r.rdErr = 0, nil
	// Large reads of the compressed input; klauspost's inflater has a
	// fast path for a *bufio.Reader (it would wrap src in a 4 KiB one).
	br := bufio.NewReaderSize(src, 128<<10)
	zr, err := gzip.NewReader(br)
	if err != nil {
		r.rdErr = err
		return
	}
	zr.Multistream(false)
	var members io.Reader = &gzipMembers{br: br, zr: zr}
	if r.opts.sync || runtime.GOMAXPROCS(0) == 1 { // a helper goroutine needs a second core to help
		r.src = members
		return
	}
	r.async = newAsyncReader(members, cmp.Or(r.opts.chunkSize, asyncChunk))
	r.src = r.async
}

// sniffLen is how many bytes sniff reads to tell a compression by its
// magic bytes (xz's are six).
const sniffLen = 6

// magics are the magic bytes of the compressions the Reader names but
// does not decode.
var magics = []struct {
	name  string
	magic string
}{
	{"zstd", "\x28\xb5\x2f\xfd"}, {"bzip2", "BZh"}, {"xz", "\xfd7zXZ\x00"}, {"lz4", "\x04\x22\x4d\x18"},
}

// mayBeMagic reports whether head is the start of a magic of magics, or
// holds one whole (bzip2's then wants its block-size byte).
func mayBeMagic(head []byte) bool {
	for _, m := range magics {
		n := min(len(head), len(m.magic))
		if string(head[:n]) == m.magic[:n] {
			return true
		}
	}
	return false
}

// compressedAs names the compression whose magic bytes start head, among
// those the Reader does not decode; "" for none. (Flow-log text starts
// with a field name or a digit.)
func compressedAs(head []byte) string {
	for _, m := range magics {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			// bzip2's "BZh" is followed by its block size, 1 to 9.
			if m.name == "bzip2" && (len(head) < 4 || head[3] < '1' || head[3] > '9') {
				continue
			}
			return m.name
		}
	}
	return ""
}

// gzipMembers reads gzip members one after the other, as gzip's own
// multistream mode does, but looks at what follows each member itself:
// another member, the end, or bytes that are no gzip member. Those are
// reported for what they are (ErrTrailingData, NUL padding or other), not
// as a truncated stream or a bad header, after everything before them.
type gzipMembers struct {
	br      *bufio.Reader
	zr      *gzip.Reader
	members int
	err     error // after the current member: io.EOF or what follows
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	for g.err == nil {
		n, err := g.zr.Read(p)
		if err == io.EOF {
			g.members++
			g.err = g.next()
			err = nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, g.err
}

// maxTrailing bounds how many bytes after the last member are read to
// tell NUL padding from other data.
const maxTrailing = 1 << 20

// next looks at what follows a member: nil if another member starts (it
// is then open), io.EOF at the end.
func (g *gzipMembers) next() error {
	b, err := g.br.Peek(2)
	switch {
	case err != nil && err != io.EOF:
		// A read that failed here is no end: later members, or whatever
		// follows, were never seen.
		return err
	case len(b) == 0:
		return io.EOF
	case len(b) == 2 && b[0] == 0x1f && b[1] == 0x8b:
		if err := g.zr.Reset(g.br); err != nil {
			return err // a second member's header truncated or bad
		}
		g.zr.Multistream(false)
		return nil
	}
	// Not a member: count the bytes up to maxTrailing, noting whether all
	// are zero (padding to a block size, a preallocated file).
	n, zero := 0, true
	for n < maxTrailing {
		b, err := g.br.Peek(min(g.br.Size(), maxTrailing-n))
		for _, c := range b {
			zero = zero && c == 0
		}
		n += len(b)
		g.br.Discard(len(b))
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	more := ""
	if n >= maxTrailing {
		more = " or more"
	}
	what := "that are not a gzip member"
	if zero {
		what = "all zero (NUL padding)"
	}
	return fmt.Errorf("%w: %d bytes%s after gzip member %d %s", ErrTrailingData, n, more, g.members, what)
}

// asyncReader decompresses in its own goroutine, up to a few chunks ahead
// of the parser, so decompression and parsing use two cores. The Reader
// parses a chunk where the decompressor wrote it (take), handing it back
// when done (release); a line cut at a chunk's end is completed by copying
// its start into the next chunk's headroom. Only a line too long for that
// is read by copying (Read). Chunks are recycled, so it allocates nothing
// in steady state.
type asyncReader struct {
	full chan chunk
	free chan []byte
	stop chan struct{}
	done chan struct{} // closed when run has returned
	once sync.Once
	cur  chunk // being read by Read, or only its error after take
	size int   // decompressed bytes per chunk
}

// chunk is a buffer with decompressed bytes in b[lo:hi], after asyncHeadroom
// bytes kept free, and 64 spare bytes past its length (see newBuffer).
type chunk struct {
	b      []byte
	lo, hi int
	err    error
	pnc    any // what reading the source panicked with, raised again by load
}

// errAsyncPanicked is what reads return after the decompressing
// goroutine's panic has been raised in the reader's.
var errAsyncPanicked = errors.New("flowlogs: reading the input panicked")

const (
	asyncChunk    = 512 << 10
	asyncChunks   = 3
	asyncHeadroom = 16 << 10 // room for the start of a line cut by a chunk's end
)

func newAsyncReader(src io.Reader, size int) *asyncReader {
	a := &asyncReader{
		full: make(chan chunk, asyncChunks),
		free: make(chan []byte, asyncChunks+1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
		size: size,
	}
	for range asyncChunks {
		a.free <- newBuffer(asyncHeadroom + size)
	}
	go a.run(src)
	return a
}

func (a *asyncReader) run(src io.Reader) {
	defer close(a.done)
	// A panic reading src (its reader's, or the inflater's) would end the
	// program here, where no caller can recover it: it is handed to the
	// reader and raised again in its goroutine (load), as a synchronous
	// read raises it in Scan.
	defer func() {
		if p := recover(); p != nil {
			select {
			case a.full <- chunk{err: errAsyncPanicked, pnc: p}:
			case <-a.stop:
			}
		}
	}()
	for {
		var b []byte
		select {
		case b = <-a.free:
		case <-a.stop:
			return
		}
		n, err := fill(src, b[asyncHeadroom:asyncHeadroom+a.size])
		select {
		case a.full <- chunk{b: b, lo: asyncHeadroom, hi: asyncHeadroom + n, err: err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// fill reads until b is full or an error occurs (io.EOF included, which
// io.ReadFull would turn into io.ErrUnexpectedEOF, the error gzip uses for
// a truncated stream).
func fill(src io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := src.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// load makes a.cur a chunk with unread bytes, or one that ends the stream.
func (a *asyncReader) load() {
	for a.cur.lo == a.cur.hi && a.cur.err == nil {
		if a.cur.b != nil {
			a.free <- a.cur.b
		}
		a.cur = <-a.full
	}
	if p := a.cur.pnc; p != nil {
		a.cur.pnc = nil // raised once; later reads return a.cur.err
		panic(p)
	}
}

// take hands over the unread bytes of the next chunk, b[lo:hi], with the
// error that follows them, if at least keep bytes of headroom precede
// them; ok is false otherwise (Read then still has them). Until the
// chunk is released, b is the caller's.
func (a *asyncReader) take(keep int) (b []byte, lo, hi int, err error, ok bool) {
	a.load()
	c := a.cur
	if c.b == nil || c.lo < keep {
		return nil, 0, 0, nil, false
	}
	a.cur = chunk{err: c.err}
	return c.b, c.lo, c.hi, c.err, true
}

// release returns a chunk taken by take.
func (a *asyncReader) release(b []byte) { a.free <- b[:asyncHeadroom+a.size] }

func (a *asyncReader) Read(p []byte) (int, error) {
	a.load()
	if a.cur.lo == a.cur.hi {
		return 0, a.cur.err
	}
	n := copy(p, a.cur.b[a.cur.lo:a.cur.hi])
	a.cur.lo += n
	return n, nil
}

// close stops the helper and waits until it has returned, so the source
// reader is no longer in use when Reader.Close returns and the caller may
// close or reuse it. A Read in flight finishes first: for a network body,
// cancelling its request context is what cuts that short.
func (a *asyncReader) close() {
	a.once.Do(func() { close(a.stop) })
	<-a.done
}
