package attribution

import "slices"

// series is a task's traffic in fixed buckets of Options.Step. While its
// buckets are mostly used it is a dense slice from its first to its last
// bucket: adding is an index, not a search. A task whose records are few
// and far apart (a week of a quiet task: a few buckets out of thousands)
// would waste most of such a slice, so once fewer than a quarter of its
// span's buckets are used the series turns sparse: its buckets in order,
// with their numbers beside them. A record so far from the others that the
// span would pass maxBuckets is not put in the series, in either form
// (and counted in Stats.SeriesDropped); it stays in every total.
type series struct {
	first int64 // dense: bucket number (unix seconds / step) of pts[0]
	pts   []bucket
	// nums, when not nil, makes the series sparse: pts[i] is bucket
	// nums[i], in increasing order.
	nums []int64
	used int // dense: buckets handed out while empty (for the switch)
}

// bucket keeps bytes only, by direction (dirUnknown, dirIngress,
// dirEgress): a series is for charts and the byte counts, and 24 bytes a
// bucket keep a day of 5-minute buckets under 7 KiB a task.
type bucket struct {
	bytes [3]uint64
}

// sparseMin is the dense length under which a series stays dense whatever
// its use: a few hours of buckets.
const sparseMin = 64

// at returns the bucket for bucket number n, growing the series, or nil when
// that would make its span longer than maxBuckets.
func (s *series) at(n int64, maxBuckets int) *bucket {
	if s.nums != nil {
		return s.atSparse(n, maxBuckets)
	}
	if len(s.pts) == 0 {
		s.first = n
		if s.pts == nil {
			// Room for a few hours at once: growing one bucket at a
			// time from one reallocates a day's series nine times.
			s.pts = make([]bucket, 0, min(maxBuckets, sparseMin))
		}
		s.pts = append(s.pts, bucket{})
		s.used = 1
		return &s.pts[0]
	}
	if n >= s.first {
		i := n - s.first
		if i < int64(len(s.pts)) {
			b := &s.pts[i]
			if *b == (bucket{}) {
				s.used++
			}
			return b
		}
		if i >= int64(maxBuckets) {
			return nil
		}
		if s.wasteful(i + 1) {
			s.toSparse()
			return s.atSparse(n, maxBuckets)
		}
		for int64(len(s.pts)) <= i {
			s.pts = append(s.pts, bucket{}) // amortised growth
		}
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
	pts := make([]bucket, int(grow)+len(s.pts), int(grow)+cap(s.pts))
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

// toSparse keeps the used buckets of a dense series, with their numbers,
// and its first and last (used, if only by a record of no bytes: they make
// its span, which decides what maxBuckets refuses).
func (s *series) toSparse() {
	nums := make([]int64, 0, s.used+2)
	pts := make([]bucket, 0, s.used+2)
	for i, b := range s.pts {
		if b != (bucket{}) || i == 0 || i == len(s.pts)-1 {
			nums = append(nums, s.first+int64(i))
			pts = append(pts, b)
		}
	}
	s.nums, s.pts = nums, pts
}

// atSparse is at for a sparse series.
func (s *series) atSparse(n int64, maxBuckets int) *bucket {
	if k := len(s.nums); k > 0 {
		lo, hi := min(s.nums[0], n), max(s.nums[k-1], n)
		if hi-lo >= int64(maxBuckets) {
			return nil
		}
		if n > s.nums[k-1] { // records mostly come in time order
			s.nums = append(s.nums, n)
			s.pts = append(s.pts, bucket{})
			return &s.pts[k]
		}
	}
	i, found := slices.BinarySearch(s.nums, n)
	if !found {
		s.nums = slices.Insert(s.nums, i, n)
		s.pts = slices.Insert(s.pts, i, bucket{})
	}
	return &s.pts[i]
}

// bounds returns the bucket numbers the series spans, [lo, hi); lo == hi
// when it is empty.
func (s *series) bounds() (lo, hi int64) {
	if s.nums != nil {
		if len(s.nums) == 0 {
			return 0, 0
		}
		return s.nums[0], s.nums[len(s.nums)-1] + 1
	}
	return s.first, s.first + int64(len(s.pts))
}

// each calls f with every bucket of the series and its number, in order.
func (s *series) each(f func(n int64, b *bucket)) {
	for i := range s.pts {
		if s.nums != nil {
			f(s.nums[i], &s.pts[i])
		} else {
			f(s.first+int64(i), &s.pts[i])
		}
	}
}
