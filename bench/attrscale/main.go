// Command attrscale measures attribution at platform scale: a generated
// cluster (seeded, deterministic) of -tasks awsvpc tasks, a quarter of them
// replaced half-way through -span, bridge tasks on the container
// instances, and -records flow-log records exchanged with a pool of -peers
// peer addresses. It runs them through the public API — the history
// Builder from DescribeTasks shapes, flowlogs.Reader, Attributor.AddAll,
// Result (or, with -stream, Attributor.Groups; with -partial, the partial a
// fan-out worker writes) — and prints one JSON line:
//
//	{"tasks":10000,"records":1000000,"peers":50000,"span":"24h0m0s","sync":false,"stream":false,
//	 "parse_s":…,"addall_s":…,"result_s":…,"addall_over_parse":…,
//	 "peak_heap_mib":…,"live_after_addall_mib":…,"live_after_result_mib":…,"peak_rss_mib":…,
//	 "addall_page_faults":…,"result_page_faults":…,"first_touch_us":…,
//	 "groups":…,"attributed_bytes":…,"total_bytes":…}
//
// and, only when their flags are given, "group", "memlimit_mib" and
// "report" (-group, -memlimit, -report), and "partial_s", "partial_bytes"
// and "parts" (-partial, -parts).
//
// parse_s reads the same file with the fields attribution asks for and
// nothing else; addall_over_parse is parse_s / addall_s, the share of the
// parser's throughput attribution keeps; result_s is taking the Result, or
// reading every group from Groups. Peak heap is sampled every
// millisecond; peak RSS is the kernel's high-water mark for the whole
// process (Linux), generation and parse-alone included (both stream),
// read before first_touch_us's own 32 MiB mapping is made.
// -addall-profile, -result-profile and -heap-profile write pprof profiles
// of AddAll, of taking the result, and of the heap live after AddAll.
// -report csv or json writes the report by task (to nowhere), as the
// attribute program does, from a whole Result or, with -stream, from
// Attributor.ResultStream; result_s is then the time to write it.
//
// AddAll's time includes the kernel's work to give it memory: every page of
// heap it touches for the first time faults. addall_page_faults counts the
// minor faults during AddAll (result_page_faults those while the Result or
// the groups are taken) and first_touch_us is what one costs on this
// machine (a fresh anonymous mapping touched page by page), so their
// product is the share of addall_s that is the machine's, not the
// engine's. It is small on bare metal and large under some hypervisors
// (first_touch_us on Linux only, 0 elsewhere).
//
//	go run ./bench/attrscale -tasks 10000 -span 24h -records 1000000 -peers 50000
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/internal/cputime"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "attrscale:", err)
		os.Exit(1)
	}
}

