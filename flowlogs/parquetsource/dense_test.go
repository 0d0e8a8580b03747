package parquetsource

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestDecodeDense: the shortcuts of decodePage for pages whose rows are
// all values (plain or dictionary-encoded) or all nulls store what
// resolving each row does, with the same errors for values that cannot be
// the rows' (fewer than the rows, none, a dictionary index past the
// dictionary, byte-array offsets out of order, white space), in int32,
// int64 and byte-array pages, across two reads of a page.
func TestDecodeDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	const rows, dictValues = 40, 7
	for _, mode := range []int{modeInt32, modeInt64, modeBytes} {
		for _, dict := range []bool{false, true} {
			for _, defs := range []string{"required", "all values", "all nulls", "mixed"} {
				for _, fault := range []string{"", "few values", "no values", "bad index", "offsets", "space"} {
					if (fault == "offsets" || fault == "space") && mode != modeBytes || fault == "bad index" && !dict {
						continue
					}
					name := fmt.Sprintf("mode %d, dictionary %v, %s, %s", mode, dict, defs, fault)
					testDecodeDense(t, name, rng, mode, dict, defs, fault, rows, dictValues)
				}
			}
		}
	}
}

func testDecodeDense(t *testing.T, name string, rng *rand.Rand, mode int, dict bool, defs, fault string, rows, dictValues int) {
	var c column
	c.maxDef, c.n, c.mode = 1, rows, mode
	switch defs {
	case "all values":
		c.defs = bytes.Repeat([]byte{1}, rows)
	case "all nulls":
		c.defs = make([]byte, rows)
	case "mixed":
		c.defs = make([]byte, rows)
		for j := range c.defs {
			c.defs[j] = byte(rng.IntN(2))
		}
	}
	// The rows' values: the page's, or its dictionary indexes.
	nonNull := rows
	if c.defs != nil {
		nonNull = bytes.Count(c.defs, []byte{1})
	}
	switch fault {
	case "few values":
		nonNull = max(nonNull-3, 0)
	case "no values":
		nonNull = 0
	}
	nv := nonNull
	if dict {
		nv = dictValues
		for range nonNull {
			c.idx = append(c.idx, int32(rng.IntN(dictValues)))
		}
		if fault == "bad index" && len(c.idx) > 25 {
			c.idx[20] = int32(dictValues)
		}
	}
	c.nv = nv
	switch mode {
	case modeInt32:
		for k := range nv {
			c.i32 = append(c.i32, int32(k*7-20))
		}
	case modeInt64:
		for k := range nv {
			c.i64 = append(c.i64, int64(k)<<40-3)
		}
	default:
		if nv > 0 {
			c.offs = []uint32{0}
		}
		for k := range nv {
			c.data = fmt.Appendf(c.data, "v%d", k)
			c.offs = append(c.offs, uint32(len(c.data)))
		}
		// In a page of values, past the first read; in a dictionary,
		// values most rows use.
		at := 21
		if dict {
			at = 2
		}
		if nv > at+1 && fault == "offsets" {
			c.offs[at], c.offs[at+1] = c.offs[at+1], c.offs[at]
		}
		if nv > at+1 && fault == "space" {
			c.data[c.offs[at]] = ' '
		}
		c.check = fault == "space"
	}
	// The reference resolves every row: levels that say every row has
	// its value are what no levels say, through Resolve.
	slow := c
	if slow.defs == nil {
		slow.defs = bytes.Repeat([]byte{1}, rows)
	}
	c.classify()
	if want := defs == "all nulls"; c.null != want {
		t.Fatalf("%s: null %v", name, c.null)
	}
	// Through decodePage and row by row as resolved, in two reads: 13
	// rows, then the rest.
	const stride = 3
	got, want := make([]flowlogs.Value, rows*stride), make([]flowlogs.Value, rows*stride)
	for j := range got {
		// What the batch held before: every value is written.
		got[j], want[j] = flowlogs.IntValue(-99), flowlogs.IntValue(-99)
	}
	n1, err1 := c.decodePage(got, stride, 13)
	w1, werr1 := slow.decodeResolved(want, stride, 13)
	n2, err2 := c.decodePage(got[n1*stride:], stride, rows-n1)
	w2, werr2 := slow.decodeResolved(want[w1*stride:], stride, rows-w1)
	if n1 != w1 || n2 != w2 || fmt.Sprint(err1) != fmt.Sprint(werr1) || fmt.Sprint(err2) != fmt.Sprint(werr2) || c.r != slow.r {
		t.Errorf("%s: read %d (%v) and %d (%v) to row %d, resolved %d (%v) and %d (%v) to row %d",
			name, n1, err1, n2, err2, c.r, w1, werr1, w2, werr2, slow.r)
	}
	switch {
	case fault == "" && (err1 != nil || err2 != nil || n1+n2 != rows):
		t.Errorf("%s: %d rows, %v, %v", name, n1+n2, err1, err2)
	case fault != "" && defs != "all nulls" && nonNull > 25 && err1 == nil && err2 == nil,
		fault == "no values" && defs != "all nulls" && err1 == nil && err2 == nil:
		t.Errorf("%s: no error", name)
	}
	for j := range (n1 + n2) * stride {
		// The same integer, or a view of the same bytes.
		if got[j] != want[j] {
			t.Errorf("%s: value %d is %v, resolved %v", name, j, got[j], want[j])
		}
	}
}
