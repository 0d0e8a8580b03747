package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// Option configures Map, Each and Records.
type Option func(*options)

type options struct {
	parallel int
	reader   []flowlogs.Option
	decoders []decoder
	onObject func(ObjectDone)
}

type decoder struct {
	match  func(Object) bool
	decode Decoder
}

// WithConcurrency sets how many objects are read at once; the default is
// runtime.GOMAXPROCS(0), one per core. n below 1 is clamped to 1.
func WithConcurrency(n int) Option { return func(o *options) { o.parallel = n } }

// WithReaderOptions are passed to the flowlogs.Reader of every object (after
// flowlogs.WithSource, which names the object): a filter, a field
// selection, lenient mode, the formats of header-less files
// (flowlogs.WithFormats).
func WithReaderOptions(opts ...flowlogs.Option) Option {
	return func(o *options) { o.reader = append(o.reader, opts...) }
}

// A Decoder makes the flowlogs.Reader of an object that is not flow-log
// text, such as a Parquet file. r is what Source.Open returned (an
// *os.File for local files, which is an io.ReaderAt); the Reader must not
// use r after the read ends, as the caller then closes it. Like
// Source.Open, it is called (with its match) from up to WithConcurrency
// goroutines at once: it must be safe for concurrent use.
type Decoder func(ctx context.Context, o Object, r io.Reader, opts ...flowlogs.Option) (*flowlogs.Reader, error)

// WithDecoder reads the objects that match with d instead of the text
// reader; parquetsource.Decode is one.
func WithDecoder(match func(Object) bool, d Decoder) Option {
	return func(o *options) { o.decoders = append(o.decoders, decoder{match, d}) }
}

// WithObjectDone calls fn once per object when its read has ended, cleanly
// or not, with what the read found (ObjectDone). It is how a program
// reports per-file skipped lines, checks what format each file was read in
// or shows progress. A read that panicked (in a decoder, the Reader or
// Map's fn) has ended too: fn is called with the *ReadPanic as the error
// before the panic is raised again in the caller. fn runs on the
// goroutines that read, up to WithConcurrency at a time, so it must be
// safe for concurrent use; it is not called for objects never started
// because an earlier one failed.
func WithObjectDone(fn func(ObjectDone)) Option {
	return func(o *options) { o.onObject = fn }
}

// ObjectDone is what WithObjectDone reports of an object whose read has
// ended. Fields may be added.
type ObjectDone struct {
	Object Object
	// Stats are the object's Reader statistics (zero when it could not be
	// opened).
	Stats flowlogs.Stats
	// Format is the format its last line was read in (flowlogs.Reader's
	// Format): its header line's, a Parquet file's columns', or for
	// header-less text the one WithFormat(s) or the default gave. Nil when
	// the object could not be opened or no line was read. A Format is
	// never changed, and may be kept.
	Format *flowlogs.Format
	// Malformed are the malformed lines kept in lenient mode
	// (flowlogs.WithLenient).
	Malformed []*flowlogs.ParseError
	// Err is the read's error, nil at a clean end; a *ReadPanic when the
	// read panicked.
	Err error
}

// errEmptyGzip is the error of an empty object named as gzip.
var errEmptyGzip = errors.New("empty (0 bytes), though named .gz: a gzip file is never empty (a copy cut short?)")

// ErrNoDecoder is returned for a Parquet object when no decoder handles it.
var ErrNoDecoder = errors.New("no decoder for this object (Parquet objects need parquetsource.WithDecoder())")

func newOptions(opts []Option) options {
	o := options{parallel: runtime.GOMAXPROCS(0)}
	for _, f := range opts {
		f(&o)
	}
	o.parallel = max(o.parallel, 1)
	return o
}

// open opens an object and makes its Reader. sync asks for decompression
// in the caller's goroutine: with several objects in flight the cores are
// already busy and a helper goroutine per object only adds overhead.
func (o *options) open(ctx context.Context, src Source, obj Object, sync bool) (*flowlogs.Reader, io.Closer, error) {
	if obj.Size == 0 && strings.HasSuffix(obj.Name, ".gz") {
		// Read as text, it would hold no records, without a word; but
		// no gzip file is empty (AWS's deliveries are gzip): a copy cut
		// short, or a write that failed.
		return nil, nil, errEmptyGzip
	}
	rc, err := src.Open(ctx, obj)
	if err != nil {
		return nil, nil, err
	}
	ropts := make([]flowlogs.Option, 0, len(o.reader)+2)
	ropts = append(ropts, flowlogs.WithSource(obj.Name))
	if sync {
		ropts = append(ropts, flowlogs.WithSyncDecompression())
	}
	ropts = append(ropts, o.reader...)
	for _, d := range o.decoders {
		if d.match(obj) {
			return decode(ctx, d.decode, obj, rc, ropts)
		}
	}
	if obj.IsParquet() {
		rc.Close()
		return nil, nil, ErrNoDecoder
	}
	return flowlogs.NewReader(rc, ropts...), rc, nil
}

