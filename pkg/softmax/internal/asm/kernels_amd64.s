//go:build amd64 && !noasm

#include "textflag.h"

// Kernels for K = 10 classes with AVX2 and FMA, declared with their
// reference loops in stubs_amd64.go. A row of 10 float64 is held as Y
// (elements 0-3), Y (4-7) and X (8-9). The uint8 and float64 versions of
// a kernel share its body, a macro taking the macro that loads a value.
// The macros that load arguments sit before the first TEXT, where go
// vet's asmdecl does not check them; TestKernels does.

// GEMV10ARGS loads the arguments of gemv10U8AVX2 and gemv10F64AVX2.
#define GEMV10ARGS \
	MOVQ z+0(FP), AX \
	MOVQ v_base+8(FP), DI \
	MOVQ stride+32(FP), R10 \
	SHLQ $3, R10 \
	MOVQ cols_base+40(FP), DX \
	MOVQ xs_base+64(FP), R8 \
	MOVQ cols_len+48(FP), CX

// GER10ARGS loads the arguments of ger10U8AVX2 and ger10F64AVX2.
#define GER10ARGS \
	MOVQ g_base+0(FP), DI \
	MOVQ $80, R10 \
	MOVQ cols_base+24(FP), DX \
	MOVQ xs_base+48(FP), R8 \
	MOVQ cols_len+32(FP), CX \
	MOVQ d+72(FP), AX

// COL2X10ARGS loads the arguments of col2x10U8AVX2 and col2x10F64AVX2.
#define COL2X10ARGS \
	MOVQ ga+0(FP), AX \
	MOVQ gb+8(FP), SI \
	MOVQ res_base+16(FP), DI \
	MOVQ ra_base+40(FP), DX \
	MOVQ xa_base+64(FP), R8 \
	MOVQ ra_len+48(FP), R12 \
	MOVQ rb_base+88(FP), R10 \
	MOVQ xb_base+112(FP), R11 \
	MOVQ rb_len+96(FP), R13

// XU8(off, b, xb) broadcasts float64(xs[R9+off]), xs uint8 in R8, to Yb
// (Xb its low half). Clobbers R11.
#define XU8(off, b, xb) \
	MOVBLZX off(R8)(R9*1), R11 \
	VXORPD xb, xb, xb \
	VCVTSI2SDL R11, xb, xb \
	VBROADCASTSD xb, b

// XF64(off, b, xb) broadcasts xs[R9+off/8], xs float64 in R8, to Yb.
#define XF64(off, b, xb) \
	VBROADCASTSD off(R8)(R9*8), b

// GEMVENTRY(X, xoff, coff, b, xb, a0, a1, a2) adds xs[R9+...] (broadcast
// by X from offset xoff into Yb) times v[cols[R9+coff/4]*stride : +10] to
// a0 (0-3), a1 (4-7) and a2 (8-9, X form). Clobbers BX.
#define GEMVENTRY(X, xoff, coff, b, xb, a0, a1, a2) \
	MOVLQSX coff(DX)(R9*4), BX \
	IMULQ   R10, BX \
	X(xoff, b, xb) \
	VFMADD231PD (DI)(BX*1), b, a0 \
	VFMADD231PD 32(DI)(BX*1), b, a1 \
	VFMADD231PD 64(DI)(BX*1), xb, a2

// GEMV10(X, S) is gemv10U8AVX2 (X = XU8, S = 1) or gemv10F64AVX2 (XF64,
// 8) from z (AX), v (DI), the stride in bytes (R10), cols (DX), xs (R8)
// and n (CX): two chains of accumulators, for the even and the odd
// entries, added at the end.
#define GEMV10(X, S) \
	VMOVUPD (AX), Y0 \
	VMOVUPD 32(AX), Y1 \
	VMOVUPD 64(AX), X2 \
	VXORPD Y4, Y4, Y4 \
	VXORPD Y5, Y5, Y5 \
	VXORPD Y6, Y6, Y6 \
	XORQ R9, R9 \
	MOVQ CX, R12 \
	ANDQ $-2, R12 \
loop2: \
	CMPQ R9, R12 \
	JGE  tail \
	GEMVENTRY(X, 0, 0, Y3, X3, Y0, Y1, X2) \
	GEMVENTRY(X, S, 4, Y7, X7, Y4, Y5, X6) \
	ADDQ $2, R9 \
	JMP  loop2 \
