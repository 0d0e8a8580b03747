//go:build amd64 && !purego

#include "textflag.h"

// func spaceBits64SSE2(b *[64]byte) uint64
TEXT ·spaceBits64SSE2(SB), NOSPLIT, $0-16
	MOVQ b+0(FP), SI
	MOVQ $0x2020202020202020, AX
	MOVQ AX, X0
	PUNPCKLQDQ X0, X0
	MOVOU 0(SI), X1
	MOVOU 16(SI), X2
	MOVOU 32(SI), X3
	MOVOU 48(SI), X4
	PCMPEQB X0, X1
	PCMPEQB X0, X2
	PCMPEQB X0, X3
	PCMPEQB X0, X4
	PMOVMSKB X1, AX
	PMOVMSKB X2, BX
	PMOVMSKB X3, CX
	PMOVMSKB X4, DX
	SHLQ $16, BX
	SHLQ $32, CX
	SHLQ $48, DX
	ORQ BX, AX
	ORQ CX, AX
	ORQ DX, AX
	MOVQ AX, ret+8(FP)
	RET

// func tokenStartsAsm(space *[17]uint64, nw int, starts *[513]uint16) int
// nw is at most 16; 16 words hold at most 512 token starts.
TEXT ·tokenStartsAsm(SB), NOSPLIT, $0-32
	MOVQ space+0(FP), SI
	MOVQ nw+8(FP), R8
	MOVQ starts+16(FP), DI
	XORQ CX, CX  // tokens
	XORQ R9, R9  // offset of the word's first byte
	MOVQ $1, R10 // carry: before the line, as a space
	TESTQ R8, R8
	JZ done

word:
	MOVQ (SI), AX
	MOVQ AX, BX
	SHLQ $1, BX
	ORQ R10, BX
	MOVQ AX, R10
	SHRQ $63, R10
	NOTQ AX
	ANDQ BX, AX // starts: ^s & (s<<1 | carry)
	JZ next

bit:
	BSFQ AX, DX
	ADDQ R9, DX
	MOVW DX, (DI)(CX*2)
	INCQ CX
	LEAQ -1(AX), DX
	ANDQ DX, AX
	JNZ bit

next:
	ADDQ $8, SI
	ADDQ $64, R9
	DECQ R8
	JNZ word

done:
	MOVQ CX, ret+24(FP)
	RET

// func scanLineSSE2(p *byte, n int, space *[17]uint64) int
// Finds the first '\n' in p[0:n] (n <= 1025), 64 bytes at a time, and
// stores the space bits of the bytes before it, with every bit from the
// '\n' on set, in space[0 : 1+index/64]. Returns the index of the '\n', or
// -1. Reads whole 64-byte blocks: the caller guarantees they are readable.
TEXT ·scanLineSSE2(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), R8
	MOVQ space+16(FP), DI
	MOVQ $0x2020202020202020, AX
	MOVQ AX, X0
	PUNPCKLQDQ X0, X0
	MOVQ $0x0a0a0a0a0a0a0a0a, AX
	MOVQ AX, X5
	PUNPCKLQDQ X5, X5
	XORQ R9, R9 // offset of the block

block:
	CMPQ R9, R8
	JAE notfound
	MOVOU 0(SI)(R9*1), X1
	MOVOU 16(SI)(R9*1), X2
	MOVOU 32(SI)(R9*1), X3
	MOVOU 48(SI)(R9*1), X4

	// Newlines: AX.
	MOVO X1, X6
	PCMPEQB X5, X6
	PMOVMSKB X6, AX
	MOVO X2, X6
	PCMPEQB X5, X6
	PMOVMSKB X6, BX
	SHLQ $16, BX
	ORQ BX, AX
	MOVO X3, X6
	PCMPEQB X5, X6
	PMOVMSKB X6, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVO X4, X6
	PCMPEQB X5, X6
	PMOVMSKB X6, BX
	SHLQ $48, BX
	ORQ BX, AX

	// Spaces: DX.
	PCMPEQB X0, X1
	PMOVMSKB X1, DX
	PCMPEQB X0, X2
	PMOVMSKB X2, BX
	SHLQ $16, BX
	ORQ BX, DX
	PCMPEQB X0, X3
	PMOVMSKB X3, BX
	SHLQ $32, BX
	ORQ BX, DX
	PCMPEQB X0, X4
	PMOVMSKB X4, BX
	SHLQ $48, BX
	ORQ BX, DX

	// Only the n-R9 bytes left are data.
	MOVQ R8, CX
	SUBQ R9, CX
	CMPQ CX, $64
	JAE whole
	MOVQ $1, BX
	SHLQ CX, BX
	DECQ BX
	ANDQ BX, AX

whole:
	TESTQ AX, AX
	JNZ found
	MOVQ DX, (DI)
	ADDQ $8, DI
	ADDQ $64, R9
	JMP block

found:
	BSFQ AX, CX
	MOVQ $-1, BX
	SHLQ CX, BX
	ORQ BX, DX // from the '\n' on: as spaces
	MOVQ DX, (DI)
	ADDQ CX, R9
	MOVQ R9, ret+24(FP)
	RET

notfound:
	MOVQ $-1, ret+24(FP)
	RET
