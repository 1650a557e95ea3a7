//go:build amd64 && !noasm

package asm

import "golang.org/x/sys/cpu"

// Enabled reports whether the kernels run in assembly: on amd64 with AVX2
// and FMA, unless built with the noasm tag. Tests set it to false to run
// the pure Go twins in the same binary.
var Enabled = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// The selection between the assembly and its Go twin, for every kernel.

func gemv10[T uint8 | float64](z *[10]float64, v []float64, stride int, cols []int32, xs []T) {
	if Enabled {
		switch x := any(xs).(type) {
		case []uint8:
			gemv10U8AVX2(z, v, stride, cols, x)
			return
		case []float64:
			gemv10F64AVX2(z, v, stride, cols, x)
			return
		}
	}
	gemv10Go(z, v, stride, cols, xs)
}

func ger10[T uint8 | float64](g []float64, cols []int32, xs []T, d *[10]float64) {
	if Enabled {
		switch x := any(xs).(type) {
		case []uint8:
			ger10U8AVX2(g, cols, x, d)
			return
		case []float64:
			ger10F64AVX2(g, cols, x, d)
			return
		}
	}
	ger10Go(g, cols, xs, d)
}

func col2x10[T uint8 | float64](ga, gb *[10]float64, res []float64, ra []int32, xa []T, rb []int32, xb []T) {
	if Enabled {
		switch a := any(xa).(type) {
		case []uint8:
			col2x10U8AVX2(ga, gb, res, ra, a, rb, any(xb).([]uint8))
			return
		case []float64:
			col2x10F64AVX2(ga, gb, res, ra, a, rb, any(xb).([]float64))
			return
		}
	}
	col2x10Go(ga, gb, res, ra, xa, rb, xb)
}

func sagPredict10(z *[10]float64, wr []float64, cols []int32, vals []float64, c float64) {
	if Enabled {
		sagPredict10AVX2(z, wr, cols, vals, c)
		return
	}
	sagPredict10Go(z, wr, cols, vals, c)
}

func sagUpdate10(wr []float64, cols []int32, vals []float64, f float64, d *[10]float64) {
	if Enabled {
		sagUpdate10AVX2(wr, cols, vals, f, d)
		return
	}
	sagUpdate10Go(wr, cols, vals, f, d)
}

func proxStep10(wr, m []float64, feats []int32, c, p float64, a, acc *[10]float64) {
	if Enabled {
		proxStep10AVX2(wr, m, feats, c, p, a, acc)
		return
	}
	proxStep10Go(wr, m, feats, c, p, a, acc)
}

func exp10(z *[10]float64, m float64) {
	if Enabled {
		exp10AVX2(z, m)
		return
	}
	exp10Go(z, m)
}

func softmax10(z *[10]float64) (sum, m float64, ok bool) {
	if Enabled {
		return softmax10AVX2(z)
	}
	return softmax10Go(z)
}

func gram10(r []float64, offs []int32, xs []float64, va *[10]float64) {
	if Enabled {
		gram10AVX2(r, offs, xs, va)
		return
	}
	gram10Go(r, offs, xs, va)
}

func gram10x2(ra, rb []float64, offs []int32, xs []float64, va, vb *[10]float64) {
	if Enabled {
		gram10x2AVX2(ra, rb, offs, xs, va, vb)
		return
	}
	gram10x2Go(ra, rb, offs, xs, va, vb)
}

func gram1(r []float64, offs []int32, xs []float64, va float64) {
	if Enabled {
		gram1AVX2(r, offs, xs, va)
		return
	}
	gram1Go(r, offs, xs, va)
}

func gram1x2(ra, rb []float64, offs []int32, xs []float64, va, vb float64) {
	if Enabled {
		gram1x2AVX2(ra, rb, offs, xs, va, vb)
		return
	}
	gram1x2Go(ra, rb, offs, xs, va, vb)
}

func dot2(l, x, y []float64) (sx, sy float64) {
	if Enabled {
		return dot2AVX2(l, x, y)
	}
	return dot2Go(l, x, y)
}

func axpy2(l, x, y []float64, a, b float64) {
	if Enabled {
		axpy2AVX2(l, x, y, a, b)
		return
	}
	axpy2Go(l, x, y, a, b)
}

// The assembly (kernels_amd64.s), each with its reference loop. Loops
// over t run for t < len of the index slice (cols, offs, feats, ra, rb,
// l) and over k, c for 10 lanes. None checks bounds.

// gemv10U8AVX2 is
//
//	for t, j := range cols {
//		for k := range z {
//			z[k] += float64(xs[t]) * v[int(j)*stride+k]
//		}
//	}
//
// with the even and the odd t summed apart and added at the end.
//
//go:noescape
func gemv10U8AVX2(z *[10]float64, v []float64, stride int, cols []int32, xs []uint8)

// gemv10F64AVX2 is gemv10U8AVX2 for float64 values.
//
//go:noescape
func gemv10F64AVX2(z *[10]float64, v []float64, stride int, cols []int32, xs []float64)

