package attribution

import (
	"cmp"
	"hash/maphash"
	"math"
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
type topK[K comparable, V comparable] struct {
	// The fields an add reads come first, so that a hit touches one line
	// of the summary's header.
	//
	// slots is the open-addressing table: entry index + 1 in the low 16
	// bits (0 when empty) and the key hash's top 16 bits in the high ones,
	// so a probe compares keys only on a fingerprint match: a lookup that
	// misses (every replacement does two) reads no entry at all. Its length
	// is a power of two ≥ 2·cap(hot) (slotsFor), at most 2¹⁶: a key's home
	// slot (and its filter cell) are taken from those same 16 bits, so that
	// a slot alone tells both, and removing an entry or growing the table
	// hashes no key.
	slots []uint32
	// hot holds what every add touches, one small struct per entry, so an
	// add reads two cache lines (slot, entry) even when the task's summary
	// is cold. errs and vals are the entries' cold parts, what only
	// replacements and the caller's value write, for entries 0 to
	// len(errs)-1 and len(vals)-1: those past them are zero. Most
	// summaries never replace an entry and most peers are not AWS
	// services, so most make neither (at 10,000 tasks, bench/attrscale,
	// 4 MiB of live heap and 11 of peak RSS, their growth copies
	// included); and a summary that replaces entries makes errs alone (8
	// bytes an entry, not 16 as one slice of both: the 10,000-task
	// worker's live heap fell 72.5 -> 68.8 MiB). See errAt, errRef,
	// valAt, valRef.
	hot []topHot[K]
	max int32 // at most MaxTopK
	// dropped is set once a key was replaced or went to the filter: the
	// summary is no longer the whole stream (see bound).
	dropped bool
	// wideAlpha says the filter's cells are in full.wide: derivable from
	// full, but a flag here, in the header's first line, lets a cell be
	// read without loading full (a summary's filter path reads nothing
	// else of it unless the record may replace an entry).
	wideAlpha bool
	// alpha is the filter of filtered space-saving (addFiltered): per cell,
	// by hash, a bound on the weight of every key of that cell not kept.
	// A cell never passes the lightest kept weight (or 1: see
	// addFiltered), so 32 bits hold every
	// cell until each kept entry has passed 4 GiB; the first cell that
	// does not fit moves them all to full.wide (wideAlpha), and alpha is
	// read no more. (A filter is made for every summary that fills: 1 KiB
	// a peer summary instead of 2; the 10,000-task worker's live heap
	// after AddAll fell 78.3 -> 72.5 MiB, bench/attrscale.) filter and
	// setFilter read and write a cell.
	// floor is the lightest kept weight when last computed: weights only
	// grow, so it is a lower bound of the current one.
	alpha []uint32
	floor uint64
	errs  []uint64 // upper bounds of the over-estimates of w
	vals  []V
	// full holds what only a summary that has been full needs (most
	// tasks of a large cluster never fill theirs): allocated by the first
	// lightest.
	full *topFull
	hash func(K) uint64
	// clone copies a key before it is stored (strings that are views into
	// a parser's buffer); nil stores keys as given.
	clone func(K) K
}

// topFull is the part of a summary that choosing the entry to replace,
// and counting what replaced entries had, need.
type topFull struct {
	// cand are the entries that may be the lightest, nc of them (0: not
	// chosen yet): when they were chosen every other entry weighed at least
	// thr, and weights only grow, so the lightest candidate is the lightest
	// entry while it weighs at most thr. A replacement lands on a candidate
	// and usually stays below thr, so a full scan (which chooses the next
	// candidates) comes every few replacements, not on each, and no heap
	// is kept in order on the adds that only hit.
	cand [numCands]uint16
	nc   uint8 // at most numCands
	lc   uint8 // the candidate lightest returned last
	thr  uint64
	// candW are lower bounds of the candidates' weights (their weights
	// when last read: weights only grow).
	candW [numCands]uint64
	// left sums, by tag, what entries that were replaced had counted
	// since they came in (w − err), the bytes of keys not kept
	// (countNotKept), and the moves of retag (so a counter alone may have
	// wrapped; added to the entries' it never has): with the entries' own
	// w − err it is every byte that went through the summary, by tag,
	// exactly (taskState derives its bytes by peer class from it instead
	// of adding to a class counter on every hit). A tag is a PeerClass:
	// one counter each. (nc and lc are bytes so that a ninth class keeps
	// topFull at 256 bytes.)
	left [numTags]uint64
	// wide is the filter once a cell passed 32 bits (see alpha): behind a
	// pointer, as a slice would take topFull from 256 bytes to the
	// 288-byte size class.
	wide *[]uint64
}

type topHot[K comparable] struct {
	key     K
	w       uint64 // bytes, the rank
	packets uint64
	records uint32 // saturating (see entry)
	tag     uint8  // caller's per-entry byte (the peer class), below numTags
	pos     uint16 // the entry's slot: a replacement unlinks it without a lookup
}

// numCands is how many minimum candidates a scan keeps.
const numCands = 16

// numTags bounds the entries' tags: they are peer classes (the port and
// interface summaries leave them 0).
const numTags = int(numPeerClasses)

// errAt returns entry i's error: the most its w over-counts.
func (t *topK[K, V]) errAt(i int) uint64 {
	if i < len(t.errs) {
		return t.errs[i]
	}
	return 0
}

// valAt returns entry i's value. (Its named result costs the inliner less
// than a return of *new(V): entry, which inlines it, is at the budget.)
func (t *topK[K, V]) valAt(i int) (v V) {
	if i < len(t.vals) {
		v = t.vals[i]
	}
	return v
}

// errRef returns entry i's error to write, making errs as far as i.
func (t *topK[K, V]) errRef(i int) *uint64 {
	t.errs = coldTo(t.errs, i, cap(t.hot))
	return &t.errs[i]
}

// valRef returns entry i's value to write, making vals as far as i.
func (t *topK[K, V]) valRef(i int) *V {
	t.vals = coldTo(t.vals, i, cap(t.hot))
	return &t.vals[i]
}

// coldTo returns s long enough for index i, its new elements zero, with
// room for c when it grows (the entries' capacity: i < c).
func coldTo[T any](s []T, i, c int) []T {
	if i < len(s) {
		return s
	}
	if cap(s) <= i {
		s = withCap(s, c)
	}
	n := len(s)
	s = s[:i+1]
	clear(s[n:])
	return s
}

// replaced gives entry i, now another key's, the error err and no value,
// making errs only for a non-zero error.
func (t *topK[K, V]) replaced(i int, err uint64) {
	if i < len(t.errs) || err != 0 {
		*t.errRef(i) = err
	}
	if i < len(t.vals) {
		t.vals[i] = *new(V)
	}
}

// topEntry is one entry as sorted and topSum see it.
type topEntry[K comparable, V any] struct {
	key     K
	bytes   uint64
	packets uint64
	records uint64
	err     uint64
	tag     uint8
	val     V
}

// MaxTopK is the most peers or ports WithTopK keeps per task: the
// summaries index their entries with 16-bit slots.
const MaxTopK = 1 << 14

func newTopK[K comparable, V comparable](capacity int, hash func(K) uint64) *topK[K, V] {
	t := &topK[K, V]{}
	t.init(capacity, hash)
	return t
}

func (t *topK[K, V]) init(capacity int, hash func(K) uint64) {
	capacity = keptCap(capacity)
	*t = topK[K, V]{slots: make([]uint32, slotsFor(min(capacity, firstEntries))), max: int32(capacity), hash: hash}
}

// keptCap is the capacity a summary asked for capacity entries has: at
// least one, at most MaxTopK.
func keptCap(capacity int) int { return min(max(capacity, 1), MaxTopK) }

// firstEntries is how many entries a summary first makes room for: most
// tasks of a large cluster meet far fewer peers and ports than they may
// keep (starting at 64 cost 10,000 tasks 23 MiB of empty entries:
// bench/attrscale).
const firstEntries = 16

// slotsFor returns the table length for n entries: a power of two ≥ 2n.
// The table grows with the entries' capacity (rehash), up to slotsFor(max)
// once the summary is full, and only then is a filter made (alpha is
// twice the table): so neither what a lookup finds nor the filter depends
// on when the table grew.
func slotsFor(n int) int { return 1 << bits.Len(uint(2*n-1)) }

// rehash moves the table to n slots. A slot's fingerprint is its key's
// home slot (see slots), so no key is hashed again.
func (t *topK[K, V]) rehash(n int) {
	old := t.slots
	t.slots = make([]uint32, n)
	mask := n - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		s := int(v>>16) & mask
		for t.slots[s] != 0 {
			s = (s + 1) & mask
		}
		t.slots[s] = v
		t.hot[v&0xffff-1].pos = uint16(s)
	}
}

