package flowlogs

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// maxFastLine is the longest line split with bit masks (parseFast); longer
// lines take the byte-scanning path. A full v11 record is about 600 bytes
// with long ARNs, a default-format one about 110.
const maxFastLine = 1024

// lineBits describes one line: space is a bit set, one bit per byte,
// marking the spaces (and every bit past the end of the line); starts
// holds the offset of every token's first byte (a non-space after a space
// or at the line start), found with trailing-zero counts instead of byte
// comparisons. Token k is line[starts[k]:tokenEnd(starts[k])].
type lineBits struct {
	space  [maxFastLine/64 + 1]uint64
	starts [maxFastLine/2 + 1]uint16 // a token and a space take 2 bytes
	tokens int
}

// spaceBits8 returns one bit per byte of the 8 bytes in x (little-endian),
// set for spaces: spaceMask puts 0x80 in each space byte, >>7 makes that
// 0x01, and the multiplication gathers byte k's bit into bit 56+k.
func spaceBits8(x uint64) uint64 {
	return spaceMask(x) >> 7 * 0x0102040810204080 >> 56
}

// spaceBits64Generic returns the space bits of b[:64]; spaceBits64 is
// this, or the same in assembly where the platform has it.
func spaceBits64Generic(b []byte) uint64 {
	b = b[:64]
	return spaceBits8(binary.LittleEndian.Uint64(b)) |
		spaceBits8(binary.LittleEndian.Uint64(b[8:]))<<8 |
		spaceBits8(binary.LittleEndian.Uint64(b[16:]))<<16 |
		spaceBits8(binary.LittleEndian.Uint64(b[24:]))<<24 |
		spaceBits8(binary.LittleEndian.Uint64(b[32:]))<<32 |
		spaceBits8(binary.LittleEndian.Uint64(b[40:]))<<40 |
		spaceBits8(binary.LittleEndian.Uint64(b[48:]))<<48 |
		spaceBits8(binary.LittleEndian.Uint64(b[56:]))<<56
}

// build sets the space bits of l for b (len(b) ≤ maxFastLine), 64 bytes
// at a time, and returns the number of words that hold them.
func (l *lineBits) build(b []byte) int {
	line, n := b, len(b)
	nw := (n + 63) >> 6
	w := 0
	for ; len(b) >= 64; b = b[64:] {
		l.space[w] = spaceBits64(b)
		w++
	}
	if r := len(b); r > 0 {
		var acc uint64
		if n >= 64 {
			// The last 64 bytes of the line, less those already seen.
			acc = spaceBits64(line[n-64:]) >> (64 - r)
		} else {
			k := uint(0)
			for ; len(b) >= 8; b = b[8:] {
				acc |= spaceBits8(binary.LittleEndian.Uint64(b)) << k
				k += 8
			}
			if len(b) > 0 {
				var tail [8]byte
				copy(tail[:], b)
				acc |= spaceBits8(binary.LittleEndian.Uint64(tail[:])) << k
			}
		}
		acc |= ^uint64(0) << r // past the end: as spaces
		l.space[w] = acc
		w++
	}
	l.space[w] = ^uint64(0) // so that the last token ends
	return nw
}

// tokenStartsGeneric stores in starts the offsets of the token starts of
// the first nw words of space (a non-space after a space, or first in the
// line) and returns their number; tokenStarts is this, or the same in
// assembly where the platform has it. Starts are at least two bytes apart,
// so 16 words hold at most 512 of them.
func tokenStartsGeneric(space *[maxFastLine/64 + 1]uint64, nw int, starts *[maxFastLine/2 + 1]uint16) int {
	carry := uint64(1) // before the line: as a space
	n := 0
	for w := range space[:nw] {
		s := space[w]
		for t := ^s & (s<<1 | carry); t != 0; t &= t - 1 {
			starts[n] = uint16(w<<6 + bits.TrailingZeros64(t))
			n++
		}
		carry = s >> 63
	}
	return n
}

// tokenEnd returns the end of the token starting at byte p.
func (l *lineBits) tokenEnd(p int) int {
	w := p >> 6
	s := l.space[w] >> (p & 63)
	for s == 0 { // the token goes on in the next word
		w++
		p = w << 6
		s = l.space[w]
	}
	return p + bits.TrailingZeros64(s)
}

// parseFast is Parse for lines of at most maxFastLine bytes: one pass
// builds the bit sets, which also give the exact field count, then only
// the tokens needed are cut out.
func (p *Parser) parseFast(line []byte, r *Record, spans []span, l *lineBits) error {
	return p.parseSplit(line, r, spans, l, l.build(line))
}

