package ecsread_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// stallFirst holds its first n requests until the request's context ends
// (an http.Client.Timeout ends it: ECS slow to answer, a dial that hangs),
// then lets every later request through.
type stallFirst struct {
	n    int32
	seen atomic.Int32
	base http.RoundTripper
}

func (s *stallFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.seen.Add(1) <= s.n {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return s.base.RoundTrip(r)
}

// TestReadSurvivesTransportTimeouts: a run of timed-out attempts
// (http.Client.Timeout) that outlasts the production retryer's three
// attempts is a connection error the SDK itself retries, so the read must
// try the call again as it does for throttling and 5xx. net/http's and
// net's timeout errors match context.DeadlineExceeded, and awscall took
// that for the caller's context ending: the read failed although its
// context was live.
func TestReadSurvivesTransportTimeouts(t *testing.T) {
	ecsread.ShortRetries()
	srv := fakeaws.NewECS(manyTasks(150))
	defer srv.Close()
	cfg := fakeaws.Config()
	cfg.Retryer = productionRetryer
	cfg.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond,
		Transport: &stallFirst{n: 3, base: http.DefaultTransport}}
	client := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	tasks, _, err := ecsread.ReadTasks(context.Background(), client, "prod")
	if err != nil || len(tasks) != 150 {
		t.Fatalf("%d tasks, err %v", len(tasks), err)
	}
}

// TestCanceledReadStops: the caller's own deadline still ends the
// read at once, without the further tries.
func TestCanceledReadStops(t *testing.T) {
	ecsread.ShortRetries()
	srv := fakeaws.NewECS(manyTasks(150))
	defer srv.Close()
	cfg := fakeaws.Config()
	cfg.Retryer = productionRetryer
	st := &stallFirst{n: 1 << 30, base: http.DefaultTransport}
	cfg.HTTPClient = &http.Client{Transport: st}
	client := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _, err := ecsread.ReadTasks(ctx, client, "prod")
	if err == nil {
		t.Fatal("want the context's error")
	}
	if n := st.seen.Load(); n != 1 {
		t.Fatalf("%d requests after the context ended the first", n)
	}
}
