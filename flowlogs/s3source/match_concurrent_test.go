package s3source

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestMatchConcurrent: Match is a Bucket's key filter, as
// source.Dir's is a directory's, which WalkDir calls from one goroutine;
// but a Bucket walks its folders on up to ListParallel goroutines, each
// calling Match, and every List under way does (three source.Records
// ranged at once over one Bucket here). A Match that keeps state (the keys
// it saw, a count of what it left out) raced, unlocked, with nothing in
// Match's documentation to say it must not: it now says Match must be
// safe for concurrent use, and this one locks.
func TestMatchConcurrent(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	c := s3.NewFromConfig(fakeaws.Config(), func(o *s3.Options) {
		o.BaseEndpoint = f.BaseEndpoint()
		o.UsePathStyle = true
	})
	var mu sync.Mutex
	seen := map[string]int{}
	skipped := 0
	b := &Bucket{Client: c, Bucket: "logs", Prefix: "prod/", ListParallel: 8, PageSize: 7,
		Match: func(key string) bool {
			mu.Lock() // called at once from the listing's goroutines
			defer mu.Unlock()
			seen[key]++
			if !strings.HasSuffix(key, ".log.gz") {
				skipped++
				return false
			}
			_, err := source.ParseKey(key)
			return err == nil
		}}
	listed, err := b.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != len(objs) || len(seen) < len(objs) {
		t.Fatalf("listed %d objects of %d, Match saw %d keys", len(listed), len(objs), len(seen))
	}
	var wg sync.WaitGroup
	counts := make([]int, 3)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, err := range source.Records(context.Background(), b, source.WithConcurrency(4),
				source.WithReaderOptions(flowlogs.WithFields(flowlogs.FieldBytes))) {
				if err != nil {
					t.Error(err)
					return
				}
				counts[i]++
			}
		}()
	}
	wg.Wait()
	if counts[0] == 0 || counts[0] != counts[1] || counts[1] != counts[2] {
		t.Fatalf("records read by three reads at once: %v", counts)
	}
}