// measurement is the JSON line the program prints.
type measurement struct {
	Tasks           int     `json:"tasks"`
	Records         int     `json:"records"`
	Peers           int     `json:"peers"`
	Span            string  `json:"span"`
	Sync            bool    `json:"sync"`
	Stream          bool    `json:"stream"`
	Group           int     `json:"group,omitempty"`
	MemLimitMiB     int     `json:"memlimit_mib,omitempty"`
	Report          string  `json:"report,omitempty"`
	ParseSeconds    float64 `json:"parse_s"`
	AddAllSeconds   float64 `json:"addall_s"`
	ResultSeconds   float64 `json:"result_s"`
	AddAllOverParse float64 `json:"addall_over_parse"`
	PeakHeapMiB     float64 `json:"peak_heap_mib"`
	LiveAddAllMiB   float64 `json:"live_after_addall_mib"`
	LiveResultMiB   float64 `json:"live_after_result_mib"`
	PeakRSSMiB      float64 `json:"peak_rss_mib"`
	AddAllFaults    uint64  `json:"addall_page_faults"`
	ResultFaults    uint64  `json:"result_page_faults"`
	FirstTouchMicro float64 `json:"first_touch_us"`
	PartialSeconds  float64 `json:"partial_s,omitempty"`
	PartialBytes    int64   `json:"partial_bytes,omitempty"`
	Parts           int     `json:"parts,omitempty"`
	Groups          int     `json:"groups"`
	Attributed      uint64  `json:"attributed_bytes"`
	Total           uint64  `json:"total_bytes"`
	peerBytes       uint64  // read so that streaming reads what a Result holds
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("attrscale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s scale
	fs.IntVar(&s.Tasks, "tasks", 10000, "awsvpc `tasks` at the start (a quarter replaced half-way)")
	fs.DurationVar(&s.Span, "span", 24*time.Hour, "time `span` of the records")
	fs.IntVar(&s.Records, "records", 1000000, "flow-log `records` to generate")
	fs.IntVar(&s.Peers, "peers", 50000, "distinct peer addresses in the pool")
	fs.Uint64Var(&s.Seed, "seed", 1, "generator seed: same flags, same records")
	fs.IntVar(&s.Group, "group", 0, "write the records grouped by interface in windows of `n` records (0: in the order drawn), as a source delivering one interface's records together would; the sums are the same, top-K summaries within their error bounds")
	sync := fs.Bool("sync", false, "attribute on the calling goroutine (attribution.WithSyncAddAll)")
	profile := fs.String("result-profile", "", "write a CPU profile of taking the Result to `file`")
	addAllProfile := fs.String("addall-profile", "", "write a CPU profile of AddAll to `file`")
	heapProfile := fs.String("heap-profile", "", "write a heap profile of what is live after AddAll to `file`")
	partial := fs.String("partial", "", "write the partial result (what a fan-out worker writes per object) to `file` instead of taking the Result, and time that")
	parts := fs.Int("parts", 0, "split the records into `n` objects of consecutive records and write each one's partial into the directory -partial names (part-NNNN.parquet), for attribute -merge to reduce")
	stream := fs.Bool("stream", false, "take the groups one at a time (Attributor.Groups) instead of a Result, or with -partial write it from Attributor.PartialStream, or with -report write it from Attributor.ResultStream")
	reportFormat := fs.String("report", "", "write the report by task in `format` csv or json (to nowhere) instead of only taking the groups, and time that, as the attribute program does")
	memLimit := fs.Int("memlimit", 0, "soft memory limit in `MiB` (debug.SetMemoryLimit, as GOMEMLIMIT), 0 for none")
	dir := fs.String("dir", "", "`directory` for the generated records (default: a temporary one, removed at exit)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (every setting is a flag; -h lists them)", fs.Arg(0))
	}
	switch {
	case s.Tasks < 1:
		return fmt.Errorf("-tasks %d: need at least one task", s.Tasks)
	case s.Records < 1:
		return fmt.Errorf("-records %d: need at least one record", s.Records)
	case s.Peers < 2:
		return fmt.Errorf("-peers %d: need at least two peers", s.Peers)
	case s.Group < 0:
		return fmt.Errorf("-group %d: want a window of records, or 0 for none", s.Group)
	case s.Span < time.Minute:
		return fmt.Errorf("-span %v: need at least a minute", s.Span)
	case *reportFormat != "" && !streams(*reportFormat):
		return fmt.Errorf("-report %q: want csv or json", *reportFormat)
	case *reportFormat != "" && *partial != "":
		return errors.New("-report and -partial each choose what is written after AddAll: give one")
	case *parts < 0 || *parts > s.Records:
		return fmt.Errorf("-parts %d: want 1 to -records (%d)", *parts, s.Records)
	case *parts > 0 && (*partial == "" || *stream || *sync || *reportFormat != ""):
		return errors.New("-parts writes the parts' partials into the directory -partial names, and takes no -stream, -sync or -report")
	case *parts > 0 && (*addAllProfile != "" || *profile != "" || *heapProfile != ""):
		return errors.New("-parts takes no profile: -addall-profile, -result-profile and -heap-profile are of the single run")
	case *profile != "" && (*partial != "" || *reportFormat != ""):
		return errors.New("-result-profile profiles taking the Result or the groups, which -partial and -report do not")
	case *memLimit < 0:
		return fmt.Errorf("-memlimit %d: need a size in MiB, or 0 for none", *memLimit)
	}

	path, cleanup, err := s.generate(*dir)
	if err != nil {
		return err
	}
	defer cleanup()
	idx, err := s.history()
	if err != nil {
		return fmt.Errorf("building the history: %w", err)
	}

	m := measurement{Tasks: s.Tasks, Records: s.Records, Peers: s.Peers, Span: s.Span.String(), Group: s.Group, Sync: *sync, Stream: *stream}
	if *memLimit > 0 {
		m.MemLimitMiB = *memLimit
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(*memLimit) << 20))
	}
	if *parts > 0 {
		return writeParts(idx, path, *partial, *parts, m, stdout)
	}
	// Parse-alone runs beside the same heap sampler as AddAll (its peak
	// unused): the sampler costs a few percent of a core, which only
	// AddAll's side of the ratio paid.
	parsePeak := startHeapSampler()
	t0 := time.Now()
	if err := parseAlone(path); err != nil {
		return err
	}
	m.ParseSeconds = time.Since(t0).Seconds()
	parsePeak()

	runtime.GC()
	peak := startHeapSampler()
	var opts []attribution.Option
	if *sync {
		opts = append(opts, attribution.WithSyncAddAll())
	}
	a := attribution.New(idx, opts...)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	stop, err := startCPUProfile(*addAllProfile)
	if err != nil {
		return err
	}
	faults0 := cputime.MinorFaults()
	t0 = time.Now()
	r := flowlogs.NewReader(f, flowlogs.WithFields(attribution.Fields()...), flowlogs.WithSource(path))
	if err := a.AddAll(r.All()); err != nil {
		return err
	}
	m.AddAllSeconds = time.Since(t0).Seconds()
	m.AddAllFaults = cputime.MinorFaults() - faults0
	if err := stop(); err != nil {
		return err
	}
	m.LiveAddAllMiB = liveMiB()
	if *heapProfile != "" {
		if err := writeHeapProfile(*heapProfile); err != nil {
			return err
		}
	}

	if *partial != "" {
		return writePartial(a, *partial, *stream, m, peak, stdout)
	}
	if *reportFormat != "" {
		return writeReport(a, *reportFormat, *stream, m, peak, stdout)
	}
	if stop, err = startCPUProfile(*profile); err != nil {
		return err
	}
	faults0 = cputime.MinorFaults()
	t0 = time.Now()
	var res *attribution.Result
	if *stream {
		// What a streaming consumer does: read each group, keep nothing.
		for g := range a.Groups(attribution.ByTask) {
			m.Groups++
			m.Attributed += g.Bytes()
			for _, p := range g.TopPeers {
				m.peerBytes += p.Bytes
			}
		}
	} else {
		res = a.Result(attribution.ByTask)
		m.Groups = len(res.Groups)
		m.Attributed = res.Attributed().Bytes
	}
	m.ResultSeconds = time.Since(t0).Seconds() // before the profile is stopped and written
	m.ResultFaults = cputime.MinorFaults() - faults0
	if err := stop(); err != nil {
		return err
	}
	m.LiveResultMiB = liveMiB()
	m.PeakHeapMiB = peak()
	if err := m.readPeakRSS(); err != nil {
		return err
	}
	m.AddAllOverParse = m.ParseSeconds / m.AddAllSeconds
	m.Total = a.Total().Bytes
	if m.Attributed == 0 {
		return errors.New("nothing attributed: the generator and the history disagree")
	}
	runtime.KeepAlive(res)
	enc := json.NewEncoder(stdout)
	return enc.Encode(m)
}