// decode makes the Reader of rc with d. rc is closed when d fails, and
// when it panics: the panic is raised again in the caller's goroutine,
// which may recover it and go on, so the object must not stay open.
func decode(ctx context.Context, d Decoder, obj Object, rc io.ReadCloser, ropts []flowlogs.Option) (*flowlogs.Reader, io.Closer, error) {
	ok := false
	defer func() {
		if !ok {
			rc.Close()
		}
	}()
	r, err := d(ctx, obj, rc, ropts...)
	if err != nil {
		return nil, nil, err
	}
	ok = true
	return r, rc, nil
}

// objectPanic is what readOne panics with again after reporting a panic
// to WithObjectDone's fn: the *ReadPanic made where it was recovered,
// which Map and Records raise in the caller as it is. (A *ReadPanic that
// fn itself panics with, from a Map inside it, is another object's.)
type objectPanic struct{ rp *ReadPanic }

// readPanic is the *ReadPanic of obj for what a reading goroutine
// recovered, p: readOne's own, or one made here, with the stack.
func readPanic(obj Object, p any) *ReadPanic {
	if op, ok := p.(objectPanic); ok {
		return op.rp
	}
	return &ReadPanic{Name: obj.Name, Value: p, Stack: debug.Stack()}
}

// readFormat is ObjectDone.Format: the format r read its last line in,
// nil when it read none (a Reader given a format holds it from the start).
func readFormat(r *flowlogs.Reader) *flowlogs.Format {
	if r.Stats().Lines == 0 {
		return nil
	}
	return r.Format()
}

// readOne runs fn over one object and wraps any failure in *ObjectError.
// WithObjectDone's fn is called once when the read ends, also by a panic
// (then raised again as an objectPanic).
func readOne[T any](ctx context.Context, o *options, src Source, obj Object, sync bool,
	fn func(Object, *flowlogs.Reader) (T, error)) (T, error) {
	var zero T
	var r *flowlogs.Reader
	reported := false
	done := func(d ObjectDone) {
		reported = true // also if o.onObject panics: it is not called twice
		o.onObject(d)
	}
	if o.onObject != nil {
		defer func() {
			if reported {
				return
			}
			p := recover()
			if p == nil {
				return
			}
			rp := readPanic(obj, p)
			d := ObjectDone{Object: obj, Err: rp}
			if r != nil {
				d.Stats, d.Format, d.Malformed = r.Stats(), readFormat(r), r.Malformed()
			}
			done(d)
			panic(objectPanic{rp})
		}()
	}
	r, c, err := o.open(ctx, src, obj, sync)
	if err != nil {
		if o.onObject != nil {
			done(ObjectDone{Object: obj, Err: err})
		}
		return zero, &ObjectError{Name: obj.Name, Err: err}
	}
	defer c.Close()
	defer r.Close()
	v, err := fn(obj, r)
	if err == nil {
		err = r.Err()
	}
	if err == nil {
		err = ctx.Err()
	}
	if o.onObject != nil {
		done(ObjectDone{Object: obj, Stats: r.Stats(), Format: readFormat(r), Malformed: r.Malformed(), Err: err})
	}
	if err != nil {
		var oe *ObjectError
		if errors.As(err, &oe) {
			return zero, err
		}
		return zero, &ObjectError{Name: obj.Name, Err: err}
	}
	return v, nil
}