// lookup returns the entry index of k (or -1) and the slot where it is or
// would go.
func (t *topK[K, V]) lookup(k K, h uint64) (int, int) {
	mask := len(t.slots) - 1
	fp := fingerprint(h)
	for s := int(h>>48) & mask; ; s = (s + 1) & mask {
		v := t.slots[s]
		if v == 0 {
			return -1, s
		}
		if v&^0xffff == fp {
			if i := int(v&0xffff) - 1; t.hot[i].key == k {
				return i, s
			}
		}
	}
}

// fingerprint is the slot's high half for a key of hash h.
func fingerprint(h uint64) uint32 { return uint32(h>>48) << 16 }

// unlink removes the slot s from the table, shifting later probes back so
// that no tombstone is left.
func (t *topK[K, V]) unlink(s int) {
	mask := len(t.slots) - 1
	for j := (s + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		v := t.slots[j]
		home := int(v>>16) & mask
		// Move j into the hole s unless its home lies cyclically in (s, j].
		if (j > s && (home <= s || home > j)) || (j < s && home <= s && home > j) {
			t.slots[s] = v
			t.hot[v&0xffff-1].pos = uint16(s)
			s = j
		}
	}
	t.slots[s] = 0
}

// add counts one observation of k and returns its entry and whether k was
// newly inserted (the caller then sets the entry's tag and cold val).
func (t *topK[K, V]) add(k K, bytes, packets uint64) (i int, inserted bool) {
	return t.addHashed(k, t.hash(k), bytes, packets)
}

