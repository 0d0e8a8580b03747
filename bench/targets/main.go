// Command targets measures where issue 14's targets (attribution at
// platform scale) stand on this machine, as the issue asks them measured:
// by benchmarks and bench/attrscale, as medians of paired runs. Every case
// runs once a round and the rounds run in turn, so that a ratio is taken
// between runs minutes apart at most: this VM's speed drifts by a fifth
// over minutes, and a ratio of runs far apart measures the drift.
//
//	go run ./bench/targets [-rounds 5] [-dir DIR] [-week]
//
// Each round prints its figures as it ends; then, per target, the median
// of the rounds, their range, the target and whether the median meets it:
//
//   - bench/attrscale at 10,000 tasks, 24 h, 50,000 peers, groups
//     streamed: peak RSS at 1 M records, and at 4 M over the same round's
//     1 M; AddAll against parse-alone on two cores and (-sync) on one
//     goroutine;
//   - taking a Result against AddAll, and the live heap after it against
//     after AddAll (strictly under twice: twice is doubled), from the 1 M
//     run with the groups streamed, the way of taking one the issue names
//     ("stream groups"); a whole Result, not streamed, is taken in a run
//     of its own and printed beside them, not a target;
//   - BenchmarkAttribution/typical: end to end against parse-alone;
//   - BenchmarkReadGzip: the two-core read against the bare decode, each
//     in a process of its own;
//   - BenchmarkReadText and BenchmarkRead (parquetsource), every field:
//     Parquet's records per second against gzip text's.
//
// With -week it then runs 100,000 tasks over 7 days once (5 M records,
// about a gigabyte of generated text in -dir) and reports its peak RSS and
// AddAll time, which the issue asks to be reported, not bounded.
//
// Every run of a case must attribute the same bytes (the generator is
// seeded), and every 1 M run of a round the same as the others: a round
// that does not, the first included, stops the program, as a wrong answer
// would make its time meaningless.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "targets:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("targets", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rounds := fs.Int("rounds", 5, "`rounds`: every case runs once in each")
	dir := fs.String("dir", "", "`directory` for attrscale's generated records, 1 GB with -week (default: a temporary one)")
	week := fs.Bool("week", false, "also run 100,000 tasks over 7 days once, after the rounds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (every setting is a flag; -h lists them)", fs.Arg(0))
	}
	if *rounds < 1 {
		return fmt.Errorf("-rounds %d: need at least one", *rounds)
	}
	if err := checkTargets(targets); err != nil {
		return err
	}
	if runtime.NumCPU() < 2 {
		fmt.Fprintln(stderr, "targets: this machine has one CPU: the two-core targets cannot be measured as meant")
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	bin, err := os.MkdirTemp("", "targets-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	if *dir == "" {
		*dir = bin
	}
	fmt.Fprintln(stderr, "building attrscale and the benchmarks' test binaries…")
	t := &tools{root: root, bin: bin, dir: *dir, stderr: stderr}
	if err := t.build(); err != nil {
		return err
	}

	var rs []round
	for i := range *rounds {
		r, err := t.round()
		if err != nil {
			return fmt.Errorf("round %d: %w", i+1, err)
		}
		if len(rs) > 0 {
			if err := r.sameAnswers(rs[0]); err != nil {
				return fmt.Errorf("round %d: %w", i+1, err)
			}
		}
		rs = append(rs, r)
		fmt.Fprintf(stdout, "round %d: %s\n", i+1, r)
	}
	fmt.Fprintln(stdout)
	writeSummary(stdout, rs)
	if *week {
		m, err := t.attrscale("-tasks", "100000", "-span", "168h", "-records", "5000000", "-stream")
		if err != nil {
			return fmt.Errorf("100,000 tasks over 7 days: %w", err)
		}
		fmt.Fprintf(stdout, "\n100,000 tasks over 7 days, 5 M records, groups streamed (one run): AddAll %.2f s (parse alone %.2f s), groups %.2f s, live after AddAll %.1f MiB, peak RSS %.1f MiB\n",
			m.AddAllSeconds, m.ParseSeconds, m.ResultSeconds, m.LiveAddAllMiB, m.PeakRSSMiB)
	}
	return nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module (run from inside it): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// tools are the programs a round runs, built once.
type tools struct {
	root, bin, dir string
	stderr         io.Writer
}

func (t *tools) path(name string) string { return filepath.Join(t.bin, name) }

func (t *tools) build() error {
	cmds := [][]string{{"build", "-o", t.path("attrscale"), "./bench/attrscale"}}
	for bin, dir := range testDirs {
		cmds = append(cmds, []string{"test", "-c", "-o", t.path(bin), "./" + dir})
	}
	for _, c := range cmds {
		cmd := exec.Command("go", c...)
		cmd.Dir, cmd.Stderr = t.root, t.stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %s: %w", strings.Join(c, " "), err)
		}
	}
	return nil
}