// Map lists src and calls fn once per object with a Reader over it,
// running up to WithConcurrency calls at once, and returns fn's results in List
// order (ascending name for Dir and S3), whatever order the objects
// finished in. This is the fast way to aggregate many files
// deterministically: aggregate each object in fn (where records come in
// file order), then combine the results in order.
//
// fn must read the records it wants with r.Scan; Map checks r.Err()
// itself after fn returns. The first failure of an object (opening,
// reading, or fn's error) cancels the other reads and is returned wrapped
// in an *ObjectError naming the object; a failed listing, and ctx's end,
// are returned as they are. No partial results are returned, so no record
// is counted from a failed read.
func Map[T any](ctx context.Context, src Source, fn func(o Object, r *flowlogs.Reader) (T, error), opts ...Option) ([]T, error) {
	o := newOptions(opts)
	objs, err := src.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(objs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.parallel)
	sync := o.parallel > 1 && len(objs) > 1
	for i, obj := range objs {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() (err error) {
			defer func() {
				if p := recover(); p != nil { // raised again below, in the caller's goroutine
					err = readPanic(obj, p)
				}
			}()
			v, err := readOne(gctx, &o, src, obj, sync, fn)
			out[i] = v
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if rp := (*ReadPanic)(nil); errors.As(err, &rp) && rp.Stack != nil {
			panic(rp)
		}
		// An object stopped by the caller's cancel or deadline did not
		// fail: ctx's end is returned as it is, as Records does.
		if cerr := ctx.Err(); cerr != nil && errors.Is(err, cerr) {
			return nil, cerr
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Each is Map without results: fn is called once per object, up to
// WithConcurrency at a time, in no particular order. fn must be safe for
// concurrent use.
func Each(ctx context.Context, src Source, fn func(o Object, r *flowlogs.Reader) error, opts ...Option) error {
	_, err := Map(ctx, src, func(o Object, r *flowlogs.Reader) (struct{}, error) {
		return struct{}{}, fn(o, r)
	}, opts...)
	return err
}

// batchSize is how many records a reader hands to Records at a time.
const batchSize = 256

type batch struct {
	recs []flowlogs.Record
	err  error
	pnc  *ReadPanic // a panic reading the object, raised again by Records
}

// ReadPanic is the value Records, Map and Each panic with when reading an
// object panicked (in a decoder, or Map's fn): the panic is raised again
// in the caller's goroutine (ranging over Records, or calling Map), where
// it can be recovered (a panic in a reading goroutine would end the
// program), with the object's name and the stack where it happened.
type ReadPanic struct {
	Name  string // the object's
	Value any    // what the reading goroutine panicked with
	Stack []byte // its stack (runtime/debug.Stack)
}

func (p *ReadPanic) Error() string {
	return fmt.Sprintf("panic reading %s: %v\n\n%s", p.Name, p.Value, p.Stack)
}

// Unwrap returns the panic's value when it is an error.
func (p *ReadPanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// Records returns every record of src, deterministically ordered: objects
// in List order, and the records of one object in file order. Up to
// WithConcurrency objects are read ahead in parallel and buffered a few hundred
// records at a time, so memory stays bounded. Records are copies
// (Record.CopyTo, a few allocations per batch of records): the *Record
// yielded stays valid after the loop moves on. A failure ends the
// sequence with (nil, err): err wraps an *ObjectError when an object
// failed, and is the listing's error or ctx's as they are. Records of the
// failed object read before the failure have been yielded (use Map to get
// all-or-nothing per object). A panic reading an object is raised again
// in the caller's goroutine, as a *ReadPanic, once its records read
// before it have been yielded.
func Records(ctx context.Context, src Source, opts ...Option) iter.Seq2[*flowlogs.Record, error] {
	return func(yield func(*flowlogs.Record, error) bool) {
		o := newOptions(opts)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		objs, err := src.List(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		// One channel per object; at most o.parallel objects are
		// started and not yet consumed (slots), so the look-ahead and
		// its buffers are bounded.
		chans := make([]chan batch, len(objs))
		for i := range chans {
			chans[i] = make(chan batch, 4)
		}
		slots := make(chan struct{}, o.parallel)
		done := make(chan struct{})
		syncDecompression := o.parallel > 1 && len(objs) > 1
		// Every producer is awaited before Records returns, also on an
		// early break: none may still hold an open object (an S3 body, a
		// file) or run after the caller's loop has ended.
		var producers sync.WaitGroup
		go func() {
			defer close(done)
			for i, obj := range objs {
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				producers.Add(1)
				go func() {
					defer producers.Done()
					produce(ctx, &o, src, obj, syncDecompression, chans[i])
				}()
			}
		}()
		defer func() { cancel(); <-done; producers.Wait() }()
		for i := range objs {
			for {
				// The context's end first: a select would choose at
				// random between it and the batches read ahead, and
				// yield more of them after the caller's cancel.
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return
				}
				var b batch
				var ok bool
				select {
				case b, ok = <-chans[i]:
				case <-ctx.Done(): // object i may never have been started
					yield(nil, ctx.Err())
					return
				}
				if !ok {
					break
				}
				if b.pnc != nil {
					panic(b.pnc)
				}
				if b.err != nil {
					yield(nil, b.err)
					return
				}
				for j := range b.recs {
					if !yield(&b.recs[j], nil) {
						return
					}
				}
			}
			<-slots
		}
		if err := ctx.Err(); err != nil {
			yield(nil, err)
		}
	}
}

// produce reads one object into batches on ch and closes it.
func produce(ctx context.Context, o *options, src Source, obj Object, sync bool, ch chan<- batch) {
	defer close(ch)
	send := func(b batch) bool {
		select {
		case ch <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	defer func() {
		if p := recover(); p != nil {
			send(batch{pnc: readPanic(obj, p)})
		}
	}()
	_, err := readOne(ctx, o, src, obj, sync, func(_ Object, r *flowlogs.Reader) (struct{}, error) {
		// Records are copied with their text into shared buffers
		// (Record.CopyTo): a few allocations per batch, not per record.
		recs := make([]flowlogs.Record, 0, batchSize)
		var text []byte
		for r.Scan() {
			recs = append(recs, flowlogs.Record{})
			text = r.Record().CopyTo(&recs[len(recs)-1], text)
			if len(recs) == batchSize {
				if !send(batch{recs: recs}) {
					return struct{}{}, ctx.Err()
				}
				recs = make([]flowlogs.Record, 0, batchSize)
			}
		}
		if len(recs) > 0 && !send(batch{recs: recs}) { // also the records read before a failure
			return struct{}{}, ctx.Err()
		}
		return struct{}{}, nil
	})
	if err != nil && ctx.Err() == nil {
		send(batch{err: err})
	}
}
