package main

import (
	"context"
	"maps"
	"sync"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// TestConcurrentInvocations: a warm container may run invocations
// at once (the history and topology caches are shared across them): every
// sample object handled by its own invocation, all at once, with a
// topology, writes the partials one by one would, under -race.
func TestConcurrentInvocations(t *testing.T) {
	captureLog(t)
	e := newEnv(t)
	e.f.PutObject(stateBucket, topologyKey, sampleTopologyDoc(t))
	e.w.topology = newTopologyCache(e.api, stateBucket, topologyKey)
	e.objs = e.objs[:4] // enough invocations at once, and a quick test
	want := e.want(t, attribution.WithTopology(attributeTopology(t)))
	var wg sync.WaitGroup
	errs := make([]error, len(e.objs))
	for i, o := range e.objs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.w.handle(context.Background(), s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body))))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", e.objs[i].key, err)
		}
	}
	if got := e.outputs(t); !maps.Equal(got, want) {
		t.Fatal("concurrent invocations' partials differ from the objects attributed one by one")
	}
}
