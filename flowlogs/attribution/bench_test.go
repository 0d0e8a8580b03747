package attribution

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/cputime"
	"github.com/ecsnet/ecsnet/netmode"
)

// benchCluster is a synthetic cluster of nTasks awsvpc tasks over span (a
// quarter replaced half-way, reusing their addresses), 50 instances with a
// bridge task each, and 200,000 v5 records over them: ENI popularity skewed
// (exponential), ~5 % REJECT, a tenth on a NAT gateway ENI and a tenth on
// the instances' ENIs. Peers: 90 % from 500 shared in-VPC and AWS addresses
// (load balancer nodes, databases, other services, S3) by a Zipf law, as
// records are per 5-tuple and per window so the same peers recur; 10 %
// one-off internet clients, the worst case for the bounded top-K.
func benchCluster(nTasks int, span time.Duration) (*history.Index, []byte) {
	return benchClusterN(nTasks, span, 200000)
}

// benchClusterN is benchCluster with n records.
func benchClusterN(nTasks int, span time.Duration, n int) (*history.Index, []byte) {
	rng := rand.New(rand.NewPCG(7, 7))
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	var tasks []history.Task
	var inst []history.Instance
	for i := range 50 {
		arn := fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/bench/%032x", i)
		inst = append(inst, history.Instance{ARN: arn, AvailabilityZone: "us-east-1a", ENI: fmt.Sprintf("eni-i%016x", i),
			IPv4: netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})})
		tasks = append(tasks, history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/bench/b%031x", i),
			Group: "service:bridge", Family: "bridge", NetworkMode: netmode.ModeBridge, ContainerInstanceARN: arn,
			Valid:    history.Interval{Start: start},
			Bindings: []history.Binding{{Proto: netmode.TCP, HostPort: 32768, HostPortLast: 32768, ContainerPort: 8080, ContainerPortLast: 8080}}})
	}
	half := span / 2
	for i := range nTasks {
		a := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		t := history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/bench/%032x", i),
			Group: fmt.Sprintf("service:s%d", i%20), Family: fmt.Sprintf("f%d", i%20), NetworkMode: netmode.ModeAWSVPC,
			ContainerInstanceARN: inst[i%50].ARN, AvailabilityZone: "us-east-1a", ENI: fmt.Sprintf("eni-%017x", i), IPv4: a,
			Valid: history.Interval{Start: start}}
		if i%4 == 0 {
			t.Valid.End = start.Add(half)
			r := t
			r.ARN += "r"
			r.ENI += "r"
			r.Valid = history.Interval{Start: t.Valid.End}
			tasks = append(tasks, r)
		}
		tasks = append(tasks, t)
	}
	var buf bytes.Buffer
	buf.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n")
	zipf := rand.NewZipf(rng, 1.1, 4, 499)
	for k := range n {
		ts := start.Unix() + int64(k)*int64(span/time.Second)/int64(n)
		i := int(rng.ExpFloat64()*float64(nTasks)/6) % nTasks
		eni := fmt.Sprintf("eni-%017x", i)
		if i%4 == 0 && ts >= start.Add(half).Unix() {
			eni += "r"
		}
		local := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		p := int(zipf.Uint64())
		peer := netip.AddrFrom4([4]byte{10, 2, byte(p >> 8), byte(p)})
		svc := "-"
		switch {
		case rng.IntN(10) == 0:
			peer = netip.AddrFrom4([4]byte{byte(1 + rng.IntN(200)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
		case p%50 == 0:
			peer, svc = netip.AddrFrom4([4]byte{52, 216, byte(p >> 8), byte(p)}), "S3"
		}
		action := "ACCEPT"
		if rng.IntN(20) == 0 {
			action = "REJECT"
		}
		src, dst, sp, dp, dir := local, peer, 40000+rng.IntN(20000), 443, "egress"
		switch k % 10 {
		case 0:
			eni = fmt.Sprintf("eni-i%016x", i%50)
			src, dst, sp, dp, dir = peer, inst[i%50].IPv4, 40000+rng.IntN(20000), 32768, "ingress"
		case 1:
			eni = "eni-0natgateway00001"
			if k%20 == 1 {
				src = netip.AddrFrom4([4]byte{10, 9, 0, 1}) // the NAT gateway's own traffic
			}
		case 2, 3, 4:
			src, dst, sp, dp, dir = peer, local, 40000+rng.IntN(20000), 8080, "ingress"
		}
		fmt.Fprintf(&buf, "5 123456789012 %s %s %s %d %d 6 %d %d %d %d %s OK vpc-0abc subnet-0abc - 2 IPv4 %s %s us-east-1 use1-az1 - - - %s %s -\n",
			eni, src, dst, sp, dp, 1+rng.IntN(50), 40+rng.IntN(60000), ts, ts+59, action, src, dst, svc, dir)
	}
	return mustIndex(tasks, inst), buf.Bytes()
}

// benchSet is one benchmark input: a cluster and its records.
type benchSet struct {
	h  *history.Index
	in []byte
}

var benchSets = map[string]*benchSet{}

// benchInput returns a named input, built once: "typical" is 200 tasks
// over an hour (1,000 records a task: peers recur, summaries stay warm),
// "large" 2,000 tasks over a day (100 records a task, most of them evicting
// a peer, every rollup cold in the caches); "/grouped" orders each
// 5-minute file's lines by interface, as CloudWatch Logs delivers them (one
// stream per ENI).
func benchInput(name string) *benchSet {
	if s := benchSets[name]; s != nil {
		return s
	}
	base, grouped := strings.CutSuffix(name, "/grouped")
	var s *benchSet
	switch {
	case grouped:
		b := benchInput(base)
		s = &benchSet{h: b.h, in: groupByENI(b.in)}
	case base == "typical":
		s = &benchSet{}
		s.h, s.in = benchCluster(200, time.Hour)
	default:
		s = &benchSet{}
		s.h, s.in = benchCluster(2000, 24*time.Hour)
	}
	benchSets[name] = s
	return s
}

func groupByENI(in []byte) []byte {
	lines := bytes.Split(bytes.TrimSuffix(in, []byte("\n")), []byte("\n"))
	type keyed struct {
		window int64
		eni    string
		line   []byte
	}
	body := make([]keyed, len(lines)-1)
	for i, l := range lines[1:] {
		f := bytes.Fields(l)
		ts, _ := strconv.ParseInt(string(f[10]), 10, 64)
		body[i] = keyed{ts / 300, string(f[2]), l}
	}
	sort.SliceStable(body, func(i, j int) bool {
		if body[i].window != body[j].window {
			return body[i].window < body[j].window
		}
		return body[i].eni < body[j].eni
	})
	out := append(append([]byte(nil), lines[0]...), '\n')
	for _, k := range body {
		out = append(append(out, k.line...), '\n')
	}
	return out
}

var benchCases = []string{"typical", "typical/grouped", "large", "large/grouped"}

// BenchmarkAttributionSync is BenchmarkAttribution with WithSyncAddAll:
// parsing and attribution one after the other, on one goroutine.
func BenchmarkAttributionSync(b *testing.B) {
	saved := benchOpts
	benchOpts = append(slices.Clip(benchOpts), WithSyncAddAll())
	defer func() { benchOpts = saved }()
	for _, name := range benchCases {
		b.Run(name, func(b *testing.B) { benchAttribution(b, benchInput(name)) })
	}
}

// BenchmarkAttributionCountersOnly is BenchmarkAttribution with
// WithoutPeers: counters and series, no top peers, ports or classes.
func BenchmarkAttributionCountersOnly(b *testing.B) {
	saved := benchOpts
	benchOpts = append(slices.Clip(benchOpts), WithoutPeers())
	defer func() { benchOpts = saved }()
	for _, name := range benchCases {
		b.Run(name, func(b *testing.B) { benchAttribution(b, benchInput(name)) })
	}
}

// parseOnly reads every record with the fields attribution needs and sums
// bytes per interface: the parser's own throughput on the same work.
func parseOnly(b *testing.B, in []byte) int {
	r := flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...), flowlogs.WithSyncDecompression())
	perENI := map[string]int64{}
	n := 0
	for r.Scan() {
		rec := r.Record()
		perENI[rec.InterfaceID] += rec.Bytes
		n++
	}
	if err := r.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

func endToEnd(b *testing.B, h *history.Index, in []byte) (int, *Attributor) {
	a := New(h, benchOpts...)
	r := flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...), flowlogs.WithSyncDecompression())
	if err := a.AddAll(r.All()); err != nil {
		b.Fatal(err)
	}
	return int(a.Total().Records), a
}

