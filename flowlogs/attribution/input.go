package attribution

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// An Input is a flow-log object that a Partial was made from, whole or
// the records of it that start in [Since, Until). Partials name their
// inputs so that Merge can refuse to add up two parts that hold the same
// records: a part given twice, a merged part beside one of its own parts,
// two workers' parts of one object. Nothing else tells: the sum of such
// parts is well formed, and every figure in it is too large.
type Input struct {
	// Name identifies the object's records wherever a copy of it lies:
	// for a flow-log delivery, source.Key.DeliveryName (its file name,
	// which AWS makes unique); otherwise what its maker chooses
	// (examples/attribute: the SHA-256 of a file's bytes; a log group's
	// stream by group and stream).
	Name string
	// Since and Until bound the records read, by their start, zero for
	// no bound. Records start at whole seconds, so bounds are whole
	// seconds: a window from time.Now() is rounded up first (see
	// WholeSeconds), as the records it keeps are. A bound is a time of
	// the years 1 to 9999, which every SQL engine that reads partials
	// holds.
	Since, Until time.Time
}

// WholeSeconds returns in with its bounds rounded up to whole seconds
// (and in UTC): the window that keeps the same records, as records
// start at whole seconds.
func (in Input) WholeSeconds() Input {
	up := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		if r := t.Truncate(time.Second); !r.Equal(t) {
			return r.Add(time.Second).UTC()
		}
		return t.UTC()
	}
	in.Since, in.Until = up(in.Since), up(in.Until)
	return in
}

// Overlaps reports whether in and o can hold a record in common: the
// same Name, and windows that meet.
func (in Input) Overlaps(o Input) bool {
	return in.Name == o.Name && before(in.Since, o.Until) && before(o.Since, in.Until)
}

// before reports whether a bound from below is before a bound from above,
// zero being no bound.
func before(since, until time.Time) bool {
	return since.IsZero() || until.IsZero() || since.Before(until)
}

// String returns the Name, followed by the window when there is one.
func (in Input) String() string {
	if in.Since.IsZero() && in.Until.IsZero() {
		return in.Name
	}
	f := func(t time.Time, none string) string {
		if t.IsZero() {
			return none
		}
		return t.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s [%s, %s)", in.Name, f(in.Since, "-∞"), f(in.Until, "∞"))
}

// Validate reports an Input that names nothing, has a bound finer than a
// second or outside the years 1 to 9999, or an empty window.
func (in Input) Validate() error {
	switch {
	case in.Name == "":
		return errors.New("an input with no name")
	case !in.Since.Truncate(time.Second).Equal(in.Since) || !in.Until.Truncate(time.Second).Equal(in.Until):
		return fmt.Errorf("input %s: bounds must be whole seconds (Input.WholeSeconds)", in)
	case !inYears(in.Since) || !inYears(in.Until):
		return fmt.Errorf("input %s: a bound outside the years 1 to 9999", in)
	case !in.Since.IsZero() && !in.Until.IsZero() && !in.Since.Before(in.Until):
		return fmt.Errorf("input %s: an empty window", in)
	}
	return nil
}

// inYears reports whether a bound is none or a time of the years 1 to
// 9999 (UTC): Spark's timestamps hold those only, and a partials file's
// millisecond column would wrap far beyond them.
func inYears(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// same reports whether a and b are one input: one name, equal bounds.
func (in Input) same(o Input) bool {
	return in.Name == o.Name && in.Since.Equal(o.Since) && in.Until.Equal(o.Until)
}

// CompareInputs orders inputs as Partial.Inputs are: by Name, then by
// Since (no bound first), then by Until (no bound last).
func CompareInputs(a, b Input) int {
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := compareBound(a.Since, b.Since, -1); c != 0 {
		return c
	}
	return compareBound(a.Until, b.Until, 1)
}

// compareBound compares two bounds, zero standing for zeroIs (-1: before
// every time, 1: after).
func compareBound(a, b time.Time, zeroIs int) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return zeroIs
	case b.IsZero():
		return -zeroIs
	}
	return a.Compare(b)
}

// An OverlapError is Merge's refusal of a part that holds records another
// part holds too: Input, of the part refused, overlaps Other, of a part
// added before it.
type OverlapError struct {
	Input, Other Input
}

func (e *OverlapError) Error() string {
	if e.Input.same(e.Other) {
		return fmt.Sprintf("input %s is in another part too: its records would be counted twice", e.Input)
	}
	return fmt.Sprintf("input %s overlaps %s, in another part: their common records would be counted twice", e.Input, e.Other)
}

// CheckInputs reports why ins cannot be a Partial's Inputs: an input
// that is not valid, one out of CompareInputs order or repeated, or two
// that overlap. Merge sorts a part's inputs before it checks them; a
// partials file holds them in order.
func CheckInputs(ins []Input) error {
	for i, in := range ins {
		if err := in.Validate(); err != nil {
			return err
		}
		if i == 0 {
			continue
		}
		// In order, the inputs of one Name are disjoint when each pair of
		// neighbours is.
		switch prev := ins[i-1]; {
		case prev.same(in):
			return fmt.Errorf("input %s is named twice", in)
		case CompareInputs(prev, in) > 0:
			return fmt.Errorf("input %s is out of order: it comes before %s", in, prev)
		case prev.Overlaps(in):
			return fmt.Errorf("inputs %s and %s overlap", prev, in)
		}
	}
	return nil
}

// checkInputs returns p's inputs sorted, or the error that refuses them:
// those CheckInputs refuses, or one that overlaps an input of the sum
// (have: by Name, each Name's in CompareInputs order).
func checkInputs(ins []Input, have map[string][]Input) ([]Input, error) {
	if len(ins) == 0 {
		return nil, nil
	}
	sorted := slices.Clone(ins)
	slices.SortFunc(sorted, CompareInputs)
	if err := CheckInputs(sorted); err != nil {
		return nil, fmt.Errorf("a part's inputs: %w", err)
	}
	for _, in := range sorted {
		if o, ok := overlapping(have[in.Name], in); ok {
			return nil, &OverlapError{Input: in, Other: o}
		}
	}
	return sorted, nil
}

// overlapping returns the window of ws, disjoint windows of one Name in
// CompareInputs order, that in overlaps, if one does. Only the two around
// in's place can: a window that begins before the one just before in's
// place ends before that one begins. A day of hourly windows of each of
// ten thousand log streams is checked in time of the log of a day, not of
// the day.
func overlapping(ws []Input, in Input) (Input, bool) {
	i, _ := slices.BinarySearchFunc(ws, in, CompareInputs)
	for _, j := range []int{i - 1, i} {
		if j >= 0 && j < len(ws) && ws[j].Overlaps(in) {
			return ws[j], true
		}
	}
	return Input{}, false
}

// addInput adds in, which overlaps none of ws, to ws in order.
func addInput(ws []Input, in Input) []Input {
	i, _ := slices.BinarySearchFunc(ws, in, CompareInputs)
	return slices.Insert(ws, i, in)
}
