package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

var update = flag.Bool("update", false, "rewrite testdata/small.golden")

var small = scale{Tasks: 120, Span: 2 * time.Hour, Records: 30000, Peers: 900, Seed: 1}

// digest renders what attribution answered for the generated platform:
// every group's counters, inferred share, peer classes and series sum,
// every unattributed reason and the total. The golden file pins today's
// answers, so refactors of the engine must give the same numbers.
func digest(t *testing.T, s scale, opts ...attribution.Option) string {
	return digestBy(t, s, attribution.ByTask, false, opts...)
}

// digestBy is digest for one grouping, its groups streamed
// (Attributor.Groups) or from a Result.
func digestBy(t *testing.T, s scale, by attribution.GroupBy, stream bool, opts ...attribution.Option) string {
	t.Helper()
	a := attributeAll(t, s, opts...)
	res := a.Result(by)
	groups := res.Groups
	if stream {
		groups = nil
		for g := range a.Groups(by) {
			groups = append(groups, g.Clone())
		}
	}
	var out strings.Builder
	for _, g := range groups {
		var sin, sout uint64
		for _, p := range g.Series {
			sin += p.BytesIn
			sout += p.BytesOut
		}
		fmt.Fprintf(&out, "group %s in=%d/%d out=%d/%d rec=%d acc=%d rej=%d inferred=%d/%d classes=%v series=%d/%d peers=%d ports=%d\n",
			g.Key, g.BytesIn, g.PacketsIn, g.BytesOut, g.PacketsOut, g.Records, g.AcceptedBytes, g.RejectedBytes,
			g.InferredBytes, g.InferredRecords, g.ClassBytes, sin, sout, len(g.TopPeers), len(g.TopPorts))
		for _, p := range g.TopPeers {
			fmt.Fprintf(&out, "  peer %s %s class=%v bytes=%d packets=%d records=%d maxerr=%d\n", p.Prefix, p.Service, p.Class, p.Bytes, p.Packets, p.Records, p.MaxError)
		}
		for _, p := range g.TopPorts {
			fmt.Fprintf(&out, "  port %d/%d bytes=%d packets=%d records=%d maxerr=%d\n", p.Protocol, p.Port, p.Bytes, p.Packets, p.Records, p.MaxError)
		}
	}
	for _, u := range res.Unattributed {
		fmt.Fprintf(&out, "unattributed %s bytes=%d packets=%d records=%d\n", u.Reason, u.Bytes, u.Packets, u.Records)
	}
	fmt.Fprintf(&out, "total bytes=%d packets=%d records=%d\n", res.Total.Bytes, res.Total.Packets, res.Total.Records)
	return out.String()
}

// attributeAll runs every generated record of s through one Attributor.
func attributeAll(t *testing.T, s scale, opts ...attribution.Option) *attribution.Attributor {
	t.Helper()
	var buf bytes.Buffer
	if err := s.writeRecords(&buf); err != nil {
		t.Fatal(err)
	}
	idx, err := s.history()
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(idx, opts...)
	if err := a.AddAll(flowlogs.NewReaderBytes(buf.Bytes(), flowlogs.WithFields(attribution.Fields()...)).All()); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSmallScaleGolden(t *testing.T) {
	byTask := digest(t, small)
	got := byTask
	for _, by := range []attribution.GroupBy{attribution.ByService, attribution.ByCluster} {
		got += digestBy(t, small, by, false)
	}
	path := filepath.Join("testdata", "small.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("attribution of the small generated platform changed (go test -update rewrites it):\n%s", firstDiff(got, string(want)))
	}
	if sync := digest(t, small, attribution.WithSyncAddAll()); sync != byTask {
		t.Errorf("sync AddAll differs from the pipelined one:\n%s", firstDiff(sync, byTask))
	}
	// Grouped by interface, every interface's records keep their order,
	// but a task whose address a NAT gateway's interface records too gets
	// its records in another interleaving, and its top-K summaries, which
	// depend on order, may differ within their error bounds. Every sum is
	// the same.
	g := digest(t, grouped(small, 4096))
	if got, want := sums(g), sums(byTask); got != want {
		t.Errorf("records grouped by interface give other sums:\n%s", firstDiff(got, want))
	}
	// Each answer holds its peer's true bytes within its bound, so a peer
	// both keep differs by at most the larger bound.
	drawn := peerBounds(byTask)
	if len(drawn) == 0 {
		t.Fatal("no top peers in the digest")
	}
	shared := 0
	for k, a := range peerBounds(g) {
		b, ok := drawn[k]
		if !ok {
			continue
		}
		shared++
		if max(a[0], b[0])-min(a[0], b[0]) > max(a[1], b[1]) {
			t.Errorf("%s: %d bytes (error %d) grouped, %d (error %d) as drawn", k, a[0], a[1], b[0], b[1])
		}
	}
	if shared < len(drawn)/2 {
		t.Errorf("only %d of %d top peers kept in both orders: the bound check says little", shared, len(drawn))
	}
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService} {
		if streamed, want := digestBy(t, small, by, true), digestBy(t, small, by, false); streamed != want {
			t.Errorf("by %v, Groups differs from Result:\n%s", by, firstDiff(streamed, want))
		}
	}
}

