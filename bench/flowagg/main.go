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
// A plain file is cut at line starts into one part per thread
// (flowlogs.Split, which also reads the format from the header line), each
// read by its own flowlogs.Reader; per-part maps are merged at the end. A gzip file cannot be
// split: -threads 1 decompresses in the reading goroutine
// (WithSyncDecompression), -threads 2 or more lets the Reader decompress in
// a second goroutine. -decode-only measures gzip decompression alone.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"

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

	// One part per thread (a gzip file stays whole: it cannot be cut).
	parts, _, err := flowlogs.Split(f, size(f), *threads)
	if err != nil {
		log.Fatal(err)
	}
	results := make([]result, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		var opts []flowlogs.Option
		if *threads == 1 {
			opts = append(opts, flowlogs.WithSyncDecompression())
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = aggregate(part.NewReader, fmt.Sprintf("%s@%d", name, part.Offset), opts...)
		}()
	}
	wg.Wait()

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
func aggregate(newReader func(...flowlogs.Option) *flowlogs.Reader, name string, opts ...flowlogs.Option) result {
	opts = append(opts, flowlogs.WithSource(name),
		flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldPackets, flowlogs.FieldBytes))
	fr := newReader(opts...)
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

func size(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil {
		log.Fatal(err)
	}
	return st.Size()
}
