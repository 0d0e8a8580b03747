package attribution

import (
	"bytes"
	"fmt"
	"net/netip"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestSharedIndex: one *history.Index (immutable, safe for
// concurrent use) and one Topology are shared in practice by the
// Attributors of many objects at once (examples/lambda's invocations,
// one Attributor per object), each pipelined (AddAll's own goroutines);
// then their Results, Partials and the Merges of those (documented not to
// modify the parts, which share the history's Tasks) are taken at once,
// and every answer equals the one computed alone.
func TestSharedIndex(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	h, in := benchClusterN(60, time.Hour, 4000)
	var topo Topology
	for i := range 4 {
		topo.Subnets = append(topo.Subnets, Subnet{ID: fmt.Sprint("subnet-", i), AZ: fmt.Sprint("us-east-1", string(rune('a'+i%2))),
			VPC: "vpc-1", Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)})
	}
	topo.VPCs = []VPC{{ID: "vpc-1", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	topo.LoadBalancers = []LoadBalancerNode{{Addr: netip.MustParseAddr("10.3.0.9"), LoadBalancer: "app/lb/1", VPC: "vpc-1"}}
	read := func() *flowlogs.Reader {
		return flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...))
	}
	alone := New(h, WithTopology(topo))
	if err := alone.AddAll(read().All()); err != nil {
		t.Fatal(err)
	}
	want := alone.Result(ByService)

	const n = 4
	as := make([]*Attributor, n)
	var wg sync.WaitGroup
	for i := range as {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := New(h, WithTopology(topo))
			if err := a.AddAll(read().All()); err != nil {
				t.Error(err)
			}
			as[i] = a
		}()
	}
	wg.Wait()
	parts := make([]*Partial, n)
	for i, a := range as {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := a.Result(ByService); !reflect.DeepEqual(got, want) {
				t.Errorf("attributor %d: result differs from one computed alone", i)
			}
			p := a.Partial()
			p.Inputs = []Input{{Name: fmt.Sprint("object-", i)}}
			parts[i] = p
		}()
	}
	wg.Wait()
	wantMerged, err := Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	wantByService := wantMerged.Result(ByService)
	for range 3 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			m, err := Merge(parts...)
			if err != nil {
				t.Error(err)
				return
			}
			if !reflect.DeepEqual(m.Result(ByService), wantByService) {
				t.Error("a merge run beside others differs")
			}
		}()
		go func() {
			defer wg.Done()
			for _, p := range parts {
				_ = p.Result(ByTask)
			}
		}()
	}
	wg.Wait()
}

// TestSnapshotsWhileAdding: Result is documented a snapshot ("the
// Attributor can keep adding records afterwards"), and so is Partial
// (what the records added so far contributed): a program may hand them
// to another goroutine (to write a report or a partials file) while the
// Attributor goes on with the next records. The snapshots must share no
// memory the Attributor writes, and stay what they were.
func TestSnapshotsWhileAdding(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	h, in := benchClusterN(40, time.Hour, 6000)
	half := bytes.IndexByte(in[len(in)/2:], '\n') + len(in)/2 + 1
	header := in[:bytes.IndexByte(in, '\n')+1]
	rest := append(slices.Clip(header), in[half:]...)
	// ECS-field tasks as well, which the engine makes as it goes.
	ecs := distinctECSTasks(50)
	for _, opts := range [][]Option{nil, {WithSyncAddAll()}} {
		a := New(h, opts...)
		for _, b := range [][]byte{in[:half], ecs} {
			if err := a.AddAll(flowlogs.NewReader(bytes.NewReader(b), flowlogs.WithFields(Fields()...)).All()); err != nil {
				t.Fatal(err)
			}
		}
		r, p := a.Result(ByTask), a.Partial()
		rs, ps := a.Result(ByService), a.Partial()
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			for _, b := range [][]byte{rest, ecs, in} {
				if err := a.AddAll(flowlogs.NewReader(bytes.NewReader(b), flowlogs.WithFields(Fields()...)).All()); err != nil {
					t.Error(err)
				}
				_ = a.Result(ByService)
			}
		}()
		go func() {
			defer wg.Done()
			for range 3 {
				if !reflect.DeepEqual(r, rs) && !reflect.DeepEqual(p, ps) {
					_ = p.Result(ByFamily)
				}
			}
		}()
		wg.Wait()
		if !reflect.DeepEqual(p, ps) {
			t.Errorf("options %d: a Partial taken before changed as records were added", len(opts))
		}
		if r2 := New(h, opts...); true {
			for _, b := range [][]byte{in[:half], ecs} {
				if err := r2.AddAll(flowlogs.NewReader(bytes.NewReader(b), flowlogs.WithFields(Fields()...)).All()); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(r, r2.Result(ByTask)) || !reflect.DeepEqual(rs, r2.Result(ByService)) {
				t.Errorf("options %d: a Result taken before changed as records were added", len(opts))
			}
		}
	}
}
