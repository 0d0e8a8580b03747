// Command flowagg is the Go side of the side-by-side benchmark in
// bench/README.md: bytes, packets and record count per interface-id of a
// flow-log file (plain or gzip), with the flowlogs package.
//
//	flowagg [-threads N] [-decode-only] FILE
//
// It prints one summary line, the same as bench/duckdb-agg.mjs prints, so
// the runner can check that both computed the same thing:
//
//	ENIS 5000 RECORDS 10000000 BYTES … PACKETS … SKIPDATA …
//
// A plain file is split at line boundaries into one byte range per thread,
// each read by its own flowlogs.Reader (the header line, read first, gives
// the format); per-range maps are merged at the end. A gzip file cannot be
// split: -threads 1 decompresses in the reading goroutine
// (WithSyncDecompression), -threads 2 or more lets the Reader decompress in
// a second goroutine. -decode-only measures gzip decompression alone.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"

	"github.com/klauspost/compress/gzip"

	"github.com/ecsnet/ecsnet/flowlogs"
)

type agg struct{ bytes, packets, n int64 }

var byString bool

type result struct {
	m        map[string]*agg
	skipdata int64
}

func main() {
	threads := flag.Int("threads", 1, "cores to use (GOMAXPROCS and reader ranges)")
	decodeOnly := flag.Bool("decode-only", false, "only decompress the gzip file (klauspost/compress), for reference")
	top := flag.Int("top", 0, "also print the N interfaces with most bytes")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.BoolVar(&byString, "bystring", false, "sum in a map keyed by the interface-id string instead of by its symbol")
	flag.Parse()
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if flag.NArg() != 1 {
		log.Fatal("usage: flowagg [-threads N] [-decode-only] FILE")
	}
	runtime.GOMAXPROCS(*threads)
	name := flag.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()

	if *decodeOnly {
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 128<<10)) // as flowlogs.Reader does
		if err != nil {
			log.Fatal(err)
		}
		n, err := io.Copy(io.Discard, zr)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("DECODED %d\n", n)
		return
	}

	gz, format, err := sniff(f)
	if err != nil {
		log.Fatal(err)
	}
	var results []result
	if gz || *threads == 1 {
		opts := []flowlogs.Option{}
		if *threads == 1 {
			opts = append(opts, flowlogs.WithSyncDecompression())
		}
		results = []result{aggregate(f, name, opts...)}
	} else {
		results = aggregateRanges(f, name, format, *threads)
	}

	total := map[string]*agg{}
	var skip int64
	for _, r := range results {
		skip += r.skipdata
		for k, a := range r.m {
			t := total[k]
			if t == nil {
				t = new(agg)
				total[k] = t
			}
			t.bytes += a.bytes
			t.packets += a.packets
			t.n += a.n
		}
	}
	var recs, byts, pkts int64
	for _, a := range total {
		recs += a.n
		byts += a.bytes
		pkts += a.packets
	}
	fmt.Printf("ENIS %d RECORDS %d BYTES %d PACKETS %d SKIPDATA %d\n", len(total), recs, byts, pkts, skip)
	if *top > 0 {
		keys := make([]string, 0, len(total))
		for k := range total {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return total[keys[i]].bytes > total[keys[j]].bytes })
		for _, k := range keys[:min(*top, len(keys))] {
			fmt.Printf("%s %d %d %d\n", k, total[k].bytes, total[k].packets, total[k].n)
		}
	}
}

// aggregate is the whole workload: read, keep three fields, sum. Records
// are summed in a slice indexed by the interface-id's symbol (a small
// number the Reader gives each distinct value), which avoids hashing the
// string for every record; values without a symbol (after 65,536 distinct
// ones) go to a map.
func aggregate(r io.Reader, name string, opts ...flowlogs.Option) result {
	opts = append(opts, flowlogs.WithSource(name),
		flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldPackets, flowlogs.FieldBytes))
	fr := flowlogs.NewReader(r, opts...)
	defer fr.Close()
	var bySym []agg
	var keys []string
	m := map[string]*agg{}
	for fr.Scan() {
		rec := fr.Record()
		var a *agg
		if sym := rec.Symbol(flowlogs.FieldInterfaceID); sym != 0 && !byString {
			if int(sym) >= len(bySym) {
				bySym = append(bySym, make([]agg, int(sym)+1-len(bySym))...)
				keys = append(keys, make([]string, int(sym)+1-len(keys))...)
			}
			a = &bySym[sym]
			if a.n == 0 {
				keys[sym] = rec.InterfaceID
			}
		} else {
			a = m[rec.InterfaceID] // absent ("-") or beyond 65,536 values
			if a == nil {
				a = new(agg)
				m[rec.InterfaceID] = a
			}
		}
		a.bytes += rec.Bytes
		a.packets += rec.Packets
		a.n++
	}
	if err := fr.Err(); err != nil {
		log.Fatal(err)
	}
	for sym := 1; sym < len(bySym); sym++ {
		m[keys[sym]] = &bySym[sym]
	}
	return result{m: m, skipdata: fr.Stats().SkipData}
}

// sniff reports whether f is gzip and returns the format of its header
// line (DefaultFormat if it has none).
func sniff(f *os.File) (bool, *flowlogs.Format, error) {
	buf := make([]byte, 64<<10)
	n, err := f.ReadAt(buf, 0)
	if err != nil && err != io.EOF {
		return false, nil, err
	}
	buf = buf[:n]
	if len(buf) >= 2 && buf[0] == 0x1f && buf[1] == 0x8b {
		return true, nil, nil
	}
	format := flowlogs.DefaultFormat
	if i := bytes.IndexByte(buf, '\n'); i > 0 {
		if h, err := flowlogs.ParseHeader(string(buf[:i])); err == nil && h.Has(flowlogs.FieldInterfaceID) {
			format = h
		}
	}
	return false, format, nil
}

// aggregateRanges reads a plain file in n line-aligned byte ranges in
// parallel. Results are merged by the caller, so the outcome does not
// depend on scheduling.
func aggregateRanges(f *os.File, name string, format *flowlogs.Format, n int) []result {
	st, err := f.Stat()
	if err != nil {
		log.Fatal(err)
	}
	size := st.Size()
	cuts := []int64{0}
	for i := 1; i < n; i++ {
		cuts = append(cuts, nextLine(f, size*int64(i)/int64(n), size))
	}
	cuts = append(cuts, size)
	results := make([]result, n)
	done := make(chan struct{})
	for i := range n {
		go func() {
			defer func() { done <- struct{}{} }()
			sr := io.NewSectionReader(f, cuts[i], cuts[i+1]-cuts[i])
			results[i] = aggregate(sr, fmt.Sprintf("%s[%d:%d]", name, cuts[i], cuts[i+1]), flowlogs.WithFormat(format))
		}()
	}
	for range n {
		<-done
	}
	return results
}

// nextLine returns the offset just after the first '\n' at or after off.
func nextLine(f *os.File, off, size int64) int64 {
	buf := make([]byte, 4096)
	for off < size {
		n, err := f.ReadAt(buf, off)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return off + int64(i) + 1
		}
		if err != nil {
			break
		}
		off += int64(n)
	}
	return size
}