tail: \
	CMPQ R9, CX \
	JGE  done \
	GEMVENTRY(X, 0, 0, Y3, X3, Y0, Y1, X2) \
done: \
	VADDPD Y4, Y0, Y0 \
	VADDPD Y5, Y1, Y1 \
	VADDPD X6, X2, X2 \
	VMOVUPD Y0, (AX) \
	VMOVUPD Y1, 32(AX) \
	VMOVUPD X2, 64(AX) \
	VZEROUPPER \
	RET

// func gemv10U8AVX2(z *[10]float64, v []float64, stride int, cols []int32, xs []uint8)
TEXT ·gemv10U8AVX2(SB), NOSPLIT, $0-88
	GEMV10ARGS
	GEMV10(XU8, 1)

// func gemv10F64AVX2(z *[10]float64, v []float64, stride int, cols []int32, xs []float64)
TEXT ·gemv10F64AVX2(SB), NOSPLIT, $0-88
	GEMV10ARGS
	GEMV10(XF64, 8)

// GER10(X) is ger10U8AVX2 (X = XU8) or ger10F64AVX2 (XF64) from g (DI),
// the stride in bytes (R10), cols (DX), xs (R8), n (CX) and d (AX).
#define GER10(X) \
	VMOVUPD (AX), Y0 \
	VMOVUPD 32(AX), Y1 \
	VMOVUPD 64(AX), X2 \
	XORQ R9, R9 \
loop: \
	CMPQ R9, CX \
	JGE  done \
	MOVLQSX (DX)(R9*4), BX \
	IMULQ   R10, BX \
	X(0, Y3, X3) \
	VMOVUPD (DI)(BX*1), Y4 \
	VMOVUPD 32(DI)(BX*1), Y5 \
	VMOVUPD 64(DI)(BX*1), X6 \
	VFMADD231PD Y0, Y3, Y4 \
	VFMADD231PD Y1, Y3, Y5 \
	VFMADD231PD X2, X3, X6 \
	VMOVUPD Y4, (DI)(BX*1) \
	VMOVUPD Y5, 32(DI)(BX*1) \
	VMOVUPD X6, 64(DI)(BX*1) \
	INCQ R9 \
	JMP  loop \
done: \
	VZEROUPPER \
	RET

// func ger10U8AVX2(g []float64, cols []int32, xs []uint8, d *[10]float64)
TEXT ·ger10U8AVX2(SB), NOSPLIT, $0-80
	GER10ARGS
	GER10(XU8)

// func ger10F64AVX2(g []float64, cols []int32, xs []float64, d *[10]float64)
TEXT ·ger10F64AVX2(SB), NOSPLIT, $0-80
	GER10ARGS
	GER10(XF64)

// PREDENTRY(xoff, coff, b, xb, t0, t1, t2, a0, a1, a2) adds vals[R9+xoff/8]
// (in Yb) times w - c*r, w = wr[j*20 : +10] and r = wr[j*20+10 : +10] with
// j = cols[R9+coff/4] and c in Y14, to a0 (0-3), a1 (4-7) and a2 (8-9, X
// form), through t0, t1 and t2 (X form). Clobbers BX.
#define PREDENTRY(xoff, coff, b, xb, t0, t1, t2, a0, a1, a2) \
	MOVLQSX coff(DX)(R9*4), BX \
	IMULQ   $160, BX \
	VBROADCASTSD xoff(R8)(R9*8), b \
	VMOVUPD (DI)(BX*1), t0 \
	VMOVUPD 32(DI)(BX*1), t1 \
	VMOVUPD 64(DI)(BX*1), t2 \
	VFNMADD231PD 80(DI)(BX*1), Y14, t0 \
	VFNMADD231PD 112(DI)(BX*1), Y14, t1 \
	VFNMADD231PD 144(DI)(BX*1), X14, t2 \
	VFMADD231PD t0, b, a0 \
	VFMADD231PD t1, b, a1 \
	VFMADD231PD t2, xb, a2

// func sagPredict10AVX2(z *[10]float64, wr []float64, cols []int32, vals []float64, c float64)
TEXT ·sagPredict10AVX2(SB), NOSPLIT, $0-88
	MOVQ z+0(FP), AX
	MOVQ wr_base+8(FP), DI
	MOVQ cols_base+32(FP), DX
	MOVQ vals_base+56(FP), R8
	MOVQ cols_len+40(FP), CX
	VBROADCASTSD c+80(FP), Y14
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	XORQ R9, R9
	MOVQ CX, R12
	ANDQ $-2, R12

