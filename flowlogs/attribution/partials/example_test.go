package partials_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/netmode"
)

// Example writes each flow-log object's partial, as a worker next to the
// data does (examples/lambda), then reads them back and merges them, as
// the reduce step does. A worker writes from Attributor.PartialStream with
// WriteStream, one task at a time, and names its object in the partial's
// Inputs, so that a merge refuses the same object counted twice; Write
// takes a whole Partial, such as a merged one.
func Example() {
	h, err := history.NewIndex([]history.Task{{
		ARN:   "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
		Group: "service:web", Family: "web", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-0a1b2c3d4e5f60711", IPv4: netip.MustParseAddr("10.0.1.101"),
		Valid: history.Interval{Start: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)},
	}}, nil)
	if err != nil {
		panic(err)
	}
	const header = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction\n"
	// Two delivered objects, by name (source.Key.DeliveryName) and content.
	objects := []struct{ name, content string }{
		{"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1000Z_1a2b3c4d.log.gz",
			header + "5 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41020 8080 6 30 36793 1795600800 1795600859 ACCEPT OK ingress\n"},
		{"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1005Z_5e6f7a8b.log.gz",
			header + "5 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.1.5 8080 41020 6 438 613504 1795600800 1795600859 ACCEPT OK egress\n" +
				"5 eni-0f6a7b8c9d0e1bc66 10.0.1.200 93.184.216.34 60000 443 6 3 2500 1795600800 1795600859 ACCEPT OK egress\n"},
	}

	// The workers: one partial file per object.
	var files [][]byte
	for _, o := range objects {
		a := attribution.New(h)
		r := flowlogs.NewReader(strings.NewReader(o.content), flowlogs.WithSource(o.name), flowlogs.WithFields(attribution.Fields()...))
		if err := a.AddAll(r.All()); err != nil {
			panic(err)
		}
		p, tasks := a.PartialStream()
		p.Inputs = []attribution.Input{{Name: o.name}}
		var b bytes.Buffer // in a worker: the object put to S3
		if err := partials.WriteStream(&b, p, tasks); err != nil {
			panic(err)
		}
		files = append(files, b.Bytes())
	}

	// The reduce step (partials.ReadFile for files on disk).
	var ps []*attribution.Partial
	for i, f := range files {
		p, err := partials.Read(bytes.NewReader(f), int64(len(f)), fmt.Sprintf("part-%d.parquet", i))
		if err != nil {
			panic(err)
		}
		ps = append(ps, p)
	}
	merged, err := attribution.Merge(ps...)
	if err != nil {
		panic(err)
	}
	r := merged.Result(attribution.ByService)
	for _, g := range r.Groups {
		fmt.Printf("%s: in %d B, out %d B, %d records\n", g.Key, g.BytesIn, g.BytesOut, g.Records)
	}
	fmt.Printf("unattributed: %d records; total: %d records\n", r.UnattributedTotal().Records, r.Total.Records)
	fmt.Println("from", len(merged.Inputs), "objects")

	// The same object's partial again (a retried worker) is refused.
	again, err := partials.Read(bytes.NewReader(files[0]), int64(len(files[0])), "part-0-retry.parquet")
	if err != nil {
		panic(err)
	}
	_, err = attribution.Merge(append(ps, again)...)
	fmt.Println(err)
	// Output:
	// service:web: in 36793 B, out 613504 B, 2 records
	// unattributed: 1 records; total: 3 records
	// from 2 objects
	// attribution: partial 3: input 123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1000Z_1a2b3c4d.log.gz is in another part too: its records would be counted twice
}
