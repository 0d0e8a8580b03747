package intervals

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
)

// largeHistory is the history of a platform-scale cluster, generated
// deterministically as eni/history's newLargeCluster generates its
// describe-* outputs: n awsvpc tasks on n/20 container instances (at least
// 50), a quarter of them stopped halfway and replaced, one bridge task per
// instance binding a host port. For n = 10,000 its table has 39,500 rows.
func largeHistory(tb testing.TB, n int) *history.Index {
	tb.Helper()
	const account = "123456789012"
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	half := start.Add(12 * time.Hour)
	cliTime := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000-07:00") }
	type kv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	cluster := "arn:aws:ecs:us-east-1:" + account + ":cluster/scale"
	instARN := func(i int) string {
		return fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container-instance/scale/%032x", account, i)
	}
	nInst := max(50, n/20)
	var cis, res, ts []any
	for i := range nInst {
		ec2 := fmt.Sprintf("i-%017x", i)
		ip := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}).String()
		cis = append(cis, map[string]any{
			"containerInstanceArn": instARN(i), "ec2InstanceId": ec2, "version": 12, "status": "ACTIVE",
			"agentConnected": true, "registeredAt": cliTime(start.Add(-time.Hour)),
			"attributes": []any{
				map[string]any{"name": "ecs.instance-type", "value": "m6i.2xlarge"},
				map[string]any{"name": "ecs.availability-zone", "value": "us-east-1a"},
				map[string]any{"name": "ecs.os-type", "value": "linux"},
			},
		})
		res = append(res, map[string]any{
			"ReservationId": fmt.Sprintf("r-0%016x", i), "OwnerId": account,
			"Instances": []any{map[string]any{
				"InstanceId": ec2, "InstanceType": "m6i.2xlarge", "PrivateIpAddress": ip, "SubnetId": "subnet-0abc", "VpcId": "vpc-0abc",
				"LaunchTime": start.Add(-2 * time.Hour).Format("2006-01-02T15:04:05-07:00"),
				"State":      map[string]any{"Code": 16, "Name": "running"},
				"NetworkInterfaces": []any{map[string]any{
					"Attachment":         map[string]any{"DeviceIndex": 0, "NetworkCardIndex": 0, "Status": "attached", "AttachTime": start.Add(-2 * time.Hour).Format("2006-01-02T15:04:05-07:00")},
					"NetworkInterfaceId": fmt.Sprintf("eni-i%016x", i), "MacAddress": fmt.Sprintf("02:00:00:00:%02x:%02x", byte(i>>8), byte(i)),
					"PrivateIpAddress": ip, "SubnetId": "subnet-0abc", "VpcId": "vpc-0abc", "Status": "in-use",
				}},
			}},
		})
		ts = append(ts, map[string]any{
			"taskArn":    fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/b%031x", account, i),
			"clusterArn": cluster, "group": "service:bridge",
			"taskDefinitionArn":    "arn:aws:ecs:us-east-1:" + account + ":task-definition/bridge:1",
			"containerInstanceArn": instARN(i), "launchType": "EC2", "availabilityZone": "us-east-1a",
			"lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 2,
			"createdAt": cliTime(start.Add(-time.Minute)), "startedAt": cliTime(start),
			"containers": []any{map[string]any{
				"name": "web", "lastStatus": "RUNNING",
				"networkBindings": []any{map[string]any{"bindIP": "0.0.0.0", "hostPort": 32768, "containerPort": 8080, "protocol": "tcp"}},
			}},
		})
	}
	task := func(i int, replaced bool) map[string]any {
		svc := i % 50
		id := fmt.Sprintf("%032x", i)
		eni := fmt.Sprintf("eni-%017x", i)
		if replaced {
			id, eni = fmt.Sprintf("r%031x", i), fmt.Sprintf("eni-r%016x", i)
		}
		ip := netip.AddrFrom4([4]byte{10, byte(16 + i>>16), byte(i >> 8), byte(i)}).String()
		return map[string]any{
			"taskArn":              fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/%s", account, id),
			"clusterArn":           cluster,
			"group":                fmt.Sprintf("service:s%d", svc),
			"taskDefinitionArn":    fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task-definition/f%d:1", account, svc),
			"containerInstanceArn": instARN(i % nInst),
			"launchType":           "EC2", "availabilityZone": "us-east-1a",
			"lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 3,
			"createdAt": cliTime(start.Add(-time.Minute)), "startedAt": cliTime(start),
			"attachments": []any{map[string]any{
				"id": fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), "type": "ElasticNetworkInterface", "status": "ATTACHED",
				"details": []kv{
					{"subnetId", "subnet-0abc"},
					{"networkInterfaceId", eni},
					{"macAddress", fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", byte(i>>24), byte(i>>16), byte(i>>8), byte(i))},
					{"privateIPv4Address", ip},
				},
			}},
			"containers": []any{map[string]any{"name": "app", "lastStatus": "RUNNING", "networkBindings": []any{}}},
		}
	}
	for i := range n {
		t := task(i, false)
		if i%4 == 0 {
			t["lastStatus"], t["desiredStatus"], t["version"] = "STOPPED", "STOPPED", 6
			t["executionStoppedAt"], t["stoppedAt"] = cliTime(half), cliTime(half)
			r := task(i, true)
			r["createdAt"], r["startedAt"] = cliTime(half), cliTime(half)
			ts = append(ts, r)
		}
		ts = append(ts, t)
	}
	b := history.NewBuilder()
	for _, v := range []any{
		map[string]any{"tasks": ts, "failures": []any{}},
		map[string]any{"containerInstances": cis, "failures": []any{}},
		map[string]any{"Reservations": res},
	} {
		raw, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := b.Load(bytes.NewReader(raw), "describe"); err != nil {
			tb.Fatal(err)
		}
	}
	if b.Len() != len(ts) {
		tb.Fatalf("%d tasks, want %d", b.Len(), len(ts))
	}
	return b.Index()
}

