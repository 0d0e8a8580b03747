package attribution

// series is a task's traffic in fixed buckets of Options.Step, as a dense
// slice from its first to its last bucket: a task lives for a bounded time,
// so this is small, and adding is an index, not a map lookup. A record so far
// from the others that the slice would pass maxBuckets is not put in the
// series (and counted in Stats.SeriesDropped); it stays in every total.
type series struct {
	first int64 // bucket number (unix seconds / step) of pts[0]
	pts   []bucket
}

// bucket keeps bytes only, by direction (dirUnknown, dirIngress,
// dirEgress): a series is for charts and the byte counts, and 24 bytes a
// bucket keep a day of 5-minute buckets under 7 KiB a task.
type bucket struct {
	bytes [3]uint64
}

// at returns the bucket for bucket number n, growing the slice, or nil when
// that would make the series longer than maxBuckets.
func (s *series) at(n int64, maxBuckets int) *bucket {
	if len(s.pts) == 0 {
		s.first = n
		if s.pts == nil {
			// Room for a few hours at once: growing one bucket at a
			// time from one reallocates a day's series nine times.
			s.pts = make([]bucket, 0, min(maxBuckets, 64))
		}
		s.pts = append(s.pts, bucket{})
		return &s.pts[0]
	}
	if n >= s.first {
		i := n - s.first
		if i < int64(len(s.pts)) {
			return &s.pts[i]
		}
		if i >= int64(maxBuckets) {
			return nil
		}
		for int64(len(s.pts)) <= i {
			s.pts = append(s.pts, bucket{}) // amortised growth
		}
		return &s.pts[i]
	}
	grow := s.first - n
	if grow+int64(len(s.pts)) > int64(maxBuckets) {
		return nil
	}
	pts := make([]bucket, int(grow)+len(s.pts), int(grow)+cap(s.pts))
	copy(pts[grow:], s.pts)
	s.pts, s.first = pts, n
	return &s.pts[0]
}
