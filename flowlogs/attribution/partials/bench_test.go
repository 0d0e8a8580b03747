package partials_test

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/netmode"
)

// bigPartial is what one 5-minute object of a large cluster contributes:
// tasks × (peers, ports, two points, three classes).
func bigPartial(tasks, peers, ports int) *attribution.Partial {
	p := &attribution.Partial{Config: attribution.PartialConfig{Step: 5 * time.Minute, PeersKept: 64, PortsKept: 32, InterfacesKept: 16,
		PeerPrefixV4: 32, PeerPrefixV6: 128, RuleVersion: attribution.RuleVersion}, First: t0, Last: t0.Add(5 * time.Minute)}
	for i := range tasks {
		tk := &history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/prod/%032x", i),
			ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/prod", Group: fmt.Sprintf("service:svc%d", i%200),
			Family: fmt.Sprintf("svc%d", i%200), Revision: 3, LaunchType: "EC2", NetworkMode: netmode.ModeAWSVPC,
			ContainerInstanceARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/%032x", i%500),
			ENI:                  fmt.Sprintf("eni-%017x", i), IPv4: netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}),
			Valid: history.Interval{Start: t0.Add(-time.Hour)}}
		tp := attribution.TaskPart{Task: tk, Instance: &history.Instance{ARN: tk.ContainerInstanceARN, EC2InstanceID: fmt.Sprintf("i-%017x", i%500)}}
		tp.BytesIn, tp.BytesOut, tp.Records = 1000, 2000, 30
		tp.ClassBytes[attribution.PeerSameAZ], tp.ClassBytesIn[attribution.PeerSameAZ] = 1000, 1000
		tp.ClassBytes[attribution.PeerInternet], tp.ClassBytesOut[attribution.PeerInternet] = 2000, 2000
		for j := range peers {
			tp.Peers = append(tp.Peers, attribution.Peer{Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{52, byte(j), byte(i), 1}), 32), Bytes: 100, Packets: 2, Records: 1})
		}
		for j := range ports {
			tp.Ports = append(tp.Ports, attribution.Port{Protocol: 6, Port: uint16(1000 + j), Bytes: 100, Packets: 2, Records: 1})
		}
		tp.Series = []attribution.Point{{Start: t0, BytesIn: 500, BytesOut: 1000}, {Start: t0.Add(5 * time.Minute), BytesIn: 500, BytesOut: 1000}}
		p.Tasks = append(p.Tasks, tp)
		p.Total.Bytes += 3000
		p.Total.Records += 30
	}
	return p
}

// BenchmarkWrite writes the partial of one object of a 13,000-task
// cluster (20 peers, 10 ports a task): what a worker does per object.
func BenchmarkWrite(b *testing.B) {
	p := bigPartial(13000, 20, 10)
	rows := 1 + 13000*(1+20+10+2+2) // meta; task, peers, ports, classes, points
	b.ReportAllocs()
	for b.Loop() {
		if err := partials.Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}

// BenchmarkReadMerge reads the partial BenchmarkWrite writes and merges it
// into a running sum, as `attribute -merge` does per file.
func BenchmarkReadMerge(b *testing.B) {
	var buf bytes.Buffer
	if err := partials.Write(&buf, bigPartial(13000, 20, 10)); err != nil {
		b.Fatal(err)
	}
	rows := 1 + 13000*(1+20+10+2+2)
	var sum *attribution.Partial
	b.ReportAllocs()
	for b.Loop() {
		p, err := partials.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "big.parquet")
		if err != nil {
			b.Fatal(err)
		}
		if sum, err = attribution.Merge(sum, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}