// addHashed is add with k's hash already computed (h == t.hash(k)): the
// hot path calls its hash function directly, not through t.hash.
func (t *topK[K, V]) addHashed(k K, h, bytes, packets uint64) (i int, inserted bool) {
	return t.addCount(k, h, bytes, packets, 1)
}

// addCount is addHashed for records observations of k at once, weighing
// bytes and packets in all (an aggregation cache's flush): the summary
// ends as if they had come one after another.
func (t *topK[K, V]) addCount(k K, h, bytes, packets, records uint64) (i int, inserted bool) {
	i, s := t.lookup(k, h)
	if i >= 0 {
		e := &t.hot[i]
		e.w = satAdd(e.w, bytes)
		e.packets = satAdd(e.packets, packets)
		e.records = addRecords(e.records, records)
		return i, false
	}
	if t.clone != nil {
		k = t.clone(k)
	}
	if n, kept := len(t.hot), int(t.max); n < kept {
		if n == cap(t.hot) {
			// Room for a few entries at once (firstEntries), then half
			// more each time: growing by doubling from one copies seven
			// times on the way to 64, and leaves a fifth unused.
			c := min(kept, firstEntries)
			if n > 0 {
				c = grownCap(n, n+1, kept)
			}
			t.hot = withCap(t.hot, c)
			if m := slotsFor(c); m > len(t.slots) {
				t.rehash(m)
				_, s = t.lookup(k, h)
			}
		}
		t.slots[s] = fingerprint(h) | uint32(n+1)
		t.hot = append(t.hot, topHot[K]{key: k, w: bytes, packets: packets, records: addRecords(0, records), pos: uint16(s)})
		return n, true
	}
	m := t.lightest()
	e := &t.hot[m]
	t.dropped = true
	f := t.full
	f.left[e.tag] += e.w - t.errAt(m)
	t.unlink(int(e.pos))
	_, s = t.lookup(k, h)
	t.slots[s] = fingerprint(h) | uint32(m+1)
	// The new key inherits the lightest weight as its error, at least 1:
	// an entry of no bytes (records of none, as NODATA's) still had
	// records and packets, which the new entry inherits too, so its error
	// must not say "exact".
	w0 := max(e.w, 1)
	t.replaced(m, w0)
	*e = topHot[K]{key: k, w: satAdd(w0, bytes), packets: satAdd(e.packets, packets), records: addRecords(e.records, records), pos: uint16(s)}
	f.candW[f.lc] = e.w
	return m, true
}

