package asm

// Gemv10 adds to z the 10-lane combination of rows of v selected by a
// sparse row: z[k] += sum_t xs[t]*v[cols[t]*stride+k] for k < 10, t <
// len(cols). With v the folded weights (stride 10) it gives the logits of
// one row of the design. Every row cols[t]*stride : +10 must lie inside v;
// len(xs) must be at least len(cols). Cost O(10 len(cols)).
func Gemv10[T uint8 | float64](z *[10]float64, v []float64, stride int, cols []int32, xs []T) {
	if len(cols) == 0 {
		return
	}
	gemv10(z, v, stride, cols, xs[:len(cols)])
}

// Ger10 adds d to the rows of g selected by a sparse row, scaled by its
// values: g[cols[t]*10+k] += xs[t]*d[k] for k < 10, t < len(cols) (a
// rank-one update of the gradient). Every row cols[t]*10 : +10 must lie
// inside g; len(xs) must be at least len(cols). Cost O(10 len(cols)).
func Ger10[T uint8 | float64](g []float64, cols []int32, xs []T, d *[10]float64) {
	if len(cols) == 0 {
		return
	}
	ger10(g, cols, xs[:len(cols)], d)
}

// Col2x10 accumulates two gradient rows from the entries of two columns of
// a block of the design: ga[k] += xa[t]*res[ra[t]*10+k] for t < len(ra),
// in that order, one multiply-add per element and entry (the operations of
// Ger10 over the rows of the block), and likewise gb from rb and xb. Every
// row ra[t]*10 : +10 and rb[t]*10 : +10 must lie inside res; xa and xb must
// be at least as long as ra and rb. Cost O(10 (len(ra)+len(rb))).
func Col2x10[T uint8 | float64](ga, gb *[10]float64, res []float64, ra []int32, xa []T, rb []int32, xb []T) {
	col2x10(ga, gb, res, ra, xa[:len(ra)], rb, xb[:len(rb)])
}

// SAGPredict10 sets z to the lazy SAG logits of a sparse row over weights
// stored as pairs of rows, w = wr[j*20 : +10] and r = wr[j*20+10 : +10]:
// z[k] = sum_t vals[t]*(w[k] - c*r[k]) with j = cols[t]. Every cols[t]*20 +
// 20 must be at most len(wr); len(vals) must be at least len(cols). Cost
// O(10 len(cols)).
func SAGPredict10(z *[10]float64, wr []float64, cols []int32, vals []float64, c float64) {
	sagPredict10(z, wr, cols, vals[:len(cols)], c)
}

// SAGUpdate10 applies the SAG update of a sparse row to pairs of rows as in
// SAGPredict10: w[k] += f*vals[t]*d[k] and r[k] += vals[t]*d[k] with j =
// cols[t]. The bounds are those of SAGPredict10. Cost O(20 len(cols)).
func SAGUpdate10(wr []float64, cols []int32, vals []float64, f float64, d *[10]float64) {
	sagUpdate10(wr, cols, vals[:len(cols)], f, d)
}

// ProxStep10 applies the proximal SAGA step to the features feats of
// weights stored as in SAGPredict10: for j = feats[t], w[k] <-
// SoftThreshold(w[k] - (c*r[k] - m[j]*a[k]), p), and it adds m[j]*w[k] to
// acc[k]. Every feats[t] must index m and every feats[t]*20 + 20 must be
// at most len(wr). Cost O(20 len(feats)).
func ProxStep10(wr, m []float64, feats []int32, c, p float64, a, acc *[10]float64) {
	proxStep10(wr, m, feats, c, p, a, acc)
}

// Exp10 sets z[k] = math.Exp(z[k] - m) for k < 10, bit for bit, where every
// z[k] - m lies in [-708, 0]; outside that range the assembly's results
// are undefined. It exposes the exponential of Softmax10 to tests.
func Exp10(z *[10]float64, m float64) {
	exp10(z, m)
}

// Softmax10 replaces z by its softmax and returns m = max_k z[k] and sum =
// sum_k exp(z[k] - m), so that log-sum-exp(z) = m + log(sum), if every
// z[k] - m lies in [-700, 0]; otherwise (also for NaNs and infinities) it
// leaves z alone and returns ok = false. The operations, and so the
// results bit for bit, are those of
//
//	e_k = math.Exp(z[k] - m)
//	sum = ((e0+e1) + (e2+e3)) + ((e4+e5) + (e6+e7)) + (e8+e9)
//	z[k] = e_k * (1/sum)
func Softmax10(z *[10]float64) (sum, m float64, ok bool) {
	return softmax10(z)
}

// Gram10 adds to 10-lane entries of a row of a Gram matrix: r[offs[t]+c]
// += xs[t]*va[c] for c < 10, t < len(offs). Every offs[t] + 10 must be at
// most len(r); len(xs) must be at least len(offs). Cost O(10 len(offs)).
func Gram10(r []float64, offs []int32, xs []float64, va *[10]float64) {
	gram10(r, offs, xs[:len(offs)], va)
}

// Gram10x2 is Gram10 for two rows ra and rb, with va and vb, that share
// offs and xs; ra and rb must not overlap. Cost O(20 len(offs)).
func Gram10x2(ra, rb []float64, offs []int32, xs []float64, va, vb *[10]float64) {
	gram10x2(ra, rb, offs, xs[:len(offs)], va, vb)
}

// Gram1 is Gram10 for one lane: r[offs[t]] += xs[t]*va. Every offs[t]
// must index r. Cost O(len(offs)).
func Gram1(r []float64, offs []int32, xs []float64, va float64) {
	gram1(r, offs, xs[:len(offs)], va)
}

// Gram1x2 is Gram1 for two rows ra and rb, with va and vb, that share offs
// and xs; ra and rb must not overlap. Cost O(2 len(offs)).
func Gram1x2(ra, rb []float64, offs []int32, xs []float64, va, vb float64) {
	gram1x2(ra, rb, offs, xs[:len(offs)], va, vb)
}

// Dot2 returns the dot products of l with x and with y, sx = sum_t
// l[t]*x[t] and sy = sum_t l[t]*y[t] for t < len(l), reading l once. x and
// y must be at least as long as l. Cost O(len(l)).
func Dot2(l, x, y []float64) (sx, sy float64) {
	return dot2(l, x[:len(l)], y[:len(l)])
}

// Axpy2 adds a*l to x and b*l to y, x[t] += a*l[t] and y[t] += b*l[t] for
// t < len(l), reading l once. x and y must be at least as long as l and
// must not overlap l or each other. Cost O(len(l)).
func Axpy2(l, x, y []float64, a, b float64) {
	axpy2(l, x[:len(l)], y[:len(l)], a, b)
}