ploop2:
	CMPQ R9, R12
	JGE  ptail
	PREDENTRY(0, 0, Y3, X3, Y8, Y9, X10, Y0, Y1, X2)
	PREDENTRY(8, 4, Y7, X7, Y11, Y12, X13, Y4, Y5, X6)
	ADDQ $2, R9
	JMP  ploop2

ptail:
	CMPQ R9, CX
	JGE  pdone
	PREDENTRY(0, 0, Y3, X3, Y8, Y9, X10, Y0, Y1, X2)

pdone:
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VADDPD X6, X2, X2
	VMOVUPD Y0, (AX)
	VMOVUPD Y1, 32(AX)
	VMOVUPD X2, 64(AX)
	VZEROUPPER
	RET

// func sagUpdate10AVX2(wr []float64, cols []int32, vals []float64, f float64, d *[10]float64)
TEXT ·sagUpdate10AVX2(SB), NOSPLIT, $0-88
	MOVQ wr_base+0(FP), DI
	MOVQ cols_base+24(FP), DX
	MOVQ vals_base+48(FP), R8
	MOVQ cols_len+32(FP), CX
	VMOVSD f+72(FP), X14
	MOVQ d+80(FP), AX
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), X2
	XORQ R9, R9

uloop:
	CMPQ R9, CX
	JGE  udone
	MOVLQSX (DX)(R9*4), BX
	IMULQ   $160, BX
	VMOVSD (R8)(R9*8), X3
	VMULSD X14, X3, X7
	VBROADCASTSD X3, Y3
	VBROADCASTSD X7, Y7
	VMOVUPD (DI)(BX*1), Y4
	VMOVUPD 32(DI)(BX*1), Y5
	VMOVUPD 64(DI)(BX*1), X6
	VFMADD231PD Y0, Y7, Y4
	VFMADD231PD Y1, Y7, Y5
	VFMADD231PD X2, X7, X6
	VMOVUPD Y4, (DI)(BX*1)
	VMOVUPD Y5, 32(DI)(BX*1)
	VMOVUPD X6, 64(DI)(BX*1)
	VMOVUPD 80(DI)(BX*1), Y8
	VMOVUPD 112(DI)(BX*1), Y9
	VMOVUPD 144(DI)(BX*1), X10
	VFMADD231PD Y0, Y3, Y8
	VFMADD231PD Y1, Y3, Y9
	VFMADD231PD X2, X3, X10
	VMOVUPD Y8, 80(DI)(BX*1)
	VMOVUPD Y9, 112(DI)(BX*1)
	VMOVUPD X10, 144(DI)(BX*1)
	INCQ R9
	JMP  uloop

udone:
	VZEROUPPER
	RET

// func proxStep10AVX2(wr, m []float64, feats []int32, c, p float64, a, acc *[10]float64)
// The soft threshold is computed as x - max(-p, min(x, p)).
TEXT ·proxStep10AVX2(SB), NOSPLIT, $0-104
	MOVQ wr_base+0(FP), DI
	MOVQ m_base+24(FP), SI
	MOVQ feats_base+48(FP), DX
	MOVQ feats_len+56(FP), CX
	VBROADCASTSD c+72(FP), Y13
	VBROADCASTSD p+80(FP), Y14
	VXORPD Y12, Y12, Y12
	VSUBPD Y14, Y12, Y12 // -p
	MOVQ a+88(FP), AX
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), X2
	MOVQ acc+96(FP), R11
	VMOVUPD (R11), Y8
	VMOVUPD 32(R11), Y9
	VMOVUPD 64(R11), X10
	XORQ R9, R9

