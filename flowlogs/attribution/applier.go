package attribution

import "sync/atomic"

// applier is the last stage of a pipelined AddAll: it applies the records
// that the joining goroutine has joined and staged (engine.attribute) to
// their tasks' rollups, a batch of ops at a time, while the next ones are
// joined.
//
// The stages split where the order of the stream stops mattering. What
// depends on it stays with the joining goroutine: the totals and the
// overflow check, the stats, the unattributed rollups, the join's
// per-interface cache and the tasks made from v7 ECS fields. What the
// applier writes is each task's own state, record after record in stream
// order, and nothing the join reads: it reads of a task only what was set
// when the task was made (its addresses, lifetime and zone), and of the
// index only what the join never writes (addresses, not ARNs). So the
// rollups are exactly those of applying one record after another.
//
// The rollups are the memory-heavy part: at ten thousand tasks every
// record's task state, series bucket and peer entry are cache misses, and
// the memory they grow into is fresh (page faults). Apart, they overlap
// with the join as the join overlaps with parsing: AddAll at 10,000 tasks
// took 0.70–0.93 s where two stages took 0.97–1.21 (bench/attrscale).
type applier struct {
	e     *engine
	full  chan []op
	free  chan []op
	made  int
	done  chan struct{}
	fail  atomic.Bool // the applier panicked: the joining goroutine stops
	panic any
}

// handoffOps is how many staged records are handed over at a time,
// and handoffBatches how many batches may exist. Every batch handed over
// may wake the other goroutine (a futex wake and a switch of threads, dear
// under some hypervisors and paid by the side that is behind), so batches
// are big enough for that to be rare: 1,024 records, about 150 KiB. They
// are made as needed: a small input, or an applier that keeps up, makes
// only a few.
const (
	handoffOps     = 1024
	handoffBatches = 8
)

// startApplier applies what Add staged, then hands every later flush to a
// new applier goroutine until stopApplier.
func (e *engine) startApplier() {
	e.flush()
	a := &applier{e: e, full: make(chan []op, handoffBatches), free: make(chan []op, handoffBatches), done: make(chan struct{})}
	go a.run()
	e.apl = a
	e.ops, e.nops = a.empty(), 0
}

// run applies the batches in order until full is closed. After a panic it
// keeps taking batches and giving them back, so that the joining goroutine
// never blocks, until it sees fail and stops.
func (a *applier) run() {
	defer close(a.done)
	defer func() {
		if p := recover(); p != nil {
			a.panic = p
			a.fail.Store(true)
			for b := range a.full {
				a.free <- b[:cap(b)]
			}
		}
	}()
	for b := range a.full {
		a.e.applyOps(b)
		a.free <- b[:cap(b)]
	}
}

// empty returns a free batch, or a new one while fewer than handoffBatches
// exist.
func (a *applier) empty() []op {
	select {
	case b := <-a.free:
		return b
	default:
	}
	if a.made < handoffBatches {
		a.made++
		return make([]op, handoffOps)
	}
	return <-a.free
}

// handoff gives the applier a batch and returns an empty one.
func (a *applier) handoff(ops []op) []op {
	a.full <- ops
	return a.empty()
}

// stopApplier hands over what is staged, waits until every batch is
// applied and goes back to applying where the records are joined. A panic
// of the applier is raised again here, in the joining goroutine, whence
// AddAll raises it in the caller's, as in sync mode: the records applied
// before it stay counted.
func (e *engine) stopApplier() {
	a := e.apl
	e.flush()
	close(a.full)
	<-a.done
	e.apl, e.ops, e.nops = nil, nil, 0
	if a.panic != nil {
		panic(a.panic)
	}
}
