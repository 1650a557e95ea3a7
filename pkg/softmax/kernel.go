package softmax

import (
	"math"
	"sync"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// Weights inside the package are stored feature-major: w[j*K+k] is the
// weight of feature j for class k (the transpose of Model.Coef), so that the
// K weights touched by one nonzero feature are contiguous.

// nChunks is the number of row blocks of a full-batch evaluation. Each block
// accumulates its own partial gradient and the blocks are reduced in order,
// so results do not depend on the number of goroutines.
const nChunks = 8

// evaluator computes the cross-entropy and its gradient over rows of a
// design, in parallel.
type evaluator struct {
	ds      *design
	k       int
	y       []int // class index of each row
	threads int

	v     []float64 // folded weights w[j,k]*inv[j]
	c     []float64 // folded intercepts b[k] - sum_j m[j]*w[j,k]
	parts []evalPart

	// csc is the column-major copy of the design for the gradient of full
	// passes with K = 10, built at the first such pass.
	csc *cscDesign

	// probs, if not nil (n*K, row-major), receives the softmax
	// probabilities of every row at the last evaluation over all rows;
	// hessVec uses them.
	probs []float64
}

type evalPart struct {
	g   []float64 // raw-feature gradient, d*K
	s   []float64 // sum of P-Y, K
	z   []float64 // scratch, K
	res []float64 // residuals P-Y of a column block, cscRows*K
	ce  float64
}

func newEvaluator(ds *design, y []int, k, threads int) *evaluator {
	e := &evaluator{ds: ds, k: k, y: y, threads: threads}
	e.v = make([]float64, ds.d*k)
	e.c = make([]float64, k)
	e.parts = make([]evalPart, nChunks)
	if nChunks < 2 {
		panic("softmax: nChunks < 2")
	}
	for i := range e.parts {
		e.parts[i].s = make([]float64, k)
		e.parts[i].z = make([]float64, k)
	}
	return e
}

// fold computes the folded weights from w and b (b may be nil).
func (e *evaluator) fold(w, b []float64) {
	ds, k := e.ds, e.k
	for kk := range e.c {
		e.c[kk] = 0
		if b != nil {
			e.c[kk] = b[kk]
		}
	}
	for j := 0; j < ds.d; j++ {
		wj := w[j*k : j*k+k]
		vj := e.v[j*k : j*k+k]
		inv, m := ds.inv[j], ds.m[j]
		for kk, x := range wj {
			vj[kk] = x * inv
		}
		if m != 0 {
			for kk, x := range wj {
				e.c[kk] -= m * x
			}
		}
	}
}

// eval returns sum_i CE_i over the rows (all rows if rows is nil) for the
// weights w (d*K, feature-major) and intercepts b (nil for none). If gw is
// not nil it stores the gradient of that sum with respect to w in gw, and
// if gb is not nil the gradient with respect to b in gb.
func (e *evaluator) eval(w, b, gw, gb []float64, rows []int) float64 {
	return e.evalChunks(w, b, gw, gb, rows, nChunks)
}

// evalChunks is eval with the rows cut into nc blocks.
func (e *evaluator) evalChunks(w, b, gw, gb []float64, rows []int, nc int) float64 {
	e.fold(w, b)
	n := e.ds.n
	if rows != nil {
		n = len(rows)
	}
	grad := gw != nil || gb != nil
	if n < nc {
		nc = n
	}
	if nc == 0 {
		nc = 1
	}
	useCSC := grad && rows == nil && e.k == 10
	if useCSC && (e.csc == nil || e.csc.nc != nc) {
		e.csc = newCSC(e.ds, nc, e.threads)
	}
	if grad {
		for i := 0; i < nc; i++ {
			p := &e.parts[i]
			if p.g == nil {
				p.g = make([]float64, e.ds.d*e.k)
			}
			if useCSC && p.res == nil {
				p.res = make([]float64, cscRows*10)
			}
		}
	}
	work := func(ci int) {
		p := &e.parts[ci]
		lo, hi := ci*n/nc, (ci+1)*n/nc
		var g []float64
		if grad {
			g = p.g
			clear(g)
		}
		clear(p.s)
		pr := e.probs
		if rows != nil {
			pr = nil
		}
		var cs *cscChunk
		if useCSC {
			cs = &e.csc.chunks[ci]
		}
		switch {
		case e.k == 10 && e.ds.v8 != nil:
			var cv []uint8
			if cs != nil {
				cv = e.csc.v8
			}
			p.ce = kernel10(e.ds.v8, e, rows, lo, hi, g, p.s, pr, cs, cv, p.res)
		case e.k == 10:
			var cv []float64
			if cs != nil {
				cv = e.csc.v64
			}
			p.ce = kernel10(e.ds.v64, e, rows, lo, hi, g, p.s, pr, cs, cv, p.res)
		case e.ds.v8 != nil:
			p.ce = kernel(e.ds.v8, e, rows, lo, hi, g, p.s, p.z, pr)
		default:
			p.ce = kernel(e.ds.v64, e, rows, lo, hi, g, p.s, p.z, pr)
		}
	}
	parallel(nc, e.threads, work)
	ce := 0.0
	for i := 0; i < nc; i++ {
		ce += e.parts[i].ce
	}
	if grad {
		e.reduce(nc, gw, gb)
	}
	return ce
}

// reduce sums the partial raw-feature gradients and column sums of the
// first nc parts in chunk order and unfolds them into gw (d*K, if not nil)
// and gb (K, if not nil): gw = G_raw*inv - m s^T, gb = s.
func (e *evaluator) reduce(nc int, gw, gb []float64) {
	k := e.k
	s := e.parts[0].s
	for i := 1; i < nc; i++ {
		for kk, x := range e.parts[i].s {
			s[kk] += x
		}
	}
	if gb != nil {
		copy(gb, s)
	}
	if gw != nil {
		g0 := e.parts[0].g
		for i := 1; i < nc; i++ {
			gi := e.parts[i].g
			for t, x := range gi {
				g0[t] += x
			}
		}
		ds := e.ds
		for j := 0; j < ds.d; j++ {
			src := g0[j*k : j*k+k]
			dst := gw[j*k : j*k+k]
			inv, m := ds.inv[j], ds.m[j]
			for kk, x := range src {
				dst[kk] = x*inv - m*s[kk]
			}
		}
	}
}

// kernel accumulates over rows lo:hi (of rows, or of the design if rows is
// nil) the cross-entropy (returned), the raw-feature gradient g (if not nil)
// and s = sum_i (p_i - y_i). If pr is not nil it stores the probabilities
// p_i of row i in pr[i*K:(i+1)*K].
func kernel[T uint8 | float64](vals []T, e *evaluator, rows []int, lo, hi int, g, s, z, pr []float64) float64 {
	ds, k := e.ds, e.k
	v, c := e.v, e.c
	z = z[:k]
	s = s[:k]
	ce := 0.0
	for r := lo; r < hi; r++ {
		i := r
		if rows != nil {
			i = rows[r]
		}
		cols, xs := rowEntries(ds, vals, i)
		gemvRowK(z, c, v, cols, xs)
		yi := e.y[i]
		zy := z[yi]
		ce += softmaxInPlace(z) - zy
		if pr != nil {
			copy(pr[i*k:i*k+k], z)
		}
		z[yi] -= 1
		for kk, d := range z {
			s[kk] += d
		}
		if g == nil {
			continue
		}
		gerRowK(g, cols, xs, z)
	}
	return ce
}

// gemvRowK sets z = c + sum_t xs[t] v[cols[t]*K:(cols[t]+1)*K], the K
// folded logits of one row of the design (K = len(z)); gemvRow is the
// K = 10 version.
func gemvRowK[T uint8 | float64](z, c, v []float64, cols []int32, xs []T) {
	k := len(z)
	copy(z, c)
	for t, j := range cols {
		x := float64(xs[t])
		vj := v[int(j)*k : int(j)*k+k]
		vj = vj[:len(z)]
		for kk := range z {
			z[kk] += x * vj[kk]
		}
	}
}

// gerRowK adds xs[t] d to g[cols[t]*K:(cols[t]+1)*K] for every entry t of
// one row of the design (K = len(d)); gerRow is the K = 10 version.
func gerRowK[T uint8 | float64](g []float64, cols []int32, xs []T, d []float64) {
	k := len(d)
	for t, j := range cols {
		x := float64(xs[t])
		gj := g[int(j)*k : int(j)*k+k]
		gj = gj[:len(d)]
		for kk, dk := range d {
			gj[kk] += x * dk
		}
	}
}

// kernel10 is kernel for K = 10, with the per-row accumulators in
// registers. If cs is not nil (the column blocks of rows lo:hi of the
// design, with values cv, and rows nil), the gradient is accumulated
// column by column over each block (colAcc) from the residuals of its rows
// stored in res, instead of row by row (gerRow): the same fused
// multiply-adds in the same order, without a read-modify-write of a
// gradient row per nonzero.
func kernel10[T uint8 | float64](vals []T, e *evaluator, rows []int, lo, hi int, g, s, pr []float64, cs *cscChunk, cv []T, res []float64) float64 {
	ds := e.ds
	v := e.v
	if len(v) != ds.d*10 || (g != nil && len(g) != ds.d*10) {
		panic("softmax: kernel10: bad weight length")
	}
	c := (*[10]float64)(e.c)
	sum := (*[10]float64)(s)
	var z [10]float64
	ce := 0.0
	prod, nprod := 1.0, 0 // product of the softmax sums since the last logarithm
	blocks := []cscBlock{{lo: lo, hi: hi}}
	if cs != nil {
		if g == nil || rows != nil || cs.lo != lo || cs.hi != hi {
			panic("softmax: kernel10: bad column blocks")
		}
		blocks = cs.blocks
	}
	for _, blk := range blocks {
		for r := blk.lo; r < blk.hi; r++ {
			i := r
			if rows != nil {
				i = rows[r]
			}
			cols, xs := rowEntries(ds, vals, i)
			z = *c
			asm.Gemv10(&z, v, 10, cols, xs)
			yi := e.y[i]
			zy := z[yi]
			m, sm := softmax10(&z)
			ce += m - zy
			prod *= sm
			if nprod++; nprod == logBatch {
				ce += math.Log(prod)
				prod, nprod = 1, 0
			}
			if pr != nil {
				*(*[10]float64)(pr[i*10 : i*10+10]) = z
			}
			z[yi] -= 1
			for kk, d := range z {
				sum[kk] += d
			}
			if g == nil {
				continue
			}
			if cs != nil {
				*(*[10]float64)(res[(r-blk.lo)*10 : (r-blk.lo)*10+10]) = z
				continue
			}
			asm.Ger10(g, cols, xs, &z)
		}
		if cs != nil {
			colAcc(g, res[:(blk.hi-blk.lo)*10], blk.ptr, e.csc.rows, cv)
		}
	}
	return ce + math.Log(prod)
}

// colAcc adds to g[j*10 : +10], for every feature j, the sum over the
// entries t in ptr[j]:ptr[j+1] of xs[t]*res[rows[t]*10 : +10], entry by
// entry in order, as asm.Ger10 does row by row; the features are taken in
// pairs (asm.Col2x10), the last one of an odd d with a spare row. Every
// rows[t] must be below len(res)/10 and len(ptr) must be len(g)/10 + 1.
func colAcc[T uint8 | float64](g, res []float64, ptr []int32, rows []int32, xs []T) {
	d := len(ptr) - 1
	if len(g) != d*10 {
		panic("softmax: colAcc: bad gradient length")
	}
	var spare [10]float64 // the pair of an odd last feature
	for j := 0; j < d; j += 2 {
		a, b, c := ptr[j], ptr[j+1], ptr[j+1]
		ga, gb := (*[10]float64)(g[j*10:j*10+10]), &spare
		if j+1 < d {
			c, gb = ptr[j+2], (*[10]float64)(g[j*10+10:j*10+20])
		}
		if a == c {
			continue
		}
		asm.Col2x10(ga, gb, res, rows[a:b], xs[a:b], rows[b:c], xs[b:c])
	}
}

// softmax10 is softmaxInPlace for 10 classes, except that it returns the
// maximum m of z and sum = sum_k exp(z_k - m), leaving the logarithm of
// log-sum-exp = m + log(sum) to the caller. Rows whose logits span more
// than asm.Softmax10 takes (700), or hold NaNs or infinities, take the
// scalar path here, with the same operations in the same order.
func softmax10(z *[10]float64) (m, sum float64) {
	if sum, m, ok := asm.Softmax10(z); ok {
		return m, sum
	}
	m = z[0]
	for _, x := range z[1:] {
		m = max(m, x)
	}
	e0, e1, e2, e3, e4 := math.Exp(z[0]-m), math.Exp(z[1]-m), math.Exp(z[2]-m), math.Exp(z[3]-m), math.Exp(z[4]-m)
	e5, e6, e7, e8, e9 := math.Exp(z[5]-m), math.Exp(z[6]-m), math.Exp(z[7]-m), math.Exp(z[8]-m), math.Exp(z[9]-m)
	sum = ((e0 + e1) + (e2 + e3)) + ((e4 + e5) + (e6 + e7)) + (e8 + e9)
	inv := 1 / sum
	*z = [10]float64{e0 * inv, e1 * inv, e2 * inv, e3 * inv, e4 * inv, e5 * inv, e6 * inv, e7 * inv, e8 * inv, e9 * inv}
	return m, sum
}

// logBatch is the number of softmax sums, each in [1, 10] for finite
// logits, that kernel10 multiplies before it takes one logarithm of the
// product: 10^256 is far from overflow, the product's rounding error is at
// most 256 ulps (6e-14 in its logarithm), and the pass saves 255 of 256
// calls of math.Log (BenchmarkEvalMNIST: 10.0-10.4 ms against
// 10.7-11.0 ms, alternating runs).
const logBatch = 256

// softmaxInPlace replaces z by softmax(z), subtracting the maximum first,
// and returns log(sum_k exp(z_k)), so that the cross-entropy of class y is
// the returned value minus the original z[y].
func softmaxInPlace(z []float64) float64 {
	max := z[0]
	for _, x := range z[1:] {
		if x > max {
			max = x
		}
	}
	sum := 0.0
	for i, x := range z {
		e := math.Exp(x - max)
		z[i] = e
		sum += e
	}
	inv := 1 / sum
	for i := range z {
		z[i] *= inv
	}
	return max + math.Log(sum)
}

// parallel runs work(0..n-1) on up to threads goroutines and waits.
func parallel(n, threads int, work func(i int)) {
	if threads <= 1 || n <= 1 {
		for i := 0; i < n; i++ {
			work(i)
		}
		return
	}
	if threads > n {
		threads = n
	}
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			for i := t; i < n; i += threads {
				work(i)
			}
		}(t)
	}
	wg.Wait()
}