xloop:
	CMPQ R9, CX
	JGE  xdone
	MOVLQSX (DX)(R9*4), BX
	VBROADCASTSD (SI)(BX*8), Y3
	IMULQ   $160, BX
	VMOVUPD (DI)(BX*1), Y4
	VMOVUPD 32(DI)(BX*1), Y5
	VMOVUPD 64(DI)(BX*1), X6
	VFNMADD231PD 80(DI)(BX*1), Y13, Y4
	VFNMADD231PD 112(DI)(BX*1), Y13, Y5
	VFNMADD231PD 144(DI)(BX*1), X13, X6
	VFMADD231PD Y0, Y3, Y4
	VFMADD231PD Y1, Y3, Y5
	VFMADD231PD X2, X3, X6
	VMINPD Y14, Y4, Y7
	VMAXPD Y12, Y7, Y7
	VSUBPD Y7, Y4, Y4
	VMINPD Y14, Y5, Y7
	VMAXPD Y12, Y7, Y7
	VSUBPD Y7, Y5, Y5
	VMINPD X14, X6, X7
	VMAXPD X12, X7, X7
	VSUBPD X7, X6, X6
	VMOVUPD Y4, (DI)(BX*1)
	VMOVUPD Y5, 32(DI)(BX*1)
	VMOVUPD X6, 64(DI)(BX*1)
	VFMADD231PD Y4, Y3, Y8
	VFMADD231PD Y5, Y3, Y9
	VFMADD231PD X6, X3, X10
	INCQ R9
	JMP  xloop

xdone:
	VMOVUPD Y8, (R11)
	VMOVUPD Y9, 32(R11)
	VMOVUPD X10, 64(R11)
	VZEROUPPER
	RET

// Constants of math.Exp's FMA path ($GOROOT/src/math/exp_amd64.s), whose
// operations EXP4 repeats lane by lane, in the same order, so that its
// results are bit for bit those of math.Exp.
DATA expdata<>+0(SB)/8, $0.5
DATA expdata<>+8(SB)/8, $1.0
DATA expdata<>+16(SB)/8, $2.0
DATA expdata<>+24(SB)/8, $1.6666666666666666667e-1
DATA expdata<>+32(SB)/8, $4.1666666666666666667e-2
DATA expdata<>+40(SB)/8, $8.3333333333333333333e-3
DATA expdata<>+48(SB)/8, $1.3888888888888888889e-3
DATA expdata<>+56(SB)/8, $1.9841269841269841270e-4
DATA expdata<>+64(SB)/8, $2.4801587301587301587e-5
DATA expdata<>+72(SB)/8, $1.4426950408889634073599246810018920
DATA expdata<>+80(SB)/8, $0.69314718055966295651160180568695068359375
DATA expdata<>+88(SB)/8, $0.28235290563031577122588448175013436025525412068e-12
DATA expdata<>+96(SB)/8, $0.0625
DATA expdata<>+104(SB)/8, $0x3ff
DATA expdata<>+112(SB)/8, $-700.0
GLOBL expdata<>+0(SB), RODATA, $120

// EXP4 replaces the 4 lanes of Y0 by exp(Y0 - Y15) as math.Exp computes
// them for finite arguments in [-708, 0]. Clobbers Y1, Y2, X3.
#define EXP4 \
	VSUBPD Y15, Y0, Y0 \
	VBROADCASTSD expdata<>+72(SB), Y1 \
	VMULPD Y0, Y1, Y1 \
	VCVTPD2DQY Y1, X3 \
	VCVTDQ2PD X3, Y1 \
	VBROADCASTSD expdata<>+80(SB), Y2 \
	VFNMADD231PD Y2, Y1, Y0 \
	VBROADCASTSD expdata<>+88(SB), Y2 \
	VFNMADD231PD Y2, Y1, Y0 \
	VBROADCASTSD expdata<>+96(SB), Y2 \
	VMULPD Y2, Y0, Y0 \
	VBROADCASTSD expdata<>+64(SB), Y1 \
	VBROADCASTSD expdata<>+56(SB), Y2 \
	VFMADD213PD Y2, Y0, Y1 \
	VBROADCASTSD expdata<>+48(SB), Y2 \
	VFMADD213PD Y2, Y0, Y1 \
	VBROADCASTSD expdata<>+40(SB), Y2 \
	VFMADD213PD Y2, Y0, Y1 \
	VBROADCASTSD expdata<>+32(SB), Y2 \
	VFMADD213PD Y2, Y0, Y1 \
	VBROADCASTSD expdata<>+24(SB), Y2 \
	VFMADD213PD Y2, Y0, Y1 \
	VBROADCASTSD expdata<>+0(SB), Y2 \
	VFMADD213PD Y2, Y0, Y1 \
	VBROADCASTSD expdata<>+8(SB), Y2 \
	VFMADD213PD Y2, Y0, Y1 \
	VMULPD Y1, Y0, Y0 \
	VBROADCASTSD expdata<>+16(SB), Y2 \
	VADDPD Y2, Y0, Y1 \
	VMULPD Y1, Y0, Y0 \
	VADDPD Y2, Y0, Y1 \
	VMULPD Y1, Y0, Y0 \
	VADDPD Y2, Y0, Y1 \
	VMULPD Y1, Y0, Y0 \
	VADDPD Y2, Y0, Y1 \
	VBROADCASTSD expdata<>+8(SB), Y2 \
	VFMADD213PD Y2, Y1, Y0 \
	VPMOVSXDQ X3, Y1 \
	VPBROADCASTQ expdata<>+104(SB), Y2 \
	VPADDQ Y2, Y1, Y1 \
	VPSLLQ $52, Y1, Y1 \
	VMULPD Y1, Y0, Y0

