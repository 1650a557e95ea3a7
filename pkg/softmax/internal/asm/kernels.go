package asm

import "math"

// The pure Go twins of the assembly kernels. Each computes its kernel's
// reference loop (see stubs_amd64.go); the exported functions document the
// contracts.

func gemv10Go[T uint8 | float64](z *[10]float64, v []float64, stride int, cols []int32, xs []T) {
	xs = xs[:len(cols)]
	z0, z1, z2, z3, z4, z5, z6, z7, z8, z9 := z[0], z[1], z[2], z[3], z[4], z[5], z[6], z[7], z[8], z[9]
	for t, j := range cols {
		x := float64(xs[t])
		vj := (*[10]float64)(v[int(j)*stride : int(j)*stride+10])
		z0 += x * vj[0]
		z1 += x * vj[1]
		z2 += x * vj[2]
		z3 += x * vj[3]
		z4 += x * vj[4]
		z5 += x * vj[5]
		z6 += x * vj[6]
		z7 += x * vj[7]
		z8 += x * vj[8]
		z9 += x * vj[9]
	}
	*z = [10]float64{z0, z1, z2, z3, z4, z5, z6, z7, z8, z9}
}

func ger10Go[T uint8 | float64](g []float64, cols []int32, xs []T, d *[10]float64) {
	xs = xs[:len(cols)]
	d0, d1, d2, d3, d4, d5, d6, d7, d8, d9 := d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9]
	for t, j := range cols {
		x := float64(xs[t])
		gj := (*[10]float64)(g[int(j)*10 : int(j)*10+10])
		gj[0] += x * d0
		gj[1] += x * d1
		gj[2] += x * d2
		gj[3] += x * d3
		gj[4] += x * d4
		gj[5] += x * d5
		gj[6] += x * d6
		gj[7] += x * d7
		gj[8] += x * d8
		gj[9] += x * d9
	}
}

func col2x10Go[T uint8 | float64](ga, gb *[10]float64, res []float64, ra []int32, xa []T, rb []int32, xb []T) {
	colAcc10(ga, res, ra, xa)
	colAcc10(gb, res, rb, xb)
}

// colAcc10 is one chain of col2x10Go.
func colAcc10[T uint8 | float64](g *[10]float64, res []float64, rows []int32, xs []T) {
	xs = xs[:len(rows)]
	for t, r := range rows {
		x := float64(xs[t])
		dr := (*[10]float64)(res[int(r)*10 : int(r)*10+10])
		g[0] += x * dr[0]
		g[1] += x * dr[1]
		g[2] += x * dr[2]
		g[3] += x * dr[3]
		g[4] += x * dr[4]
		g[5] += x * dr[5]
		g[6] += x * dr[6]
		g[7] += x * dr[7]
		g[8] += x * dr[8]
		g[9] += x * dr[9]
	}
}

func sagPredict10Go(z *[10]float64, wr []float64, cols []int32, vals []float64, c float64) {
	vals = vals[:len(cols)]
	var z0, z1, z2, z3, z4, z5, z6, z7, z8, z9 float64
	for t, j := range cols {
		v := vals[t]
		w := (*[20]float64)(wr[int(j)*20 : int(j)*20+20])
		r := w[10:]
		z0 += v * (w[0] - c*r[0])
		z1 += v * (w[1] - c*r[1])
		z2 += v * (w[2] - c*r[2])
		z3 += v * (w[3] - c*r[3])
		z4 += v * (w[4] - c*r[4])
		z5 += v * (w[5] - c*r[5])
		z6 += v * (w[6] - c*r[6])
		z7 += v * (w[7] - c*r[7])
		z8 += v * (w[8] - c*r[8])
		z9 += v * (w[9] - c*r[9])
	}
	*z = [10]float64{z0, z1, z2, z3, z4, z5, z6, z7, z8, z9}
}

func sagUpdate10Go(wr []float64, cols []int32, vals []float64, f float64, d *[10]float64) {
	vals = vals[:len(cols)]
	d0, d1, d2, d3, d4, d5, d6, d7, d8, d9 := d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9]
	for t, j := range cols {
		v := vals[t]
		fv := f * v
		wj := (*[20]float64)(wr[int(j)*20 : int(j)*20+20])
		w, r := (*[10]float64)(wj[:10]), (*[10]float64)(wj[10:])
		w[0] += fv * d0
		w[1] += fv * d1
		w[2] += fv * d2
		w[3] += fv * d3
		w[4] += fv * d4
		w[5] += fv * d5
		w[6] += fv * d6
		w[7] += fv * d7
		w[8] += fv * d8
		w[9] += fv * d9
		r[0] += v * d0
		r[1] += v * d1
		r[2] += v * d2
		r[3] += v * d3
		r[4] += v * d4
		r[5] += v * d5
		r[6] += v * d6
		r[7] += v * d7
		r[8] += v * d8
		r[9] += v * d9
	}
}

