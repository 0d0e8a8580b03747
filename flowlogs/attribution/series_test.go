package attribution

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSeriesSparse drives series with random bucket numbers, dense runs
// and far-apart ones, and random directions (one, two or three of them,
// a new one arriving at any point, dense or sparse), and checks it against
// a map: the same buckets, the same bytes by direction, the same records
// refused for the span bound, whether it stayed dense or turned sparse.
func TestSeriesSparse(t *testing.T) {
	sparse := 0
	for round := range 200 {
		rng := rand.New(rand.NewPCG(uint64(round), 3))
		maxBuckets := []int{8, 100, 4096}[round%3]
		var s series
		want := map[int64][3]uint64{}
		// The directions this round draws from, and when each may
		// first appear.
		dirs := [][]uint8{{dirEgress}, {dirIngress, dirEgress}, {dirEgress, dirIngress, dirUnknown}}[round%3]
		from := [3]int{0, rng.IntN(500), rng.IntN(500)}
		var lo, hi int64
		for k := range 500 {
			dir := dirs[0]
			if j := rng.IntN(len(dirs)); k >= from[j] {
				dir = dirs[j]
			}
			var n int64
			switch rng.IntN(3) {
			case 0:
				n = int64(rng.IntN(50)) // a dense run
			case 1:
				n = int64(rng.IntN(5000)) // far apart
			default:
				n = 1000 + int64(rng.IntN(3000))
			}
			bytes := uint64(rng.IntN(1000))
			switch rng.IntN(20) {
			case 0, 1:
				bytes = 0 // a record of no bytes still takes its bucket
			case 2:
				bytes = 1<<32 - uint64(rng.IntN(1000)) // near or past a cell's 32 bits
			}
			keep := len(want) == 0 || max(hi, n)-min(lo, n) < int64(maxBuckets)
			kept := s.add(n, dir, bytes, maxBuckets)
			if kept != keep {
				t.Fatalf("round %d: add(%d) kept %v, want %v (span %d..%d, max %d)", round, n, kept, keep, lo, hi, maxBuckets)
			}
			if !kept {
				continue
			}
			if len(want) == 0 {
				lo, hi = n, n
			}
			lo, hi = min(lo, n), max(hi, n)
			w := want[n]
			w[dir] += bytes
			want[n] = w
		}
		var drawn uint8
		for _, d := range dirs {
			drawn |= 1 << d
		}
		if w := s.width(); w > len(dirs) || w == 0 || s.dirs&^drawn != 0 || len(s.cells)%w != 0 {
			t.Fatalf("round %d: buckets %d counts wide (%d cells) for %d directions (dirs %03b, drawn %03b)", round, w, len(s.cells), len(dirs), s.dirs, drawn)
		}
		if s.offs != nil {
			sparse++
			if s.offs[0] != 0 {
				t.Fatalf("round %d: sparse series starts at offset %d, not 0", round, s.offs[0])
			}
		}
		got := map[int64][3]uint64{}
		prev := int64(-1 << 62)
		s.each(func(n int64, b bucket) {
			if n <= prev {
				t.Fatalf("round %d: bucket %d after %d", round, n, prev)
			}
			prev = n
			if b.bytes != ([3]uint64{}) || want[n] == ([3]uint64{}) {
				got[n] = b.bytes
			}
		})
		for n, v := range want {
			if got[n] != v {
				t.Fatalf("round %d: bucket %d has %v bytes by direction, want %v", round, n, got[n], v)
			}
		}
		if l, h := s.bounds(); l != lo || h != hi+1 {
			t.Fatalf("round %d: bounds %d..%d, want %d..%d", round, l, h, lo, hi+1)
		}
		pts := sumSeries(nil, []*series{&s}, nil, 60)
		var sum, wsum [3]uint64
		for _, p := range pts {
			sum[dirUnknown] += p.BytesUnknown
			sum[dirIngress] += p.BytesIn
			sum[dirEgress] += p.BytesOut
		}
		for _, v := range want {
			for d := range v {
				wsum[d] += v[d]
			}
		}
		if sum != wsum {
			t.Fatalf("round %d: sumSeries %v bytes by direction, want %v", round, sum, wsum)
		}
	}
	if sparse == 0 || sparse == 200 {
		t.Fatalf("%d of 200 series turned sparse: both forms must be exercised", sparse)
	}
}

// TestSeriesUseSaturates: records of no bytes that keep reaching an empty
// bucket count it as used each time; the count stops at its bound instead
// of wrapping, and the series still grows without panic (dense: its count
// says it is well used).
func TestSeriesUseSaturates(t *testing.T) {
	var s series
	s.add(0, dirIngress, 0, 1<<20)
	s.add(1, dirIngress, 0, 1<<20)
	s.used = math.MaxInt32 - 1
	for range 3 {
		if !s.add(1, dirIngress, 0, 1<<20) {
			t.Fatal("a record of no bytes refused")
		}
	}
	if s.used != math.MaxInt32 {
		t.Fatalf("used %d, want it held at %d", s.used, math.MaxInt32)
	}
	if !s.add(1<<19, dirEgress, 5, 1<<20) || s.offs != nil {
		t.Fatalf("a far bucket: sparse %v", s.offs != nil)
	}
	var got uint64
	s.each(func(n int64, b bucket) { got += b.bytes[dirEgress] })
	if got != 5 {
		t.Fatalf("egress bytes %d, want 5", got)
	}
}
