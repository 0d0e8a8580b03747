package attribution

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// series is a task's traffic in fixed buckets of WithStep's width. While its
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
// (bench/attrscale). And a bucket holds a count only for the directions
// the series has bytes in (dirs): records with a flow direction (v5 and
// later) never have bytes of unknown direction, and a task's buckets
// then take 8 bytes, not 12.
type series struct {
	// first is the bucket number (unix seconds / step) of bucket 0 when
	// dense, the base of offs when sparse.
	first int64
	// cells are the buckets' counts, width() a bucket: bucket i's count
	// for direction d is cells[i*width()+slot(d)].
	cells []uint32
	// offs, when not nil, makes the series sparse: bucket i is bucket
	// number first+offs[i], in increasing order, and offs[0] is 0 (first
	// is the first bucket's number, so the span's start needs no read).
	offs []uint32
	// carry holds, by bucket number, the counts' high halves (units of
	// 2³²) of the buckets that passed 2³²−1, by direction.
	carry map[int64][3]uint64
	used  int32 // dense: buckets handed out while empty (for the switch)
	// dirs has bit d set when the buckets hold a count for direction d
	// (dirUnknown, dirIngress, dirEgress), in that order: set by the first
	// bytes in that direction, or by the first record, of no bytes, so
	// that a bucket is at least one count wide.
	dirs uint8
}

// bucket is a bucket as read: its bytes by direction.
type bucket struct {
	bytes [3]uint64
}

// sparseMin is the dense length under which a series stays dense whatever
// its use: a few hours of buckets.
const sparseMin = 64

// firstBuckets is the room a series is made with.
const firstBuckets = 4

// maxSeriesBuckets bounds WithMaxBuckets: sparse offsets are 32-bit,
// and an int of a 32-bit platform holds it.
const maxSeriesBuckets = 1<<31 - 1

// width is how many counts a bucket holds: one per direction in dirs.
func (s *series) width() int { return bits.OnesCount8(s.dirs) }

// slot is where direction d's count sits in a bucket (d in dirs).
func (s *series) slot(d uint8) int { return bits.OnesCount8(s.dirs & (1<<d - 1)) }

// buckets returns how many buckets the series holds.
func (s *series) buckets() int {
	if w := s.width(); w > 0 {
		return len(s.cells) / w
	}
	return 0
}