// BenchmarkAttribution measures records/s of the parser alone (reading the
// fields attribution needs, summing bytes per ENI) and of parser +
// attribution end to end, on the same input in the same run, and reports
// their ratio (target ≥ 0.8), by wall and by CPU time, for each input of
// benchInput. End to end is AddAll, which with two cores attributes on a
// second goroutine while the stream is parsed: e2e/parse is the throughput
// a caller sees, e2e/parse-cpu what attribution costs in CPU.
// BenchmarkAttributionSync is the same on one goroutine.
func BenchmarkAttribution(b *testing.B) {
	for _, name := range benchCases {
		b.Run(name, func(b *testing.B) { benchAttribution(b, benchInput(name)) })
	}
}

func benchAttribution(b *testing.B, set *benchSet) {
	h, in := set.h, set.in
	var parse, e2e, parseCPU, e2eCPU time.Duration
	var records int
	var faults uint64
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		runtime.GC() // start each phase with no garbage of the other's
		t, c := time.Now(), cpuTime()
		records = parseOnly(b, in)
		parse += time.Since(t)
		parseCPU += cpuTime() - c
		runtime.GC()
		t, c, f := time.Now(), cpuTime(), cputime.MinorFaults()
		n, a := endToEnd(b, h, in)
		e2e += time.Since(t)
		e2eCPU += cpuTime() - c
		faults += cputime.MinorFaults() - f
		if n != records {
			b.Fatalf("attributed %d records, parsed %d", n, records)
		}
		if u := a.Result(ByTask).UnattributedTotal(); u.Records == 0 || u.Records == uint64(n) {
			b.Fatalf("implausible split: %d of %d unattributed", u.Records, n)
		}
	}
	iters := float64(b.N)
	b.ReportMetric(float64(records)*iters/parse.Seconds(), "parse-records/s")
	b.ReportMetric(float64(records)*iters/e2e.Seconds(), "e2e-records/s")
	b.ReportMetric(parse.Seconds()/e2e.Seconds(), "e2e/parse")
	if e2eCPU > 0 {
		// CPU time is steadier than wall time on a shared machine.
		b.ReportMetric(parseCPU.Seconds()/e2eCPU.Seconds(), "e2e/parse-cpu")
	}
	// The pages end to end maps afresh: where a page fault is dear (some
	// hypervisors take over 10 µs), they are a large and variable part
	// of e2e, and explain most of its spread between runs.
	b.ReportMetric(float64(faults)/iters, "e2e-faults/op")
}

