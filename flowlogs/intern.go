package flowlogs

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"unsafe"
)

// maxSymbols bounds the values interned per field, so memory stays
// bounded on hostile or high-cardinality input (such as tag values).
const maxSymbols = 1 << 16

// maxSymLen bounds the length of a value interned: a longer one (no AWS
// identifier or name is) is allocated, with symbol 0, so that the bound
// on count is also one on bytes.
const maxSymLen = 512

// minSlots is the initial size of a field's hash table: fields such as
// interface-id have thousands of values, most others a handful.
const minSlots = 64

// symbols interns the values of string fields, one table per field, so
// that a value costs one allocation the first time it is seen and none
// afterwards, and gets a small dense number (see Record.Symbol). A Reader
// keeps its symbols across format changes.
type symbols struct {
	seed maphash.Seed
	keys [3]uint64 // random, for hashShort
	t    [numFields]*symtab
}

// symtab is an open-addressing hash table (linear probing, at most half
// full) of symbols. A slot holds the high 32 bits of the value's hash,
// which also pick the slot probing starts from, and its symbol in the low
// 32 bits (0: empty): a probe usually costs one load and one comparison
// before the one string comparison, and growing needs no rehash. Hashes
// are randomly seeded (hashShort's keys, maphash's seed), so input cannot
// be crafted to make probes long.
type symtab struct {
	slots []uint64
	strs  []string // strs[sym-1]
}

const symMask = 1<<32 - 1

func newSymbols() *symbols {
	s := &symbols{seed: maphash.MakeSeed()}
	for i := range s.keys {
		s.keys[i] = maphash.Comparable(s.seed, i) | 1
	}
	return s
}

// hashShort hashes a value of 8 to 24 bytes (interface, VPC, subnet and
// instance IDs, account numbers, AZ IDs: most interned values), given the
// three 8-byte words at its start, middle and end, which cover it: a
// few multiplications inline instead of a call to the runtime's hash.
func (s *symbols) hashShort(a, m, z uint64, n int) uint64 {
	h := (a^s.keys[0])*0x9E3779B97F4A7C15 ^ bits.RotateLeft64((m^s.keys[1])*0xC2B2AE3D27D4EB4F, 23) ^
		bits.RotateLeft64((z^s.keys[2])*0x165667B19E3779F9, 47) ^ uint64(n)
	h ^= h >> 32
	h *= 0xD6E8FEB86659FD93
	return h ^ h>>29
}

// words returns the 8-byte words at the start, middle and end of b
// (8 ≤ len(b) ≤ 24), which together cover it.
func words(b []byte) (a, m, z uint64) {
	n := len(b)
	return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[(n-8)/2:]), binary.LittleEndian.Uint64(b[n-8:])
}

// intern returns b as a shared string and its symbol (0 when the field
// already holds maxSymbols values, or b is longer than maxSymLen: the
// string is then allocated).
func (s *symbols) intern(f Field, b []byte) (string, uint32) {
	if len(b) > maxSymLen {
		return string(b), 0
	}
	t := s.t[f]
	if t == nil {
		t = &symtab{slots: make([]uint64, minSlots)}
		s.t[f] = t
	}
	mask := uint64(len(t.slots) - 1)
	var tag uint64
	if n := len(b); n >= 8 && n <= 24 {
		a, m, z := words(b)
		tag = s.hashShort(a, m, z, n) &^ symMask
		for i := tag >> 32 & mask; ; i = (i + 1) & mask {
			e := t.slots[i]
			if e == 0 {
				break
			}
			if e&^symMask == tag {
				// Equal when the same words cover both.
				str := t.strs[uint32(e)-1]
				if len(str) == n {
					if a2, m2, z2 := words(unsafe.Slice(unsafe.StringData(str), n)); a == a2 && m == m2 && z == z2 {
						return str, uint32(e)
					}
				}
			}
		}
	} else {
		tag = maphash.Bytes(s.seed, b) &^ symMask
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
