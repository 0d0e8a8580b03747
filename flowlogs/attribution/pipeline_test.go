package attribution

import (
	"bytes"
	"errors"
	"iter"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
)

// AddAll's two goroutines give exactly the results of attributing record
// after record, totals and stats included, and stop at a stream's error
// with every record before it attributed.
func TestAddAllPipelinedEqualsSync(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	h, in := benchClusterN(40, time.Hour, 20000)
	read := func() iter.Seq2[*flowlogs.Record, error] {
		return flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...)).All()
	}
	for _, opts := range [][]Option{nil, {WithoutPeers()}} {
		piped := New(h, opts...)
		sync := New(h, append(opts, WithSyncAddAll())...)
		if err := piped.AddAll(read()); err != nil {
			t.Fatal(err)
		}
		if err := sync.AddAll(read()); err != nil {
			t.Fatal(err)
		}
		if piped.Total() != sync.Total() || !reflect.DeepEqual(piped.Stats(), sync.Stats()) || piped.Total().Records != 20000 {
			t.Fatalf("totals %+v / %+v", piped.Total(), sync.Total())
		}
		for _, g := range []GroupBy{ByTask, ByService, ByInstance} {
			if !reflect.DeepEqual(piped.Result(g), sync.Result(g)) {
				t.Fatalf("options %d, by %v: pipelined and record-by-record results differ", len(opts), g)
			}
		}
	}

	// Tasks made from v7 ECS fields while the records are applied: the
	// join makes them and the applier fills them, up to the limit.
	ecs := distinctECSTasks(3 * DefaultMaxECSTasks / 2)
	piped, sync := New(mustIndex(nil, nil)), New(mustIndex(nil, nil), WithSyncAddAll())
	for _, a := range []*Attributor{piped, sync} {
		if err := a.AddAll(flowlogs.NewReader(bytes.NewReader(ecs), flowlogs.WithFields(Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
	}
	if r := piped.Result(ByTask); len(r.Groups) != DefaultMaxECSTasks || !reflect.DeepEqual(r, sync.Result(ByTask)) {
		t.Fatalf("ECS-field tasks: %d groups, or pipelined and record-by-record results differ", len(r.Groups))
	}

	// A failing stream: the records before the error are attributed.
	boom := errors.New("boom")
	failing := func(yield func(*flowlogs.Record, error) bool) {
		n := 0
		for r, err := range read() {
			if n == 1000 {
				yield(nil, boom)
				return
			}
			if !yield(r, err) {
				return
			}
			n++
		}
	}
	a := New(h)
	if err := a.AddAll(failing); !errors.Is(err, boom) || a.Total().Records != 1000 {
		t.Fatalf("err %v after %d records", err, a.Total().Records)
	}
}

// With thousands of interfaces AddAll touches the join's lines a batch
// ahead (addBatch); Add does not. The answers are the same.
func TestAddAllEqualsAddWithManyInterfaces(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	h, in := benchClusterN(3000, time.Hour, 30000)
	read := func() iter.Seq2[*flowlogs.Record, error] {
		return flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...)).All()
	}
	one := New(h)
	for r, err := range read() {
		if err != nil {
			t.Fatal(err)
		}
		one.Add(r)
	}
	for _, opts := range [][]Option{nil, {WithSyncAddAll()}} {
		a := New(h, opts...)
		if err := a.AddAll(read()); err != nil {
			t.Fatal(err)
		}
		if len(a.e.enis) < touchJoinFrom {
			t.Fatalf("%d interfaces: the test does not reach addBatch's touches", len(a.e.enis))
		}
		if !reflect.DeepEqual(a.Stats(), one.Stats()) || !reflect.DeepEqual(a.Result(ByTask), one.Result(ByTask)) {
			t.Fatalf("options %d: AddAll and Add give different results", len(opts))
		}
	}
}