// addRecords adds n to a saturating record count.
func addRecords(r uint32, n uint64) uint32 {
	return uint32(min(uint64(r)+n, uint64(^uint32(0))))
}

// addFiltered is filtered space-saving (Homem and Carvalho, "Finding top-k
// elements in data streams", Information Sciences 180(24), 2010): once the
// summary is full, a key it does not keep is first counted in a small
// filter cell (alpha, by hash), and replaces the lightest entry only when
// its cell's weight plus this one reaches that entry's. Most keys of a
// long tail (one-off internet clients) then cost one cell update instead
// of a replacement. The guarantees of space-saving hold: a key not kept
// weighs at most its cell, cells stay at most the lightest weight, so
// every key heavier than total/capacity is kept; a kept key's weight never
// under-counts and over-counts by at most its err (its cell when it came
// in). It returns the entry (-1 when the weight went to the filter) and
// whether k was newly inserted. A summary fed by addFiltered must not be
// fed by add.
func (t *topK[K, V]) addFiltered(k K, h, bytes, packets uint64) (i int, inserted bool) {
	i, _ = t.lookup(k, h)
	if i >= 0 {
		e := &t.hot[i]
		e.w += bytes
		e.packets += packets
		if e.records != ^uint32(0) {
			e.records++
		}
		return i, false
	}
	if len(t.hot) < int(t.max) {
		return t.addHashed(k, h, bytes, packets)
	}
	if t.alpha == nil {
		t.alpha = make([]uint32, 2*len(t.slots))
	}
	t.dropped = true
	c := t.cell(h)
	a := t.filter(c)
	// A cell a record went to is at least 1, also for a record of no
	// bytes: a key of a cell of 0 was never dropped, so that one that
	// comes in from it is exact (err 0) in its records and packets too.
	// (Such a record goes to the filter only below a lightest weight of
	// 1 or more: the cell stays at most it.)
	if a+bytes < t.floor {
		t.setFilter(c, max(a+bytes, 1))
		return -1, false
	}
	m := t.lightest()
	e := &t.hot[m]
	if t.floor = e.w; a+bytes < e.w {
		t.setFilter(c, max(a+bytes, 1))
		return -1, false
	}
	// The lightest key leaves: its cell now bounds it too (at least 1,
	// as above: an entry of no bytes still had records).
	f := t.full
	f.left[e.tag] += e.w - t.errAt(m)
	if cm := t.cell(uint64(t.slots[e.pos]) << 32); t.filter(cm) < max(e.w, 1) {
		t.setFilter(cm, max(e.w, 1))
	}
	if t.clone != nil {
		k = t.clone(k)
	}
	t.unlink(int(e.pos))
	_, s := t.lookup(k, h)
	t.slots[s] = fingerprint(h) | uint32(m+1)
	t.replaced(m, a)
	*e = topHot[K]{key: k, w: a + bytes, packets: packets, records: 1, pos: uint16(s)}
	f.candW[f.lc] = e.w
	return m, true
}

// countNotKept counts, under tag, the bytes of a key addFiltered did not
// keep (it returned -1), which no entry holds: byTag then has every byte
// added. The summary is full then, so its topFull is already made and in
// the cache (its filter was just read).
func (t *topK[K, V]) countNotKept(tag uint8, bytes uint64) {
	if t.full == nil {
		t.full = new(topFull)
	}
	t.full.left[tag] += bytes
}

// retag moves bytes that an entry of tag from counted (its w − err) to
// tag to in byTag: a record its caller classed apart from its entry. The
// entry keeps them, so left[from] goes down by as much, modulo 2⁶⁴: it is
// only ever read added to the entries' w − err (byTag), which hold them.
func (t *topK[K, V]) retag(from, to uint8, bytes uint64) {
	if t.full == nil {
		t.full = new(topFull)
	}
	t.full.left[from] -= bytes
	t.full.left[to] += bytes
}

// byTag returns, by tag, every byte added (see left).
func (t *topK[K, V]) byTag() [numTags]uint64 {
	var out [numTags]uint64
	if t.full != nil {
		out = t.full.left
	}
	for i := range t.hot {
		out[t.hot[i].tag] += t.hot[i].w - t.errAt(i)
	}
	return out
}

