package s3source

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// burst makes the fake throttle every request (503 SlowDown) during the
// first call of one operation: the SDK's own retryer (production default:
// 3 attempts) sees three SlowDowns in a row and gives up, as it does in a
// busy minute or once its retry quota is spent.
type burst struct {
	API
	f            *fakeaws.S3
	mu           sync.Mutex
	listed, gots int
}

func (b *burst) throttled(n *int, call func() error) error {
	b.mu.Lock()
	*n++
	first := *n == 1
	b.mu.Unlock()
	if first {
		b.f.SetFaults(fakeaws.Faults{ThrottleEvery: 1})
		defer b.f.SetFaults(fakeaws.Faults{})
	}
	return call()
}

func (b *burst) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, o ...func(*s3.Options)) (out *s3.ListObjectsV2Output, err error) {
	err = b.throttled(&b.listed, func() error { out, err = b.API.ListObjectsV2(ctx, in, o...); return err })
	return out, err
}

func (b *burst) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (out *s3.GetObjectOutput, err error) {
	err = b.throttled(&b.gots, func() error { out, err = b.API.GetObject(ctx, in, o...); return err })
	return out, err
}

// TestGetObjectSurvivesThrottlingBurst: the listing survives a burst
// of throttling that outlasts the SDK's retries (awscall.Next tries the
// page again), but the first GetObject of the same burst fails the whole
// read: Map returns no result for any of the bucket's objects.
func TestGetObjectSurvivesThrottlingBurst(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	cfg := fakeaws.Config()
	cfg.Retryer = func() aws.Retryer { // the SDK's defaults, with a short backoff
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
		})
	}
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = f.BaseEndpoint(); o.UsePathStyle = true })
	b := &Bucket{Client: &burst{API: c, f: f}, Bucket: "logs"}
	got, err := source.Map(context.Background(), b, func(_ source.Object, r *flowlogs.Reader) (int, error) {
		n := 0
		for r.Scan() {
			n++
		}
		return n, nil
	}, source.WithConcurrency(1))
	if err != nil {
		t.Fatalf("one throttled GetObject failed the read of %d objects: %v", len(objs), err)
	}
	if len(got) != len(objs) {
		t.Fatalf("%d objects read, want %d", len(got), len(objs))
	}
}