// streams reports whether -report can take format: one the attribute
// program can write both ways (report.Format.Streams).
func streams(format string) bool {
	f, err := report.ParseFormat(format)
	return err == nil && f.Streams()
}

// writeReport writes the report by task in format to io.Discard, from a
// Result or (stream) from Attributor.ResultStream, as the attribute
// program writes -format csv and json, and prints the measurement with
// result_s the time taken to write it.
func writeReport(a *attribution.Attributor, format string, stream bool, m measurement, peak func() float64, stdout io.Writer) error {
	f, err := report.ParseFormat(format)
	if err != nil {
		return err
	}
	m.Report = f.String()
	t0 := time.Now()
	var head *attribution.Result
	if stream {
		h, groups := a.ResultStream(attribution.ByTask)
		counted := func(yield func(*attribution.Group) bool) {
			for g := range groups {
				m.Groups++
				if !yield(g) {
					return
				}
			}
		}
		err = report.WriteStream(io.Discard, f, h, counted)
		head = h
	} else {
		head = a.Result(attribution.ByTask)
		m.Groups = len(head.Groups)
		err = report.Write(io.Discard, f, head)
	}
	if err != nil {
		return err
	}
	m.ResultSeconds = time.Since(t0).Seconds()
	m.PeakHeapMiB = peak()
	if err := m.readPeakRSS(); err != nil {
		return err
	}
	m.AddAllOverParse = m.ParseSeconds / m.AddAllSeconds
	m.Total = a.Total().Bytes
	m.Attributed = m.Total - head.UnattributedTotal().Bytes
	if m.Attributed == 0 {
		return errors.New("nothing attributed: the generator and the history disagree")
	}
	return json.NewEncoder(stdout).Encode(m)
}