// cell is the filter cell of a key of hash h: from the fingerprint bits,
// so that an entry's slot tells its cell.
func (t *topK[K, V]) cell(h uint64) int { return int(h>>48) & (len(t.alpha) - 1) }

// filter returns filter cell c's weight.
func (t *topK[K, V]) filter(c int) uint64 {
	if t.wideAlpha {
		return (*t.full.wide)[c]
	}
	return uint64(t.alpha[c])
}

// setFilter sets filter cell c's weight, moving the cells to 64 bits when
// w is the first not to fit in 32. It is called only after lightest, so
// full is made.
func (t *topK[K, V]) setFilter(c int, w uint64) {
	if !t.wideAlpha {
		if w <= math.MaxUint32 {
			t.alpha[c] = uint32(w)
			return
		}
		t.widenFilter()
	}
	(*t.full.wide)[c] = w
}

// widenFilter moves the filter's cells to full.wide.
func (t *topK[K, V]) widenFilter() {
	wide := make([]uint64, len(t.alpha))
	for i, a := range t.alpha {
		wide[i] = uint64(a)
	}
	t.full.wide = &wide
	t.wideAlpha = true
}

// minCand returns the (first) candidate of least bound; nc > 0.
func (f *topFull) minCand() int {
	j := 0
	for x := 1; x < int(f.nc); x++ {
		if f.candW[x] < f.candW[j] {
			j = x
		}
	}
	return j
}

// lightest returns the entry of least weight (the table is full).
func (t *topK[K, V]) lightest() int {
	f := t.full
	if f == nil {
		f = new(topFull)
		t.full = f
	}
	if f.nc > 0 {
		// The candidate of least bound, if its bound is still its weight,
		// is the lightest candidate (the first of them, as a scan of the
		// weights would find): the others weigh at least their bounds. So
		// one entry is read, not every candidate's.
		for {
			j := f.minCand()
			m := int(f.cand[j])
			w := t.hot[m].w
			if w != f.candW[j] {
				f.candW[j] = w // it grew: a tighter bound, try again
				continue
			}
			if w <= f.thr {
				f.lc = uint8(j)
				return m
			}
			break
		}
	}
	// Choose the numCands lightest entries, lightest first, and the
	// weight of the next one as the bound for all the others.
	var ws [numCands + 1]uint64
	var is [numCands + 1]uint16
	n := 0
	for j := range t.hot {
		w := t.hot[j].w
		if n == len(ws) && w >= ws[n-1] {
			continue
		}
		k := n
		if n < len(ws) {
			n++
		} else {
			k = n - 1
		}
		for k > 0 && ws[k-1] > w {
			ws[k], is[k] = ws[k-1], is[k-1]
			k--
		}
		ws[k], is[k] = w, uint16(j)
	}
	f.nc = uint8(min(n, numCands))
	copy(f.cand[:], is[:f.nc])
	copy(f.candW[:], ws[:f.nc])
	f.lc = 0
	f.thr = ^uint64(0)
	if n > numCands {
		f.thr = ws[numCands]
	}
	return int(f.cand[0])
}

func (t *topK[K, V]) entries() []topEntry[K, V] {
	out := make([]topEntry[K, V], len(t.hot))
	for i := range out {
		out[i] = t.entry(i)
	}
	return out
}

// entry returns entry i. An entry counts its records in 32 bits (the
// per-record path's entry fits 40 bytes), saturating: one that reached
// 2³²−1 may have seen more, so its Records is not exact, and its error is
// then at least 1, which "exact when MaxError is 0" requires (Peer) and
// the bytes' bound allows (one byte more than need be). Summaries added
// up (topSum, a Partial's) count in 64 bits.
func (t *topK[K, V]) entry(i int) topEntry[K, V] {
	h := &t.hot[i]
	// h.records/MaxUint32 is 1 when the count saturated, else 0: entry
	// stays within the inlining budget (with a branch it did not), where
	// Result and Partial read entries by the thousand.
	return topEntry[K, V]{key: h.key, bytes: h.w, packets: h.packets, records: uint64(h.records),
		err: max(t.errAt(i), uint64(h.records/math.MaxUint32)), tag: h.tag, val: t.valAt(i)}
}