// parseSplit is parseFast once the first nw words of l.space hold the
// space bits of line, and a set bit follows its last token.
func (p *Parser) parseSplit(line []byte, r *Record, spans []span, l *lineBits, nw int) error {
	l.tokens = tokenStarts(&l.space, nw, &l.starts)
	nf := len(spans)
	if l.tokens != nf {
		clear(spans)
		if l.tokens < nf {
			return newParseError(p.format.names[l.tokens], nil, ErrMissingFields)
		}
		return newParseError("", line[l.starts[nf]:], ErrExtraFields) // as parse: the extra text
	}
	// The tokens needed, in order (every one without a selection). Strings
	// and counters, most of what is decoded, are decoded here; the other
	// kinds and errors go through decode. Present starts as every field
	// decoded and loses those that are absent ("-").
	for _, q := range p.cut { // no call here: the loop stays in registers
		s := int(l.starts[q])
		spans[q] = span{uint32(s), uint32(l.tokenEnd(s))}
	}
	// Strings, then counters, then the rest, each in a loop of its own
	// (fewer branches and live values than one loop with a switch). An
	// error sends the whole record through decodeOrdered, so that the
	// error is the first in format order, as on other paths.
	present := p.present
	for _, o := range p.strs {
		sp := spans[o.pos]
		tok := line[sp.s:sp.e:sp.e]
		if len(tok) == 1 && tok[0] == '-' {
			*(*string)(unsafe.Add(unsafe.Pointer(r), o.off)) = ""
			r.syms[o.field] = 0
			present.Remove(o.field)
			continue
		}
		str, sym := p.syms.intern(o.field, tok)
		*(*string)(unsafe.Add(unsafe.Pointer(r), o.off)) = str
		r.syms[o.field] = sym
	}
	for _, o := range p.ints {
		sp := spans[o.pos]
		tok := line[sp.s:sp.e:sp.e]
		var v int64
		var ok bool
		if s := int(sp.s); len(tok) <= 8 && s+8 <= len(line) {
			v, ok = atoi8(binary.LittleEndian.Uint64(line[s:]), len(tok))
		} else {
			v, ok = atoi(tok)
		}
		if !ok {
			if len(tok) == 1 && tok[0] == '-' {
				*(*int64)(unsafe.Add(unsafe.Pointer(r), o.off)) = 0
				present.Remove(o.field)
				continue
			}
			return p.decodeOrdered(line, r, spans)
		}
		*(*int64)(unsafe.Add(unsafe.Pointer(r), o.off)) = v
	}
	for _, q := range p.rest {
		sp := spans[q]
		tok := line[sp.s:sp.e:sp.e]
		st := &p.steps[q]
		if len(tok) == 1 && tok[0] == '-' {
			p.clear(st.field, r)
			present.Remove(st.field)
			continue
		}
		if st.kind == kindStatus && string(tok) == "OK" {
			r.LogStatus = StatusOK
			continue
		}
		if p.decodeValue(st, tok, r) != nil {
			return p.decodeOrdered(line, r, spans)
		}
	}
	r.Present = present
	return nil
}

// decodeOrdered decodes the fields of a split line one by one in format
// order, stopping at the first error: the slow path of parseSplit, taken
// when a value is malformed.
func (p *Parser) decodeOrdered(line []byte, r *Record, spans []span) error {
	r.Present = FieldSet{}
	for _, q := range p.sel1 {
		sp := spans[q]
		if err := p.decode(&p.steps[q], line[sp.s:sp.e:sp.e], r); err != nil {
			clear(spans[q+1:])
			return err
		}
	}
	return nil
}

// atoi8 parses the n (1 to 8) decimal digits in the low bytes of x, the
// little-endian load of a token and what follows it: eight digits at once
// (Lemire's SWAR method), about 15 instructions against about 6 a digit.
// It reports false for a non-digit; atoi then gives the error.
func atoi8(x uint64, n int) (int64, bool) {
	const zeros = 0x3030303030303030
	// Digits to the high bytes, in front of as many leading zeros.
	d := (x - zeros) << (64 - 8*uint(n))
	// A byte above 9 reaches 0x80 when 0x76 is added; one that wrapped
	// below '0' already has it. (A carry can only flag a valid byte: then
	// atoi decides.)
	if (d+0x7676767676767676|d)&0x8080808080808080 != 0 {
		return 0, false
	}
	d = d*10 + d>>8 // pairs of digits
	d = ((d&0x000000FF000000FF)*(100+1000000<<32) + (d>>16&0x000000FF000000FF)*(1+10000<<32)) >> 32
	return int64(d), true
}
