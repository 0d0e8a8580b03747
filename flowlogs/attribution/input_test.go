package attribution

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMergeInputs: a part that holds records another part holds (the same
// object, windows that meet) is refused, whether given twice, beside a
// merge of it or read in an overlapping window; parts of one object in
// disjoint windows add up. The refusal leaves the sum as it was. Before
// Partial.Inputs, each of these summed to figures too large, and nothing
// told.
func TestMergeInputs(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 6, h, 0, 0, 0, time.UTC) }
	part := func(seed uint64, ins ...Input) *Partial {
		p := randomEngine(seed, 2, 50).partial()
		p.Inputs = ins
		return p
	}
	obj := func(name string, since, until time.Time) Input { return Input{Name: name, Since: since, Until: until} }
	a, b := part(1, obj("a.log.gz", time.Time{}, time.Time{})), part(2, obj("b.log.gz", time.Time{}, time.Time{}))
	ab, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Input{a.Inputs[0], b.Inputs[0]}; !reflect.DeepEqual(ab.Inputs, want) {
		t.Errorf("inputs of the sum: %v, want %v", ab.Inputs, want)
	}
	var oe *OverlapError
	for name, parts := range map[string][]*Partial{
		"a part twice":               {a, b, a},
		"a merge beside its part":    {ab, b},
		"a part beside its merge":    {b, ab},
		"two merges of one part":     {ab, ab},
		"overlapping windows":        {part(3, obj("c", at(1), at(3))), part(4, obj("c", at(2), at(4)))},
		"a window within the whole":  {part(3, obj("c", time.Time{}, time.Time{})), part(4, obj("c", at(2), at(4)))},
		"open below, open above":     {part(3, obj("c", time.Time{}, at(3))), part(4, obj("c", at(2), time.Time{}))},
		"one window in a later list": {part(3, obj("c", at(5), at(6))), part(4, obj("d", at(0), at(1)), obj("c", at(2), at(7)))},
	} {
		if _, err := Merge(parts...); !errors.As(err, &oe) || !strings.Contains(err.Error(), "counted twice") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Merge(b, ab); !errors.As(err, &oe) || oe.Input != b.Inputs[0] || oe.Other != b.Inputs[0] ||
		err.Error() != "attribution: partial 2: input b.log.gz is in another part too: its records would be counted twice" {
		t.Errorf("a merge beside its part: %v", err)
	}
	// Disjoint windows of one object, in any order: one sum, its inputs
	// in order.
	hours := []*Partial{part(5, obj("c", at(2), at(3))), part(6, obj("c", time.Time{}, at(1)), obj("d", time.Time{}, time.Time{})),
		part(7, obj("c", at(3), time.Time{})), part(8, obj("c", at(1), at(2)))}
	sum, err := Merge(hours...)
	if err != nil {
		t.Fatal(err)
	}
	want := []Input{obj("c", time.Time{}, at(1)), obj("c", at(1), at(2)), obj("c", at(2), at(3)), obj("c", at(3), time.Time{}), obj("d", time.Time{}, time.Time{})}
	if !reflect.DeepEqual(sum.Inputs, want) {
		t.Errorf("inputs %v, want %v", sum.Inputs, want)
	}
	// A part that names no inputs is added unchecked, as before, and the
	// sum then names none: it holds records of inputs nobody named, and
	// a merge of two such sums would count them twice unchecked, taking
	// each sum for one checked by what it names.
	if s, err := Merge(part(9), part(9), a); err != nil || s.Inputs != nil {
		t.Errorf("parts with no inputs: %v, inputs %v", err, s.Inputs)
	}
	if s, err := Merge(a, part(9), b); err != nil || s.Inputs != nil {
		t.Errorf("a part with no inputs among named ones: %v, inputs %v", err, s.Inputs)
	}
	// A part without records, named or not, holds nothing to check.
	empty := &Partial{Config: a.Config}
	if s, err := Merge(a, empty); err != nil || !reflect.DeepEqual(s.Inputs, a.Inputs) {
		t.Errorf("a named part and an empty one: %v, inputs %v", err, s.Inputs)
	}
	// A refused part leaves the sum as it was, and the Merger usable.
	var m Merger
	for _, p := range []*Partial{a, b} {
		if err := m.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	before := clonePartial(m.Partial())
	if err := m.Add(part(10, obj("z", time.Time{}, time.Time{}), obj("a.log.gz", at(1), at(2)))); !errors.As(err, &oe) {
		t.Fatalf("refused: %v", err)
	}
	if !reflect.DeepEqual(m.Partial(), before) {
		t.Error("a refused part changed the sum")
	}
	if err := m.Add(part(11, obj("z", time.Time{}, time.Time{}))); err != nil {
		t.Errorf("after a refusal, an input the refused part named: %v", err)
	}
	// The parts' own inputs must hold no record twice, and be whole
	// seconds with a window that holds something.
	for name, ins := range map[string][]Input{
		"overlapping in one part": {obj("c", at(1), at(3)), obj("c", at(2), at(4))},
		"twice in one part":       {obj("c", time.Time{}, time.Time{}), obj("c", time.Time{}, time.Time{})},
		"no name":                 {obj("", time.Time{}, time.Time{})},
		"sub-second":              {obj("c", at(1).Add(time.Millisecond), time.Time{})},
		"empty window":            {obj("c", at(2), at(2))},
		"reversed window":         {obj("c", at(3), at(2))},
	} {
		if _, err := Merge(part(12, ins...)); err == nil || errors.As(err, &oe) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Merging does not modify its parts.
	c := part(13, obj("y", time.Time{}, time.Time{}), obj("x", time.Time{}, time.Time{}))
	if _, err := Merge(c); err != nil || c.Inputs[0].Name != "y" {
		t.Errorf("the part's inputs after merging: %v, %v", c.Inputs, err)
	}
}

// clonePartial copies what Merger.Add may change in place.
func clonePartial(p *Partial) *Partial {
	c := *p
	c.Tasks = slices.Clone(p.Tasks)
	for i := range c.Tasks {
		t := &c.Tasks[i]
		t.Peers, t.Ports, t.Series = slices.Clone(t.Peers), slices.Clone(t.Ports), slices.Clone(t.Series)
	}
	c.Unattributed = slices.Clone(p.Unattributed)
	c.Inputs = slices.Clone(p.Inputs)
	return &c
}

func TestInput(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	in := Input{Name: "x", Since: time.Date(2026, 12, 6, 4, 59, 59, 1, est), Until: time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)}
	w := in.WholeSeconds()
	if want := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC); w.Since != want || w.Until != in.Until || w.Validate() != nil || in.Validate() == nil {
		t.Errorf("WholeSeconds: %+v", w)
	}
	if s := w.String(); s != "x [2026-12-06T10:00:00Z, 2026-12-06T11:00:00Z)" {
		t.Errorf("String: %s", s)
	}
	if s := (Input{Name: "x", Until: w.Until}).String(); s != "x [-∞, 2026-12-06T11:00:00Z)" {
		t.Errorf("String: %s", s)
	}
	if s := (Input{Name: "x"}).String(); s != "x" {
		t.Errorf("String: %s", s)
	}
	// Adjacent windows share no record: [10, 11) and [11, …).
	if w.Overlaps(Input{Name: "x", Since: w.Until}) || !w.Overlaps(Input{Name: "x", Since: w.Until.Add(-time.Second)}) || w.Overlaps(Input{Name: "y"}) {
		t.Error("Overlaps")
	}
	ordered := []Input{{Name: "a", Until: w.Since}, {Name: "a"}, {Name: "a", Since: w.Since, Until: w.Until}, {Name: "a", Since: w.Since}, {Name: "b"}}
	for i := range ordered {
		for j := range ordered {
			if got, want := CompareInputs(ordered[i], ordered[j]), cmp.Compare(i, j); got != want {
				t.Errorf("CompareInputs(%v, %v) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

// TestInputEdges: a whole-second bound that carries a monotonic clock
// reading is whole (Validate compared with ==, which counts the reading,
// and refused it); one input in two parts in two time zones is named as
// one; bounds outside the years SQL engines hold are refused.
func TestInputEdges(t *testing.T) {
	now := time.Now()
	since := now.Add(-time.Duration(now.Nanosecond()))
	if err := (Input{Name: "x", Since: since}).Validate(); err != nil {
		t.Errorf("a whole second with a monotonic reading: %v", err)
	}
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	a, b := randomEngine(1, 2, 10).partial(), randomEngine(3, 4, 10).partial()
	a.Inputs = []Input{{Name: "x", Since: at}}
	b.Inputs = []Input{{Name: "x", Since: at.In(time.FixedZone("EST", -5*3600))}}
	if _, err := Merge(a, b); err == nil || !strings.Contains(err.Error(), "is in another part too") {
		t.Errorf("one input in two parts, two zones: %v", err)
	}
	for _, bad := range []Input{{Name: "x", Until: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Name: "x", Since: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)},
		{Name: "x", Since: time.Unix(1<<61, 0)}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%v: valid", bad)
		}
	}
	if err := (Input{Name: "x", Since: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), Until: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)}).Validate(); err != nil {
		t.Errorf("the widest window: %v", err)
	}
}

// TestOverlappingNeighbours: the Merger looks for an overlap among the
// two windows around an input's place only; for random disjoint windows
// of one name and random inputs, that finds an overlap exactly when one
// of all the windows overlaps.
func TestOverlappingNeighbours(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	at := func(n int) time.Time {
		if n < 0 {
			return time.Time{}
		}
		return time.Unix(int64(n), 0).UTC()
	}
	for range 2000 {
		var ws []Input
		// Disjoint windows: cut points, each gap kept or not, the ends
		// open or not.
		cut := 0
		for k := range 1 + r.IntN(6) {
			lo, hi := cut+r.IntN(3), cut+3+r.IntN(5)
			w := Input{Name: "x", Since: at(lo), Until: at(hi)}
			if k == 0 && r.IntN(3) == 0 {
				w.Since = time.Time{}
			}
			ws = append(ws, w)
			cut = hi
		}
		if r.IntN(3) == 0 {
			ws[len(ws)-1].Until = time.Time{}
		}
		lo := r.IntN(cut+4) - 1
		in := Input{Name: "x", Since: at(lo), Until: at(lo + 1 + r.IntN(8))}
		if r.IntN(4) == 0 {
			in.Until = time.Time{}
		}
		want := slices.ContainsFunc(ws, in.Overlaps)
		if _, got := overlapping(ws, in); got != want {
			t.Fatalf("windows %v, input %v: found %v, an overlap is %v", ws, in, got, want)
		}
	}
}

// BenchmarkMergerWindows adds 30,000 single-input parts: one object's
// hourly windows (a log stream's hours over years), then as many objects.
// Each input is checked against its neighbours only; scanning every window
// of its name took 5.7 s where the objects take 0.09.
func BenchmarkMergerWindows(b *testing.B) {
	cfg := randomEngine(1, 2, 1).partial().Config
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		in   func(i int) string
	}{{"one object", func(int) string { return "object" }}, {"objects", func(i int) string { return fmt.Sprint("object-", i) }}} {
		b.Run(c.name, func(b *testing.B) {
			parts := make([]*Partial, 30000)
			for i := range parts {
				s := base.Add(time.Duration(i) * time.Hour)
				parts[i] = &Partial{Config: cfg, Inputs: []Input{{Name: c.in(i), Since: s, Until: s.Add(time.Hour)}}}
			}
			for b.Loop() {
				var m Merger
				for _, p := range parts {
					if err := m.Add(p); err != nil {
						b.Fatal(err)
					}
				}
				m.Partial()
			}
		})
	}
}

