package fakeaws

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Over HTTPS, with the checksum setting LoadDefaultConfig gives, the SDK
// sends a PutObject body aws-chunked, its checksum in a trailer (over
// plain HTTP, as the other tests run, it sends the body as is): the fake
// stores the bytes, not the chunks.
func TestS3PutObjectOverTLS(t *testing.T) {
	f := NewS3()
	defer f.Close()
	f.CreateBucket("b")
	var enc string
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			enc = r.Header.Get("Content-Encoding")
		}
		f.Server.Config.Handler.ServeHTTP(w, r)
	}))
	ts.StartTLS()
	defer ts.Close()
	cfg := Config()
	cfg.HTTPClient = ts.Client()
	cfg.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenSupported
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(ts.URL); o.UsePathStyle = true })
	body := strings.Repeat("x", 100000)
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), Body: strings.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	got, _, _ := f.Object("b", "k")
	if !strings.Contains(enc, "aws-chunked") || string(got) != body {
		t.Fatalf("Content-Encoding %q; stored %d bytes, want the %d sent", enc, len(got), len(body))
	}
}
