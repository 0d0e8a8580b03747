package attribution

import "slices"

// topK keeps the heaviest keys of a weighted stream in bounded memory with the
// space-saving algorithm (Metwally, Agrawal, El Abbadi, "Efficient Computation
// of Frequent and Top-k Elements in Data Streams", 2005): while there is room
// every key is counted exactly; once full, a new key replaces the lightest one
// and inherits its weight as an over-estimate (kept in err). Any key whose true
// weight exceeds total/capacity is guaranteed to be present, and a kept key's
// weight is never under-counted, so the top of the list is reliable when the
// traffic is skewed, which is how flow logs are.
//
// Memory is O(capacity) whatever the number of records or distinct keys.
type topK[K comparable, V any] struct {
	idx  map[K]int32
	ents []topEntry[K, V]
	max  int
	minI int // index of the lightest entry, or -1 when it must be searched again
	// clone copies a key before it is stored (strings that are views into
	// a parser's buffer); nil stores keys as given.
	clone func(K) K
}

type topEntry[K comparable, V any] struct {
	key     K
	bytes   uint64 // rank
	packets uint64
	records uint64
	err     uint64 // upper bound of the over-estimate of bytes
	val     V
}

func newTopK[K comparable, V any](capacity int) *topK[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	return &topK[K, V]{idx: make(map[K]int32), max: capacity, minI: -1}
}

// add counts one observation of k and returns its entry and whether k was
// newly inserted (the caller then fills the entry's val).
func (t *topK[K, V]) add(k K, bytes, packets uint64) (e *topEntry[K, V], inserted bool) {
	if i, ok := t.idx[k]; ok {
		e = &t.ents[i]
		e.bytes += bytes
		e.packets += packets
		e.records++
		if int(i) == t.minI {
			t.minI = -1
		}
		return e, false
	}
	if t.clone != nil {
		k = t.clone(k)
	}
	if len(t.ents) < t.max {
		t.idx[k] = int32(len(t.ents))
		t.ents = append(t.ents, topEntry[K, V]{key: k, bytes: bytes, packets: packets, records: 1})
		t.minI = -1
		return &t.ents[len(t.ents)-1], true
	}
	if t.minI < 0 {
		t.minI = 0
		for i := 1; i < len(t.ents); i++ {
			if t.ents[i].bytes < t.ents[t.minI].bytes {
				t.minI = i
			}
		}
	}
	e = &t.ents[t.minI]
	delete(t.idx, e.key)
	t.idx[k] = int32(t.minI)
	var zero V
	*e = topEntry[K, V]{key: k, bytes: e.bytes + bytes, packets: e.packets + packets, records: e.records + 1, err: e.bytes, val: zero}
	t.minI = -1
	return e, true
}

// merge adds every entry of o into t (used to roll tasks up into services,
// families, instances and clusters). Errors add up, as in the space-saving
// merge of Agarwal et al., "Mergeable Summaries" (2012).
func (t *topK[K, V]) merge(o *topK[K, V]) {
	for _, oe := range o.ents {
		e, inserted := t.add(oe.key, oe.bytes, oe.packets)
		e.records += oe.records - 1
		e.err += oe.err
		if inserted {
			e.val = oe.val
		}
	}
}

// sorted returns the entries heaviest first, ties by key.
func (t *topK[K, V]) sorted(cmp func(a, b K) int) []topEntry[K, V] {
	out := append([]topEntry[K, V](nil), t.ents...)
	sortEntriesBy(out, cmp)
	return out
}

// sortEntries orders entries heaviest first; equal weights fall back to the
// key order given by less, so that output is deterministic.
func sortEntriesBy[K comparable, V any](es []topEntry[K, V], cmp func(a, b K) int) {
	slices.SortStableFunc(es, func(a, b topEntry[K, V]) int {
		if a.bytes != b.bytes {
			if a.bytes > b.bytes {
				return -1
			}
			return 1
		}
		return cmp(a.key, b.key)
	})
}
