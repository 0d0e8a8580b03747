package attribution

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestTopKExactUnderCapacity(t *testing.T) {
	k := newTopK[int, struct{}](4, hashInt)
	for i := range 100 {
		k.add(i%4, uint64(i%4+1), 1)
	}
	es := k.sorted(cmp.Compare[int])
	for i, e := range es {
		if e.key != 3-i || e.bytes != uint64(25*(4-i)) || e.err != 0 || e.records != 25 {
			t.Fatalf("entry %d: %+v", i, e)
		}
	}
}

// TestTopKHeavyHitters checks the space-saving guarantees on a skewed
// stream with many light keys: every key heavier than total/capacity is
// kept, never under-counted, and over-counted by at most its err.
func TestTopKHeavyHitters(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const capacity = 16
	k := newTopK[int, struct{}](capacity, hashInt)
	truth := map[int]uint64{}
	var total uint64
	for range 100000 {
		key := 1000 + rng.IntN(5000) // noise
		if rng.IntN(2) == 0 {
			key = rng.IntN(5) // five heavy keys, half of the stream
		}
		w := uint64(1 + rng.IntN(1500))
		truth[key] += w
		total += w
		k.add(key, w, 1)
	}
	kept := map[int]topEntry[int, struct{}]{}
	for _, e := range k.entries() {
		kept[e.key] = e
		if e.bytes < truth[e.key] || e.bytes-e.err > truth[e.key] {
			t.Fatalf("key %d: estimate %d err %d, true %d", e.key, e.bytes, e.err, truth[e.key])
		}
	}
	for key, w := range truth {
		if w > total/capacity {
			if _, ok := kept[key]; !ok {
				t.Fatalf("heavy key %d (%d of %d) was dropped", key, w, total)
			}
		}
	}
	top := k.sorted(cmp.Compare[int])
	for i := range 5 {
		if top[i].key >= 5 {
			t.Fatalf("top %d is %d, want one of the heavy keys", i, top[i].key)
		}
	}
}

func TestTopKSumExact(t *testing.T) {
	a, b := newTopK[string, int](3, hashString), newTopK[string, int](3, hashString)
	i, _ := a.add("x", 10, 1)
	*a.valRef(i) = 1
	a.add("y", 5, 1)
	i, _ = b.add("x", 1, 1)
	*b.valRef(i) = 2
	i, _ = b.add("z", 7, 2)
	*b.valRef(i) = 3
	m := newTopSum[string, int](3, hashString, cmp.Compare[string])
	m.add(a)
	m.add(b)
	got := m.appendSorted(nil)
	if len(got) != 3 || got[0].key != "x" || got[0].bytes != 11 || got[0].records != 2 || got[0].val != 1 ||
		got[1].key != "z" || got[1].val != 3 || got[1].packets != 2 || got[2].key != "y" {
		t.Fatalf("%+v", got)
	}
}

func hashInt(i int) uint64 { return mix(uint64(i)) }

// TestTopKTable checks the hash table against a map through many
// replacements, with hashes that collide on purpose, in a summary that
// fits its first table and in one whose table grows (rehash) as it fills.
func TestTopKTable(t *testing.T) {
	for _, c := range []struct {
		capacity, keys int
		hash           func(int) uint64
	}{
		{8, 40, func(i int) uint64 { return uint64(i % 5) }},
		{100, 400, func(i int) uint64 { return uint64(i%7)<<48 | uint64(i) }},
		{100, 400, hashInt},
	} {
		testTopKTable(t, c.capacity, c.keys, c.hash)
	}
}

func testTopKTable(t *testing.T, capacity, keys int, hash func(int) uint64) {
	rng := rand.New(rand.NewPCG(3, 4))
	k := newTopK[int, struct{}](capacity, hash)
	for range 20000 {
		key := rng.IntN(keys)
		var lightest uint64
		if j, _ := k.lookup(key, k.hash(key)); j < 0 && len(k.hot) == capacity {
			lightest = slices.MinFunc(k.hot, func(a, b topHot[int]) int { return cmp.Compare(a.w, b.w) }).w
		}
		if i, inserted := k.add(key, uint64(1+rng.IntN(10)), 1); inserted && lightest > 0 && k.errAt(i) != lightest {
			t.Fatalf("replaced an entry of weight %d, the lightest weighed %d", k.errAt(i), lightest)
		}
		if len(k.hot) > capacity {
			t.Fatal("over capacity")
		}
		if len(k.slots) < 2*cap(k.hot) {
			t.Fatalf("%d slots for %d entries", len(k.slots), cap(k.hot))
		}
		used := 0
		for _, s := range k.slots {
			if s != 0 {
				used++
			}
		}
		if used != len(k.hot) {
			t.Fatalf("%d slots used, %d entries", used, len(k.hot))
		}
		var ws []uint64
		for i, h := range k.hot {
			if j, s := k.lookup(h.key, k.hash(h.key)); j != i || int(h.pos) != s {
				t.Fatalf("key %d at %d (slot %d), lookup says %d (slot %d)", h.key, i, h.pos, j, s)
			}
			ws = append(ws, h.w)
		}
		// Every entry outside the minimum candidates weighs at least thr.
		for i, w := range ws {
			if f := k.full; f != nil && f.nc > 0 && !slices.Contains(f.cand[:f.nc], uint16(i)) && w < f.thr {
				t.Fatalf("entry %d weighs %d, below the candidates' bound %d", i, w, f.thr)
			}
		}
		if len(ws) == capacity {
			if m := k.lightest(); ws[m] != slices.Min(ws) {
				t.Fatalf("lightest is %d (%d), minimum %d", m, ws[m], slices.Min(ws))
			}
		}
	}
}

