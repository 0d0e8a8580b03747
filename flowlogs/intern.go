package flowlogs

import "hash/maphash"

// maxSymbols bounds the values interned per field, so memory stays
// bounded on hostile or high-cardinality input (such as tag values).
const maxSymbols = 1 << 16

// minSlots is the initial size of a field's hash table: fields such as
// interface-id have thousands of values, most others a handful.
const minSlots = 64

// symbols interns the values of string fields, one table per field, so
// that a value costs one allocation the first time it is seen and none
// afterwards, and gets a small dense number (see Record.Symbol). A Reader
// keeps its symbols across format changes.
type symbols struct {
	seed maphash.Seed
	t    [numFields]*symtab
}

// symtab is an open-addressing hash table (linear probing, at most half
// full) of symbols. A slot holds the high 32 bits of the value's hash,
// which also pick the slot probing starts from, and its symbol in the low
// 32 bits (0: empty): a probe usually costs one load and one comparison
// before the one string comparison, and growing needs no rehash. The hash
// is maphash's, randomly seeded: input cannot be crafted to make probes
// long.
type symtab struct {
	slots []uint64
	strs  []string // strs[sym-1]
}

const symMask = 1<<32 - 1

func newSymbols() *symbols { return &symbols{seed: maphash.MakeSeed()} }

// intern returns b as a shared string and its symbol (0 when the field
// already holds maxSymbols values: the string is then allocated).
func (s *symbols) intern(f Field, b []byte) (string, uint32) {
	t := s.t[f]
	if t == nil {
		t = &symtab{slots: make([]uint64, minSlots)}
		s.t[f] = t
	}
	tag := maphash.Bytes(s.seed, b) &^ symMask
	mask := uint64(len(t.slots) - 1)
	for i := tag >> 32 & mask; ; i = (i + 1) & mask {
		e := t.slots[i]
		if e == 0 {
			break
		}
		if e&^symMask == tag {
			if str := t.strs[uint32(e)-1]; str == string(b) {
				return str, uint32(e)
			}
		}
	}
	if len(t.strs) >= maxSymbols {
		return string(b), 0
	}
	t.strs = append(t.strs, string(b))
	sym := uint32(len(t.strs))
	if 2*len(t.strs) > len(t.slots) {
		old := t.slots
		t.slots = make([]uint64, 2*len(old))
		for _, e := range old {
			if e != 0 {
				t.put(e)
			}
		}
	}
	t.put(tag | uint64(sym))
	return t.strs[sym-1], sym
}

// put stores slot value e in the first free slot from the one its hash
// picks.
func (t *symtab) put(e uint64) {
	mask := uint64(len(t.slots) - 1)
	for i := e >> 32 & mask; ; i = (i + 1) & mask {
		if t.slots[i] == 0 {
			t.slots[i] = e
			return
		}
	}
}