// bound returns the most a key the summary does not hold can weigh: 0
// while no key was dropped (every key seen is held, exactly), else the
// lightest held weight (a dropped key weighed at most the lightest
// weight when it left, or its filter cell, and weights only grow), and at
// least 1: a dropped key of no bytes still had records, and a bound of 0
// would make Merge and the groups count it exactly where it is missing.
func (t *topK[K, V]) bound() uint64 {
	if !t.dropped || len(t.hot) == 0 {
		return 0
	}
	b := t.hot[0].w
	for i := range t.hot {
		b = min(b, t.hot[i].w)
	}
	return max(b, 1)
}

// topSum adds space-saving summaries up into one of capacity k by the
// rule of Agarwal et al., "Mergeable Summaries" (2012), the rule
// mergeSummaries applies to a Partial's (which cuts to k after each pair
// it adds, where topSum cuts only past 2k: the same entries for two
// summaries, possibly other bounds for more): a key that a summary does
// not hold is counted there
// at that summary's bound (the most a key it does not hold can weigh:
// topK.bound, TaskPart.PeersBound), in its weight and in its error; the
// errors add up; and the sum is cut to its k heaviest entries (ties by
// key), the heaviest entry cut raising the sum's bound. So each entry's
// weight never under-counts its key's and over-counts it by at most its
// error, as in every summary added; and its packets and records are
// exact when its error is 0 (each summary held the key exactly, or held
// every key it was given). Counts are 64-bit (a task's own entries count
// records in 32: see topK.entry).
//
// Groups of several tasks rank their top peers and ports with it, and a
// task restored from a Partial its own. Adding a summary's entries costs a
// lookup each, its bound a pass over the sum's entries; the entries are
// cut to k once they pass 2k, so memory stays O(k) however many
// summaries are added, and a cut (a sort) comes once per k new keys at
// most.
type topSum[K comparable, V comparable] struct {
	es []topEntry[K, V]
	// last is by entry the number of the last summary that held its key.
	last []uint32
	// slots is an open-addressing table of es: entry index + 1, 0 when
	// empty; a power of two ≥ 2·len(es).
	slots []int32
	// idx and spare are a cut's working memory.
	idx   []int32
	spare []topEntry[K, V]
	hash  func(K) uint64
	cmp   func(a, b K) int
	k     int
	n     uint32 // summaries begun
	from  int    // the entries before the summary being added
	bound uint64 // the most a key not in es can weigh
}

func newTopSum[K comparable, V comparable](k int, hash func(K) uint64, cmp func(a, b K) int) *topSum[K, V] {
	return &topSum[K, V]{hash: hash, cmp: cmp, k: keptCap(k)}
}

// reset empties the sum, keeping its memory.
func (s *topSum[K, V]) reset() {
	clear(s.es) // no strings or pointers kept alive
	s.es, s.last = s.es[:0], s.last[:0]
	clear(s.slots)
	s.n, s.from, s.bound = 0, 0, 0
}

// begin starts adding a summary: put each of its entries, then end.
func (s *topSum[K, V]) begin() {
	s.n++
	s.from = len(s.es)
}

// put adds an entry of the summary begun. A key the sum does not hold
// comes in at the sum's bound: the summaries before may each have seen it
// up to theirs.
func (s *topSum[K, V]) put(e topEntry[K, V]) {
	if 2*(len(s.es)+1) > len(s.slots) {
		s.rehash(slotsFor(max(len(s.es)+1, s.k)))
	}
	mask := len(s.slots) - 1
	j := int(s.hash(e.key)) & mask
	for ; s.slots[j] != 0; j = (j + 1) & mask {
		i := s.slots[j] - 1
		if x := &s.es[i]; x.key == e.key {
			x.bytes = satAdd(x.bytes, e.bytes)
			x.packets = satAdd(x.packets, e.packets)
			x.records = satAdd(x.records, e.records)
			x.err = satAdd(x.err, e.err)
			s.last[i] = s.n
			return
		}
	}
	s.slots[j] = int32(len(s.es) + 1)
	e.bytes, e.err = satAdd(e.bytes, s.bound), satAdd(e.err, s.bound)
	s.es = append(s.es, e)
	s.last = append(s.last, s.n)
}