// TestTopKFiltered checks filtered space-saving's guarantees on a skewed
// stream with a long tail of one-off keys: the same as space-saving's, and
// far fewer replacements.
func TestTopKFiltered(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const capacity = 16
	k := newTopK[int, struct{}](capacity, hashInt)
	plain := newTopK[int, struct{}](capacity, hashInt)
	truth := map[int]uint64{}
	var total uint64
	replaced, plainReplaced := 0, 0
	for n := range 200000 {
		key := 1000 + n // one-off
		switch r := rng.IntN(10); {
		case r < 4:
			key = rng.IntN(6) // six heavy keys
		case r < 7:
			key = 100 + rng.IntN(200) // a recurring tail
		}
		w := uint64(1 + rng.IntN(1500))
		truth[key] += w
		total += w
		full := len(k.hot) == capacity
		if i, inserted := k.addFiltered(key, hashInt(key), w, 1); inserted && full {
			replaced++
			if k.hot[i].key != key {
				t.Fatal("inserted entry holds another key")
			}
		}
		if _, inserted := plain.add(key, w, 1); inserted && len(plain.hot) == capacity {
			plainReplaced++
		}
		if n%997 == 0 && len(k.alpha) > 0 {
			lightest := slices.MinFunc(k.hot, func(a, b topHot[int]) int { return cmp.Compare(a.w, b.w) }).w
			if m := slices.Max(filterCells(k)); m > lightest {
				t.Fatalf("a filter cell holds %d, above the lightest kept weight %d", m, lightest)
			}
		}
	}
	kept := map[int]bool{}
	for _, e := range k.entries() {
		kept[e.key] = true
		if e.bytes < truth[e.key] || e.bytes-e.err > truth[e.key] {
			t.Fatalf("key %d: estimate %d err %d, true %d", e.key, e.bytes, e.err, truth[e.key])
		}
	}
	for key, w := range truth {
		if w > total/capacity && !kept[key] {
			t.Fatalf("heavy key %d (%d of %d) was dropped", key, w, total)
		}
		if !kept[key] && w > k.filter(k.cell(hashInt(key))) {
			t.Fatalf("key %d not kept weighs %d, above its filter cell", key, w)
		}
	}
	top := k.sorted(cmp.Compare[int])
	for i := range 6 {
		if top[i].key >= 6 {
			t.Fatalf("top %d is %d, want one of the heavy keys", i, top[i].key)
		}
	}
	if replaced*4 > plainReplaced {
		t.Fatalf("%d replacements, plain space-saving %d: the filter should spare most", replaced, plainReplaced)
	}
	t.Logf("%d replacements, plain space-saving %d", replaced, plainReplaced)
}

// filterCells returns the weights of k's filter cells.
func filterCells[K, V comparable](k *topK[K, V]) []uint64 {
	cells := make([]uint64, len(k.alpha))
	for c := range cells {
		cells[c] = k.filter(c)
	}
	return cells
}

