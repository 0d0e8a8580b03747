package ecsread_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestProgressOneAtATime: WithProgress's f is documented to be
// called from one goroutine at a time, while the Describe batches run at
// once (WithConcurrency); its Done counts never go backwards within a
// stage. Several reads share one option set at once, each with its own
// callback state.
func TestProgressOneAtATime(t *testing.T) {
	ecsread.ShortRetries()
	srv := fakeaws.NewECS(manyTasks(1200))
	defer srv.Close()
	srv.SetPageSize(100)
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 9})
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var in, calls atomic.Int32
			last := map[string]int{} // touched only inside f: one call at a time
			f := func(p ecsread.Progress) {
				if in.Add(1) != 1 {
					t.Error("progress called while another call runs")
				}
				if p.Done < last[p.Stage] {
					t.Errorf("%s: Done %d after %d", p.Stage, p.Done, last[p.Stage])
				}
				last[p.Stage] = p.Done
				calls.Add(1)
				in.Add(-1)
			}
			tasks, _, err := ecsread.ReadTasks(context.Background(), client, "prod",
				ecsread.WithConcurrency(8), ecsread.WithProgress(f), ecsread.WithStoppingTasks())
			if err != nil || len(tasks) != 1200 {
				t.Errorf("%d tasks, %v", len(tasks), err)
			}
			var arns []string
			for _, tk := range tasks {
				arns = append(arns, *tk.TaskDefinitionArn)
			}
			if _, _, err := ecsread.DescribeTaskDefinitions(context.Background(), client, arns,
				ecsread.WithConcurrency(8), ecsread.WithProgress(f), ecsread.WithLenient()); err != nil {
				t.Error(err)
			}
			// The checks above hold vacuously for a callback never called.
			if calls.Load() == 0 {
				t.Error("WithProgress's f never called")
			}
		}()
	}
	wg.Wait()
}