// ger10U8AVX2 is
//
//	for t, j := range cols {
//		for k := range d {
//			g[int(j)*10+k] += float64(xs[t]) * d[k]
//		}
//	}
//
//go:noescape
func ger10U8AVX2(g []float64, cols []int32, xs []uint8, d *[10]float64)

// ger10F64AVX2 is ger10U8AVX2 for float64 values.
//
//go:noescape
func ger10F64AVX2(g []float64, cols []int32, xs []float64, d *[10]float64)

// col2x10U8AVX2 is
//
//	for t, r := range ra {
//		for k := range ga {
//			ga[k] += float64(xa[t]) * res[int(r)*10+k]
//		}
//	}
//	for t, r := range rb {
//		for k := range gb {
//			gb[k] += float64(xb[t]) * res[int(r)*10+k]
//		}
//	}
//
//go:noescape
func col2x10U8AVX2(ga, gb *[10]float64, res []float64, ra []int32, xa []uint8, rb []int32, xb []uint8)

// col2x10F64AVX2 is col2x10U8AVX2 for float64 values.
//
//go:noescape
func col2x10F64AVX2(ga, gb *[10]float64, res []float64, ra []int32, xa []float64, rb []int32, xb []float64)

// sagPredict10AVX2 is
//
//	*z = [10]float64{}
//	for t, j := range cols {
//		for k := range z {
//			w, r := wr[int(j)*20+k], wr[int(j)*20+10+k]
//			z[k] += vals[t] * (w - c*r)
//		}
//	}
//
// with the even and the odd t summed apart and added at the end.
//
//go:noescape
func sagPredict10AVX2(z *[10]float64, wr []float64, cols []int32, vals []float64, c float64)

// sagUpdate10AVX2 is
//
//	for t, j := range cols {
//		for k := range d {
//			wr[int(j)*20+k] += f * vals[t] * d[k]
//			wr[int(j)*20+10+k] += vals[t] * d[k]
//		}
//	}
//
//go:noescape
func sagUpdate10AVX2(wr []float64, cols []int32, vals []float64, f float64, d *[10]float64)

// proxStep10AVX2 is
//
//	for _, j := range feats {
//		for k := range a {
//			w, r := wr[int(j)*20+k], wr[int(j)*20+10+k]
//			x := SoftThreshold(w-(c*r-m[j]*a[k]), p)
//			wr[int(j)*20+k] = x
//			acc[k] += m[j] * x
//		}
//	}
//
//go:noescape
func proxStep10AVX2(wr, m []float64, feats []int32, c, p float64, a, acc *[10]float64)

// exp10AVX2 is
//
//	for k := range z {
//		z[k] = math.Exp(z[k] - m)
//	}
//
// for z[k] - m in [-708, 0], bit for bit (the operations of math.Exp's FMA
// path).
//
//go:noescape
func exp10AVX2(z *[10]float64, m float64)

// softmax10AVX2 is
//
//	m = max(z[0], ..., z[9])
//	if some z[k]-m < -700 or is NaN {
//		return 0, 0, false
//	}
//	e_k = math.Exp(z[k] - m)            (as exp10AVX2)
//	sum = ((e0+e1) + (e2+e3)) + ((e4+e5) + (e6+e7)) + (e8+e9)
//	z[k] = e_k * (1/sum)
//	return sum, m, true
//
// bit for bit; sum and m are undefined when ok is false.
//
//go:noescape
func softmax10AVX2(z *[10]float64) (sum, m float64, ok bool)

// gram10AVX2 is
//
//	for t, o := range offs {
//		for c := range va {
//			r[int(o)+c] += xs[t] * va[c]
//		}
//	}
//
//go:noescape
func gram10AVX2(r []float64, offs []int32, xs []float64, va *[10]float64)

// gram10x2AVX2 is gram10AVX2(ra, offs, xs, va) and gram10AVX2(rb, offs,
// xs, vb) in one sweep.
//
//go:noescape
func gram10x2AVX2(ra, rb []float64, offs []int32, xs []float64, va, vb *[10]float64)

// gram1AVX2 is
//
//	for t, o := range offs {
//		r[o] += xs[t] * va
//	}
//
//go:noescape
func gram1AVX2(r []float64, offs []int32, xs []float64, va float64)

// gram1x2AVX2 is gram1AVX2(ra, offs, xs, va) and gram1AVX2(rb, offs, xs,
// vb) in one sweep.
//
//go:noescape
func gram1x2AVX2(ra, rb []float64, offs []int32, xs []float64, va, vb float64)

// dot2AVX2 is
//
//	for t, v := range l {
//		sx += x[t] * v
//		sy += y[t] * v
//	}
//	return sx, sy
//
// with 4 lanes of partial sums (8 while 8 or more terms remain) added
// before the last len(l)%4 terms.
//
//go:noescape
func dot2AVX2(l, x, y []float64) (sx, sy float64)

// axpy2AVX2 is
//
//	for t, v := range l {
//		x[t] += a * v
//		y[t] += b * v
//	}
//
//go:noescape
func axpy2AVX2(l, x, y []float64, a, b float64)
