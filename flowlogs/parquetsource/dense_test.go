package parquetsource

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestDecodeDense: the shortcuts of decodePage for pages whose rows are
// all values or all nulls store what resolving each row does, with the
// same errors for values that cannot be the rows' (fewer than the rows,
// byte-array offsets out of order, white space), in int32, int64 and
// byte-array pages, after rows already read.
func TestDecodeDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	const rows = 40
	for _, mode := range []int{modeInt32, modeInt64, modeBytes} {
		for _, defs := range []string{"required", "all values", "all nulls", "mixed"} {
			for _, fault := range []string{"", "few values", "no values", "offsets", "space"} {
				if (fault == "offsets" || fault == "space") && mode != modeBytes {
					continue
				}
				name := fmt.Sprintf("mode %d, %s, %s", mode, defs, fault)
				var c column
				c.maxDef, c.n = 1, rows
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
				nv := rows
				if c.defs != nil {
					nv = bytes.Count(c.defs, []byte{1})
				}
				switch fault {
				case "few values":
					nv = max(nv-3, 0)
				case "no values":
					nv = 0
				}
				c.mode, c.nv = mode, nv
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
					if nv > 25 && fault == "offsets" {
						c.offs[21], c.offs[22] = c.offs[22], c.offs[21]
					}
					if nv > 25 && fault == "space" {
						c.data[c.offs[24]] = ' '
					}
					c.check = fault == "space"
				}
				slow := c
				c.classify()
				if want := defs == "all nulls"; c.null != want {
					t.Fatalf("%s: null %v", name, c.null)
				}
				// Row by row as resolved, and through decodePage, in
				// two reads: 13 rows, then the rest.
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
				if fault == "" && (err1 != nil || err2 != nil || n1+n2 != rows) {
					t.Errorf("%s: %d rows, %v, %v", name, n1+n2, err1, err2)
				}
				if (fault == "no values" && defs != "all nulls" || fault != "" && nv > 25) && err1 == nil && err2 == nil {
					t.Errorf("%s: no error", name)
				}
				for j := range (n1 + n2) * stride {
					// The same integer, or a view of the same bytes.
					if got[j] != want[j] {
						t.Errorf("%s: value %d is %v, resolved %v", name, j, got[j], want[j])
					}
				}
			}
		}
	}
}
