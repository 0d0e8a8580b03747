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
