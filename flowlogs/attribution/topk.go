package attribution

import (
	"hash/maphash"
	"math/bits"
	"slices"
)

// topK keeps the heaviest keys of a weighted stream in bounded memory with the
// space-saving algorithm (Metwally, Agrawal, El Abbadi, "Efficient Computation
// of Frequent and Top-k Elements in Data Streams", 2005): while there is room
// every key is counted exactly; once full, a new key replaces the lightest one
// and inherits its weight as an over-estimate (kept in err). Any key whose true
// weight exceeds total/capacity is guaranteed to be present, and a kept key's
// weight is never under-counted, so the top of the list is reliable when the
// traffic is skewed, which is how flow logs are.
//
// Memory is O(capacity) whatever the number of records or distinct keys. The
// key index is a small open-addressing table with backward-shift deletion:
// replacing the lightest key on almost every record (many distinct peers) would
// fill a Go map with tombstones.
type topK[K comparable, V any] struct {
	// Hot data, touched on every add, kept in small parallel arrays so a
	// task's summary spans few cache lines: the open-addressing slots (entry
	// index + 1, 0 when empty; a power of two ≥ 2·max), keys, weights, and a
	// min-heap of entry indices by weight with each entry's heap position.
	// Weights only grow, so an update sifts down.
	slots []uint16
	keys  []K
	w     []uint64 // bytes, the rank
	heap  []uint16
	pos   []uint16
	// Cold data, touched per add only for counters.
	cold []topCold[V]
	max  int
	hash func(K) uint64
	// clone copies a key before it is stored (strings that are views into
	// a parser's buffer); nil stores keys as given.
	clone func(K) K
}

type topCold[V any] struct {
	packets, records uint64
	err              uint64 // upper bound of the over-estimate of w
	val              V
}

// topEntry is one entry as sorted and merge see it.
type topEntry[K comparable, V any] struct {
	key     K
	bytes   uint64
	packets uint64
	records uint64
	err     uint64
	val     V
}

// maxTopK bounds the capacity so that indices fit the uint16 slots.
const maxTopK = 1 << 14

func newTopK[K comparable, V any](capacity int, hash func(K) uint64) *topK[K, V] {
	capacity = min(max(capacity, 1), maxTopK)
	n := 1 << bits.Len(uint(2*capacity-1))
	return &topK[K, V]{slots: make([]uint16, n), max: capacity, hash: hash}
}

// lookup returns the entry index of k (or -1) and the slot where it is or
// would go.
func (t *topK[K, V]) lookup(k K, h uint64) (int, int) {
	mask := len(t.slots) - 1
	for s := int(h) & mask; ; s = (s + 1) & mask {
		i := int(t.slots[s]) - 1
		if i < 0 || t.keys[i] == k {
			return i, s
		}
	}
}

// unlink removes the slot s from the table, shifting later probes back so
// that no tombstone is left.
func (t *topK[K, V]) unlink(s int) {
	mask := len(t.slots) - 1
	for j := (s + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		home := int(t.hash(t.keys[t.slots[j]-1])) & mask
		// Move j into the hole s unless its home lies cyclically in (s, j].
		if (j > s && (home <= s || home > j)) || (j < s && home <= s && home > j) {
			t.slots[s] = t.slots[j]
			s = j
		}
	}
	t.slots[s] = 0
}

// add counts one observation of k and returns its cold data and whether k
// was newly inserted (the caller then fills val).
func (t *topK[K, V]) add(k K, bytes, packets uint64) (c *topCold[V], inserted bool) {
	h := t.hash(k)
	i, s := t.lookup(k, h)
	if i >= 0 {
		t.w[i] += bytes
		c = &t.cold[i]
		c.packets += packets
		c.records++
		t.down(int(t.pos[i]))
		return c, false
	}
	if t.clone != nil {
		k = t.clone(k)
	}
	if n := len(t.keys); n < t.max {
		t.slots[s] = uint16(n + 1)
		t.keys = append(t.keys, k)
		t.w = append(t.w, bytes)
		t.cold = append(t.cold, topCold[V]{packets: packets, records: 1})
		t.heap = append(t.heap, uint16(n))
		t.pos = append(t.pos, uint16(n))
		t.up(n)
		return &t.cold[n], true
	}
	m := int(t.heap[0])
	_, old := t.lookup(t.keys[m], t.hash(t.keys[m]))
	t.unlink(old)
	_, s = t.lookup(k, h)
	t.slots[s] = uint16(m + 1)
	t.keys[m] = k
	c = &t.cold[m]
	*c = topCold[V]{packets: c.packets + packets, records: c.records + 1, err: t.w[m]}
	t.w[m] += bytes
	t.down(0)
	return c, true
}

func (t *topK[K, V]) less(a, b int) bool { return t.w[t.heap[a]] < t.w[t.heap[b]] }

func (t *topK[K, V]) swap(a, b int) {
	t.heap[a], t.heap[b] = t.heap[b], t.heap[a]
	t.pos[t.heap[a]] = uint16(a)
	t.pos[t.heap[b]] = uint16(b)
}

func (t *topK[K, V]) up(j int) {
	for j > 0 {
		p := (j - 1) / 2
		if !t.less(j, p) {
			return
		}
		t.swap(j, p)
		j = p
	}
}

func (t *topK[K, V]) down(i int) {
	n := len(t.heap)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if r := c + 1; r < n && t.less(r, c) {
			c = r
		}
		if !t.less(c, i) {
			return
		}
		t.swap(i, c)
		i = c
	}
}

func (t *topK[K, V]) entries() []topEntry[K, V] {
	out := make([]topEntry[K, V], len(t.keys))
	for i := range out {
		c := &t.cold[i]
		out[i] = topEntry[K, V]{key: t.keys[i], bytes: t.w[i], packets: c.packets, records: c.records, err: c.err, val: c.val}
	}
	return out
}

// merge adds every entry of o into t (used to roll tasks up into services,
// families, instances and clusters). Errors add up, as in the space-saving
// merge of Agarwal et al., "Mergeable Summaries" (2012).
func (t *topK[K, V]) merge(o *topK[K, V]) {
	for _, oe := range o.entries() {
		c, inserted := t.add(oe.key, oe.bytes, oe.packets)
		c.records += oe.records - 1
		c.err += oe.err
		if inserted {
			c.val = oe.val
		}
	}
}

// sorted returns the entries heaviest first, ties by key.
func (t *topK[K, V]) sorted(cmp func(a, b K) int) []topEntry[K, V] {
	out := t.entries()
	slices.SortStableFunc(out, func(a, b topEntry[K, V]) int {
		if a.bytes != b.bytes {
			if a.bytes > b.bytes {
				return -1
			}
			return 1
		}
		return cmp(a.key, b.key)
	})
	return out
}

// Hash functions for the key types in use.

// addrKey is an address as two words (IPv4 as IPv4-mapped IPv6: addresses
// are unmapped on the way in, so the mapping is unambiguous).
type addrKey [2]uint64

func hashAddrKey(k addrKey) uint64 { return mix(k[0]*0x9e3779b97f4a7c15 ^ k[1]) }

func hashUint32(k uint32) uint64 { return mix(uint64(k)) }

var stringSeed = maphash.MakeSeed()

func hashString(s string) uint64 { return maphash.String(stringSeed, s) }

// mix is the splitmix64 finalizer.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
