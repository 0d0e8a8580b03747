package attribution

import (
	"bytes"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestBatchedEqualsOneByOne checks that staging records in batches (see
// engine.attribute) gives exactly the rollups of applying each record at
// once, on a workload whose peer summaries fill up, filter and evict.
func TestBatchedEqualsOneByOne(t *testing.T) {
	h, in := benchClusterN(40, time.Hour, 20000)
	var flows []flow
	r := flowlogs.NewReader(bytes.NewReader(in), flowlogs.WithFields(Fields()...))
	for r.Scan() {
		var f flow
		fromRecord(r.Record(), &f)
		flows = append(flows, f)
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	for _, opts := range [][]Option{nil, {WithTopK(8, 2)}, {WithPeerPrefix(24, 64)}, {WithoutPeers()}} {
		cfg := defaultConfig()
		for _, o := range opts {
			o(&cfg)
		}
		batched, single := newEngine(h, cfg), newEngine(h, cfg)
		for i := range flows {
			batched.add(&flows[i])
			single.add(&flows[i])
			single.flush()
			if i == len(flows)/2 {
				batched.result(ByTask) // a Result mid-stream flushes too
			}
		}
		for _, g := range []GroupBy{ByTask, ByService, ByInstance} {
			a, b := batched.result(g), single.result(g)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("options %d, by %v: batched and one-by-one results differ", len(opts), g)
			}
			if len(a.Groups) == 0 || len(a.Groups[0].TopPeers) == 0 && !cfg.noPeers {
				t.Fatalf("options %d: implausible result %+v", len(opts), a.Groups)
			}
		}
	}
}

// TestLayout pins the sizes the hot path's cache-line arithmetic assumes.
func TestLayout(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if s := unsafe.Sizeof(eniEntry{}); s != 64 {
		t.Errorf("eniEntry is %d bytes, want one 64-byte line", s)
	}
	// key, weight, packets, records, tag, slot: what a hit reads and
	// writes, no more than one line and a bit.
	if s := unsafe.Sizeof(topHot[addrKey]{}); s > 40 {
		t.Errorf("a peer entry is %d bytes, want at most 40", s)
	}
	// AddAll's doc promises its batches at most 8 MiB; pipeBatch's, a
	// batch 1.4 MiB, and handoffOps's 544 KiB.
	if s := unsafe.Sizeof(flow{}) * pipeBatch; float64(s) > 1.4*(1<<20) {
		t.Errorf("a batch is %d bytes, pipeBatch's comment says 1.4 MiB", s)
	}
	// flow's comment: what every record sets fits in its first 192 bytes.
	var f flow
	if end := unsafe.Offsetof(f.vpcID) + unsafe.Sizeof(f.vpcID); end > 192 || unsafe.Offsetof(f.rare) > 192 || unsafe.Offsetof(f.srcService) < end {
		t.Errorf("a flow's common fields end at %d (rare at %d, srcService at %d), flow's comment says they fill the first 192 bytes",
			end, unsafe.Offsetof(f.rare), unsafe.Offsetof(f.srcService))
	}
	if s := unsafe.Sizeof(op{}) * handoffOps; s > 544<<10 {
		t.Errorf("a batch of staged records is %d bytes, handoffOps's comment says 544 KiB", s)
	}
	if s := unsafe.Sizeof(flow{})*pipeBatch*pipeBatches + unsafe.Sizeof(op{})*handoffOps*handoffBatches; s > 8<<20 {
		t.Errorf("AddAll's batches take up to %d bytes, its doc says 8 MiB", s)
	}
	// What the lazily made parts save, as their comments say.
	if s := unsafe.Sizeof(topK[uint32, struct{}]{}); s != 160 {
		t.Errorf("a port summary is %d bytes, rollup's comment says 160", s)
	}
	if s := unsafe.Sizeof(topFull{}); s > 256 {
		t.Errorf("topFull is %d bytes, its wide field's comment says 256", s)
	}
	// The rollup a record touches first; the port summary and the
	// summaries' cold parts are made only when needed.
	// Up to 512 bytes an object needs no malloc header: the 512-byte
	// size class (rollup's cold field says what moved out to stay there).
	if s := unsafe.Sizeof(rollup{}); s > 512 {
		t.Errorf("rollup is %d bytes, want at most 512 (the 512-byte size class, no malloc header)", s)
	}
	// Every peer class has its own byTag counter (a tag is a class).
	if numTags < int(numPeerClasses) {
		t.Errorf("%d tags for %d peer classes", numTags, numPeerClasses)
	}
	// What a task without records costs.
	if s := unsafe.Sizeof(taskState{}); s > 80 {
		t.Errorf("taskState is %d bytes, want at most 80 (its comment: a few words)", s)
	}
}