// func exp10AVX2(z *[10]float64, m float64)
TEXT ·exp10AVX2(SB), NOSPLIT, $0-16
	MOVQ z+0(FP), AX
	VBROADCASTSD m+8(FP), Y15
	VMOVUPD (AX), Y0
	EXP4
	VMOVUPD Y0, (AX)
	VMOVUPD 32(AX), Y0
	EXP4
	VMOVUPD Y0, 32(AX)
	VMOVUPD 64(AX), X0
	EXP4
	VMOVUPD X0, 64(AX)
	VZEROUPPER
	RET

// COLU8(xs, rows, b, xb, a0, a1, a2) adds float64(xs[R9]) * res[rows[R9]*10 : +10]
// (res in DI) to a0 (0-3), a1 (4-7), a2 (8-9, X form), with Yb as the
// broadcast register. Clobbers BX.
#define COLU8(xs, rows, b, xb, a0, a1, a2) \
	MOVBLZX (xs)(R9*1), BX \
	VXORPD xb, xb, xb \
	VCVTSI2SDL BX, xb, xb \
	VBROADCASTSD xb, b \
	MOVLQSX (rows)(R9*4), BX \
	IMULQ   $80, BX \
	VFMADD231PD (DI)(BX*1), b, a0 \
	VFMADD231PD 32(DI)(BX*1), b, a1 \
	VFMADD231PD 64(DI)(BX*1), xb, a2

#define COLF64(xs, rows, b, xb, a0, a1, a2) \
	VBROADCASTSD (xs)(R9*8), b \
	MOVLQSX (rows)(R9*4), BX \
	IMULQ   $80, BX \
	VFMADD231PD (DI)(BX*1), b, a0 \
	VFMADD231PD 32(DI)(BX*1), b, a1 \
	VFMADD231PD 64(DI)(BX*1), xb, a2

// COLLOAD loads ga (AX) into Y0, Y1, X2 and gb (SI) into Y4, Y5, X6 and
// sets CX = min(na, nb); COLSTORE stores them back.
#define COLLOAD \
	VMOVUPD (AX), Y0 \
	VMOVUPD 32(AX), Y1 \
	VMOVUPD 64(AX), X2 \
	VMOVUPD (SI), Y4 \
	VMOVUPD 32(SI), Y5 \
	VMOVUPD 64(SI), X6 \
	MOVQ R12, CX \
	CMPQ R13, CX \
	CMOVQLT R13, CX \
	XORQ R9, R9

#define COLSTORE \
	VMOVUPD Y0, (AX) \
	VMOVUPD Y1, 32(AX) \
	VMOVUPD X2, 64(AX) \
	VMOVUPD Y4, (SI) \
	VMOVUPD Y5, 32(SI) \
	VMOVUPD X6, 64(SI) \
	VZEROUPPER

// COL2X10(COL) is col2x10U8AVX2 (COL = COLU8) or col2x10F64AVX2 (COLF64)
// from ga (AX), gb (SI), res (DI), ra (DX), xa (R8), na (R12), rb (R10),
// xb (R11) and nb (R13): the two chains interleaved for
// instruction-level parallelism while both have entries, then the rest of
// each.
#define COL2X10(COL) \
	COLLOAD \
both: \
	CMPQ R9, CX \
	JGE  taila \
	COL(R8, DX, Y3, X3, Y0, Y1, X2) \
	COL(R11, R10, Y7, X7, Y4, Y5, X6) \
	INCQ R9 \
	JMP  both \
taila: \
	MOVQ CX, R9 \
taila1: \
	CMPQ R9, R12 \
	JGE  tailb \
	COL(R8, DX, Y3, X3, Y0, Y1, X2) \
	INCQ R9 \
	JMP  taila1 \
