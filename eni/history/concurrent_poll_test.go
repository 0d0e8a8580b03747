package history

import (
	"context"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestIndexWhilePolling: an Index is documented immutable and safe
// for concurrent use, and a Watcher's Index is what a program reads while
// Run polls (the Watcher locks for it): lookups on indexes taken at any
// moment, from several goroutines, while polls add to the Builder the
// indexes were taken from, under -race.
func TestIndexWhilePolling(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	fc.srv.SetFaults(fakeaws.Faults{}) // quick polls
	w := NewWatcher(fc.api, "prod", filepath.Join(t.TempDir(), "h.jsonl"))
	w.Interval = time.Millisecond
	if _, err := w.Open(); err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- w.Run(ctx) }()
	ip := netip.MustParseAddr("10.0.1.5")
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Until 100 lookups after the first poll was recorded: polls
			// go on all along (Interval 1 ms).
			for after := 0; after < 100; {
				x := w.Index()
				if len(x.Tasks()) > 0 {
					after++
				}
				for _, tk := range x.Tasks() {
					_, _ = x.Task(tk.ARN)
					_ = tk.ID() + tk.Cluster() + tk.Service()
				}
				_, _ = x.TaskByENI("eni-1", at(5))
				_, _ = x.TaskByIP(ip, at(5))
				_, _ = x.TaskByHostPort(ciA, 32768, netmode.TCP, at(5))
				_, _ = x.InstanceByENI("eni-x", at(5))
				for _, in := range x.Instances() {
					_, _ = x.InstanceByIP(in.IPv4, at(5))
				}
			}
		}()
	}
	wg.Wait()
	if _, ok := w.Index().TaskByENI("eni-1", at(5)); !ok {
		t.Error("the polled index does not know eni-1")
	}
	cancel()
	if err := <-runDone; err != context.Canceled {
		t.Fatal(err)
	}
}

// TestConcurrentPolls: a Watcher locks its history for every step
// of a poll (its Index is read while Run polls), and a program may also
// Poll at once (a "poll now" beside Run): two polls of a cluster whose
// ARN only DescribeClusters can tell (denied here), at once, raced on what
// the Watcher remembers of that call (describedARN, describeDenied: read
// and written outside w.mu). With an Index and a Close beside them.
func TestConcurrentPolls(t *testing.T) {
	srv := prodWithT1(t)
	srv.Allow("ecs:ListTasks", "ecs:DescribeTasks", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances", "ecs:DescribeTaskDefinition")
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	if _, err := pollOnce(clientOf(srv), "prod", path, at(5)); err != nil {
		t.Fatal(err)
	}
	if err := srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		w := NewWatcher(clientOf(srv), "prod", path)
		w.Now = func() time.Time { return at(180) }
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := w.Poll(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Add(1)
		go func() { // the other methods, beside them
			defer wg.Done()
			_ = w.Index()
			if err := w.Close(); err != nil {
				t.Error(err)
			}
			_ = w.Index()
		}()
		wg.Wait()
		w.Close()
	}
}
