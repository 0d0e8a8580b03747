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

// stalledClient is an ECS client of 150 tasks with the production
// retryer, whose HTTP client times out after timeout (0: never) and
// stalls its first n requests.
func stalledClient(t *testing.T, n int32, timeout time.Duration) (*ecs.Client, *stallFirst) {
	t.Helper()
	ecsread.ShortRetries()
	srv := fakeaws.NewECS(manyTasks(150))
	t.Cleanup(srv.Close)
	cfg := fakeaws.Config()
	cfg.Retryer = productionRetryer
	st := &stallFirst{n: n, base: http.DefaultTransport}
	cfg.HTTPClient = &http.Client{Timeout: timeout, Transport: st}
	return ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() }), st
}

// TestReadSurvivesTransportTimeouts: a run of timed-out attempts
// (http.Client.Timeout) that outlasts the production retryer's three
// attempts is a connection error the SDK itself retries, so the read must
// try the call again as it does for throttling and 5xx. net/http's and
// net's timeout errors match context.DeadlineExceeded, and awscall took
// that for the caller's context ending: the read failed although its
// context was live.
func TestReadSurvivesTransportTimeouts(t *testing.T) {
	client, _ := stalledClient(t, 3, 200*time.Millisecond)
	tasks, _, err := ecsread.ReadTasks(context.Background(), client, "prod")
	if err != nil || len(tasks) != 150 {
		t.Fatalf("%d tasks, err %v", len(tasks), err)
	}
}

// TestCanceledReadStops: the caller's own deadline still ends the
// read at once, without the further tries.
func TestCanceledReadStops(t *testing.T) {
	client, st := stalledClient(t, 1<<30, 0)
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