// add counts bytes in direction dir in bucket n, or reports false when
// that would make the series' span longer than maxBuckets. A record of
// no bytes still takes its bucket: it makes the span.
func (s *series) add(n int64, dir uint8, bytes uint64, maxBuckets int) bool {
	if s.dirs&(1<<dir) == 0 && (bytes != 0 || s.dirs == 0) {
		s.widen(dir)
	}
	i := s.at(n, maxBuckets)
	if i < 0 {
		return false
	}
	if bytes == 0 {
		return true
	}
	c := &s.cells[i*s.width()+s.slot(dir)]
	// bytes < 2⁶³ (a record's are an int64) and a bucket never passes
	// the task's total, which the engine keeps under 2⁶⁴: no overflow.
	x := uint64(*c) + bytes
	*c = uint32(x)
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

// widen gives every bucket a count for direction dir, zero. A series has
// a bucket as soon as it has a direction (at never refuses the first), so
// one without a direction has nothing to move.
func (s *series) widen(dir uint8) {
	w := s.width()
	s.dirs |= 1 << dir
	if w == 0 {
		return
	}
	at := s.slot(dir) // the new count's
	nb := len(s.cells) / w
	cells := make([]uint32, nb*(w+1), cap(s.cells)/w*(w+1))
	for i := range nb {
		old, c := s.cells[i*w:i*w+w], cells[i*(w+1):i*(w+1)+w+1]
		copy(c, old[:at])
		copy(c[at+1:], old[at:])
	}
	s.cells = cells
}

// empty reports whether bucket i holds no bytes in its cells (its carry
// aside): the three reads cover every width, 1 to 3.
func (s *series) empty(i int) bool {
	w := s.width()
	c := s.cells[i*w : i*w+w]
	return c[0]|c[w-1]|c[w>>1] == 0
}

// at returns the index of bucket number n, growing the series, or -1 when
// that would make its span longer than maxBuckets. The series has a
// direction (dirs is not 0).
func (s *series) at(n int64, maxBuckets int) int {
	if s.offs != nil {
		return s.atSparse(n, maxBuckets)
	}
	w := s.width()
	nb := len(s.cells) / w
	if nb == 0 {
		s.first = n
		if s.cells == nil {
			// Room for a few buckets: a worker's object of five minutes
			// gives most tasks one or two (room for 64 held 5.7 MiB
			// more at 10,000 tasks: bench/README); the first growth
			// makes room for a few hours.
			s.cells = make([]uint32, 0, min(maxBuckets, firstBuckets)*w)
		}
		var zero [3]uint32
		s.cells = append(s.cells, zero[:w]...)
		s.used = 1
		return 0
	}
	if n >= s.first {
		// The distance as uint64: n - s.first wraps an int64 for bucket
		// numbers far apart (one-second buckets of any int64 start).
		d := uint64(n) - uint64(s.first)
		if d >= uint64(maxBuckets) {
			return -1
		}
		i := int64(d)
		if i < int64(nb) {
			if s.empty(int(i)) {
				s.use()
			}
			return int(i)
		}
		if s.wasteful(i + 1) {
			s.toSparse()
			return s.atSparse(n, maxBuckets)
		}
		if capB := cap(s.cells) / w; int(i) >= capB {
			c := grownCap(capB, int(i)+1, maxBuckets)
			if capB < sparseMin {
				// Growing by half from a few buckets would copy a
				// day's series nine times.
				c = max(int(i)+1, min(maxBuckets, sparseMin))
			}
			s.cells = withCap(s.cells, c*w)
		}
		s.cells = s.cells[:(int(i)+1)*w]
		s.use()
		return int(i)
	}
	if d := uint64(s.first) - uint64(n); d > uint64(maxBuckets-nb) {
		return -1
	}
	grow := s.first - n
	if s.wasteful(grow + int64(nb)) {
		s.toSparse()
		return s.atSparse(n, maxBuckets)
	}
	cells := make([]uint32, (int(grow)+nb)*w, int(grow)*w+cap(s.cells))
	copy(cells[int(grow)*w:], s.cells)
	s.cells, s.first = cells, n
	s.use()
	return 0
}

// use counts a bucket handed out while empty, saturating: a bucket that
// only records of no bytes reach stays empty and counts at each of them.
func (s *series) use() {
	if s.used < math.MaxInt32 {
		s.used++
	}
}

// wasteful reports whether a dense series of n buckets would use fewer
// than a quarter of them.
func (s *series) wasteful(n int64) bool {
	return n > sparseMin && n > 4*(int64(s.used)+1)
}

// toSparse keeps the used buckets of a dense series, with their offsets,
// and its first and last (used, if only by a record of no bytes: they make
// its span, which decides what maxBuckets refuses).
func (s *series) toSparse() {
	w := s.width()
	nb := len(s.cells) / w
	offs := make([]uint32, 0, int(s.used)+2)
	cells := make([]uint32, 0, (int(s.used)+2)*w)
	for i := range nb {
		if !s.empty(i) || s.carry[s.first+int64(i)] != ([3]uint64{}) || i == 0 || i == nb-1 {
			offs = append(offs, uint32(i))
			cells = append(cells, s.cells[i*w:i*w+w]...)
		}
	}
	s.offs, s.cells = offs, cells
}

// atSparse is at for a sparse series (which always has a bucket: its
// first and last make its span).
func (s *series) atSparse(n int64, maxBuckets int) int {
	k := len(s.offs)
	lo, hi := min(s.first, n), max(s.first+int64(s.offs[k-1]), n)
	if uint64(hi)-uint64(lo) >= uint64(maxBuckets) { // hi-lo may wrap an int64
		return -1
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
	w := s.width()
	var zero [3]uint32
	o := uint32(n - s.first)
	if o > s.offs[k-1] { // records mostly come in time order
		s.offs = append(s.offs, o)
		s.cells = append(s.cells, zero[:w]...)
		return k
	}
	i, found := slices.BinarySearch(s.offs, o)
	if !found {
		s.offs = slices.Insert(s.offs, i, o)
		s.cells = slices.Insert(s.cells, i*w, zero[:w]...)
	}
	return i
}

// bounds returns the bucket numbers the series spans, [lo, hi); lo == hi
// when it is empty.
func (s *series) bounds() (lo, hi int64) {
	if s.offs != nil {
		return s.first, s.first + int64(s.offs[len(s.offs)-1]) + 1
	}
	return s.first, s.first + int64(s.buckets())
}

// num returns the bucket number of bucket i.
func (s *series) num(i int) int64 {
	if s.offs != nil {
		return s.first + int64(s.offs[i])
	}
	return s.first + int64(i)
}

// layout is how a series' buckets hold their counts (see dirs), read once
// for a pass over them: the slot of each direction's count, and a mask that
// zeroes the directions without one (their slot is 0).
type layout struct {
	w    int
	slot [3]int
	mask [3]uint64
}

func (s *series) layout() layout {
	l := layout{w: s.width()}
	for d := range uint8(3) {
		if s.dirs&(1<<d) != 0 {
			l.slot[d], l.mask[d] = s.slot(d), ^uint64(0)
		}
	}
	return l
}

// read returns the bytes of bucket i that its cells hold (its carry
// aside).
func (l *layout) read(cells []uint32, i int) bucket {
	c := cells[i*l.w : i*l.w+l.w]
	return bucket{[3]uint64{
		uint64(c[l.slot[0]]) & l.mask[0],
		uint64(c[l.slot[1]]) & l.mask[1],
		uint64(c[l.slot[2]]) & l.mask[2],
	}}
}

// addCarry adds the high halves carried for bucket number n to b.
func (s *series) addCarry(b *bucket, n int64) {
	if s.carry == nil {
		return
	}
	if h, ok := s.carry[n]; ok {
		for d := range h {
			b.bytes[d] += h[d] << 32
		}
	}
}

// each calls f with every bucket of the series and its number, in order.
func (s *series) each(f func(n int64, b bucket)) {
	l := s.layout()
	for i := range s.buckets() {
		n := s.num(i)
		b := l.read(s.cells, i)
		s.addCarry(&b, n)
		f(n, b)
	}
}

// appendPoints appends the series' non-empty buckets to dst as points,
// in time order; a nil dst gets a slice no longer than needed. This is
// what a Result of task groups spends its time on, so it reads the cells
// in place rather than through each.
func (s *series) appendPoints(dst []Point, step int64) []Point {
	nb := s.buckets()
	l := s.layout()
	if dst == nil {
		n := 0
		for i := range nb {
			if !s.empty(i) || s.carry != nil {
				n++
			}
		}
		dst = make([]Point, 0, n)
	}
	if s.carry == nil {
		return s.appendPointsNoCarry(dst, step, l)
	}
	for i := range nb {
		n := s.num(i)
		b := l.read(s.cells, i)
		s.addCarry(&b, n)
		if b == (bucket{}) {
			continue
		}
		dst = append(dst, Point{Start: time.Unix(n*step, 0).UTC(),
			BytesIn: b.bytes[dirIngress], BytesOut: b.bytes[dirEgress], BytesUnknown: b.bytes[dirUnknown]})
	}
	return dst
}

// appendPointsNoCarry is appendPoints for a series without carry (every
// one whose buckets stayed under 4 GiB): a bucket with a count is a
// point, read in one pass over the cells, without a call a bucket.
func (s *series) appendPointsNoCarry(dst []Point, step int64, l layout) []Point {
	cells, w, offs, first := s.cells, l.w, s.offs, s.first
	if w == 0 {
		return dst
	}
	nb := len(cells) / w
	if offs != nil {
		offs = offs[:nb]
	}
	for i := range nb {
		c := cells[i*w : i*w+w : i*w+w]
		if c[0]|c[w-1]|c[w>>1] == 0 { // as empty
			continue
		}
		n := first + int64(i)
		if offs != nil {
			n = first + int64(offs[i])
		}
		dst = append(dst, Point{Start: time.Unix(n*step, 0).UTC(),
			BytesIn:      uint64(c[l.slot[dirIngress]]) & l.mask[dirIngress],
			BytesOut:     uint64(c[l.slot[dirEgress]]) & l.mask[dirEgress],
			BytesUnknown: uint64(c[l.slot[dirUnknown]]) & l.mask[dirUnknown]})
	}
	return dst
}