// writePartial takes the partial and writes it, as a worker does after
// attributing an object, and prints the measurement.
// With stream, it is written from Attributor.PartialStream.
func writePartial(a *attribution.Attributor, name string, stream bool, m measurement, peak func() float64, stdout io.Writer) error {
	t0 := time.Now()
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	p, tasks := a.PartialStream()
	if !stream {
		p = a.Partial()
		tasks = func(yield func(*attribution.TaskPart) bool) {
			for i := range p.Tasks {
				if !yield(&p.Tasks[i]) {
					return
				}
			}
		}
		err = partials.Write(f, p)
	} else {
		err = partials.WriteStream(f, p, tasks)
	}
	if err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	m.PartialSeconds = time.Since(t0).Seconds()
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	m.PartialBytes = fi.Size()
	m.PeakHeapMiB = peak()
	if err := m.readPeakRSS(); err != nil {
		return err
	}
	m.AddAllOverParse = m.ParseSeconds / m.AddAllSeconds
	for tp := range tasks {
		m.Groups++
		m.Attributed += tp.Bytes()
	}
	m.Total = p.Total.Bytes
	if m.Attributed == 0 {
		return errors.New("nothing attributed: the generator and the history disagree")
	}
	return json.NewEncoder(stdout).Encode(m)
}

// generate writes the records to a file, so that neither pass holds them
// in memory and the process's peak is attribution's own.
func (s scale) generate(dir string) (string, func(), error) {
	cleanup := func() {}
	if dir == "" {
		d, err := os.MkdirTemp("", "attrscale-")
		if err != nil {
			return "", nil, err
		}
		dir, cleanup = d, func() { os.RemoveAll(d) }
	}
	name := fmt.Sprintf("scale-t%d-r%d-p%d-s%s-seed%d", s.Tasks, s.Records, s.Peers, s.Span, s.Seed)
	if s.Group > 1 {
		name += fmt.Sprintf("-group%d", s.Group)
	}
	path := filepath.Join(dir, name+".log")
	f, err := os.Create(path)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	err = s.writeRecords(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return path, cleanup, nil
}

// parseAlone reads the file as attribution's Reader does, with nothing
// after it: the parser's share of the work.
func parseAlone(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := flowlogs.NewReader(f, flowlogs.WithFields(attribution.Fields()...), flowlogs.WithSource(path))
	var n, sum uint64
	for r.Scan() {
		n++
		sum += uint64(r.Record().Bytes)
	}
	if err := r.Err(); err != nil {
		return err
	}
	if n == 0 || sum == 0 {
		return fmt.Errorf("%s: no records parsed", path)
	}
	return nil
}

// startCPUProfile starts a CPU profile to the file name, if any; the
// returned function stops it and closes the file.
func startCPUProfile(name string) (stop func() error, err error) {
	if name == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// writeHeapProfile writes what is live to the file name.
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func liveMiB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// startHeapSampler samples the heap's in-use bytes every millisecond until
// the returned function is called, which returns the peak in MiB.
func startHeapSampler() func() float64 {
	var peak atomic.Uint64
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for !stop.Load() {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			time.Sleep(time.Millisecond)
		}
	}()
	return func() float64 {
		stop.Store(true)
		wg.Wait()
		return float64(peak.Load()) / (1 << 20)
	}
}

// readPeakRSS reads the process's peak RSS so far and only then measures
// what a first touch costs: that measurement maps and touches 32 MiB of
// its own, which would otherwise be the peak of any run whose work needs
// less than the process's size before it plus 32 MiB.
func (m *measurement) readPeakRSS() error {
	m.PeakRSSMiB = peakRSSMiB()
	var err error
	m.FirstTouchMicro, err = firstTouchMicros()
	return err
}

// peakRSSMiB is VmHWM from /proc/self/status, or 0 where there is none.
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
