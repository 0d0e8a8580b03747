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
// per-interface cache, the tasks made from v7 ECS fields, and each task's
// rollup, made at its first record before any of its records is handed
// over. What the applier writes is the tasks' rollups, record after record
// in stream order, and nothing the join reads: it reads of a task only
// what was set when the task was made (its addresses, lifetime and zone),
// and of the index only what the join never writes (addresses, not ARNs).
// So the rollups are exactly those of applying one record after another.
//
// The rollups are the memory-heavy part: at ten thousand tasks every
// record's task state, series bucket and peer entry are cache misses, and
// the memory they grow into is fresh (page faults). Apart, they overlap
// with the join as the join overlaps with parsing: AddAll at 10,000 tasks
// and 1 M records took 0.69–0.92 s where the join applying them took
// 0.85–1.12 (bench/attrscale, six pairs). With a few hundred tasks they
// are cheap and the join applies them itself (see flush).
type applier struct {
	e *engine
	*batches[op]
	done chan struct{}
	// queued reports whether the joining goroutine has more records
	// waiting (see flush).
	queued func() bool
	// inflight counts the batches handed over and not yet applied; the
	// applier's writes to the rollups happen before it counts one down.
	inflight atomic.Int32
	fail     atomic.Bool // the applier panicked: the joining goroutine stops
	panic    any
}

// handoffOps is how many staged records are handed over at a time, and
// handoffBatches how many batches may exist. Every batch handed over may
// wake the other goroutine, as with pipeBatch, so batches are as big:
// 4,096 records, 544 KiB.
const (
	handoffOps     = 4096
	handoffBatches = 4
)

// startApplier applies what Add staged, then runs an applier goroutine
// for flush to hand batches to until stopApplier. queued reports whether
// more records wait to be joined.
func (e *engine) startApplier(queued func() bool) {
	e.flush()
	a := &applier{e: e, batches: newBatches[op](handoffBatches, handoffOps), done: make(chan struct{}), queued: queued}
	go a.run()
	e.apl = a
	e.ops, e.nops = a.empty(), 0
}

// flush applies ops in the joining goroutine when that costs nothing, or
// hands them to the applier. With a few hundred tasks applying is cheap,
// the join keeps up with the parser and more records are rarely queued:
// it then applies them itself, and the applier stays asleep (waking it
// for every batch slowed the parser by as much as the stage saves). When
// records are queued, the join is what the parser waits for, and the
// batch goes to the applier. Only while no batch is in flight: the rollups
// are the applier's until it has applied every batch handed over, so
// that they are written by one goroutine at a time, in stream order.
func (a *applier) flush(ops []op) []op {
	if a.inflight.Load() == 0 && !a.queued() {
		a.e.applyOps(ops)
		return ops[:cap(ops)]
	}
	a.inflight.Add(1)
	a.full <- ops
	return a.empty()
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
			a.discard()
		}
	}()
	for b := range a.full {
		a.e.applyOps(b)
		a.inflight.Add(-1)
		a.giveBack(b)
	}
}

// stopApplier hands over what is staged, waits until every batch is
// applied and goes back to applying where the records are joined. A panic
// of the applier is raised again here, in the joining goroutine, whence
// AddAll raises it in the caller's, as in sync mode: the records applied
// before it stay counted.
func (e *engine) stopApplier() {
	a := e.apl
	// Also when the last batch panics while applied here.
	defer func() {
		close(a.full)
		<-a.done
		e.apl, e.ops, e.nops = nil, nil, 0
		if a.panic != nil {
			panic(a.panic)
		}
	}()
	e.flush()
}