// A stream that panics mid-batch, and a panic while attributing: AddAll
// panics with the same value in both modes, and the records attributed
// before it are the same (issue 15: a partial batch was lost).
func TestAddAllPanicsLikeSync(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	h, in := benchClusterN(40, time.Hour, 3000)
	panicking := func(after int) iter.Seq2[*flowlogs.Record, error] {
		return func(yield func(*flowlogs.Record, error) bool) {
			n := 0
			for r, err := range flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...)).All() {
				if n == after {
					panic("stream boom")
				}
				if !yield(r, err) {
					return
				}
				n++
			}
		}
	}
	addAll := func(a *Attributor, s iter.Seq2[*flowlogs.Record, error]) (p any) {
		defer func() { p = recover() }()
		a.AddAll(s)
		return nil
	}
	for _, after := range []int{0, 1, 255, 256, 1000, 1100} {
		piped := New(h)
		sync := New(h, WithSyncAddAll())
		pp, ps := addAll(piped, panicking(after)), addAll(sync, panicking(after))
		if pp != "stream boom" || ps != "stream boom" {
			t.Fatalf("after %d: panics %v / %v", after, pp, ps)
		}
		if piped.Total().Records != uint64(after) || piped.Total() != sync.Total() {
			t.Fatalf("after %d: totals %+v / %+v", after, piped.Total(), sync.Total())
		}
		if !reflect.DeepEqual(piped.Result(ByService), sync.Result(ByService)) || !reflect.DeepEqual(piped.Stats(), sync.Stats()) {
			t.Fatalf("after %d: pipelined and sync results differ", after)
		}
	}

	// A panic while joining (forced: unattributed rollups that cannot
	// count an interface) stops both modes at the same record.
	piped := New(h)
	sync := New(h, WithSyncAddAll())
	for _, a := range []*Attributor{piped, sync} {
		for i := range a.e.un {
			a.e.un[i].ifaces = nil
		}
	}
	pp, ps := addAll(piped, panicking(-1)), addAll(sync, panicking(-1))
	if pp == nil || ps == nil {
		t.Fatalf("panics %v / %v", pp, ps)
	}
	if piped.Total() != sync.Total() || sync.Total().Records == 0 {
		t.Fatalf("totals %+v / %+v", piped.Total(), sync.Total())
	}

	// A panic while applying (forced: series that cannot take a bucket)
	// reaches the caller too, whichever goroutine applied, once the
	// applier is done.
	breakSeries := func(a *Attributor) {
		for _, st := range a.e.ix.tasks {
			st.rollup = newRollup(st, &a.e.cfg) // made early, to be broken
			st.ser.offs = []uint32{}
		}
	}
	for _, opts := range [][]Option{nil, {WithSyncAddAll()}} {
		a := New(h, opts...)
		breakSeries(a)
		if p := addAll(a, panicking(-1)); p == nil {
			t.Fatalf("options %d: no panic", len(opts))
		}
		if a.e.apl != nil {
			t.Fatalf("options %d: the applier is still set", len(opts))
		}
	}
	// Both ways a batch can go: to the applier's goroutine (which panics
	// there, and stopApplier raises it) or applied by the join (which
	// panics in stopApplier's own flush at the end of this input).
	for _, queued := range []bool{true, false} {
		a := New(h)
		breakSeries(a)
		p := func() (p any) {
			defer func() { p = recover() }()
			a.e.startApplier(func() bool { return queued })
			defer a.e.stopApplier()
			var f flow
			for r, err := range panicking(-1) {
				if err != nil {
					t.Error(err)
					return nil
				}
				fromRecord(r, &f)
				a.e.add(&f)
			}
			return nil
		}()
		if p == nil || a.e.apl != nil {
			t.Fatalf("queued %v: panic %v, applier %v", queued, p, a.e.apl)
		}
	}
}

// parsedFlows parses the text in into the flows the engine joins.
func parsedFlows(t *testing.T, in []byte) []flow {
	t.Helper()
	var flows []flow
	for r, err := range flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...)).All() {
		if err != nil {
			t.Fatal(err)
		}
		var f flow
		fromRecord(r, &f)
		flows = append(flows, f)
	}
	return flows
}

// addedOneByOne is an Attributor over h that added flows one at a time:
// the rollups every way of batching them must give.
func addedOneByOne(h *history.Index, flows []flow) *Attributor {
	a := New(h)
	for i := range flows {
		a.e.add(&flows[i])
	}
	return a
}

// The join's batch touches (addBatch, with touchJoinFrom interfaces or
// more) run while the applier applies earlier batches: they must write
// nothing the applier writes. Every batch goes to the applier here, so
// under -race the two always overlap (a touch that added to the engine's
// sink, as the applier's do, was a data race that AddAll's own tests did
// not reach: its join mostly kept up and applied the batches itself).
func TestJoinTouchesBesideApplier(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	h, in := benchClusterN(3000, time.Hour, 30000)
	flows := parsedFlows(t, in)
	sync := addedOneByOne(h, flows)
	a := New(h)
	a.e.startApplier(func() bool { return true })
	for b := range slices.Chunk(flows, pipeBatch) {
		a.e.addBatch(b)
	}
	a.e.stopApplier()
	if len(a.e.enis) < touchJoinFrom {
		t.Fatalf("%d interfaces: the test does not reach addBatch's touches", len(a.e.enis))
	}
	if !reflect.DeepEqual(a.Result(ByTask), sync.Result(ByTask)) {
		t.Error("results differ from record by record")
	}
}

// Whether the join applies a batch itself or hands it to the applier
// depends on timing; every pattern of the two gives the rollups of
// applying record after record, and the rollups are the applier's alone
// while it has a batch (under -race, a local apply during a hand-off is a
// data race).
func TestApplierHandoffPatterns(t *testing.T) {
	h, in := benchClusterN(40, time.Hour, 6*handoffOps)
	flows := parsedFlows(t, in)
	want := addedOneByOne(h, flows).Result(ByTask)
	for _, pattern := range []string{"always", "never", "alternate", "bursts"} {
		a := New(h)
		n := 0
		a.e.startApplier(func() bool {
			n++
			switch pattern {
			case "always":
				return true
			case "never":
				return false
			case "alternate":
				return n%2 == 0
			}
			return n%5 < 3
		})
		for i := range flows {
			a.e.add(&flows[i])
		}
		a.e.stopApplier()
		if n == 0 {
			t.Fatalf("%s: no batch was flushed", pattern)
		}
		if got := a.Result(ByTask); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: results differ from record by record", pattern)
		}
	}
}

// TestBatchesOrder pins the order batches.empty promises: every batch is
// made before one is refilled, and then the batch given back longest ago
// comes first, so that a batch is refilled after the other core has read
// the others.
func TestBatchesOrder(t *testing.T) {
	bs := newBatches[int](3, 2)
	var made [][]int
	for range 3 {
		b := bs.empty()
		if len(b) != 2 {
			t.Fatalf("a new batch has %d elements, want 2", len(b))
		}
		made = append(made, b)
		bs.giveBack(b[:1]) // given back right away: still not reused yet
	}
	for i, want := range made {
		if got := bs.empty(); &got[0] != &want[0] || len(got) != 2 {
			t.Errorf("refill %d: got batch %p (len %d), want batch %d (%p, len 2)", i, &got[0], len(got), i, &want[0])
		}
	}
	if bs.made != 3 {
		t.Errorf("made %d batches, want 3", bs.made)
	}
}
