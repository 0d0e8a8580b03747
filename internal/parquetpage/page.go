// Package parquetpage reads a page of a flat Parquet column as parquet-go
// decoded it: its definition levels, its dictionary indexes and its typed
// values, not a parquet.Value a value. The module's typed readers
// (flowlogs/parquetsource and internal/parquetrows) take their pages
// through it, so that both check a page alike: an error wraps
// parquetguard.ErrCorrupt, and no page makes them panic or index out of
// its values.
package parquetpage

import (
	"fmt"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
)

// Page is where a page's rows and values are.
type Page struct {
	Rows int
	Defs []byte  // definition levels, one per row; nil for a required column
	Idx  []int32 // dictionary indexes, one per non-null row; nil if not dictionary-encoded
	Dict parquet.Dictionary
	// Data are the page's values, or its dictionary's when Idx is not
	// nil; not read for a page of no rows.
	Data encoding.Values
}

// Of returns where p's rows and values are. maxDef is the definition
// level of a non-null value of p's column: 0 for a required column.
func Of(p parquet.Page, maxDef byte) (Page, error) {
	n := p.NumRows()
	if n < 0 || n != p.NumValues() {
		return Page{}, fmt.Errorf("%w: page with %d rows and %d values in a flat column", parquetguard.ErrCorrupt, n, p.NumValues())
	}
	pg := Page{Rows: int(n)}
	if n == 0 {
		return pg, nil
	}
	if maxDef > 0 {
		pg.Defs = p.DefinitionLevels()
		if len(pg.Defs) != pg.Rows {
			return Page{}, fmt.Errorf("%w: page with %d rows and %d definition levels", parquetguard.ErrCorrupt, pg.Rows, len(pg.Defs))
		}
	}
	pg.Data = p.Data()
	if d := p.Dictionary(); d != nil {
		if pg.Data.Kind() != encoding.Int32 {
			return Page{}, fmt.Errorf("%w: dictionary-encoded page without indexes", parquetguard.ErrCorrupt)
		}
		pg.Idx, pg.Dict, pg.Data = pg.Data.Int32(), d, d.Page().Data()
	}
	return pg, nil
}

// Resolve sets ix[j] to the position among the values (of the page, or
// of its dictionary) of the value of the page's row r+j, or -1 for a null
// one: defs are the page's definition levels (nil: no row is null), maxDef
// the level of a non-null value, idx its dictionary indexes (nil: none),
// nv how many values there are to index, and v the non-null rows before
// row r. It returns how many rows it resolved and the non-null rows before
// the next one, and stops with an error before a value out of bounds.
func Resolve(ix []int32, defs []byte, maxDef byte, idx []int32, nv, r, v int) (int, int, error) {
	if defs != nil {
		defs = defs[r : r+len(ix)]
	}
	for j := range ix {
		if defs != nil && defs[j] != maxDef {
			ix[j] = -1
			continue
		}
		x := v
		if idx != nil {
			if x >= len(idx) {
				return j, v, fmt.Errorf("%w: page has %d values for more non-null rows", parquetguard.ErrCorrupt, len(idx))
			}
			x = int(idx[x])
		}
		if uint(x) >= uint(nv) {
			if idx != nil {
				return j, v, fmt.Errorf("%w: dictionary index %d of %d", parquetguard.ErrCorrupt, x, nv)
			}
			return j, v, fmt.Errorf("%w: page has %d values for more non-null rows", parquetguard.ErrCorrupt, nv)
		}
		ix[j] = int32(x)
		v++
	}
	return len(ix), v, nil
}
