package attribution

import (
	"slices"
	"time"
)

// series is a task's traffic in fixed buckets of Options.Step. While its
// buckets are mostly used it is a dense slice from its first to its last
// bucket: adding is an index, not a search. A task whose records are few
// and far apart (a week of a quiet task: a few buckets out of thousands)
// would waste most of such a slice, so once fewer than a quarter of its
// span's buckets are used the series turns sparse: its buckets in order,
// with their offsets beside them. A record so far from the others that the
// span would pass maxBuckets is not put in the series, in either form
// (and counted in Stats.SeriesDropped); it stays in every total.
//
// A bucket holds 32-bit counts (a task's bytes in one direction in one
// bucket rarely pass 4 GiB: 14 MB/s for five minutes), and the rare
// bucket that passes them keeps its high halves in carry: a day of
// 5-minute buckets is under 3.5 KiB a task, half of what 64-bit counts
// took, and at ten thousand tasks that was a third of attribution's heap
// (bench/attrscale).
type series struct {
	// first is the bucket number (unix seconds / step) of pts[0] when
	// dense, the base of offs when sparse.
	first int64
	pts   []cell
	// offs, when not nil, makes the series sparse: pts[i] is bucket
	// first+offs[i], in increasing order, and offs[0] is 0 (first is the
	// first bucket's number, so the span's start needs no read).
	offs []uint32
	// carry holds, by bucket number, the counts' high halves (units of
	// 2³²) of the buckets that passed 2³²−1.
	carry map[int64][3]uint64
	used  int // dense: buckets handed out while empty (for the switch)
}

// cell is a bucket as stored: the low 32 bits of its bytes by direction
// (dirUnknown, dirIngress, dirEgress).
type cell [3]uint32

// bucket is a bucket as read: its bytes by direction.
type bucket struct {
	bytes [3]uint64
}

// sparseMin is the dense length under which a series stays dense whatever
// its use: a few hours of buckets.
const sparseMin = 64

// maxSeriesBuckets bounds Options.MaxBuckets: sparse offsets are 32-bit,
// and an int of a 32-bit platform holds it.
const maxSeriesBuckets = 1<<31 - 1

// add counts bytes in direction dir in bucket n, or reports false when
// that would make the series' span longer than maxBuckets. A record of
// no bytes still takes its bucket: it makes the span.
func (s *series) add(n int64, dir uint8, bytes uint64, maxBuckets int) bool {
	c := s.at(n, maxBuckets)
	if c == nil {
		return false
	}
	// bytes < 2⁶³ (a record's are an int64) and a bucket never passes
	// the task's total, which the engine keeps under 2⁶⁴: no overflow.
	x := uint64(c[dir]) + bytes
	c[dir] = uint32(x)
	if x>>32 != 0 {
		if s.carry == nil {
			s.carry = map[int64][3]uint64{}
		}
		h := s.carry[n]
		h[dir] += x >> 32
		s.carry[n] = h
	}
	return true
}

// at returns the cell for bucket number n, growing the series, or nil when
// that would make its span longer than maxBuckets.
func (s *series) at(n int64, maxBuckets int) *cell {
	if s.offs != nil {
		return s.atSparse(n, maxBuckets)
	}
	if len(s.pts) == 0 {
		s.first = n
		if s.pts == nil {
			// Room for a few hours at once: growing one bucket at a
			// time from one reallocates a day's series nine times.
			s.pts = make([]cell, 0, min(maxBuckets, sparseMin))
		}
		s.pts = append(s.pts, cell{})
		s.used = 1
		return &s.pts[0]
	}
	if n >= s.first {
		i := n - s.first
		if i < int64(len(s.pts)) {
			c := &s.pts[i]
			if *c == (cell{}) {
				s.used++
			}
			return c
		}
		if i >= int64(maxBuckets) {
			return nil
		}
		if s.wasteful(i + 1) {
			s.toSparse()
			return s.atSparse(n, maxBuckets)
		}
		if int(i) >= cap(s.pts) {
			s.pts = withCap(s.pts, grownCap(cap(s.pts), int(i)+1, maxBuckets))
		}
		s.pts = s.pts[:i+1]
		s.used++
		return &s.pts[i]
	}
	grow := s.first - n
	if grow+int64(len(s.pts)) > int64(maxBuckets) {
		return nil
	}
	if s.wasteful(grow + int64(len(s.pts))) {
		s.toSparse()
		return s.atSparse(n, maxBuckets)
	}
	pts := make([]cell, int(grow)+len(s.pts), int(grow)+cap(s.pts))
	copy(pts[grow:], s.pts)
	s.pts, s.first = pts, n
	s.used++
	return &s.pts[0]
}

