//go:build !amd64 || noasm

package asm

// Enabled is false: there is no assembly on this platform or with the
// noasm build tag, and every kernel is its pure Go twin.
var Enabled = false

func gemv10[T uint8 | float64](z *[10]float64, v []float64, stride int, cols []int32, xs []T) {
	gemv10Go(z, v, stride, cols, xs)
}

func ger10[T uint8 | float64](g []float64, cols []int32, xs []T, d *[10]float64) {
	ger10Go(g, cols, xs, d)
}

func col2x10[T uint8 | float64](ga, gb *[10]float64, res []float64, ra []int32, xa []T, rb []int32, xb []T) {
	col2x10Go(ga, gb, res, ra, xa, rb, xb)
}

func sagPredict10(z *[10]float64, wr []float64, cols []int32, vals []float64, c float64) {
	sagPredict10Go(z, wr, cols, vals, c)
}

func sagUpdate10(wr []float64, cols []int32, vals []float64, f float64, d *[10]float64) {
	sagUpdate10Go(wr, cols, vals, f, d)
}

func proxStep10(wr, m []float64, feats []int32, c, p float64, a, acc *[10]float64) {
	proxStep10Go(wr, m, feats, c, p, a, acc)
}

func exp10(z *[10]float64, m float64) { exp10Go(z, m) }

func softmax10(z *[10]float64) (sum, m float64, ok bool) { return softmax10Go(z) }

func gram10(r []float64, offs []int32, xs []float64, va *[10]float64) {
	gram10Go(r, offs, xs, va)
}

func gram10x2(ra, rb []float64, offs []int32, xs []float64, va, vb *[10]float64) {
	gram10x2Go(ra, rb, offs, xs, va, vb)
}

func gram1(r []float64, offs []int32, xs []float64, va float64) { gram1Go(r, offs, xs, va) }

func gram1x2(ra, rb []float64, offs []int32, xs []float64, va, vb float64) {
	gram1x2Go(ra, rb, offs, xs, va, vb)
}

func dot2(l, x, y []float64) (sx, sy float64) { return dot2Go(l, x, y) }

func axpy2(l, x, y []float64, a, b float64) { axpy2Go(l, x, y, a, b) }
