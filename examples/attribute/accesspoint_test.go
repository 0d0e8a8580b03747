package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// deniedTransport answers every request 403 AccessDenied, as S3 does, and
// records where it was sent: no request leaves the process.
type deniedTransport struct {
	mu   sync.Mutex
	urls []string
}

func (d *deniedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.urls = append(d.urls, r.URL.String())
	d.mu.Unlock()
	body := `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>r</RequestId></Error>`
	return &http.Response{StatusCode: 403, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/xml"}}, Body: io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: r}, nil
}

// TestAccessPointARN: an S3 access point given by its ARN, as the
// AWS CLI takes it (s3://arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/PREFIX),
// is listed through the access point with the prefix after its name; the
// ARN's own "/" is not where the bucket ends (which made the bucket
// "arn:…:accesspoint", an ARN without a name, and the prefix start with
// the access point's name), for -flowlogs and -merge alike.
func TestAccessPointARN(t *testing.T) {
	dir := writeSample(t)
	const ap = "arn:aws:s3:us-east-1:123456789012:accesspoint/flow-logs-ap"
	for _, args := range [][]string{
		{"-tasks", sampleTasks(t, dir), "-flowlogs", "s3://" + ap + "/text/"},
		{"-merge", "s3://" + ap + "/text/"},
	} {
		tr := &deniedTransport{}
		saved := newClients
		newClients = func(context.Context) (*clients, error) {
			cfg := fakeaws.Config()
			cfg.HTTPClient = &http.Client{Transport: tr}
			return &clients{s3: s3.NewFromConfig(cfg), now: func() time.Time { return time.Date(2026, 11, 25, 11, 10, 0, 0, time.UTC) }}, nil
		}
		code, _, stderr := runCode(t, args...)
		newClients = saved
		tr.mu.Lock()
		urls := tr.urls
		tr.mu.Unlock()
		if code != 1 || !strings.Contains(stderr, "AccessDenied") || len(urls) == 0 ||
			!strings.HasPrefix(urls[0], "https://flow-logs-ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com/") ||
			!strings.Contains(urls[0], "prefix=text%2F") {
			t.Errorf("%q: exit %d, requests %q, stderr:\n%s\nwant ListObjectsV2 of the access point flow-logs-ap with prefix text/", args, code, urls, stderr)
		}
	}
}
