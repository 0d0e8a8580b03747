package parquetguard

import (
	"bytes"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// CheckCompressed checks the values the data pages of data, an
// uncompressed file, claim as Open does, with each page compressed in
// codec first: the values tests find the counts they raise in files as
// written, which only an uncompressed file shows, and run their checks on
// every codec through it.
func CheckCompressed(data []byte, codec format.CompressionCodec) error {
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)), parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
	if err != nil {
		return err
	}
	g := NewPageGuard(bytes.NewReader(data))
	for i, rg := range f.Metadata().RowGroups {
		for j := range rg.Columns {
			m := &rg.Columns[j].MetaData
			if m.Codec != format.Uncompressed {
				return corrupt("column %d is compressed", j)
			}
			c := ColumnOf(f, i, j)
			_, err := g.walk(m, c, func(h pageHeader, off int64) error {
				if !h.data {
					return nil
				}
				page := data[off : off+h.cs]
				var out []byte
				if h.v2 { // levels are never compressed
					out, page = append(out, page[:h.levels()]...), page[h.levels():]
				}
				if h.v2 && h.uncompressed {
					out = append(out, page...)
				} else {
					z, err := parquet.LookupCompressionCodec(codec).Encode(nil, page)
					if err != nil {
						return err
					}
					out = append(out, z...)
				}
				h.cs = int64(len(out))
				return checkValueCount(bytes.NewReader(out), &g.scratch, codec, h, 0, c)
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