// writeLarge writes the table of largeHistory(n) to a file in dir and
// returns its name and row count.
func writeLarge(tb testing.TB, dir string, n int) (string, int) {
	tb.Helper()
	rows, err := Build(largeHistory(tb, n))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rows); err != nil {
		tb.Fatal(err)
	}
	name := filepath.Join(dir, fmt.Sprintf("history-%d.parquet", n))
	if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return name, len(rows)
}

// TestLargeTableReadsBack checks the benchmark's input: the table of a
// large cluster reads back and rebuilds a history that gives the same rows.
func TestLargeTableReadsBack(t *testing.T) {
	h := largeHistory(t, 400)
	want, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteParquet(&buf, want); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "large.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) || cap(rows) != len(rows) {
		t.Fatalf("%d rows (cap %d), want %d", len(rows), cap(rows), len(want))
	}
	for i := range rows {
		if !sameRow(&rows[i], &want[i]) {
			t.Fatalf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
	x, err := Index(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Tasks()) != len(h.Tasks()) || len(x.Instances()) != len(h.Instances()) {
		t.Fatalf("%d tasks, %d instances; want %d, %d", len(x.Tasks()), len(x.Instances()), len(h.Tasks()), len(h.Instances()))
	}
}

// BenchmarkReadIndex reads the table of a large cluster from its
// file (ReadParquetFile, as `attribute -tasks history.parquet` and the
// Lambda worker read it) and rebuilds its history (Index). Besides time
// and allocations it reports live-MiB, the heap the Index keeps once the
// rows are dropped, and peak-MiB, the most heap in use while reading and
// indexing (sampled, a lower bound), both past the heap before.
// Measurements, not limits.
func BenchmarkReadIndex(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		name, nrows := writeLarge(b, b.TempDir(), n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var live, peak float64
			runs := 0
			for b.Loop() {
				x, l, p := measureReadIndex(b, name, nrows)
				live += float64(l)
				peak += float64(p)
				runs++
				runtime.KeepAlive(x)
			}
			b.ReportMetric(live/float64(runs)/(1<<20), "live-MiB")
			b.ReportMetric(peak/float64(runs)/(1<<20), "peak-MiB")
		})
	}
}

// measureReadIndex reads name and indexes its rows, returning the Index,
// the heap it keeps and the peak heap in use meanwhile (as
// eni/history's measureLoad measures).
func measureReadIndex(tb testing.TB, name string, nrows int) (*history.Index, uint64, uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	baseAlloc, baseInuse := ms.HeapAlloc, ms.HeapInuse
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	inuse := func() uint64 {
		metrics.Read(samples)
		return samples[0].Value.Uint64() + samples[1].Value.Uint64()
	}
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			peak = max(peak, inuse())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	x := func() *history.Index {
		rows, err := ReadParquetFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		if len(rows) != nrows {
			tb.Fatalf("%d rows, want %d", len(rows), nrows)
		}
		x, err := Index(rows)
		if err != nil {
			tb.Fatal(err)
		}
		return x
	}()
	close(stop)
	wg.Wait()
	peak = max(peak, inuse())
	runtime.GC()
	runtime.ReadMemStats(&ms)
	var live, pk uint64
	if ms.HeapAlloc > baseAlloc {
		live = ms.HeapAlloc - baseAlloc
	}
	if peak > baseInuse {
		pk = peak - baseInuse
	}
	runtime.KeepAlive(x)
	return x, live, pk
}

// BenchmarkBuild makes the table of a large cluster from its history, as
// `record -export` and `attribute -export` do.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		h := largeHistory(b, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
