package attribution

// grownCap is the capacity for a slice of capacity c that must hold n
// elements, at most limit: half more than it was (and at least 16 more),
// not double. At ten thousand tasks, series and summaries that doubled
// were 56% and 80% used (a day's 288 buckets in 512): a tenth of
// attribution's memory was capacity no element ever took. Growing by a
// quarter used 86% but copied the series twice as often (the copies
// were a tenth of AddAll's CPU profile).
func grownCap(c, n, limit int) int {
	return max(n, min(limit, c+max(c/2, 16)))
}

// withCap returns s copied into a slice of capacity c (append and
// slices.Grow would double it).
func withCap[T any](s []T, c int) []T {
	t := make([]T, len(s), c)
	copy(t, s)
	return t
}