tailb: \
	MOVQ CX, R9 \
tailb1: \
	CMPQ R9, R13 \
	JGE  done \
	COL(R11, R10, Y7, X7, Y4, Y5, X6) \
	INCQ R9 \
	JMP  tailb1 \
done: \
	COLSTORE \
	RET

// func col2x10U8AVX2(ga, gb *[10]float64, res []float64, ra []int32, xa []uint8, rb []int32, xb []uint8)
TEXT ·col2x10U8AVX2(SB), NOSPLIT, $0-136
	COL2X10ARGS
	COL2X10(COLU8)

// func col2x10F64AVX2(ga, gb *[10]float64, res []float64, ra []int32, xa []float64, rb []int32, xb []float64)
TEXT ·col2x10F64AVX2(SB), NOSPLIT, $0-136
	COL2X10ARGS
	COL2X10(COLF64)

// func softmax10AVX2(z *[10]float64) (sum, m float64, ok bool)
TEXT ·softmax10AVX2(SB), NOSPLIT, $0-25
	MOVQ z+0(FP), AX
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), X2
	VMAXPD Y1, Y0, Y3
	VEXTRACTF128 $1, Y3, X4
	VMAXPD X4, X3, X3
	VMAXPD X2, X3, X3
	VPERMILPD $1, X3, X4
	VMAXSD X4, X3, X3
	VBROADCASTSD X3, Y15
	// Range check: z[k] - m >= -700 (false for NaNs).
	VBROADCASTSD expdata<>+112(SB), Y8
	VSUBPD Y15, Y0, Y5
	VSUBPD Y15, Y1, Y6
	VSUBPD X15, X2, X7
	VCMPPD $0x1D, Y8, Y5, Y5
	VCMPPD $0x1D, Y8, Y6, Y6
	VCMPPD $0x1D, X8, X7, X7
	VANDPD Y6, Y5, Y5
	VMOVMSKPD Y5, BX
	CMPQ BX, $15
	JNE  sbad
	VMOVMSKPD X7, BX
	CMPQ BX, $3
	JNE  sbad
	VMOVUPD (AX), Y0
	EXP4
	VMOVAPD Y0, Y10
	VMOVUPD 32(AX), Y0
	EXP4
	VMOVAPD Y0, Y11
	VMOVUPD 64(AX), X0
	EXP4
	VMOVAPD X0, X12
	// sum = ((e0+e1)+(e2+e3)) + ((e4+e5)+(e6+e7)) + (e8+e9)
	VHADDPD Y11, Y10, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPD X5, X4, X4
	VHADDPD X4, X4, X4
	VHADDPD X12, X12, X6
	VADDSD X6, X4, X4
	VBROADCASTSD expdata<>+8(SB), Y7
	VDIVSD X4, X7, X7
	VBROADCASTSD X7, Y7
	VMULPD Y7, Y10, Y10
	VMULPD Y7, Y11, Y11
	VMULPD X7, X12, X12
	VMOVUPD Y10, (AX)
	VMOVUPD Y11, 32(AX)
	VMOVUPD X12, 64(AX)
	VMOVSD X4, sum+8(FP)
	VMOVSD X15, m+16(FP)
	MOVB $1, ok+24(FP)
	VZEROUPPER
	RET

sbad:
	MOVB $0, ok+24(FP)
	VZEROUPPER
	RET

// func gram10AVX2(r []float64, offs []int32, xs []float64, va *[10]float64)
TEXT ·gram10AVX2(SB), NOSPLIT, $0-80
	MOVQ r_base+0(FP), DI
	MOVQ offs_base+24(FP), DX
	MOVQ xs_base+48(FP), R8
	MOVQ offs_len+32(FP), CX
	MOVQ va+72(FP), AX
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), X2
	XORQ R9, R9

grloop:
	CMPQ R9, CX
	JGE  grdone
	MOVLQSX (DX)(R9*4), BX
	VBROADCASTSD (R8)(R9*8), Y3
	VMOVUPD (DI)(BX*8), Y4
	VMOVUPD 32(DI)(BX*8), Y5
	VMOVUPD 64(DI)(BX*8), X6
	VFMADD231PD Y0, Y3, Y4
	VFMADD231PD Y1, Y3, Y5
	VFMADD231PD X2, X3, X6
	VMOVUPD Y4, (DI)(BX*8)
	VMOVUPD Y5, 32(DI)(BX*8)
	VMOVUPD X6, 64(DI)(BX*8)
	INCQ R9
	JMP  grloop

