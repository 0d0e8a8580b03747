package main

import (
	"bytes"
	"strings"
	"testing"
)

// benchOutput is what a test binary prints, from a real run.
const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/ecsnet/ecsnet/flowlogs/attribution
cpu: AMD EPYC
BenchmarkAttribution/typical-2         	       8	 141403872 ns/op	 278.59 MB/s	        84.12 e2e-faults/op	   2676432 e2e-records/s	         0.8056 e2e/parse	         0.5398 e2e/parse-cpu	   3322165 parse-records/s	12492902 B/op	    8110 allocs/op
BenchmarkAttribution/typical/grouped-2 	       8	 135872178 ns/op	 289.93 MB/s	       251.5 e2e-faults/op	   2766240 e2e-records/s	         0.7890 e2e/parse	         0.5549 e2e/parse-cpu	   3506226 parse-records/s	12284816 B/op	    8109 allocs/op
PASS
`

func TestBenchMetrics(t *testing.T) {
	m, ok := benchMetrics([]byte(benchOutput), "BenchmarkAttribution/typical")
	if !ok || m["e2e/parse"] != 0.8056 || m["ns/op"] != 141403872 || m["allocs/op"] != 8110 {
		t.Errorf("typical: %v, %v", m, ok)
	}
	// A longer name that shares the prefix is another benchmark.
	m, ok = benchMetrics([]byte(benchOutput), "BenchmarkAttribution/typical/grouped")
	if !ok || m["e2e/parse"] != 0.7890 {
		t.Errorf("typical/grouped: %v, %v", m, ok)
	}
	for _, name := range []string{"BenchmarkAttribution/large", "BenchmarkAttribution/typ", "BenchmarkAttribution"} {
		if m, ok := benchMetrics([]byte(benchOutput), name); ok {
			t.Errorf("%s: found %v in output without it", name, m)
		}
	}
	// GOMAXPROCS 1: no suffix.
	if m, ok := benchMetrics([]byte("BenchmarkRead/all-fields \t 12\t 86093203 ns/op\t 2323138 records/s\n"), "BenchmarkRead/all-fields"); !ok || m["records/s"] != 2323138 {
		t.Errorf("without suffix: %v, %v", m, ok)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	r := func(rss1, rss4, typical float64) round {
		return round{
			m1:      measurement{ParseSeconds: 0.3, AddAllSeconds: 0.6, ResultSeconds: 0.05, AddAllOverParse: 0.5, LiveAddAllMiB: 64, LiveResultMiB: 64, PeakRSSMiB: rss1},
			m4:      measurement{PeakRSSMiB: rss4},
			sync1:   measurement{AddAllOverParse: 0.25},
			res1:    measurement{AddAllSeconds: 0.6, ResultSeconds: 0.18, LiveAddAllMiB: 64, LiveResultMiB: 120},
			typical: typical, gzipAsync: 370, gzipDecode: 360, parquetRate: 2.4e6, textRate: 2.5e6, parquetCPU: 520, textCPU: 580,
		}
	}
	var b bytes.Buffer
	writeSummary(&b, []round{r(112, 136, 0.84), r(114, 137, 0.88), r(110, 135, 0.86)})
	// Compared with single spaces: the columns' widths are not the point.
	out := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		"target (3 rounds) median range target",
		"peak RSS at 1 M records, MiB 112.0 110.0–114.0 ≤ 160 met",
		"peak RSS at 4 M records / at 1 M 1.214 1.202–1.227 ≤ 1.1 not met",
		"typical case, e2e / parse alone 0.860 0.840–0.880 ≥ 0.85 met",
		"taking a Result (groups streamed) / AddAll 0.083 0.083–0.083 ≤ 0.1 met",
		"live heap after it / after AddAll 1.000 1.000–1.000 < 2 met",
		"(a whole Result, not streamed, not a target: median 0.300 of AddAll, live heap 1.875× after AddAll's)",
		"AddAll / parse alone, one goroutine 0.250 0.250–0.250 ≥ 0.6 not met",
		"gzip two-core read / bare decode 1.028 1.028–1.028 ≤ 1.05 met",
		"Parquet / gzip text, every field, records/s 0.960 0.960–0.960 ≥ 1 not met",
		"not a target: median 0.897)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}

func TestSameAnswers(t *testing.T) {
	a := round{m1: measurement{Attributed: 10}, m4: measurement{Attributed: 40}, sync1: measurement{Attributed: 10}, res1: measurement{Attributed: 10}}
	if err := a.sameAnswers(a); err != nil {
		t.Error(err)
	}
	b := a
	b.m4.Attributed = 41
	if err := b.sameAnswers(a); err == nil || !strings.Contains(err.Error(), "4 M records: 41 attributed bytes, not 40") {
		t.Errorf("4 M changed: %v", err)
	}
	c := a
	c.sync1.Attributed, a.sync1.Attributed = 11, 11
	if err := c.sameAnswers(a); err == nil || !strings.Contains(err.Error(), "one goroutine against two") {
		t.Errorf("one goroutine against two: %v", err)
	}
}

func TestFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-rounds", "0"}, "-rounds 0: need at least one"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-nope"}, "flag provided but not defined"},
	} {
		var out, errb bytes.Buffer
		err := run(c.args, &out, &errb)
		if err == nil || !strings.Contains(err.Error()+errb.String(), c.want) {
			t.Errorf("%v: %v (%s), want %q", c.args, err, errb.String(), c.want)
		}
	}
}
