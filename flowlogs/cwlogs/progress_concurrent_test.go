package cwlogs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestProgressCursorWhileReading: a Source runs its request chains
// on up to WithConcurrency goroutines, through rate limiters shared by
// them (and adapted on every throttle); Cursor, Progress and Malformed
// are documented callable at any time from any goroutine, and the
// WithProgress callback runs on the consuming goroutine, one call at a
// time. Polled all through reads with throttles and lenient parsing,
// under -race.
func TestProgressCursorWhileReading(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, fakeaws.LogsOptions{PageEvents: 17, EmptyPageEvery: 3})
			fill(l, "flows", 40, 30)
			l.Put("flows", eniName(1), fakeaws.LogEvent{Timestamp: base.UnixMilli() + 7, Message: "not a record"})
			l.SetFaults(fakeaws.Faults{ThrottleEvery: 5})
			var inCallback, calls atomic.Int32
			src := New(c, "flows", WithStrategy(st), WithConcurrency(6),
				WithRateLimits(Limits{DescribeLogStreams: 5000, FilterLogEvents: 5000, GetLogEvents: 5000}),
				WithReaderOptions(flowlogs.WithLenient(5)),
				WithProgress(func(Progress) {
					if inCallback.Add(1) != 1 {
						t.Error("WithProgress called while another call runs")
					}
					calls.Add(1)
					inCallback.Add(-1)
				}))
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					_ = src.Progress()
					_ = src.Cursor()
					_ = src.Malformed()
				}
			}()
			n := 0
			for _, err := range src.Records(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			close(stop)
			wg.Wait()
			total := 0
			for _, k := range want(l, "flows", nil) {
				total += k
			}
			if n != total-1 || calls.Load() == 0 || len(src.Malformed()) != 1 {
				t.Fatalf("%d records (want %d), %d progress calls, %d malformed", n, total-1, calls.Load(), len(src.Malformed()))
			}
		})
	}
}
