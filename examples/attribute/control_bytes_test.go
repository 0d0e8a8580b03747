package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// failsToDescribe is ECS answering DescribeTasks with one failure more,
// whose ARN and reason hold an OSC sequence (ECS's text).
type failsToDescribe struct{ history.ECSAPI }

func (f failsToDescribe) DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, opts ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	out, err := f.ECSAPI.DescribeTasks(ctx, in, opts...)
	if err == nil {
		out.Failures = append(out.Failures, types.Failure{Arn: aws.String("arn:aws:ecs:us-east-1:123456789012:task/demo/x\x1b]0;x\a"), Reason: aws.String("MISSING\x1b]0;y\a")})
	}
	return out, err
}

// TestDescribeFailureQuoted: the live read's "describe failure"
// line printed ECS's ARN and reason raw.
func TestDescribeFailureQuoted(t *testing.T) {
	startFakes(t)
	inner := newClients
	newClients = func(ctx context.Context) (*clients, error) {
		c, err := inner(ctx)
		if err == nil {
			c.ecs = failsToDescribe{c.ecs}
		}
		return c, err
	}
	_, _, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams", "-format", "json")
	if !strings.Contains(stderr, "describe failure: ") || strings.ContainsAny(stderr, "\x1b\a") {
		t.Errorf("stderr:\n%q\nwant the describe failure, quoted", stderr)
	}
}

// fakeS3Allowing is fakeS3 allowing only the actions given.
func fakeS3Allowing(t *testing.T, objects map[string][]byte, allowed ...string) {
	t.Helper()
	f := fakeaws.NewS3()
	t.Cleanup(f.Close)
	f.CreateBucket("flow-logs")
	for k, v := range objects {
		f.PutObject("flow-logs", k, v)
	}
	f.Allow(allowed...)
	saved := newClients
	t.Cleanup(func() { newClients = saved })
	newClients = func(context.Context) (*clients, error) {
		return &clients{
			s3: s3.NewFromConfig(fakeaws.Config(), func(o *s3.Options) {
				o.BaseEndpoint = f.BaseEndpoint()
				o.UsePathStyle = true
			}),
			now: func() time.Time { return time.Date(2026, 11, 25, 11, 10, 0, 0, time.UTC) },
		}, nil
	}
}

// hostile is a delivery key's flow-log ID made to hold C1 CSI and a
// right-to-left override (the fake S3's XML carries no C0 byte).
func hostile(key string) string {
	return strings.Replace(key, "fl-0123456789abcdef0", "fl-\u009b2J\u202e", 1)
}

// TestS3KeyInErrorQuoted: a GetObject refused fails the run with
// an error naming the key listed from the bucket, printed raw.
func TestS3KeyInErrorQuoted(t *testing.T) {
	dir := writeSample(t)
	key := slices.Sorted(maps.Keys(sampleLines(t)))[0]
	gz, err := sample.ReadFile("sample/flowlogs/" + key)
	if err != nil {
		t.Fatal(err)
	}
	fakeS3Allowing(t, map[string][]byte{"text/" + hostile(key): gz}, "s3:ListBucket")
	code, _, stderr := runCode(t, "-tasks", sampleTasks(t, dir), "-flowlogs", "s3://flow-logs/text/")
	if code != 1 || !strings.Contains(stderr, "AccessDenied") || strings.ContainsAny(stderr, "\u009b\u202e") {
		t.Errorf("exit %d, stderr:\n%q\nwant exit 1, the key quoted", code, stderr)
	}
}

// TestLenientFirstQuoted: -lenient's first malformed line names
// the object it is in (the parser's error quotes the value, not the
// name): a key listed from S3, printed raw.
func TestLenientFirstQuoted(t *testing.T) {
	dir := writeSample(t)
	keys, objects := sampleS3Objects(t)
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(v2Header + "2 123456789012 eni-1 not-an-address 10.0.0.1 1 2 6 1 1 1 2 ACCEPT OK\n"))
	zw.Close()
	objects["text/"+hostile(keys[0])] = b.Bytes()
	fakeS3(t, objects)
	_, _, stderr := runCode(t, "-format", "csv", "-lenient", "-tasks", sampleTasks(t, dir), "-flowlogs", "s3://flow-logs/text/")
	if !strings.Contains(stderr, "-lenient: skipped 1 malformed line in ") || strings.ContainsAny(stderr, "\u009b\u202e") {
		t.Errorf("stderr:\n%q\nwant the skipped line, the key quoted", stderr)
	}
}

// sampleS3Objects is the sample's flow-log objects as a bucket holds them
// under text/, and their keys in order (without text/).
func sampleS3Objects(t *testing.T) ([]string, map[string][]byte) {
	t.Helper()
	keys := slices.Sorted(maps.Keys(sampleLines(t)))
	objects := map[string][]byte{}
	for _, key := range keys {
		gz, err := sample.ReadFile("sample/flowlogs/" + key)
		if err != nil {
			t.Fatal(err)
		}
		objects["text/"+key] = gz
	}
	return keys, objects
}
