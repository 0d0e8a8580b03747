package cwlogs

import (
	"context"
	"flag"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

var (
	benchStreams = flag.Int("cwlogs.streams", 1000, "log streams in the CloudWatch Logs benchmark")
	benchEvents  = flag.Int("cwlogs.events", 1000, "events per stream in the CloudWatch Logs benchmark")
)

// BenchmarkRead reads streams×events flow-log events end to end — real SDK
// client, awsJson over loopback HTTP, paging, parsing into records — with
// each strategy, without the client-side rate limit (it would measure the
// quota, not the code). It reports records/s, the requests made per 10,000
// records, and quota-s/op: how long the same requests take at the
// documented default quotas (FilterLogEvents 10/s, GetLogEvents and
// DescribeLogStreams 25/s; see Quotas), the bound a live read meets.
//
//	go test -run '^$' -bench Read -benchtime 1x ./flowlogs/cwlogs/
//	go test -run '^$' -bench Read -benchtime 1x ./flowlogs/cwlogs/ -cwlogs.streams 100 -cwlogs.events 100
func BenchmarkRead(b *testing.B) { benchRead(b, *benchStreams, *benchEvents) }

// BenchmarkReadFewDenseStreams is the other shape: a few task ENIs over a
// long window, where one FilterLogEvents chain pages alone while
// GetLogEvents reads each stream in parallel (what Auto picks for it).
func BenchmarkReadFewDenseStreams(b *testing.B) { benchRead(b, 4, 25000) }

func benchRead(b *testing.B, streams, events int) {
	l := fakeaws.NewLogs(fakeaws.LogsOptions{})
	defer l.Close()
	fill(l, "flows", streams, events)
	total := len(l.Events("flows"))
	c := newClient(l)
	q := Quotas("")
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		b.Run(st.String(), func(b *testing.B) {
			var reqs int64
			calls0 := l.Calls()
			for i := 0; i < b.N; i++ {
				src := New(c, "flows", WithStrategy(st), WithRateLimits(Limits{}))
				n := 0
				for _, err := range src.Records(context.Background()) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != total {
					b.Fatalf("read %d records, want %d", n, total)
				}
				reqs += src.Progress().Requests
			}
			calls := l.Calls()
			desc := float64(calls["logs:DescribeLogStreams"]-calls0["logs:DescribeLogStreams"]) / float64(b.N)
			read := float64(reqs)/float64(b.N) - desc
			rate := q.FilterLogEvents
			if st == GetLogEvents {
				rate = q.GetLogEvents
			}
			b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(reqs)/float64(b.N)/float64(total)*10000, "req/10k-records")
			b.ReportMetric(desc/q.DescribeLogStreams+read/rate, "quota-s/op")
		})
	}
}