// measurement is the part of attrscale's JSON line the targets read.
type measurement struct {
	ParseSeconds    float64 `json:"parse_s"`
	AddAllSeconds   float64 `json:"addall_s"`
	ResultSeconds   float64 `json:"result_s"`
	AddAllOverParse float64 `json:"addall_over_parse"`
	LiveAddAllMiB   float64 `json:"live_after_addall_mib"`
	LiveResultMiB   float64 `json:"live_after_result_mib"`
	PeakRSSMiB      float64 `json:"peak_rss_mib"`
	Attributed      uint64  `json:"attributed_bytes"`
}

func (t *tools) attrscale(args ...string) (measurement, error) {
	var m measurement
	args = append([]string{"-dir", t.dir}, args...)
	out, err := t.output(t.path("attrscale"), args...)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(lastLine(out), &m); err != nil {
		return m, fmt.Errorf("attrscale %s: reading its line: %w", strings.Join(args, " "), err)
	}
	if m.AddAllSeconds <= 0 || m.ParseSeconds <= 0 || m.PeakRSSMiB <= 0 {
		return m, fmt.Errorf("attrscale %s: implausible line %s", strings.Join(args, " "), lastLine(out))
	}
	return m, nil
}

// bench runs one benchmark binary and returns the metrics of the
// benchmark named name (without its -N suffix).
func (t *tools) bench(binary, pattern, name string, extra ...string) (map[string]float64, error) {
	args := append([]string{"-test.run", "^$", "-test.bench", pattern, "-test.count", "1"}, extra...)
	out, err := t.output(t.path(binary), args...)
	if err != nil {
		return nil, err
	}
	m, ok := benchMetrics(out, name)
	if !ok {
		return nil, fmt.Errorf("%s -test.bench %s: no result for %s in its output:\n%s", binary, pattern, name, out)
	}
	return m, nil
}

// testDirs are the test binaries build makes, by the package of each,
// where each runs, as go test runs it.
var testDirs = map[string]string{
	"attribution.test":   "flowlogs/attribution",
	"flowlogs.test":      "flowlogs",
	"parquetsource.test": "flowlogs/parquetsource",
}

func (t *tools) output(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = filepath.Join(t.root, testDirs[filepath.Base(name)])
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w\n%s%s", filepath.Base(name), strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return out, nil
}

func lastLine(b []byte) []byte {
	b = bytes.TrimRight(b, "\n")
	return b[bytes.LastIndexByte(b, '\n')+1:]
}

// benchMetrics returns the value of each unit on the result line of
// benchmark name ("BenchmarkAttribution/typical"), whatever its
// GOMAXPROCS suffix: "ns/op" → 141403872, "e2e/parse" → 0.8056, ….
func benchMetrics(out []byte, name string) (map[string]float64, bool) {
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		// name-N, iterations, then value-unit pairs.
		if len(f) < 4 || len(f)%2 != 0 || !isBenchName(f[0], name) {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue
		}
		m := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, false
			}
			m[f[i+1]] = v
		}
		return m, true
	}
	return nil, false
}

// isBenchName reports whether field is name with the -N suffix the
// testing package adds when GOMAXPROCS is not 1, or without it.
func isBenchName(field, name string) bool {
	rest, ok := strings.CutPrefix(field, name)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	n, ok := strings.CutPrefix(rest, "-")
	if !ok {
		return false
	}
	_, err := strconv.Atoi(n)
	return err == nil
}

// round is one run of every case.
type round struct {
	m1, m4, sync1         measurement // attrscale, groups streamed: 1 M and 4 M records, two cores; 1 M on one goroutine
	res1                  measurement // attrscale, 1 M records, two cores, a whole Result taken
	typical               float64     // BenchmarkAttribution/typical e2e/parse
	gzipAsync, gzipDecode float64     // ns per record
	parquetRate, textRate float64     // records per second, every field
	parquetCPU, textCPU   float64     // CPU ns per record
}

var scaleFlags = []string{"-tasks", "10000", "-span", "24h", "-peers", "50000"}