grdone:
	VZEROUPPER
	RET


// func gram10x2AVX2(ra, rb []float64, offs []int32, xs []float64, va, vb *[10]float64)
TEXT ·gram10x2AVX2(SB), NOSPLIT, $0-112
	MOVQ ra_base+0(FP), DI
	MOVQ rb_base+24(FP), SI
	MOVQ offs_base+48(FP), DX
	MOVQ xs_base+72(FP), R8
	MOVQ offs_len+56(FP), CX
	MOVQ va+96(FP), AX
	MOVQ vb+104(FP), R11
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 64(AX), X2
	VMOVUPD (R11), Y8
	VMOVUPD 32(R11), Y9
	VMOVUPD 64(R11), X10
	XORQ R9, R9

g2loop:
	CMPQ R9, CX
	JGE  g2done
	MOVLQSX (DX)(R9*4), BX
	VBROADCASTSD (R8)(R9*8), Y3
	VMOVUPD (DI)(BX*8), Y4
	VMOVUPD 32(DI)(BX*8), Y5
	VMOVUPD 64(DI)(BX*8), X6
	VFMADD231PD Y0, Y3, Y4
	VFMADD231PD Y1, Y3, Y5
	VFMADD231PD X2, X3, X6
	VMOVUPD Y4, (DI)(BX*8)
	VMOVUPD Y5, 32(DI)(BX*8)
	VMOVUPD X6, 64(DI)(BX*8)
	VMOVUPD (SI)(BX*8), Y11
	VMOVUPD 32(SI)(BX*8), Y12
	VMOVUPD 64(SI)(BX*8), X13
	VFMADD231PD Y8, Y3, Y11
	VFMADD231PD Y9, Y3, Y12
	VFMADD231PD X10, X3, X13
	VMOVUPD Y11, (SI)(BX*8)
	VMOVUPD Y12, 32(SI)(BX*8)
	VMOVUPD X13, 64(SI)(BX*8)
	INCQ R9
	JMP  g2loop

g2done:
	VZEROUPPER
	RET

// func gram1AVX2(r []float64, offs []int32, xs []float64, va float64)
TEXT ·gram1AVX2(SB), NOSPLIT, $0-80
	MOVQ r_base+0(FP), DI
	MOVQ offs_base+24(FP), DX
	MOVQ xs_base+48(FP), R8
	MOVQ offs_len+32(FP), CX
	VMOVSD va+72(FP), X0
	XORQ R9, R9

g1loop:
	CMPQ R9, CX
	JGE  g1done
	MOVLQSX (DX)(R9*4), BX
	VMOVSD (R8)(R9*8), X3
	VMOVSD (DI)(BX*8), X4
	VFMADD231SD X0, X3, X4
	VMOVSD X4, (DI)(BX*8)
	INCQ R9
	JMP  g1loop

g1done:
	RET

// func gram1x2AVX2(ra, rb []float64, offs []int32, xs []float64, va, vb float64)
TEXT ·gram1x2AVX2(SB), NOSPLIT, $0-112
	MOVQ ra_base+0(FP), DI
	MOVQ rb_base+24(FP), SI
	MOVQ offs_base+48(FP), DX
	MOVQ xs_base+72(FP), R8
	MOVQ offs_len+56(FP), CX
	VMOVSD va+96(FP), X0
	VMOVSD vb+104(FP), X1
	XORQ R9, R9
	MOVQ CX, R12
	ANDQ $-2, R12

g12pair:
	CMPQ R9, R12
	JGE  g12loop
	MOVLQSX (DX)(R9*4), BX
	MOVLQSX 4(DX)(R9*4), R10
	VMOVSD (R8)(R9*8), X3
	VMOVSD 8(R8)(R9*8), X6
	VMOVSD (DI)(BX*8), X4
	VFMADD231SD X0, X3, X4
	VMOVSD X4, (DI)(BX*8)
	VMOVSD (SI)(BX*8), X5
	VFMADD231SD X1, X3, X5
	VMOVSD X5, (SI)(BX*8)
	VMOVSD (DI)(R10*8), X7
	VFMADD231SD X0, X6, X7
	VMOVSD X7, (DI)(R10*8)
	VMOVSD (SI)(R10*8), X8
	VFMADD231SD X1, X6, X8
	VMOVSD X8, (SI)(R10*8)
	ADDQ $2, R9
	JMP  g12pair

