package attribution

import "fmt"

// OverflowError reports a record refused because it would have made the
// byte or packet total of the records added pass 2^64-1 (counters would
// wrap): that record and every later one are not counted anywhere, and
// every figure covers the records before it, exactly (Stats.Overflow is
// set). Each record carries less than 2^63, so only absurd or hostile
// input gets here (VPC Flow Logs aggregate at most 10 minutes of one
// interface's flow per record).
type OverflowError struct {
	// Record is the refused record's number among those added, from 1;
	// 0 when Merge (Merger.Add) refused a partial whose totals would take
	// the sum's past 2^64-1.
	Record uint64
	// Field is "bytes" or "packets" (or, Merge's, "records"): the total
	// that would have wrapped.
	Field string
}

func (e *OverflowError) Error() string {
	if e.Record == 0 {
		// Merge's: no record was refused, and no sum is returned. Without
		// a prefix, as Merger.Add's other errors (Merge adds its own).
		return fmt.Sprintf("adding it would make the sum's %s total pass 2^64-1", e.Field)
	}
	return fmt.Sprintf("attribution: record %d would make the %s total pass 2^64-1; it and every later record were not counted", e.Record, e.Field)
}

// Err returns the *OverflowError that stopped counting (see Add), or nil.
func (a *Attributor) Err() error {
	if a.e.over == nil {
		return nil
	}
	return a.e.over
}

// satAdd is a + b, or 2^64-1 when that wraps: for summary merges, whose
// estimates can add up past the total they estimate.
func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}
