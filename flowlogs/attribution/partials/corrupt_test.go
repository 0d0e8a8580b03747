package partials_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// TestMain caps the time the fuzzer spends minimizing an input
// (-fuzzminimizetime, 60 s by default) unless the flag is given. A partials
// file is at least about 15 KB (66 columns: their metadata alone takes
// 8 KB), and Go minimizes every input that finds new coverage, by removing
// each byte, then each pair of positions (quadratic): with the default,
// FuzzRead spent its whole run minimizing one input, a few executions
// counted in a minute. Minimizing is for crashers; the short cap still
// cuts a crasher's tail.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.fuzzminimizetime" })
	if !given {
		if err := flag.Set("test.fuzzminimizetime", "200x"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

// fuzzSeeds returns small valid partials files between them holding every
// kind of row: several tasks with classes, peers, ports and points,
// unattributed reasons with their interfaces, methods. The first is written
// by Write; the others, a merged partial and rows written with Snappy and
// data pages v1, have no page checksums (see withoutCRC).
func fuzzSeeds(t testing.TB) [][]byte {
	t.Helper()
	h := cluster(t)
	one := attribute(t, h, objects(5, 1, 16)).Partial()
	two := attribute(t, h, objects(6, 1, 16)).Partial()
	one.Inputs = []attribution.Input{{Name: "one"}}
	two.Inputs = []attribution.Input{{Name: "two", Since: time.Unix(1764990000, 0).UTC()}, {Name: "two-b", Until: time.Unix(1764990000, 0).UTC()}}
	merged, err := attribution.Merge(one, two)
	if err != nil {
		t.Fatal(err)
	}
	var seeds [][]byte
	kinds := map[string]bool{}
	for i, p := range []*attribution.Partial{one, merged} {
		var b bytes.Buffer
		if err := partials.Write(&b, p); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			seeds = append(seeds, b.Bytes())
		} else {
			seeds = append(seeds, withoutCRC(t, b.Bytes()))
		}
		rows, err := partials.Rows(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			kinds[r.Kind] = true
		}
	}
	rows, err := partials.Rows(two)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[partials.Row](&b, parquet.KeyValueMetadata(partials.MetadataKey, fmt.Sprint(partials.SchemaVersion)),
		parquet.DataPageVersion(1), parquet.Compression(&parquet.Snappy))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	seeds = append(seeds, withoutCRC(t, b.Bytes()))
	for _, k := range []string{partials.KindMeta, partials.KindMethod, partials.KindUnattributed, partials.KindInterface,
		partials.KindTask, partials.KindClass, partials.KindPeer, partials.KindPort, partials.KindPoint, partials.KindInput} {
		if !kinds[k] {
			t.Fatalf("no %s row in the seeds", k)
		}
	}
	for i, s := range seeds {
		if _, err := partials.Read(bytes.NewReader(s), int64(len(s)), "seed"); err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
	return seeds
}

// FuzzRead: a corrupt file is an *Error, never a panic nor an allocation
// of what it claims; what reads writes back and reads the same (Read
// accepts nothing Write cannot reproduce), and merges and groups without a
// panic. Run it with -parallel 1 on a shared machine; see TestMain for the
// time spent minimizing.
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := partials.Read(bytes.NewReader(data), int64(len(data)), "fuzz")
		if err != nil {
			var pe *partials.Error
			if !errors.As(err, &pe) || pe.Name != "fuzz" {
				t.Fatalf("not a *partials.Error: %v", err)
			}
			return
		}
		var b bytes.Buffer
		if err := partials.Write(&b, p); err != nil {
			t.Fatalf("read, but does not write: %v", err)
		}
		q, err := partials.Read(bytes.NewReader(b.Bytes()), int64(b.Len()), "again")
		if err != nil {
			t.Fatalf("written back, does not read: %v", err)
		}
		want, err := partials.Rows(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := partials.Rows(q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("written back and read, the rows differ:\n%+v\nwant\n%+v", got, want)
		}
		if m, err := attribution.Merge(p, p); err == nil {
			m.Result(attribution.ByService)
		}
	})
}