g12loop:
	CMPQ R9, CX
	JGE  g12done
	MOVLQSX (DX)(R9*4), BX
	VMOVSD (R8)(R9*8), X3
	VMOVSD (DI)(BX*8), X4
	VFMADD231SD X0, X3, X4
	VMOVSD X4, (DI)(BX*8)
	VMOVSD (SI)(BX*8), X5
	VFMADD231SD X1, X3, X5
	VMOVSD X5, (SI)(BX*8)
	INCQ R9
	JMP  g12loop

g12done:
	RET

// func dot2AVX2(l, x, y []float64) (sx, sy float64)
TEXT ·dot2AVX2(SB), NOSPLIT, $0-88
	MOVQ l_base+0(FP), SI
	MOVQ x_base+24(FP), DI
	MOVQ y_base+48(FP), DX
	MOVQ l_len+8(FP), CX
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	XORQ R9, R9
	MOVQ CX, R12
	ANDQ $-8, R12

d2loop8:
	CMPQ R9, R12
	JGE  d2loop4
	VMOVUPD (SI)(R9*8), Y0
	VMOVUPD 32(SI)(R9*8), Y5
	VFMADD231PD (DI)(R9*8), Y0, Y1
	VFMADD231PD (DX)(R9*8), Y0, Y2
	VFMADD231PD 32(DI)(R9*8), Y5, Y3
	VFMADD231PD 32(DX)(R9*8), Y5, Y4
	ADDQ $8, R9
	JMP  d2loop8

d2loop4:
	VADDPD Y3, Y1, Y1
	VADDPD Y4, Y2, Y2
	MOVQ CX, R12
	ANDQ $-4, R12
	CMPQ R9, R12
	JGE  d2sum
	VMOVUPD (SI)(R9*8), Y0
	VFMADD231PD (DI)(R9*8), Y0, Y1
	VFMADD231PD (DX)(R9*8), Y0, Y2
	ADDQ $4, R9

d2sum:
	VEXTRACTF128 $1, Y1, X3
	VADDPD X3, X1, X1
	VHADDPD X1, X1, X1
	VEXTRACTF128 $1, Y2, X4
	VADDPD X4, X2, X2
	VHADDPD X2, X2, X2

d2tail:
	CMPQ R9, CX
	JGE  d2done
	VMOVSD (SI)(R9*8), X0
	VFMADD231SD (DI)(R9*8), X0, X1
	VFMADD231SD (DX)(R9*8), X0, X2
	INCQ R9
	JMP  d2tail

d2done:
	VMOVSD X1, sx+72(FP)
	VMOVSD X2, sy+80(FP)
	VZEROUPPER
	RET

// func axpy2AVX2(l, x, y []float64, a, b float64)
TEXT ·axpy2AVX2(SB), NOSPLIT, $0-88
	MOVQ l_base+0(FP), SI
	MOVQ x_base+24(FP), DI
	MOVQ y_base+48(FP), DX
	MOVQ l_len+8(FP), CX
	VBROADCASTSD a+72(FP), Y6
	VBROADCASTSD b+80(FP), Y7
	XORQ R9, R9
	MOVQ CX, R12
	ANDQ $-4, R12

a2loop4:
	CMPQ R9, R12
	JGE  a2tail
	VMOVUPD (SI)(R9*8), Y0
	VMOVUPD (DI)(R9*8), Y1
	VMOVUPD (DX)(R9*8), Y2
	VFMADD231PD Y6, Y0, Y1
	VFMADD231PD Y7, Y0, Y2
	VMOVUPD Y1, (DI)(R9*8)
	VMOVUPD Y2, (DX)(R9*8)
	ADDQ $4, R9
	JMP  a2loop4

a2tail:
	CMPQ R9, CX
	JGE  a2done
	VMOVSD (SI)(R9*8), X0
	VMOVSD (DI)(R9*8), X1
	VMOVSD (DX)(R9*8), X2
	VFMADD231SD X6, X0, X1
	VFMADD231SD X7, X0, X2
	VMOVSD X1, (DI)(R9*8)
	VMOVSD X2, (DX)(R9*8)
	INCQ R9
	JMP  a2tail

a2done:
	VZEROUPPER
	RET