// TestTopKFilterWidens feeds filtered space-saving weights whose lightest
// entry passes 4 GiB part-way (a third of the way in), and checks it step
// by step against a twin whose filter cells are 64 bits from its first
// filtered record on: 32-bit cells until one does not fit must not change
// a single answer.
func TestTopKFilterWidens(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	const capacity = 16
	k := newTopK[int, struct{}](capacity, hashInt)
	twin := newTopK[int, struct{}](capacity, hashInt)
	narrowAt, wideAt := -1, -1
	for n := range 100000 {
		key := 1000 + n
		switch r := rng.IntN(10); {
		case r < 4:
			key = rng.IntN(6)
		case r < 7:
			key = 100 + rng.IntN(200)
		}
		w := uint64(1+rng.IntN(1500)) << 14
		i, ins := k.addFiltered(key, hashInt(key), w, 1)
		j, tins := twin.addFiltered(key, hashInt(key), w, 1)
		if i != j || ins != tins {
			t.Fatalf("record %d: entry %d inserted %v, the twin's %d %v", n, i, ins, j, tins)
		}
		if twin.alpha != nil && !twin.wideAlpha {
			twin.widenFilter()
		}
		if k.alpha != nil && narrowAt < 0 {
			narrowAt = n
		}
		if k.wideAlpha && wideAt < 0 {
			wideAt = n
		}
		if n%101 == 0 || n == 99999 {
			if got, want := filterCells(k), filterCells(twin); !slices.Equal(got, want) {
				t.Fatalf("record %d: filter cells differ:\n%v\n%v", n, got, want)
			}
		}
	}
	if narrowAt < 0 || wideAt <= narrowAt+1000 {
		t.Fatalf("filter made at record %d, widened at %d: want 32-bit cells for a while first", narrowAt, wideAt)
	}
	if got, want := k.sorted(cmp.Compare[int]), twin.sorted(cmp.Compare[int]); !slices.Equal(got, want) {
		t.Fatalf("entries differ:\n%v\n%v", got, want)
	}
	t.Logf("filter made at record %d, widened at %d", narrowAt, wideAt)
}

// A summary makes its cold parts only when an entry needs a non-zero one
// (errs: a replacement's error; vals: a value), and an entry past them
// reads as zero: so a full summary's replacement and a reset summary's
// reuse report the same errors and values as before the cold parts were
// made lazily, and a replaced entry keeps no value.
func TestTopKColdLazy(t *testing.T) {
	k := newTopK[string, int](3, hashString)
	for i, key := range []string{"a", "b", "c"} {
		k.add(key, uint64(10*(i+1)), 1)
	}
	if len(k.errs) != 0 || len(k.vals) != 0 {
		t.Fatalf("cold parts made with no error or value: %v %v", k.errs, k.vals)
	}
	for _, e := range k.entries() {
		if e.err != 0 || e.val != 0 {
			t.Fatalf("entry %+v: want no error, no value", e)
		}
	}
	i, inserted := k.add("d", 1, 1) // replaces a (10)
	if !inserted || k.errAt(i) != 10 || len(k.errs) != i+1 || len(k.vals) != 0 {
		t.Fatalf("replacement: entry %d inserted %v err %d, errs %v vals %v", i, inserted, k.errAt(i), k.errs, k.vals)
	}
	*k.valRef(0) = 7
	m := newTopSum[string, int](3, hashString, cmp.Compare[string])
	m.add(k)
	for _, e := range m.appendSorted(nil) {
		j, _ := k.lookup(e.key, hashString(e.key))
		if want := k.entry(j); e.err != want.err || e.val != want.val {
			t.Errorf("merged %q: err %d val %d, want %d %d", e.key, e.err, e.val, want.err, want.val)
		}
	}
	*k.valRef(i) = 8
	if j, inserted := k.add("e", 1, 1); !inserted || j != i { // replaces d (11)
		t.Fatalf("replacement: entry %d inserted %v, want %d", j, inserted, i)
	}
	if e := k.entry(i); e.key != "e" || e.err != 11 || e.val != 0 {
		t.Errorf("replaced entry %+v: want e, err 11, no value", e)
	}
	k.reset()
	k.add("e", 5, 1)
	if e := k.entry(0); e.err != 0 || e.val != 0 || len(k.errs) != 0 || len(k.vals) != 0 {
		t.Errorf("after reset: entry %+v, errs %v vals %v", e, k.errs, k.vals)
	}
}

// appendSorted's packed order (weights under 2⁴⁸ with their index in one
// word, then ties by key) is the comparison sort's: with many ties, and
// with a weight too large to pack.
func TestAppendSortedPacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for n := range 200 {
		k := newTopK[int, struct{}](1+n%100, hashInt)
		for range 1 + rng.IntN(300) {
			w := uint64(rng.IntN(8)) // ties
			if rng.IntN(4) == 0 {
				w = rng.Uint64() >> 20 // under 2⁴⁸
			}
			k.add(rng.IntN(150), w, 1)
		}
		if n%10 == 0 {
			k.add(-1, 1<<50, 1) // too large to pack: the comparison sort
		}
		got, want := k.appendSorted(nil, cmp.Compare[int]), k.appendSortedFunc(nil, cmp.Compare[int])
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: packed order %v, comparison order %v", n, got, want)
		}
	}
}