// sums is a digest without its top-K lines.
func sums(digest string) string {
	var out strings.Builder
	for l := range strings.Lines(digest) {
		if !strings.HasPrefix(l, "  peer ") && !strings.HasPrefix(l, "  port ") {
			out.WriteString(l)
		}
	}
	return out.String()
}

// peerBounds maps each group's top peers in a digest to their bytes and
// the bound of their error.
func peerBounds(digest string) map[string][2]uint64 {
	m := map[string][2]uint64{}
	var group string
	for l := range strings.Lines(digest) {
		if g, ok := strings.CutPrefix(l, "group "); ok {
			group, _, _ = strings.Cut(g, " ")
			continue
		}
		f := strings.Fields(l)
		if len(f) < 2 || f[0] != "peer" {
			continue
		}
		var v [2]uint64
		for _, kv := range f[2:] {
			k, n, _ := strings.Cut(kv, "=")
			switch k {
			case "bytes":
				v[0], _ = strconv.ParseUint(n, 10, 64)
			case "maxerr":
				v[1], _ = strconv.ParseUint(n, 10, 64)
			}
		}
		m[group+" "+f[1]] = v
	}
	return m
}

func grouped(s scale, window int) scale {
	s.Group = window
	return s
}

func compareInterface(a, b string) int {
	field := func(l string) string {
		if f := strings.Fields(l); len(f) > 2 {
			return f[2]
		}
		return ""
	}
	return strings.Compare(field(a), field(b))
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, a, b)
		}
	}
	return "(equal)"
}

func TestGeneratorIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := small.writeRecords(&a); err != nil {
		t.Fatal(err)
	}
	if err := small.writeRecords(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same scale, different records")
	}
	if n := bytes.Count(a.Bytes(), []byte("\n")); n != small.Records+1 {
		t.Fatalf("%d lines, want %d records and a header", n, small.Records)
	}

	const window = 4096
	var g bytes.Buffer
	if err := grouped(small, window).writeRecords(&g); err != nil {
		t.Fatal(err)
	}
	drawn, got := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n"), strings.Split(strings.TrimSuffix(g.String(), "\n"), "\n")
	if drawn[0] != got[0] {
		t.Fatalf("grouped header %q, want %q", got[0], drawn[0])
	}
	for i := 1; i < len(drawn); i += window {
		w, gw := drawn[i:min(i+window, len(drawn))], got[i:min(i+window, len(got))]
		if want := slices.SortedStableFunc(slices.Values(w), compareInterface); !slices.Equal(gw, want) {
			t.Fatalf("the window at line %d is not its drawn records sorted stably by interface", i+1)
		}
	}
}

func TestRunPrintsOneJSONLine(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"-tasks", "30", "-records", "3000", "-peers", "100", "-span", "1h", "-dir", t.TempDir(), "-stream", "-memlimit", "512"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errOut.String())
	}
	var m measurement
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if m.Tasks != 30 || m.Records != 3000 || m.Peers != 100 || m.Attributed == 0 || m.Total < m.Attributed || m.Groups == 0 || !m.Stream || m.MemLimitMiB != 512 {
		t.Errorf("measurement %+v", m)
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Errorf("want one line, got %q", out.String())
	}
}