func (t *tools) round() (round, error) {
	var r round
	var err error
	if r.m1, err = t.attrscale(append(slices.Clip(scaleFlags), "-records", "1000000", "-stream")...); err != nil {
		return r, err
	}
	if r.m4, err = t.attrscale(append(slices.Clip(scaleFlags), "-records", "4000000", "-stream")...); err != nil {
		return r, err
	}
	if r.sync1, err = t.attrscale(append(slices.Clip(scaleFlags), "-records", "1000000", "-stream", "-sync")...); err != nil {
		return r, err
	}
	if r.res1, err = t.attrscale(append(slices.Clip(scaleFlags), "-records", "1000000")...); err != nil {
		return r, err
	}
	if err := r.consistent(); err != nil {
		return r, err
	}
	m, err := t.bench("attribution.test", "^BenchmarkAttribution$/^typical$", "BenchmarkAttribution/typical",
		"-test.skip", "^BenchmarkAttribution$/^typical$/^grouped$")
	if err != nil {
		return r, err
	}
	r.typical = m["e2e/parse"]
	// The bare decode and the read in processes of their own, one after
	// the other: a process's first benchmark pays for warming up.
	million := []string{"-test.benchtime", "1000000x"}
	if m, err = t.bench("flowlogs.test", "^BenchmarkReadGzip$/^decode-only$", "BenchmarkReadGzip/decode-only", million...); err != nil {
		return r, err
	}
	r.gzipDecode = m["ns/op"]
	if m, err = t.bench("flowlogs.test", "^BenchmarkReadGzip$/^aggregate-async$", "BenchmarkReadGzip/aggregate-async", million...); err != nil {
		return r, err
	}
	r.gzipAsync = m["ns/op"]
	if m, err = t.bench("parquetsource.test", "^BenchmarkReadText$/^all-fields$", "BenchmarkReadText/all-fields"); err != nil {
		return r, err
	}
	r.textRate, r.textCPU = m["records/s"], m["cpu-ns/record"]
	if m, err = t.bench("parquetsource.test", "^BenchmarkRead$/^all-fields$", "BenchmarkRead/all-fields"); err != nil {
		return r, err
	}
	r.parquetRate, r.parquetCPU = m["records/s"], m["cpu-ns/record"]
	for _, v := range []float64{r.typical, r.gzipDecode, r.gzipAsync, r.textRate, r.parquetRate} {
		if !(v > 0) {
			return r, errors.New("a benchmark reported no figure its target needs (renamed metric?)")
		}
	}
	return r, nil
}

// sameAnswers checks that o's attrscale runs attributed what r's did.
func (r round) sameAnswers(o round) error {
	for _, c := range []struct {
		name string
		a, b uint64
	}{{"1 M records", r.m1.Attributed, o.m1.Attributed}, {"4 M records", r.m4.Attributed, o.m4.Attributed},
		{"1 M records on one goroutine", r.sync1.Attributed, o.sync1.Attributed}, {"1 M records, a Result", r.res1.Attributed, o.res1.Attributed}} {
		if c.a != c.b {
			return fmt.Errorf("attrscale, %s: %d attributed bytes, not %d as before: the answers changed between runs", c.name, c.a, c.b)
		}
	}
	return r.consistent()
}

// consistent checks that the round's 1 M runs attributed the same bytes.
func (r round) consistent() error {
	for _, c := range []struct {
		name string
		a    uint64
	}{{"one goroutine", r.sync1.Attributed}, {"a Result", r.res1.Attributed}} {
		if c.a != r.m1.Attributed {
			return fmt.Errorf("attrscale, 1 M records, %s against two cores streamed: %d attributed bytes, not %d", c.name, c.a, r.m1.Attributed)
		}
	}
	return nil
}

func (r round) String() string {
	return fmt.Sprintf("peak RSS %.1f / %.1f MiB (1 M / 4 M), AddAll/parse %.3f (two cores) %.3f (one goroutine), a Result %.1f %% of AddAll (groups streamed; %.1f %% whole), typical %.3f, gzip/decode %.3f, Parquet/text %.3f",
		r.m1.PeakRSSMiB, r.m4.PeakRSSMiB, r.m1.AddAllOverParse, r.sync1.AddAllOverParse, 100*r.m1.ResultSeconds/r.m1.AddAllSeconds,
		100*r.res1.ResultSeconds/r.res1.AddAllSeconds, r.typical, r.gzipAsync/r.gzipDecode, r.parquetRate/r.textRate)
}

// comparison is how a target's figure must compare with its limit. The
// zero value is none: a target must name one.
type comparison uint8