// withoutCRC returns data with its pages' checksums removed (and its page
// index, which parquetguard's users skip). parquet-go checks a page's
// checksum when it has one, so that fuzzing a file written with them
// rarely reaches the page decoders: a mutated page fails its checksum.
func withoutCRC(t testing.TB, data []byte) []byte {
	t.Helper()
	n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	footerAt := int64(len(data) - 8 - n)
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), data[footerAt:len(data)-8], &md); err != nil {
		t.Fatal(err)
	}
	var chunks []*format.ColumnChunk
	for i := range md.RowGroups {
		for j := range md.RowGroups[i].Columns {
			chunks = append(chunks, &md.RowGroups[i].Columns[j])
		}
	}
	sort.Slice(chunks, func(i, j int) bool { return chunkStart(chunks[i]) < chunkStart(chunks[j]) })
	out := bytes.Clone(data[:4])
	pos := int64(4)
	moved := map[int64]int64{} // old chunk and page offsets → new
	for _, c := range chunks {
		m := &c.MetaData
		start := chunkStart(c)
		end := start + m.TotalCompressedSize
		out = append(out, data[pos:start]...)
		newStart := int64(len(out))
		for off := start; off < end; {
			var h format.PageHeader
			r := new(thrift.CompactProtocol).NewReaderFromBytes(data[off:end])
			if err := thrift.NewDecoder(r).Decode(&h); err != nil {
				t.Fatal(err)
			}
			moved[off] = int64(len(out))
			h.CRC = 0
			header, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
			if err != nil {
				t.Fatal(err)
			}
			body := off + int64(r.BytesRead())
			out = append(append(out, header...), data[body:body+int64(h.CompressedPageSize)]...)
			off = body + int64(h.CompressedPageSize)
		}
		moved[start] = newStart
		m.DataPageOffset = moved[m.DataPageOffset]
		if m.DictionaryPageOffset > 0 {
			m.DictionaryPageOffset = moved[m.DictionaryPageOffset]
		}
		m.TotalCompressedSize = int64(len(out)) - newStart
		c.ColumnIndexOffset, c.ColumnIndexLength, c.OffsetIndexOffset, c.OffsetIndexLength = 0, 0, 0, 0
		pos = end
	}
	for i := range md.RowGroups {
		rg := &md.RowGroups[i]
		rg.FileOffset, rg.TotalCompressedSize = chunkStart(&rg.Columns[0]), 0
		for j := range rg.Columns {
			if c := &rg.Columns[j]; c.FileOffset != 0 {
				c.FileOffset = chunkStart(c)
			}
			rg.TotalCompressedSize += rg.Columns[j].MetaData.TotalCompressedSize
		}
	}
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, footer...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...)
}

func chunkStart(c *format.ColumnChunk) int64 {
	start, _ := parquetguard.ChunkRange(&c.MetaData)
	return start
}

// editFooter returns data with its file metadata edited.
func editFooter(t *testing.T, data []byte, edit func(*format.FileMetaData)) []byte {
	t.Helper()
	n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	body := data[:len(data)-8-n]
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), data[len(body):len(data)-8], &md); err != nil {
		t.Fatal(err)
	}
	edit(&md)
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		t.Fatal(err)
	}
	out := append(bytes.Clone(body), footer...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...)
}

// editFirstPage returns data with the header of the first page of its
// first column chunk edited; what follows it moves, and the footer's
// offsets with it.
func editFirstPage(t *testing.T, data []byte, edit func(*format.PageHeader)) []byte {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	m := f.Metadata().RowGroups[0].Columns[0].MetaData
	off := m.DataPageOffset
	if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < off {
		off = m.DictionaryPageOffset
	}
	var h format.PageHeader
	r := new(thrift.CompactProtocol).NewReaderFromBytes(data[off:])
	if err := thrift.NewDecoder(r).Decode(&h); err != nil {
		t.Fatal(err)
	}
	old := int64(r.BytesRead())
	edit(&h)
	header, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	if err != nil {
		t.Fatal(err)
	}
	delta := int64(len(header)) - old
	out := append(append(bytes.Clone(data[:off]), header...), data[off+old:]...)
	return editFooter(t, out, func(md *format.FileMetaData) {
		move := func(x *int64) {
			if *x > off {
				*x += delta
			}
		}
		for i := range md.RowGroups {
			rg := &md.RowGroups[i]
			move(&rg.FileOffset)
			for j := range rg.Columns {
				c := &rg.Columns[j]
				move(&c.FileOffset)
				move(&c.MetaData.DataPageOffset)
				move(&c.MetaData.DictionaryPageOffset)
				move(&c.ColumnIndexOffset)
				move(&c.OffsetIndexOffset)
				if i == 0 && j == 0 {
					c.MetaData.TotalCompressedSize += delta
				}
			}
		}
	})
}

