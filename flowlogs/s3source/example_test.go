package s3source_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/s3source"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// Bytes per object over one hour of flow logs in S3: the keys outside the
// window are pruned before any object is read, the rest read in parallel
// and their results returned in key order. With real AWS, make the client with
// config.LoadDefaultConfig and s3.NewFromConfig; here an in-process fake S3
// stands in.
func ExampleBucket() {
	fake := fakeaws.NewS3()
	defer fake.Close()
	dir := "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/"
	for i, stamp := range []string{"1555", "1620", "2310"} {
		t, _ := time.Parse("200601021504", "20261125"+stamp)
		fake.PutObject("flow-logs", dir+"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T"+stamp+"Z_ab12cd34.log.gz",
			[]byte("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"+
				fmt.Sprintf("2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 %d %d %d ACCEPT OK\n",
					100*(i+1), t.Unix(), t.Unix()+60)))
	}
	client := s3.NewFromConfig(fakeaws.Config(), func(o *s3.Options) {
		o.BaseEndpoint = fake.BaseEndpoint()
		o.UsePathStyle = true
	})

	since := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
	until := since.Add(time.Hour)
	b := &s3source.Bucket{
		Client: client,
		Bucket: "flow-logs",
		Prune:  source.Prune{Accounts: []string{"123456789012"}, Since: since, Until: until},
	}
	objs, err := b.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(objs), "objects after pruning by key") // 23:10 is outside the window
	perObject, err := source.Map(context.Background(), b,
		func(o source.Object, r *flowlogs.Reader) (int64, error) {
			var n int64
			for r.Scan() {
				n += r.Record().Bytes
			}
			return n, nil
		},
		// The same window, applied to each record (the 15:55 file's record
		// ended at 15:56, before the window).
		source.WithReaderOptions(flowlogs.WithFilter(flowlogs.Filter{Since: since, Until: until})))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(perObject)
	// Output:
	// 2 objects after pruning by key
	// [0 200]
}
