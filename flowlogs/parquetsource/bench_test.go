package parquetsource

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

const benchRows = 200_000

// benchRecords are the records of the benchmarks' files.
var benchRecords = sync.OnceValue(func() []awsRow {
	p := func(s string) *string { return &s }
	i32 := func(v int32) *int32 { return &v }
	i64 := func(v int64) *int64 { return &v }
	rows := make([]awsRow, benchRows)
	for i := range rows {
		eni := fmt.Sprintf("eni-%017x", i%500*7919)
		start := int64(1795622100 + i/100)
		r := awsRow{
			Version: i32(5), AccountID: p("123456789012"), InterfaceID: p(eni),
			SrcAddr: p(fmt.Sprintf("10.0.%d.%d", i%200, i%250)), DstAddr: p(fmt.Sprintf("172.31.%d.%d", i%13, i%97)),
			SrcPort: i32(int32(1024 + i%60000)), DstPort: i32(443), Protocol: i32(6),
			Packets: i64(int64(1 + i%50)), Bytes: i64(int64(40 + i%150000)), Start: i64(start), End: i64(start + 60),
			Action: p("ACCEPT"), LogStatus: p("OK"), VPCID: p("vpc-0abc"), SubnetID: p("subnet-0abc"),
			TCPFlags: i32(int32(i % 32)), Type: p("IPv4"), PktSrcAddr: p("10.0.0.1"), PktDstAddr: p("172.31.0.1"),
			Region: p("us-east-1"), AZID: p("use1-az4"), FlowDirection: p("egress"), TrafficPath: i32(1),
		}
		if i%20 == 0 {
			r.Action = p("REJECT")
		}
		rows[i] = r
	}
	return rows
})

// benchFile is benchRecords as a gzip-compressed Parquet file, in
// parquet-go's default encodings.
var benchFile = sync.OnceValue(func() []byte {
	return parquettest.Must(benchRecords(), parquet.Compression(&parquet.Gzip))
})

// benchText is the same records as gzip text, for comparison.
var benchText = sync.OnceValue(func() []byte {
	data := benchFile()
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		panic(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(f.Format().Header() + "\n"))
	if _, err := io.Copy(zw, f.Text()); err != nil {
		panic(err)
	}
	zw.Close()
	return z.Bytes()
})

var benchSelections = []struct {
	name string
	opts []flowlogs.Option
}{
	{"all-fields", nil},
	{"all-fields-1core", []flowlogs.Option{flowlogs.WithSyncDecompression()}},
	{"3-fields", []flowlogs.Option{flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldPackets)}},
}

// benchSums reads a file b.N times with open's Reader and sums bytes per
// interface, reporting CPU time and records per second.
func benchSums(b *testing.B, size int, open func() (*flowlogs.Reader, error)) {
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	var n int64
	for i := 0; i < b.N; i++ {
		r, err := open()
		if err != nil {
			b.Fatal(err)
		}
		sums := map[string]int64{}
		for r.Scan() {
			sums[r.Record().InterfaceID] += r.Record().Bytes
			n++
		}
		if r.Err() != nil {
			b.Fatal(r.Err())
		}
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(cpuTime()-c0)/float64(n), "cpu-ns/record")
	b.ReportMetric(float64(n)/s, "records/s")
	b.ReportMetric(float64(size)*float64(b.N)/s/1e6, "MB/s")
	b.ReportMetric(float64(size), "file-bytes")
}

// BenchmarkReadText reads the same 200,000 records from gzip text with the
// flowlogs parser, with the same field selections: the baseline Parquet is
// compared with.
func BenchmarkReadText(b *testing.B) {
	for _, sel := range benchSelections {
		b.Run(sel.name, func(b *testing.B) {
			data := benchText()
			benchSums(b, len(data), func() (*flowlogs.Reader, error) {
				return flowlogs.NewReader(bytes.NewReader(data), sel.opts...), nil
			})
		})
	}
}

// BenchmarkRead reads a gzip-compressed Parquet file of 200,000 v5
// records (29 columns), as AWS delivers them, and sums bytes per
// interface: the whole path from Parquet pages to typed Records, the
// values given to the parser typed (flowlogs.NewRowReader).
func BenchmarkRead(b *testing.B) { benchReads(b, benchFile) }

// benchReads reads file's Parquet with NewReader, with each selection.
func benchReads(b *testing.B, file func() []byte) {
	for _, sel := range benchSelections {
		b.Run(sel.name, func(b *testing.B) {
			data := file()
			benchSums(b, len(data), func() (*flowlogs.Reader, error) {
				return NewReader(bytes.NewReader(data), int64(len(data)), sel.opts...)
			})
		})
	}
}

// benchDictFile is benchFile with every column dictionary-encoded
// (dictRow), as writers that keep dictionaries write them (parquet-mr's
// and Arrow's defaults).
var benchDictFile = sync.OnceValue(func() []byte {
	return parquettest.Must(toDict(benchRecords()), parquet.Compression(&parquet.Gzip))
})

// BenchmarkReadDict is BenchmarkRead on benchDictFile: the rows' strings
// are dictionary indexes.
func BenchmarkReadDict(b *testing.B) { benchReads(b, benchDictFile) }

// BenchmarkReadRendered is BenchmarkRead through the path NewReader took
// before the typed one, and File.Text still takes: rows rendered as text
// lines and parsed back.
func BenchmarkReadRendered(b *testing.B) {
	for _, sel := range benchSelections {
		b.Run(sel.name, func(b *testing.B) {
			data := benchFile()
			benchSums(b, len(data), func() (*flowlogs.Reader, error) {
				f, err := Open(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					return nil, err
				}
				return f.newTextFlowReader(sel.opts...), nil
			})
		})
	}
}

// BenchmarkReadRecords is BenchmarkRead with one op per record, like the
// flowlogs benchmarks: the file is read again and again, so -benchmem
// shows what a record costs in steady state, opening the file and
// parquet-go's allocations per page included (allocs/op rounds down; the
// allocs/1000-records metric does not).
func BenchmarkReadRecords(b *testing.B) {
	for _, sel := range benchSelections {
		b.Run(sel.name, func(b *testing.B) {
			data := benchFile()
			sums := map[string]int64{}
			var r *flowlogs.Reader
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				for r == nil || !r.Scan() {
					if r != nil && r.Err() != nil {
						b.Fatal(r.Err())
					}
					var err error
					if r, err = NewReader(bytes.NewReader(data), int64(len(data)), sel.opts...); err != nil {
						b.Fatal(err)
					}
				}
				sums[r.Record().InterfaceID] += r.Record().Bytes
			}
			b.StopTimer()
			runtime.ReadMemStats(&m1)
			b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)*1000/float64(b.N), "allocs/1000-records")
		})
	}
}