// wasteful reports whether a dense series of length n would use fewer
// than a quarter of its buckets.
func (s *series) wasteful(n int64) bool {
	return n > sparseMin && n > 4*int64(s.used+1)
}

// toSparse keeps the used buckets of a dense series, with their offsets,
// and its first and last (used, if only by a record of no bytes: they make
// its span, which decides what maxBuckets refuses).
func (s *series) toSparse() {
	offs := make([]uint32, 0, s.used+2)
	pts := make([]cell, 0, s.used+2)
	for i, c := range s.pts {
		if c != (cell{}) || s.carry[s.first+int64(i)] != ([3]uint64{}) || i == 0 || i == len(s.pts)-1 {
			offs = append(offs, uint32(i))
			pts = append(pts, c)
		}
	}
	s.offs, s.pts = offs, pts
}

// atSparse is at for a sparse series (which always has a bucket: its
// first and last make its span).
func (s *series) atSparse(n int64, maxBuckets int) *cell {
	k := len(s.offs)
	lo, hi := min(s.first, n), max(s.first+int64(s.offs[k-1]), n)
	if hi-lo >= int64(maxBuckets) {
		return nil
	}
	if n < s.first {
		// A bucket before the base: the offsets move up (the span,
		// under maxBuckets < 2³¹, keeps them in range).
		d := uint32(s.first - n)
		for i := range s.offs {
			s.offs[i] += d
		}
		s.first = n
	}
	o := uint32(n - s.first)
	if o > s.offs[k-1] { // records mostly come in time order
		s.offs = append(s.offs, o)
		s.pts = append(s.pts, cell{})
		return &s.pts[k]
	}
	i, found := slices.BinarySearch(s.offs, o)
	if !found {
		s.offs = slices.Insert(s.offs, i, o)
		s.pts = slices.Insert(s.pts, i, cell{})
	}
	return &s.pts[i]
}

// bounds returns the bucket numbers the series spans, [lo, hi); lo == hi
// when it is empty.
func (s *series) bounds() (lo, hi int64) {
	if s.offs != nil {
		return s.first, s.first + int64(s.offs[len(s.offs)-1]) + 1
	}
	return s.first, s.first + int64(len(s.pts))
}

// num returns the bucket number of pts[i].
func (s *series) num(i int) int64 {
	if s.offs != nil {
		return s.first + int64(s.offs[i])
	}
	return s.first + int64(i)
}

// bucket returns the bytes of pts[i], bucket number n.
func (s *series) bucket(i int, n int64) bucket {
	c := &s.pts[i]
	b := bucket{[3]uint64{uint64(c[0]), uint64(c[1]), uint64(c[2])}}
	if s.carry != nil {
		if h, ok := s.carry[n]; ok {
			for d := range h {
				b.bytes[d] += h[d] << 32
			}
		}
	}
	return b
}

// each calls f with every bucket of the series and its number, in order.
func (s *series) each(f func(n int64, b bucket)) {
	for i := range s.pts {
		n := s.num(i)
		f(n, s.bucket(i, n))
	}
}

// appendPoints appends the series' non-empty buckets to dst as points,
// in time order; a nil dst gets a slice no longer than needed. This is
// what a Result of task groups spends its time on, so it reads the cells
// in place rather than through each.
func (s *series) appendPoints(dst []Point, step int64) []Point {
	if dst == nil {
		n := 0
		for i := range s.pts {
			if s.pts[i] != (cell{}) || s.carry != nil {
				n++
			}
		}
		dst = make([]Point, 0, n)
	}
	for i := range s.pts {
		c := &s.pts[i]
		if *c == (cell{}) && s.carry == nil {
			continue
		}
		n := s.num(i)
		b := s.bucket(i, n)
		if b == (bucket{}) {
			continue
		}
		dst = append(dst, Point{Start: time.Unix(n*step, 0).UTC(),
			BytesIn: b.bytes[dirIngress], BytesOut: b.bytes[dirEgress], BytesUnknown: b.bytes[dirUnknown]})
	}
	return dst
}