// -report writes the report both ways, and says so; the same groups and
// bytes either way.
func TestRunReport(t *testing.T) {
	var seen []measurement
	for _, args := range [][]string{{"-report", "json"}, {"-report", "json", "-stream"}, {"-report", "csv", "-stream"}} {
		var out, errOut bytes.Buffer
		args = append([]string{"-tasks", "30", "-records", "3000", "-peers", "100", "-span", "1h", "-dir", t.TempDir()}, args...)
		if err := run(args, &out, &errOut); err != nil {
			t.Fatalf("%v: %v (stderr %q)", args, err, errOut.String())
		}
		var m measurement
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatalf("output %q: %v", out.String(), err)
		}
		if m.Report == "" || m.Groups == 0 || m.Attributed == 0 {
			t.Errorf("%v: measurement %+v", args, m)
		}
		seen = append(seen, m)
	}
	for _, m := range seen[1:] {
		if m.Groups != seen[0].Groups || m.Attributed != seen[0].Attributed {
			t.Errorf("%s stream %v: %d groups, %d bytes; a Result had %d, %d", m.Report, m.Stream, m.Groups, m.Attributed, seen[0].Groups, seen[0].Attributed)
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-tasks", "0"}, {"-records", "0"}, {"-peers", "1"}, {"-span", "1s"}, {"-group", "-1"}, {"-memlimit", "-1"}, {"extra"},
		{"-report", "table"}, {"-report", "csv", "-partial", "p.parquet"},
		{"-parts", "3"}, {"-parts", "-1", "-partial", "d"}, {"-parts", "3", "-partial", "d", "-stream"}, {"-records", "10", "-parts", "11", "-partial", "d"}} {
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("%v: no error", args)
		} else if out.Len() != 0 {
			t.Errorf("%v: printed %q", args, out.String())
		}
	}
}

// TestRunParts: -parts writes one partial per object, and the partials
// merge to the single run's counters, series and totals (the exact part
// of a Partial; the top-K summaries are bounded estimates once they drop
// keys).
func TestRunParts(t *testing.T) {
	dir := t.TempDir()
	s := scale{Tasks: 30, Span: time.Hour, Records: 3000, Peers: 100, Seed: 1}
	var out, errOut bytes.Buffer
	args := []string{"-tasks", "30", "-records", "3000", "-peers", "100", "-span", "1h", "-dir", dir, "-parts", "7", "-partial", filepath.Join(dir, "parts")}
	if err := run(args, &out, &errOut); err != nil {
		t.Fatal(err, errOut.String())
	}
	var m measurement
	if err := json.Unmarshal(out.Bytes(), &m); err != nil || m.Parts != 7 || m.PartialBytes == 0 || m.Attributed == 0 {
		t.Fatalf("%s: %+v, %v", out.String(), m, err)
	}
	names, err := filepath.Glob(filepath.Join(dir, "parts", "part-*.parquet"))
	if err != nil || len(names) != 7 {
		t.Fatalf("%d partials, %v", len(names), err)
	}
	var sum attribution.Merger
	for _, name := range names {
		p, err := partials.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := sum.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	got := sum.Partial().Result(attribution.ByTask)

	want := attributeAll(t, s).Result(attribution.ByTask)
	exact := func(r *attribution.Result) string {
		var b strings.Builder
		for _, g := range r.Groups {
			fmt.Fprintf(&b, "%s %+v inferred=%d/%d classes=%v series=%v\n", g.Key, g.Counters, g.InferredBytes, g.InferredRecords, g.ClassBytes, g.Series)
		}
		fmt.Fprintf(&b, "unattributed %+v total %+v", r.Unattributed, r.Total)
		return b.String()
	}
	if g, w := exact(got), exact(want); g != w {
		t.Fatalf("merged parts:\n%s\nsingle run:\n%s", g, w)
	}
	if m.Attributed != want.Attributed().Bytes || m.Total != want.Total.Bytes {
		t.Fatalf("printed attributed %d of %d bytes, the single run %d of %d", m.Attributed, m.Total, want.Attributed().Bytes, want.Total.Bytes)
	}
}