// add adds the summary t: its entries and its bound.
func (s *topSum[K, V]) add(t *topK[K, V]) {
	s.begin()
	for i := range t.hot {
		s.put(t.entry(i))
	}
	s.end(t.bound())
}

// end ends the summary begun, whose bound is b: every key it did not hold
// may have weighed up to b in it.
func (s *topSum[K, V]) end(b uint64) {
	if b > 0 {
		for i := range s.es[:s.from] {
			if s.last[i] != s.n {
				x := &s.es[i]
				x.bytes, x.err = satAdd(x.bytes, b), satAdd(x.err, b)
			}
		}
	}
	s.bound = satAdd(s.bound, b)
	if len(s.es) > 2*s.k {
		s.cut()
	}
}

// appendSorted appends the sum's k heaviest entries to dst, heaviest
// first, ties by key.
func (s *topSum[K, V]) appendSorted(dst []topEntry[K, V]) []topEntry[K, V] {
	s.cut()
	return append(dst, s.es...)
}

// cut keeps the k heaviest entries, heaviest first, ties by key (keys are
// distinct: the order is total). A key cut weighed at most its weight,
// at most the heaviest cut one's, which the bound then covers.
func (s *topSum[K, V]) cut() {
	es := s.es
	idx := s.idx[:0]
	for i := range es {
		idx = append(idx, int32(i))
	}
	s.idx = idx
	slices.SortFunc(idx, func(a, b int32) int {
		if c := heavierFirst(es[a].bytes, es[b].bytes); c != 0 {
			return c
		}
		return s.cmp(es[a].key, es[b].key)
	})
	k := min(s.k, len(idx))
	if len(idx) > k {
		// At least 1: a key cut of no bytes still had records.
		s.bound = max(s.bound, es[idx[k]].bytes, 1)
	}
	out := s.spare[:0]
	for _, i := range idx[:k] {
		out = append(out, es[i])
	}
	clear(es)
	s.es, s.spare = out, es[:0]
	// Every entry's last is a summary already ended.
	s.last = s.last[:k]
	s.rehash(len(s.slots))
}

// rehash rebuilds the table of es with n slots.
func (s *topSum[K, V]) rehash(n int) {
	if len(s.slots) == n {
		clear(s.slots)
	} else {
		s.slots = make([]int32, n)
	}
	mask := n - 1
	for i := range s.es {
		j := int(s.hash(s.es[i].key)) & mask
		for s.slots[j] != 0 {
			j = (j + 1) & mask
		}
		s.slots[j] = int32(i + 1)
	}
}

// duplicate returns a copy of the summary that shares no memory with it:
// adding to either leaves the other as it was. The entries keep their
// capacity, which the table's length follows (slotsFor).
func (t *topK[K, V]) duplicate() *topK[K, V] {
	d := *t
	d.slots = slices.Clone(t.slots)
	d.hot = append(make([]topHot[K], 0, cap(t.hot)), t.hot...)
	d.errs = slices.Clone(t.errs)
	d.vals = slices.Clone(t.vals)
	d.alpha = slices.Clone(t.alpha)
	if t.full != nil {
		f := *t.full
		if f.wide != nil {
			w := slices.Clone(*f.wide)
			f.wide = &w
		}
		d.full = &f
	}
	return &d
}

// reset empties the summary, keeping its capacity and its memory.
func (t *topK[K, V]) reset() {
	clear(t.slots)
	f := t.full
	if f != nil {
		*f = topFull{}
	}
	*t = topK[K, V]{slots: t.slots, hot: t.hot[:0], errs: t.errs[:0], vals: t.vals[:0], full: f, max: t.max, hash: t.hash, clone: t.clone}
}

// sorted returns the entries heaviest first, ties by key.
func (t *topK[K, V]) sorted(cmp func(a, b K) int) []topEntry[K, V] {
	return t.appendSorted(nil, cmp)
}

// appendSorted appends the entries to dst, heaviest first, ties by key.
// Keys are distinct, so the order is total and one.
func (t *topK[K, V]) appendSorted(dst []topEntry[K, V], cmp func(a, b K) int) []topEntry[K, V] {
	var buf [64]uint64
	return t.appendEntries(dst, t.appendOrder(buf[:0], cmp))
}

