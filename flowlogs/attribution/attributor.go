package attribution

import (
	"iter"

	"github.com/ecsnet/ecsnet/eni/history"
)

// Attributor joins flow-log records to the tasks that owned their interface
// or address at the record's time and keeps the rollups. It is not safe for
// concurrent use; feed it from one goroutine (the parser's reader already
// reads files in parallel).
type Attributor struct {
	e *engine
}

// New returns an Attributor over every task and container instance in a
// task history (eni/history): built from saved describe-tasks output,
// EventBridge task events, a live cluster or a Watcher's file, or, for task
// data from elsewhere, by history.NewIndex. A nil history knows no task:
// records are attributed by their own v7 ecs-* fields only.
//
// The history cannot tell a host-mode task from a bridge-mode one unless
// its Builder.NetworkMode resolves task definitions (DescribeTasks does not
// report the mode); a task of unknown mode with networkBindings is treated
// as bridge mode, its host ports attributed as inferred.
func New(h *history.Index, opts ...Option) *Attributor {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return &Attributor{e: newEngine(h, cfg)}
}

// Result returns a snapshot of the rollups grouped by g. The Attributor can
// keep adding records afterwards.
func (a *Attributor) Result(g GroupBy) *Result { return a.e.result(g) }

// Groups yields the groups of Result(g) in the same order, heaviest
// first, equal to them, but builds one at a time: a Result of ten
// thousand task groups holds every group's top peers, ports and series at
// once, as much memory again as the rollups, while Groups holds one
// group's, and takes a fraction of the time (bench/attrscale). The Group
// yielded, and the slices it holds, are valid only until the iteration
// continues: the next group reuses their memory, as bufio.Scanner's Bytes
// does; Clone what is kept. The Tasks and Instances it points to are the
// history's, shared as in a Result. No record may be added while Groups
// is iterated.
func (a *Attributor) Groups(g GroupBy) iter.Seq[*Group] { return a.e.groups(g) }

// ResultStream returns Result(g) as a stream, for a report written group
// by group (report.WriteCSVStream, report.WriteJSONStream): the Result without its Groups, and
// Groups(g). What the Result says besides its groups (unattributed
// reasons, totals, stats, time span) costs little to take; the groups
// are what a Result of many tasks holds at once. The groups are those of
// the head's moment only while no record is added: add none until the
// iteration is over.
func (a *Attributor) ResultStream(g GroupBy) (*Result, iter.Seq[*Group]) {
	return a.e.resultHead(g), a.e.groups(g)
}

// Total returns the totals of every record added.
func (a *Attributor) Total() Totals { return a.e.total }

// Stats returns how attribution went so far.
func (a *Attributor) Stats() Stats {
	a.e.flush()
	return a.e.stats
}
