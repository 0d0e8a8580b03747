package attribution

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"runtime"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestOverflow: 20 records of 999,999,999,999,999,999 bytes wrapped the
// totals (issue 15). The record that would pass 2^64-1 is refused with
// every later one, the error names it, and the figures are exact for the
// records before it, in both AddAll modes and through Add.
func TestOverflow(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	var recs []*flowlogs.Record
	for i := range 20 {
		eni, dst := "eni-web1", "10.0.1.101"
		if i%2 == 1 { // and unattributed
			eni, dst = "eni-zzz", "10.9.9.9"
		}
		s := at(i).Unix()
		r, err := flowlogs.ParseLine(flowlogs.DefaultFormat,
			fmt.Sprintf("2 1 %s 10.0.2.5 %s 1 443 6 1 999999999999999999 %d %d ACCEPT OK", eni, dst, s, s+59))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	seq := func(yield func(*flowlogs.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
	var results []*Result
	h := fixture()
	for i, opts := range [][]Option{{WithSyncAddAll()}, nil, {WithTopK(1, 1)}} {
		a := New(h, opts...)
		var err error
		if opts == nil {
			for _, r := range recs {
				a.Add(r)
			}
			err = a.Err()
		} else {
			err = a.AddAll(iter.Seq2[*flowlogs.Record, error](seq))
		}
		var oe *OverflowError
		if !errors.As(err, &oe) || oe.Record != 19 || oe.Field != "bytes" {
			t.Fatalf("options %d: err %v", len(opts), err)
		}
		if tot := a.Total(); tot.Bytes != 18*999999999999999999 || tot.Records != 18 {
			t.Fatalf("options %d: total %+v", len(opts), tot)
		}
		r := a.Result(ByCluster)
		if !r.Stats.Overflow {
			t.Error("Stats.Overflow not set")
		}
		if att, un := r.Attributed(), r.UnattributedTotal(); att.Bytes+un.Bytes != r.Total.Bytes || att.Bytes != 9*999999999999999999 {
			t.Fatalf("options %d: attributed %d + unattributed %d != %d", len(opts), att.Bytes, un.Bytes, r.Total.Bytes)
		}
		for _, g := range r.Groups {
			var s uint64
			for _, p := range g.Series {
				s += p.BytesIn + p.BytesOut + p.BytesUnknown
			}
			if s != g.Bytes() {
				t.Errorf("series %d, group %d", s, g.Bytes())
			}
			for _, p := range g.TopPeers {
				if p.Bytes > r.Total.Bytes || p.MaxError > p.Bytes {
					t.Errorf("peer %+v over the total", p)
				}
			}
		}
		if i < 2 {
			results = append(results, r)
		}
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		t.Error("AddAll and Add give different results")
	}

	// A stream error after the overflowing record comes after it: both
	// modes report the overflow.
	boom := errors.New("boom")
	failing := func(yield func(*flowlogs.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
		yield(nil, boom)
	}
	for _, opts := range [][]Option{{WithSyncAddAll()}, nil} {
		var oe *OverflowError
		if err := New(h, opts...).AddAll(failing); !errors.As(err, &oe) || oe.Record != 19 {
			t.Errorf("options %d, a stream error after the overflow: err %v", len(opts), err)
		}
	}

	// Record by record (WithSyncAddAll), the stream is read no further
	// than the record that overflows: a stream that would panic after it
	// is not reached.
	yielded := 0
	panicking := func(yield func(*flowlogs.Record, error) bool) {
		for _, r := range recs {
			yielded++
			if !yield(r, nil) {
				return
			}
		}
		panic("read past the overflow")
	}
	var oe *OverflowError
	if err := New(h, WithSyncAddAll()).AddAll(panicking); !errors.As(err, &oe) || oe.Record != 19 || yielded != 19 {
		t.Errorf("sync, a stream that panics after the records: err %v after %d records", err, yielded)
	}
}

// Packets overflow too, and a pipelined AddAll stops reading.
func TestOverflowPackets(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	r, err := flowlogs.ParseLine(flowlogs.DefaultFormat,
		fmt.Sprintf("2 1 eni-web1 10.0.2.5 10.0.1.101 1 443 6 999999999999999999 1 %d %d ACCEPT OK", at(1).Unix(), at(1).Unix()+59))
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	seq := func(yield func(*flowlogs.Record, error) bool) {
		for range 100000 {
			read++
			if !yield(r, nil) {
				return
			}
		}
	}
	h := fixture()
	a := New(h)
	var oe *OverflowError
	if err := a.AddAll(seq); !errors.As(err, &oe) || oe.Field != "packets" || oe.Record != 19 || a.Total().Records != 18 {
		t.Fatalf("err %v, total %+v", err, a.Total())
	}
	// The caller stops once a batch comes back after the overflow: it may
	// have filled every batch by then, not more.
	if read > (pipeBatches+1)*pipeBatch {
		t.Errorf("read %d records after the overflow", read)
	}
}
