package attribution

// Attributor joins flow-log records to the tasks that owned their interface
// or address at the record's time and keeps the rollups. It is not safe for
// concurrent use; feed it from one goroutine (the parser's reader already
// reads files in parallel).
type Attributor struct {
	e *engine
}

// NewFromTasks returns an Attributor over the given tasks and container
// instances: for task data that does not come from eni/history.
func NewFromTasks(tasks []Task, instances []Instance, opts ...Option) *Attributor {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return &Attributor{e: newEngine(tasks, instances, cfg)}
}

// Result returns a snapshot of the rollups grouped by g. The Attributor can
// keep adding records afterwards.
func (a *Attributor) Result(g GroupBy) *Result { return a.e.result(g) }

// Total returns the totals of every record added.
func (a *Attributor) Total() Totals { return a.e.total }

// Stats returns how attribution went so far.
func (a *Attributor) Stats() Stats {
	a.e.flush()
	return a.e.stats
}