const (
	atMost  comparison = iota + 1 // ≤
	below                         // <
	atLeast                       // ≥
)

func (c comparison) String() string {
	switch c {
	case atMost:
		return "≤"
	case below:
		return "<"
	case atLeast:
		return "≥"
	}
	return fmt.Sprintf("comparison(%d)", uint8(c))
}

// target is one of the targets, read from each round.
type target struct {
	name   string
	value  func(round) float64
	op     comparison // how the figure must compare with limit
	limit  float64
	format string
}

// meets reports whether v compares with the limit as the target asks; a
// comparison it does not know is an error.
func (t target) meets(v float64) (bool, error) {
	switch t.op {
	case atMost:
		return v <= t.limit, nil
	case below:
		return v < t.limit, nil
	case atLeast:
		return v >= t.limit, nil
	}
	return false, fmt.Errorf("target %q: unknown comparison %v", t.name, t.op)
}

// checkTargets rejects a target meets cannot judge, before hours of
// benchmarks rather than at the summary.
func checkTargets(ts []target) error {
	for _, t := range ts {
		if _, err := t.meets(0); err != nil {
			return err
		}
	}
	return nil
}

var targets = []target{
	{"peak RSS at 1 M records, MiB", func(r round) float64 { return r.m1.PeakRSSMiB }, atMost, 160, "%.1f"},
	{"peak RSS at 4 M records / at 1 M", func(r round) float64 { return r.m4.PeakRSSMiB / r.m1.PeakRSSMiB }, atMost, 1.1, "%.3f"},
	{"AddAll / parse alone, two cores", func(r round) float64 { return r.m1.AddAllOverParse }, atLeast, 0.8, "%.3f"},
	{"AddAll / parse alone, one goroutine", func(r round) float64 { return r.sync1.AddAllOverParse }, atLeast, 0.6, "%.3f"},
	{"typical case, e2e / parse alone", func(r round) float64 { return r.typical }, atLeast, 0.85, "%.3f"},
	{"taking a Result (groups streamed) / AddAll", func(r round) float64 { return r.m1.ResultSeconds / r.m1.AddAllSeconds }, atMost, 0.1, "%.3f"},
	{"live heap after it / after AddAll", func(r round) float64 { return r.m1.LiveResultMiB / r.m1.LiveAddAllMiB }, below, 2, "%.3f"},
	{"gzip two-core read / bare decode", func(r round) float64 { return r.gzipAsync / r.gzipDecode }, atMost, 1.05, "%.3f"},
	{"Parquet / gzip text, every field, records/s", func(r round) float64 { return r.parquetRate / r.textRate }, atLeast, 1, "%.3f"},
}

func writeSummary(w io.Writer, rs []round) {
	rounds := fmt.Sprintf("%d rounds", len(rs))
	if len(rs) == 1 {
		rounds = "1 round"
	}
	fmt.Fprintf(w, "%-46s %9s %19s %9s  %s\n", "target ("+rounds+")", "median", "range", "target", "")
	for _, t := range targets {
		vs := make([]float64, len(rs))
		for i, r := range rs {
			vs[i] = t.value(r)
		}
		med := median(vs)
		verdict := "met"
		switch ok, err := t.meets(med); {
		case err != nil:
			verdict = "not judged: " + err.Error()
		case !ok:
			verdict = "not met"
		}
		f := t.format
		fmt.Fprintf(w, "%-46s %9s %19s %9s  %s\n", t.name, fmt.Sprintf(f, med),
			fmt.Sprintf(f+"–"+f, slices.Min(vs), slices.Max(vs)), t.op.String()+" "+strconv.FormatFloat(t.limit, 'g', -1, 64), verdict)
	}
	cpu, whole, heap := make([]float64, len(rs)), make([]float64, len(rs)), make([]float64, len(rs))
	for i, r := range rs {
		cpu[i] = r.parquetCPU / r.textCPU
		whole[i] = r.res1.ResultSeconds / r.res1.AddAllSeconds
		heap[i] = r.res1.LiveResultMiB / r.res1.LiveAddAllMiB
	}
	fmt.Fprintf(w, "(Parquet / gzip text in CPU per record, not a target: median %.3f)\n", median(cpu))
	fmt.Fprintf(w, "(a whole Result, not streamed, not a target: median %.3f of AddAll, live heap %.3f× after AddAll's)\n", median(whole), median(heap))
}

// median returns the median of vs (the mean of the middle two when even).
func median(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
