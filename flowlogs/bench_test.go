package flowlogs

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// synth returns n deterministic records of format f as an S3 text object
// (header first): skewed interface popularity, ~5 % REJECT, some NODATA and
// SKIPDATA, ~10 % IPv6.
func synth(f *Format, n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	enis := make([]string, 2000)
	for i := range enis {
		enis[i] = fmt.Sprintf("eni-%017x", rng.Uint64()>>4)
	}
	var b bytes.Buffer
	b.WriteString(f.Header())
	b.WriteByte('\n')
	t0 := int64(1700000000)
	for i := 0; i < n; i++ {
		eni := enis[int(float64(len(enis))*rng.Float64()*rng.Float64()*rng.Float64())]
		status := "OK"
		switch r := rng.IntN(1000); {
		case r < 3:
			status = "NODATA"
		case r < 4:
			status = "SKIPDATA"
		}
		v6 := rng.IntN(10) == 0
		start := t0 + int64(i/1000)
		for j := range f.Len() {
			if j > 0 {
				b.WriteByte(' ')
			}
			fld := f.Field(j)
			if status != "OK" {
				switch fld {
				case FieldVersion:
					b.WriteString("2")
				case FieldAccountID:
					b.WriteString("123456789012")
				case FieldInterfaceID:
					b.WriteString(eni)
				case FieldStart:
					fmt.Fprint(&b, start)
				case FieldEnd:
					fmt.Fprint(&b, start+60)
				case FieldLogStatus:
					b.WriteString(status)
				default:
					b.WriteByte('-')
				}
				continue
			}
			switch fld {
			case FieldVersion:
				fmt.Fprint(&b, f.Version())
			case FieldAccountID:
				b.WriteString("123456789012")
			case FieldInterfaceID:
				b.WriteString(eni)
			case FieldSrcAddr, FieldDstAddr, FieldPktSrcAddr, FieldPktDstAddr:
				if v6 {
					fmt.Fprintf(&b, "2600:1f18:%x:%x::%x", rng.IntN(65536), rng.IntN(65536), rng.IntN(65536))
				} else {
					fmt.Fprintf(&b, "10.%d.%d.%d", rng.IntN(256), rng.IntN(256), rng.IntN(256))
				}
			case FieldSrcPort, FieldDstPort:
				fmt.Fprint(&b, []int{443, 80, 5432, 32768 + rng.IntN(28000)}[rng.IntN(4)])
			case FieldProtocol:
				b.WriteString([]string{"6", "6", "6", "17"}[rng.IntN(4)])
			case FieldPackets:
				fmt.Fprint(&b, 1+rng.IntN(500))
			case FieldBytes:
				fmt.Fprint(&b, 40+rng.IntN(500000))
			case FieldStart:
				fmt.Fprint(&b, start)
			case FieldEnd:
				fmt.Fprint(&b, start+60)
			case FieldAction:
				if rng.IntN(20) == 0 {
					b.WriteString("REJECT")
				} else {
					b.WriteString("ACCEPT")
				}
			case FieldLogStatus:
				b.WriteString("OK")
			case FieldTCPFlags:
				b.WriteString([]string{"2", "18", "3", "19", "0"}[rng.IntN(5)])
			case FieldType:
				if v6 {
					b.WriteString("IPv6")
				} else {
					b.WriteString("IPv4")
				}
			case FieldFlowDirection:
				b.WriteString([]string{"ingress", "egress"}[rng.IntN(2)])
			case FieldTrafficPath:
				b.WriteString([]string{"-", "1", "8"}[rng.IntN(3)])
			case FieldECSClusterARN:
				b.WriteString("arn:aws:ecs:us-east-1:123456789012:cluster/prod")
			case FieldECSClusterName:
				b.WriteString("prod")
			case FieldECSServiceName:
				fmt.Fprintf(&b, "svc-%d", len(eni)%7)
			case FieldECSTaskID:
				b.WriteString(eni[4:])
			case FieldECSTaskARN:
				b.WriteString("arn:aws:ecs:us-east-1:123456789012:task/prod/")
				b.WriteString(eni[4:])
			case FieldPktSrcAWSService, FieldPktDstAWSService:
				b.WriteString([]string{"-", "-", "S3", "AMAZON"}[rng.IntN(4)])
			default:
				fmt.Fprintf(&b, "%s-%x", fld, rng.IntN(64))
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

var (
	v5Format, _    = ParseHeader(v5Header)
	v7Custom, _    = ParseLogFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${ecs-cluster-name} ${ecs-service-name} ${ecs-task-id} ${ecs-task-arn}")
	benchInputs    = map[string][]byte{}
	benchInputSize = 100_000
)

func benchInput(name string, f *Format) []byte {
	if b, ok := benchInputs[name]; ok {
		return b
	}
	b := synth(f, benchInputSize)
	benchInputs[name] = b
	return b
}

type agg struct{ bytes, packets, n int64 }

// cycle repeats a byte slice for ever: benchmarks read b.N records from
// it, so one op is one record and -benchmem shows the steady state.
type cycle struct {
	b   []byte
	off int
}

func (c *cycle) Read(p []byte) (int, error) {
	if c.off == len(c.b) {
		c.off = 0
	}
	n := copy(p, c.b[c.off:])
	c.off += n
	return n, nil
}

// runBench runs the bench/ workload, bytes, packets and count per
// interface-id, over b.N records. plainSize is the uncompressed size of in.
func runBench(b *testing.B, in []byte, plainSize int, opts ...Option) {
	m := make(map[string]*agg, 4096)
	bySym := make([]agg, 65537)
	r := NewReader(&cycle{b: in}, opts...)
	defer r.Close()
	step := func() {
		if !r.Scan() {
			b.Fatal(r.Err())
		}
		rec := r.Record()
		var a *agg
		if sym := rec.Symbol(FieldInterfaceID); sym != 0 {
			a = &bySym[sym]
		} else {
			a = m[rec.InterfaceID]
			if a == nil {
				a = new(agg)
				m[rec.InterfaceID] = a
			}
		}
		a.bytes += rec.Bytes
		a.packets += rec.Packets
		a.n++
	}
	for range benchInputSize + 10 { // warm the intern table and the map
		step()
	}
	b.ReportAllocs()
	b.SetBytes(int64(plainSize / benchInputSize))
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

var aggFields = WithFields(FieldInterfaceID, FieldPackets, FieldBytes)

func BenchmarkReadV2(b *testing.B) {
	in := benchInput("v2", DefaultFormat)
	b.Run("aggregate", func(b *testing.B) { runBench(b, in, len(in), aggFields) })
	b.Run("allfields", func(b *testing.B) { runBench(b, in, len(in)) })
}

func BenchmarkReadV5(b *testing.B) {
	in := benchInput("v5", v5Format)
	b.Run("aggregate", func(b *testing.B) { runBench(b, in, len(in), aggFields) })
	b.Run("allfields", func(b *testing.B) { runBench(b, in, len(in)) })
}

func BenchmarkReadV7Custom(b *testing.B) {
	in := benchInput("v7", v7Custom)
	b.Run("aggregate", func(b *testing.B) { runBench(b, in, len(in), aggFields) })
	b.Run("allfields", func(b *testing.B) { runBench(b, in, len(in)) })
}

// BenchmarkReadGzip reads concatenated gzip members (as concatenated S3
// objects); MB/s is of uncompressed text.
func BenchmarkReadGzip(b *testing.B) {
	plain := benchInput("v2", DefaultFormat)
	in := gz(b, string(plain))
	b.Run("aggregate-async", func(b *testing.B) { runBench(b, in, len(plain), aggFields) })
	b.Run("aggregate-sync", func(b *testing.B) { runBench(b, in, len(plain), aggFields, WithSyncDecompression()) })
	b.Run("decode-only", func(b *testing.B) { runDecode(b, in, len(plain)) })
}

// runDecode decompresses in as a read does, without parsing, in the same
// units as runBench (an op is one record's share of the text): the floor
// that an asynchronous gzip read is measured against.
func runDecode(b *testing.B, in []byte, plainSize int) {
	var r Reader
	r.src = &cycle{b: in}
	r.buf = newBuffer(firstBufSize)
	r.opts.sync = true
	r.sniff()
	perRecord := plainSize / benchInputSize
	buf := make([]byte, 256<<10)
	b.SetBytes(int64(perRecord))
	b.ResetTimer()
	cpu0 := cpuTime()
	// b.N records' share of the text, not b.N times its rounded-down
	// share a record: 120 of 120.45 bytes would decode 0.4 % less than
	// the read it is the floor of parses.
	for want := int64(b.N) * int64(plainSize) / int64(benchInputSize); want > 0; {
		n, err := r.src.Read(buf[:min(int64(len(buf)), want)])
		if err != nil {
			b.Fatal(err)
		}
		want -= int64(n)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkParseLine is the single-line path used for CloudWatch Logs
// messages.
func BenchmarkParseLine(b *testing.B) {
	line := []byte(strings.SplitN(string(benchInput("v2", DefaultFormat)), "\n", 3)[1])
	p := NewParser(DefaultFormat, FieldSet{})
	var r Record
	b.ReportAllocs()
	b.ResetTimer()
	b.SetBytes(int64(len(line)))
	for range b.N {
		if err := p.Parse(line, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSteadyStateAllocs checks the "no allocation per record" promise.
func TestSteadyStateAllocs(t *testing.T) {
	in := synth(v7Custom, 2000)
	for _, opts := range [][]Option{nil, {aggFields}} {
		r := NewReader(io.MultiReader(bytes.NewReader(in), bytes.NewReader(in), bytes.NewReader(in)), opts...)
		for i := 0; i < 2500 && r.Scan(); i++ { // warm up: intern table, buffers
		}
		allocs := testing.AllocsPerRun(1000, func() {
			if !r.Scan() {
				t.Fatal(r.Err())
			}
		})
		if allocs != 0 {
			t.Errorf("%v allocs per record", allocs)
		}
	}
}

// BenchmarkReadLetterFirst reads custom formats whose records start with
// a lower-case letter (interface-id first), so that every line is tested
// as a possible header: isHeader must reject them in a few bytes (it reads
// the last token first; these formats end with log-status).
func BenchmarkReadLetterFirst(b *testing.B) {
	for _, c := range []struct{ name, header string }{
		{"no-addresses", "interface-id flow-direction packets bytes start end action log-status"},
		{"addresses", "interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"},
		{"ids", "interface-id account-id vpc-id subnet-id instance-id flow-direction srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"},
	} {
		f, err := ParseHeader(c.header)
		if err != nil {
			b.Fatal(err)
		}
		in := benchInput("letter-first-"+c.name, f)
		b.Run(c.name, func(b *testing.B) { runBench(b, in, len(in)) })
	}
}
