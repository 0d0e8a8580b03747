package ownership

import (
	"math"
	"testing"
)

type owner struct {
	name string
	cut  int64
}

func TestDisjoint(t *testing.T) {
	a := &owner{"a", 0}
	b := &owner{"b", 0}
	late := &owner{"late", 150} // ran until 150 although replaced at 100
	cut := func(o *owner) int64 { return o.cut }
	cases := []struct {
		name string
		in   []Span[owner]
		want []Span[owner]
	}{
		{"handoff at the later start", []Span[owner]{{100, 300, b}, {0, 200, a}},
			[]Span[owner]{{0, 100, a}, {100, 300, b}}},
		{"earlier owner's cut inside the later span", []Span[owner]{{0, 200, late}, {100, 300, b}},
			[]Span[owner]{{0, 150, late}, {150, 300, b}}},
		{"same owner twice merges", []Span[owner]{{0, 10, a}, {5, 20, a}},
			[]Span[owner]{{0, 20, a}}},
		{"open ends", []Span[owner]{{math.MinInt64, math.MaxInt64, a}, {50, math.MaxInt64, b}},
			[]Span[owner]{{math.MinInt64, 50, a}, {50, math.MaxInt64, b}}},
		{"an owner left empty is dropped", []Span[owner]{{10, 20, a}, {10, 30, b}},
			[]Span[owner]{{10, 30, b}}},
	}
	for _, c := range cases {
		got := Disjoint(append([]Span[owner](nil), c.in...), cut, nil)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}