func proxStep10Go(wr, m []float64, feats []int32, c, p float64, a, acc *[10]float64) {
	for _, j := range feats {
		mj := m[j]
		wj := (*[20]float64)(wr[int(j)*20 : int(j)*20+20])
		w, r := (*[10]float64)(wj[:10]), (*[10]float64)(wj[10:])
		for k, ak := range a {
			x := SoftThreshold(w[k]-(c*r[k]-mj*ak), p)
			w[k] = x
			acc[k] += mj * x
		}
	}
}

// SoftThreshold returns x shrunk towards 0 by t >= 0: x-t above t, x+t
// below -t, and 0 in between (the proximal operator of t|x|).
func SoftThreshold(x, t float64) float64 {
	switch {
	case x > t:
		return x - t
	case x < -t:
		return x + t
	}
	return 0
}

func exp10Go(z *[10]float64, m float64) {
	for k, x := range z {
		z[k] = math.Exp(x - m)
	}
}

// softmaxRange is the lowest z[k] - max_k z[k] that Softmax10 accepts.
const softmaxRange = -700

func softmax10Go(z *[10]float64) (sum, m float64, ok bool) {
	m = z[0]
	for _, x := range z[1:] {
		m = max(m, x)
	}
	for _, x := range z {
		if !(x-m >= softmaxRange) { // also false for NaNs
			return 0, 0, false
		}
	}
	return softmaxFrom10(z, m), m, true
}

// Softmax10Wide is Softmax10 for any z, in Go: the rows Softmax10 refuses.
func Softmax10Wide(z *[10]float64) (sum, m float64) {
	m = z[0]
	for _, x := range z[1:] {
		m = max(m, x)
	}
	return softmaxFrom10(z, m), m
}

func softmaxFrom10(z *[10]float64, m float64) (sum float64) {
	e0, e1, e2, e3, e4 := math.Exp(z[0]-m), math.Exp(z[1]-m), math.Exp(z[2]-m), math.Exp(z[3]-m), math.Exp(z[4]-m)
	e5, e6, e7, e8, e9 := math.Exp(z[5]-m), math.Exp(z[6]-m), math.Exp(z[7]-m), math.Exp(z[8]-m), math.Exp(z[9]-m)
	sum = ((e0 + e1) + (e2 + e3)) + ((e4 + e5) + (e6 + e7)) + (e8 + e9)
	inv := 1 / sum
	*z = [10]float64{e0 * inv, e1 * inv, e2 * inv, e3 * inv, e4 * inv, e5 * inv, e6 * inv, e7 * inv, e8 * inv, e9 * inv}
	return sum
}

func gram10Go(r []float64, offs []int32, xs []float64, va *[10]float64) {
	xs = xs[:len(offs)]
	for t, o := range offs {
		x := xs[t]
		rj := (*[10]float64)(r[o : o+10])
		for c, v := range va {
			rj[c] += x * v
		}
	}
}

func gram10x2Go(ra, rb []float64, offs []int32, xs []float64, va, vb *[10]float64) {
	gram10Go(ra, offs, xs, va)
	gram10Go(rb, offs, xs, vb)
}

func gram1Go(r []float64, offs []int32, xs []float64, va float64) {
	xs = xs[:len(offs)]
	for t, o := range offs {
		r[o] += xs[t] * va
	}
}

func gram1x2Go(ra, rb []float64, offs []int32, xs []float64, va, vb float64) {
	gram1Go(ra, offs, xs, va)
	gram1Go(rb, offs, xs, vb)
}

func dot2Go(l, x, y []float64) (sx, sy float64) {
	x, y = x[:len(l)], y[:len(l)]
	for t, v := range l {
		sx += x[t] * v
		sy += y[t] * v
	}
	return sx, sy
}

func axpy2Go(l, x, y []float64, a, b float64) {
	x, y = x[:len(l)], y[:len(l)]
	for t, v := range l {
		x[t] += a * v
		y[t] += b * v
	}
}