// TestCorruptFiles: files whose sizes lie are *Errors wrapping
// parquetguard.ErrCorrupt, found before parquet-go allocates what they
// claim (gigabytes before the checks).
func TestCorruptFiles(t *testing.T) {
	good := fuzzSeeds(t)[0]
	// The edits themselves are sound: an edit that changes nothing reads.
	for name, same := range map[string][]byte{
		"footer": editFooter(t, good, func(*format.FileMetaData) {}),
		"page":   editFirstPage(t, good, func(*format.PageHeader) {}),
	} {
		if _, err := partials.Read(bytes.NewReader(same), int64(len(same)), "same"); err != nil {
			t.Fatalf("%s rewritten unchanged: %v", name, err)
		}
	}
	hugeFooter := bytes.Clone(good)
	binary.LittleEndian.PutUint32(hugeFooter[len(hugeFooter)-8:], 0xfffffff0)
	for _, c := range []struct {
		name    string
		data    []byte
		corrupt bool // wraps ErrCorrupt (else another error)
	}{
		{"footer length huge", hugeFooter, true},
		{"page size huge", editFirstPage(t, good, func(h *format.PageHeader) { h.UncompressedPageSize = 1 << 30 }), true},
		{"page compressed size beyond the chunk", editFirstPage(t, good, func(h *format.PageHeader) { h.CompressedPageSize = 1 << 30 }), true},
		{"page size negative", editFirstPage(t, good, func(h *format.PageHeader) { h.UncompressedPageSize = -1 }), true},
		// parquet-go sizes a dictionary's offsets by its num_values (8 GB
		// for these); the first column is dictionary-encoded.
		{"dictionary values huge", editFirstPage(t, good, func(h *format.PageHeader) {
			if h.Type != format.DictionaryPage {
				t.Fatalf("the first page is a %v, not a dictionary page", h.Type)
			}
			h.DictionaryPageHeader.V.NumValues = 1<<31 - 1
		}), true},
		{"rows huge", editFooter(t, good, func(md *format.FileMetaData) {
			md.NumRows, md.RowGroups[0].NumRows = 1<<40, 1<<40
		}), true},
		{"row groups disagree", editFooter(t, good, func(md *format.FileMetaData) { md.RowGroups[0].NumRows++ }), true},
		{"chunk size huge", editFooter(t, good, func(md *format.FileMetaData) {
			md.RowGroups[0].Columns[3].MetaData.TotalUncompressedSize = 1 << 40
		}), true},
		{"truncated", good[:len(good)-10], false},
		{"body cut", append(bytes.Clone(good[:len(good)/4]), good[len(good)/2:]...), true},
		{"cut in half", good[:len(good)/2], false},
		{"empty", nil, false},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := partials.Read(bytes.NewReader(c.data), int64(len(c.data)), "bad.parquet")
		runtime.ReadMemStats(&after)
		var pe *partials.Error
		switch {
		case !errors.As(err, &pe) || pe.Name != "bad.parquet":
			t.Errorf("%s: %v, want a *partials.Error", c.name, err)
		case c.corrupt && !errors.Is(err, parquetguard.ErrCorrupt):
			t.Errorf("%s: %v, want a corrupt-file error", c.name, err)
		default:
			t.Logf("%s: %v", c.name, err)
		}
		// Reading the good file allocates about 2 MB (66 columns' buffers).
		if a := after.TotalAlloc - before.TotalAlloc; a > 16<<20 {
			t.Errorf("%s: %d MB allocated", c.name, a>>20)
		}
	}
}

// TestMaxSize: a file claiming more than MaxSize bytes is refused before
// anything is read.
func TestMaxSize(t *testing.T) {
	_, err := partials.Read(bytes.NewReader(nil), partials.MaxSize+1, "big.parquet")
	var pe *partials.Error
	if !errors.As(err, &pe) || pe.Name != "big.parquet" {
		t.Fatalf("%v, want a *partials.Error", err)
	}
}