// BenchmarkJoin measures attribution alone on pre-parsed flows, in both
// record orders.
func BenchmarkJoin(b *testing.B) {
	for _, name := range benchCases {
		b.Run(name, func(b *testing.B) { benchJoin(b, benchInput(name)) })
	}
}

func benchJoin(b *testing.B, set *benchSet) {
	h, in := set.h, set.in
	var flows []flow
	r := flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...))
	for r.Scan() {
		var f flow
		fromRecord(r.Record(), &f)
		flows = append(flows, f)
	}
	if r.Err() != nil {
		b.Fatal(r.Err())
	}
	cfg := defaultConfig()
	e := newEngine(h, cfg)
	b.ReportAllocs()
	runtime.GC()
	c := cpuTime()
	for i := 0; b.Loop(); i++ {
		e.add(&flows[i%len(flows)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	if cpu := cpuTime() - c; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/record")
	}
}

var benchOpts []Option

// BenchmarkResult measures taking the groups of the large input (2,000
// tasks over a day, 2,500 task groups) once its records are added: a
// whole Result, and the same groups read from Groups (built one at a
// time into reused memory), each against the AddAll that built the
// rollups ("of-addall"; issue 14's target is ≤ 0.1).
func BenchmarkResult(b *testing.B) {
	set := benchInput("large")
	t := time.Now()
	_, a := endToEnd(b, set.h, set.in)
	addAll := time.Since(t)
	b.Run("result", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(a.Result(ByTask).Groups) == 0 {
				b.Fatal("no groups")
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/addAll.Seconds(), "of-addall")
	})
	b.Run("groups", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for range a.Groups(ByTask) {
				n++
			}
			if n == 0 {
				b.Fatal("no groups")
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/addAll.Seconds(), "of-addall")
	})
	// Groups of many tasks, whose summaries are merged: 20 services of
	// 100 tasks, one cluster of them all.
	for _, g := range []GroupBy{ByService, ByCluster} {
		b.Run("result-by-"+g.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(a.Result(g).Groups) == 0 {
					b.Fatal("no groups")
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/addAll.Seconds(), "of-addall")
		})
	}
}

// BenchmarkHandoff measures what handing batches of flows to another
// goroutine costs the parsing one, apart from the work on them: the
// typical input parsed alone, and parsed into batches of n flows that a
// second goroutine hands back, unread or after reading what the join
// reads first of each flow. Each batch may wake the consumer (pipeBatch's
// reason: on some hypervisors a wake is dear); and refilling a batch that
// the other core has just read costs more than refilling one it read
// batches ago (the reason batches.empty takes the batch given back longest
// ago: with two batches that is the one given back last).
func BenchmarkHandoff(b *testing.B) {
	in := benchInput("typical").in
	b.Run("parse-only", func(b *testing.B) {
		for b.Loop() {
			parseOnly(b, in)
		}
	})
	for _, c := range []struct {
		size, batches int
		read          bool
	}{{1024, pipeBatches, false}, {pipeBatch, pipeBatches, false}, {pipeBatch, 2, false}, {pipeBatch, 2, true}, {pipeBatch, pipeBatches, true}} {
		name := fmt.Sprintf("batch-%d/of-%d/unread", c.size, c.batches)
		if c.read {
			name = strings.TrimSuffix(name, "unread") + "read"
		}
		b.Run(name, func(b *testing.B) {
			var sink uint64
			for b.Loop() {
				bs, done := newBatches[flow](c.batches, c.size), make(chan struct{})
				go func() {
					defer close(done)
					for x := range bs.full {
						if c.read {
							for i := range x {
								f := &x[i]
								sink += f.bytes + uint64(len(f.eni)+len(f.azID)+len(f.vpcID)) + uint64(f.start) + uint64(f.srcPort)
							}
						}
						bs.giveBack(x)
					}
				}()
				r := flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...), flowlogs.WithSyncDecompression())
				bt, k := bs.empty(), 0
				for r.Scan() {
					fromRecord(r.Record(), &bt[k])
					if k++; k == len(bt) {
						bs.full <- bt
						bt, k = bs.empty(), 0
					}
				}
				close(bs.full)
				<-done
			}
			_ = sink
		})
	}
}
