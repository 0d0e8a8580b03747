package fakeaws

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestS3DateConditions: S3 judges If-Modified-Since (304 when the
// object was not modified since) and If-Unmodified-Since (412 when it
// was), alone and with the ETag conditions by its precedence rules
// (API_GetObject): If-Match true + If-Unmodified-Since false -> 200;
// If-None-Match false + If-Modified-Since true -> 304. The fake ignored
// the dates: 200 for each.
func TestS3DateConditions(t *testing.T) {
	f := NewS3()
	defer f.Close()
	c := newS3Client(f)
	ctx := context.Background()
	f.PutObject("b", "k", []byte("body"))
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("b"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	etag, mod := aws.ToString(head.ETag), aws.ToTime(head.LastModified)
	before, after := mod.Add(-time.Hour), mod.Add(time.Hour)
	status := func(in *s3.GetObjectInput) int {
		in.Bucket, in.Key = aws.String("b"), aws.String("k")
		out, err := c.GetObject(ctx, in)
		if err == nil {
			io.Copy(io.Discard, out.Body)
			out.Body.Close()
			return 200
		}
		var re *awshttp.ResponseError
		if errors.As(err, &re) {
			return re.HTTPStatusCode()
		}
		t.Fatalf("GetObject: %v", err)
		return 0
	}
	for _, c := range []struct {
		name string
		in   s3.GetObjectInput
		want int
	}{
		{"If-Modified-Since after the write", s3.GetObjectInput{IfModifiedSince: aws.Time(after)}, 304},
		{"If-Unmodified-Since before the write", s3.GetObjectInput{IfUnmodifiedSince: aws.Time(before)}, 412},
		{"If-Match true + If-Unmodified-Since false", s3.GetObjectInput{IfMatch: aws.String(etag), IfUnmodifiedSince: aws.Time(before)}, 200},
		{"If-None-Match false + If-Modified-Since true", s3.GetObjectInput{IfNoneMatch: aws.String(etag), IfModifiedSince: aws.Time(before)}, 304},
	} {
		if got := status(&c.in); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
