package parquetpage

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
)

// TestResolve: rows resolve to their values' positions, nulls to -1,
// through a dictionary or not, from any row of the page; a value out of
// bounds stops it before its row, with ErrCorrupt, having resolved the
// rows before.
func TestResolve(t *testing.T) {
	defs := []byte{1, 0, 1, 1, 0, 1} // four non-null rows
	for _, c := range []struct {
		name      string
		defs      []byte
		idx       []int32
		nv, r, v  int
		n         int
		want      []int32
		next      int
		errSubstr string
	}{
		{name: "required", nv: 4, n: 4, want: []int32{0, 1, 2, 3}, next: 4},
		{name: "nulls", defs: defs, nv: 4, n: 6, want: []int32{0, -1, 1, 2, -1, 3}, next: 4},
		{name: "from row 2", defs: defs, nv: 4, r: 2, v: 1, n: 4, want: []int32{1, 2, -1, 3}, next: 4},
		{name: "dictionary", defs: defs, idx: []int32{3, 3, 0, 1}, nv: 4, n: 6, want: []int32{3, -1, 3, 0, -1, 1}, next: 4},
		{name: "index past the dictionary", defs: defs, idx: []int32{3, 4, 0, 1}, nv: 4, n: 6, want: []int32{3, -1}, next: 1, errSubstr: "dictionary index 4 of 4"},
		{name: "too few indexes", defs: defs, idx: []int32{0, 1}, nv: 4, n: 6, want: []int32{0, -1, 1}, next: 2, errSubstr: "2 values for more non-null rows"},
		{name: "too few values", nv: 2, n: 4, want: []int32{0, 1}, next: 2, errSubstr: "2 values for more non-null rows"},
	} {
		ix := make([]int32, c.n)
		n, next, err := Resolve(ix, c.defs, 1, c.idx, c.nv, c.r, c.v)
		if c.errSubstr == "" && err != nil || c.errSubstr != "" && (!errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), c.errSubstr)) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.errSubstr)
		}
		if n != len(c.want) || !slices.Equal(ix[:n], c.want) || next != c.next {
			t.Errorf("%s: resolved %d rows %v, next value %d; want %v, %d", c.name, n, ix[:n], next, c.want, c.next)
		}
	}
}
