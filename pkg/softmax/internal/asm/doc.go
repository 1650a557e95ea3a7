// Package asm holds the kernels of pkg/softmax that run in assembly for
// K = 10 classes: rows of 10 float64 (one weight, gradient or probability
// per class) updated from the nonzero entries of a sparse row or column.
//
// # Layout
//
// It is laid out as gonum's internal/asm/f64. Each kernel is one exported
// Go function, the only name its callers use. On amd64 (without the noasm
// build tag) the assembly of kernels_amd64.s is declared once, in
// stubs_amd64.go, with its reference loop in Go as its documentation, and
// the exported function runs it when Enabled is true (the CPU has AVX2 and
// FMA) or else its pure Go twin from kernels.go; with the noasm build tag
// and on other architectures the exported function is that twin
// (stubs_noasm.go). The selection is made in those two files only. The
// twins compute the reference loops with the same multiply-adds, without
// fusing them (the assembly rounds once per fused multiply-add), so results
// agree to rounding; Softmax10 and Exp10 agree bit for bit.
//
// # Contracts
//
// Arguments are slices and pointers to rows of 10; the number of entries
// is the length of the index slice (cols, offs, feats, ra, rb, l). The
// exported functions check in O(1) that the value slices are at least that
// long. Indices into v, wr, m, res and r are not checked by the assembly:
// the caller guarantees that every row they select lies inside the slice,
// as the doc of each function states. The Go twins check every index.
package asm
