//go:build amd64 && !purego

package flowlogs

// spaceBits64 returns the space bits of b[:64]: SSE2 (part of every amd64
// CPU) compares 16 bytes at a time and gathers one bit per byte with
// PMOVMSKB, about 20 instructions against about 90 for spaceBits64Generic.
func spaceBits64(b []byte) uint64 {
	return spaceBits64SSE2((*[64]byte)(b))
}

//go:noescape
func spaceBits64SSE2(b *[64]byte) uint64

// tokenStarts is tokenStartsGeneric in assembly: about 7 instructions per
// token against about 14, mostly because Go's TrailingZeros64 must handle
// a zero word and the store a bounds check. Splitting a line is most of
// what a selective parse costs. Callers pass at most 16 words (a line of
// maxFastLine bytes); more are not read, so starts cannot overflow.
func tokenStarts(space *[maxFastLine/64 + 1]uint64, nw int, starts *[maxFastLine/2 + 1]uint16) int {
	return tokenStartsAsm(space, min(nw, maxFastLine/64), starts)
}

//go:noescape
func tokenStartsAsm(space *[maxFastLine/64 + 1]uint64, nw int, starts *[maxFastLine/2 + 1]uint16) int

// scanLine finds the first '\n' in b[:n] (n at most maxFastLine+1) and
// stores the space bits of the line before it in space, as
// lineBits.build would (every bit from the '\n' on set), in one pass:
// finding the line and splitting it read its bytes once. It returns the
// index of the '\n', or -1 (none, or b too short: the assembly reads
// whole 64-byte blocks, so b must extend to the end of the last block).
func scanLine(b []byte, n int, space *[maxFastLine/64 + 1]uint64) int {
	if uint(n-1) > maxFastLine || (n+63)>>6 > len(b)>>6 {
		return -1
	}
	return scanLineSSE2(&b[0], n, space)
}

//go:noescape
func scanLineSSE2(p *byte, n int, space *[maxFastLine/64 + 1]uint64) int