// appendEntries appends the entries at the indexes ord to dst.
func (t *topK[K, V]) appendEntries(dst []topEntry[K, V], ord []uint64) []topEntry[K, V] {
	dst = slices.Grow(dst, len(ord))
	for _, i := range ord {
		dst = append(dst, t.entry(int(i)))
	}
	return dst
}

// appendOrder appends the entries' indexes to dst in appendSorted's
// order: heaviest first, ties by key. It sorts indexes, not the entries
// (64 bytes each): a Result of ten thousand task groups sorts half a
// million of them. Weights under 2⁴⁸ (256 TB, every real one) go with
// their index into one word, sorted without a comparison function (half
// of taking the groups, at ten thousand tasks, went to calling one), by
// insertion while there are few (a summary keeps 64 peers by default:
// twice as fast as pdqsort there); equal weights are then put in key
// order. The words are distinct, so any sort gives the one order.
func (t *topK[K, V]) appendOrder(dst []uint64, cmp func(a, b K) int) []uint64 {
	base := len(dst)
	hot := t.hot
	const light = 1<<48 - 1
	for i := range hot {
		w := hot[i].w
		if w > light {
			return t.appendOrderFunc(dst[:base], cmp)
		}
		// Heaviest first: the complement of the weight, then the index.
		dst = append(dst, (light-w)<<16|uint64(i))
	}
	ord := dst[base:]
	if len(ord) <= 64 {
		for i := 1; i < len(ord); i++ {
			x, j := ord[i], i
			for ; j > 0 && ord[j-1] > x; j-- {
				ord[j] = ord[j-1]
			}
			ord[j] = x
		}
	} else {
		slices.Sort(ord)
	}
	for lo := 0; lo < len(ord); {
		hi := lo + 1
		for hi < len(ord) && ord[hi]>>16 == ord[lo]>>16 {
			hi++
		}
		switch {
		case hi-lo > 8:
			slices.SortFunc(ord[lo:hi], func(a, b uint64) int { return cmp(hot[uint16(a)].key, hot[uint16(b)].key) })
		case hi-lo > 1:
			// A few ties (most are two or three): by insertion, without
			// sort's closure and call a comparison.
			tie := ord[lo:hi]
			for i := 1; i < len(tie); i++ {
				x, j := tie[i], i
				for ; j > 0 && cmp(hot[uint16(tie[j-1])].key, hot[uint16(x)].key) > 0; j-- {
					tie[j] = tie[j-1]
				}
				tie[j] = x
			}
		}
		lo = hi
	}
	for i, x := range ord {
		ord[i] = uint64(uint16(x))
	}
	return dst
}

// appendSortedFunc is appendSorted through the comparison sort alone
// (appendOrderFunc), whatever the weights: the order appendSorted's
// packed words must give.
func (t *topK[K, V]) appendSortedFunc(dst []topEntry[K, V], cmp func(a, b K) int) []topEntry[K, V] {
	var buf [64]uint64
	return t.appendEntries(dst, t.appendOrderFunc(buf[:0], cmp))
}

// appendOrderFunc is appendOrder for weights of any size.
func (t *topK[K, V]) appendOrderFunc(dst []uint64, cmp func(a, b K) int) []uint64 {
	base := len(dst)
	for i := range t.hot {
		dst = append(dst, uint64(i))
	}
	hot := t.hot
	slices.SortFunc(dst[base:], func(a, b uint64) int {
		x, y := &hot[a], &hot[b]
		if c := heavierFirst(x.w, y.w); c != 0 {
			return c
		}
		return cmp(x.key, y.key)
	})
	return dst
}

// sortEntries sorts entries heaviest first, ties by key, as appendSorted
// does.
func sortEntries[K comparable, V any](es []topEntry[K, V], cmp func(a, b K) int) {
	slices.SortFunc(es, func(a, b topEntry[K, V]) int {
		if c := heavierFirst(a.bytes, b.bytes); c != 0 {
			return c
		}
		return cmp(a.key, b.key)
	})
}

// heavierFirst orders weights heaviest first: the order of every summary's
// entries, before their keys.
func heavierFirst(a, b uint64) int { return cmp.Compare(b, a) }

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