// TestCheckInputs: the rule Merge applies to a part's sorted inputs and a
// partials file to its rows, each refusal saying which inputs.
func TestCheckInputs(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 7, h, 0, 0, 0, time.UTC) }
	a, a1 := Input{Name: "a", Until: at(1)}, Input{Name: "a", Since: at(1), Until: at(2)}
	b := Input{Name: "b"}
	for _, c := range []struct {
		ins  []Input
		want string // "" for none
	}{
		{nil, ""},
		{[]Input{a, a1, b}, ""},
		{[]Input{a, a, b}, "input a [-∞, 2026-12-07T01:00:00Z) is named twice"},
		{[]Input{a1, a}, "input a [-∞, 2026-12-07T01:00:00Z) is out of order: it comes before a [2026-12-07T01:00:00Z, 2026-12-07T02:00:00Z)"},
		{[]Input{b, a}, "input a [-∞, 2026-12-07T01:00:00Z) is out of order: it comes before b"},
		{[]Input{{Name: "a", Until: at(2)}, a1}, "inputs a [-∞, 2026-12-07T02:00:00Z) and a [2026-12-07T01:00:00Z, 2026-12-07T02:00:00Z) overlap"},
		{[]Input{a, {Name: "b", Since: at(1).Add(time.Millisecond)}}, "bounds must be whole seconds"},
		{[]Input{{}}, "an input with no name"},
	} {
		err := CheckInputs(c.ins)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckInputs(%v) = %v, want %q", c.ins, err, c.want)
		}
	}
	// Merge sorts a part's inputs, so only a repeat or an overlap refuses
	// them there.
	p := randomEngine(1, 2, 10).partial()
	p.Inputs = []Input{b, a, a}
	if _, err := Merge(p); err == nil || !strings.Contains(err.Error(), "a part's inputs: input a [-∞, 2026-12-07T01:00:00Z) is named twice") {
		t.Errorf("Merge of a part naming an input twice: %v", err)
	}
}
