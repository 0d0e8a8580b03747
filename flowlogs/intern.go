package flowlogs

import "encoding/binary"

// maxSymbols bounds the values interned per field, so memory stays
// bounded on hostile or high-cardinality input (such as tag values).
const maxSymbols = 1 << 16

// The cache of a field starts small and grows with its number of values,
// up to 1<<maxCacheBits entries: fields such as interface-id have
// thousands of values, most others a handful.
const (
	minCacheBits = 6
	maxCacheBits = 13
)

// symbols interns the values of string fields, one table per field, so
// that a value costs one allocation the first time it is seen and none
// afterwards, and gets a small dense number (see Record.Symbol). A Reader
// keeps its symbols across format changes.
type symbols struct {
	t [numFields]*symtab
}

type symtab struct {
	ids   map[string]uint32
	strs  []string // strs[id-1]
	cache []uint32 // direct-mapped front of ids, hashed on length and last bytes
	shift uint32   // 32 - log2(len(cache))
}

func newSymbols() *symbols { return new(symbols) }

// intern returns b as a shared string and its symbol (0 when the field
// already holds maxSymbols values: the string is then allocated).
func (s *symbols) intern(f Field, b []byte) (string, uint32) {
	t := s.t[f]
	if t == nil {
		t = &symtab{ids: make(map[string]uint32), cache: make([]uint32, 1<<minCacheBits), shift: 32 - minCacheBits}
		s.t[f] = t
	}
	// IDs such as eni-0123456789abcdef0 differ most in their last bytes.
	var h uint32
	if len(b) >= 4 {
		h = binary.LittleEndian.Uint32(b[len(b)-4:])
	}
	h = (h ^ uint32(len(b))) * 0x9E3779B1 >> t.shift
	if id := t.cache[h&uint32(len(t.cache)-1)]; id != 0 {
		if str := t.strs[id-1]; str == string(b) {
			return str, id
		}
	}
	id, ok := t.ids[string(b)] // no allocation for the lookup
	if !ok {
		if len(t.strs) >= maxSymbols {
			return string(b), 0
		}
		t.strs = append(t.strs, string(b))
		id = uint32(len(t.strs))
		t.ids[t.strs[id-1]] = id
		if len(t.strs) > len(t.cache)/4 && len(t.cache) < 1<<maxCacheBits {
			t.cache = make([]uint32, 2*len(t.cache))
			t.shift--
			return t.strs[id-1], id // h was for the old size
		}
	}
	t.cache[h&uint32(len(t.cache)-1)] = id
	return t.strs[id-1], id
}
