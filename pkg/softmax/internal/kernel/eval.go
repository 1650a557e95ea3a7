package kernel

import (
	"math"
	"sync"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// Weights are stored feature-major: w[j*K+k] is the weight of feature j for
// class k (the transpose of the model's K x d coefficients), so that the K
// weights touched by one nonzero feature are contiguous.

// nChunks is the number of row blocks of a full pass. Each block
// accumulates its own partial gradient and the blocks are reduced in order,
// so results do not depend on the number of goroutines.
const nChunks = 8

// Evaluator computes the cross-entropy of the rows of a design, its
// gradient and Hessian-vector products, and decision values, in parallel
// over fixed row blocks. Its methods take every point, direction and
// output as arguments; what it keeps between calls (the folded weights,
// the per-block accumulators and the column blocks) is scratch, so an
// Evaluator must not be used by two goroutines at once.
type Evaluator struct {
	ds      *Design
	k       int
	y       []int // class index of each row
	threads int

	v     []float64 // folded weights w[j,k]*inv[j]
	c     []float64 // folded intercepts b[k] - sum_j m[j]*w[j,k]
	parts []evalPart

	// csc is the column-major copy of the design for the gradient of full
	// passes with K = 10, built at the first such pass.
	csc *cscDesign
}

// evalPart is the scratch and the job of one row block of a pass.
type evalPart struct {
	g   []float64 // raw-feature gradient, d*K (nil: no gradient)
	s   []float64 // sum of P-Y, K
	z   []float64 // scratch, K
	res []float64 // residuals P-Y of a column block, cscRows*K
	ce  float64

	lo, hi int       // the block: rows lo:hi of rows, or of the design
	rows   []int     // rows of the pass, or nil for all
	probs  []float64 // n*K probabilities to store, or nil
	cs     *cscChunk // column blocks of rows lo:hi, or nil
}

// NewEvaluator returns an evaluator of the rows of ds with class indices y
// (in [0, k); nil if only Scores is used) on up to threads goroutines.
func NewEvaluator(ds *Design, y []int, k, threads int) *Evaluator {
	e := &Evaluator{ds: ds, k: k, y: y, threads: threads}
	e.v = make([]float64, ds.d*k)
	e.c = make([]float64, k)
	e.parts = make([]evalPart, nChunks)
	for i := range e.parts {
		e.parts[i].s = make([]float64, k)
		e.parts[i].z = make([]float64, k)
	}
	return e
}

// fold computes the folded weights from w and b (b may be nil).
func (e *Evaluator) fold(w, b []float64) {
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

// ObjGrad returns sum_i CE_i over all rows for the weights w (d*K,
// feature-major) and intercepts b (K, or nil for none). If gw is not nil it
// stores the gradient of that sum with respect to w in gw (d*K), and if gb
// is not nil the gradient with respect to b in gb (K); if probs is not nil
// it stores the softmax probabilities of row i in probs[i*K:(i+1)*K]. It
// is one parallel pass over the nonzero entries, O(nnz K + d K); with
// K = 10 and a gradient, the first such pass builds the column blocks of
// the design (5 bytes per nonzero for Pixels, 12 for Dense).
func (e *Evaluator) ObjGrad(w, b, gw, gb, probs []float64) float64 {
	return e.pass(nil, nChunks, w, b, gw, gb, probs)
}

// Rows is ObjGrad over the listed rows only (a mini-batch), cut into
// chunks blocks, without probabilities; it takes the row-by-row path.
// Cost O(nnz(rows) K + d K).
func (e *Evaluator) Rows(rows []int, chunks int, w, b, gw, gb []float64) float64 {
	return e.pass(rows, chunks, w, b, gw, gb, nil)
}

// pass is ObjGrad over rows (nil: all) in nc blocks.
func (e *Evaluator) pass(rows []int, nc int, w, b, gw, gb, probs []float64) float64 {
	e.fold(w, b)
	n := e.ds.n
	if rows != nil {
		n = len(rows)
	}
	nc = max(min(nc, n), 1)
	grad := gw != nil || gb != nil
	useCSC := grad && rows == nil && e.k == 10
	if useCSC && (e.csc == nil || e.csc.nc != nc) {
		e.csc = newCSC(e.ds, nc, e.threads)
	}
	for i := 0; i < nc; i++ {
		p := &e.parts[i]
		p.lo, p.hi, p.rows, p.probs, p.cs = i*n/nc, (i+1)*n/nc, rows, probs, nil
		if useCSC {
			p.cs = &e.csc.chunks[i]
		}
		if grad && p.g == nil {
			p.g = make([]float64, e.ds.d*e.k)
		}
		if useCSC && p.res == nil {
			p.res = make([]float64, cscRows*10)
		}
	}
	parallel(nc, e.threads, func(ci int) {
		p := &e.parts[ci]
		var g []float64
		if grad {
			g = p.g
			clear(g)
		}
		clear(p.s)
		switch {
		case e.k == 10 && e.ds.v8 != nil:
			p.ce = ce10(e, e.ds.v8, e.csc.values8(), p, g)
		case e.k == 10:
			p.ce = ce10(e, e.ds.v64, e.csc.values64(), p, g)
		case e.ds.v8 != nil:
			p.ce = ceK(e, e.ds.v8, p, g)
		default:
			p.ce = ceK(e, e.ds.v64, p, g)
		}
	})
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
// first nc parts in block order and unfolds them into gw (d*K, if not nil)
// and gb (K, if not nil): gw = G_raw*inv - m s^T, gb = s.
func (e *Evaluator) reduce(nc int, gw, gb []float64) {
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
	if gw == nil {
		return
	}
	g0 := e.parts[0].g
	for i := 1; i < nc; i++ {
		for t, x := range e.parts[i].g {
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

// row returns the design row of position r of the block p.
func (p *evalPart) row(r int) int {
	if p.rows != nil {
		return p.rows[r]
	}
	return r
}

// ceK accumulates over the rows of block p the cross-entropy (returned),
// the raw-feature gradient g (if not nil) and p.s = sum_i (p_i - y_i), for
// any K, storing the probabilities if p.probs is not nil.
func ceK[T uint8 | float64](e *Evaluator, vals []T, p *evalPart, g []float64) float64 {
	k := e.k
	z, s := p.z[:k], p.s[:k]
	ce := 0.0
	for r := p.lo; r < p.hi; r++ {
		i := p.row(r)
		cols, xs := rowEntries(e.ds, vals, i)
		gemvRowK(z, e.c, e.v, cols, xs)
		yi := e.y[i]
		zy := z[yi]
		ce += Softmax(z) - zy
		if p.probs != nil {
			copy(p.probs[i*k:i*k+k], z)
		}
		z[yi] -= 1
		for kk, d := range z {
			s[kk] += d
		}
		if g != nil {
			gerRowK(g, cols, xs, z)
		}
	}
	return ce
}

// gemvRowK sets z = c + sum_t xs[t] v[cols[t]*K:(cols[t]+1)*K], the K
// folded logits of one row of the design (K = len(z)); asm.Gemv10 is the
// K = 10 kernel.
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
// one row of the design (K = len(d)); asm.Ger10 is the K = 10 kernel.
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

// ce10 is ceK for K = 10, with the per-row accumulators in registers and
// the softmax sums multiplied logBatch at a time before one logarithm. If
// p.cs is not nil (the column blocks of the rows p.lo:p.hi of the design,
// whose values are cvals; a full pass), the gradient is accumulated column
// by column over each block (colAcc) from the residuals of its rows stored
// in p.res, instead of row by row (asm.Ger10): the same multiply-adds in
// the same order, without a read-modify-write of a gradient row per
// nonzero.
func ce10[T uint8 | float64](e *Evaluator, vals, cvals []T, p *evalPart, g []float64) float64 {
	ds := e.ds
	if len(e.v) != ds.d*10 || (g != nil && len(g) != ds.d*10) {
		panic("softmax: ce10: bad weight length")
	}
	blocks := []cscBlock{{lo: p.lo, hi: p.hi}}
	if p.cs != nil {
		if g == nil || p.rows != nil || p.cs.lo != p.lo || p.cs.hi != p.hi {
			panic("softmax: ce10: bad column blocks")
		}
		blocks = p.cs.blocks
	}
	c := (*[10]float64)(e.c)
	sum := (*[10]float64)(p.s)
	var z [10]float64
	ce := 0.0
	prod, nprod := 1.0, 0 // product of the softmax sums since the last logarithm
	for _, blk := range blocks {
		for r := blk.lo; r < blk.hi; r++ {
			i := p.row(r)
			cols, xs := rowEntries(ds, vals, i)
			z = *c
			asm.Gemv10(&z, e.v, 10, cols, xs)
			yi := e.y[i]
			zy := z[yi]
			sm, m, ok := asm.Softmax10(&z)
			if !ok {
				sm, m = asm.Softmax10Wide(&z)
			}
			ce += m - zy
			prod *= sm
			if nprod++; nprod == logBatch {
				ce += math.Log(prod)
				prod, nprod = 1, 0
			}
			if p.probs != nil {
				*(*[10]float64)(p.probs[i*10 : i*10+10]) = z
			}
			z[yi] -= 1
			for kk, d := range z {
				sum[kk] += d
			}
			switch {
			case g == nil:
			case p.cs != nil:
				*(*[10]float64)(p.res[(r-blk.lo)*10 : (r-blk.lo)*10+10]) = z
			default:
				asm.Ger10(g, cols, xs, &z)
			}
		}
		if p.cs != nil {
			colAcc(g, p.res[:(blk.hi-blk.lo)*10], blk.ptr, e.csc.rows, cvals)
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

// logBatch is the number of softmax sums, each in [1, 10] for finite
// logits, that ce10 multiplies before it takes one logarithm of the
// product: 10^256 is far from overflow, and the product's rounding error
// is at most 256 ulps (6e-14 in its logarithm).
const logBatch = 256

// Softmax replaces z by softmax(z), subtracting the maximum first, and
// returns log(sum_k exp(z_k)), so that the cross-entropy of class y is the
// returned value minus the original z[y].
func Softmax(z []float64) float64 {
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

// Scores stores in z (n*K, row-major) the decision values W x_i + b of
// every row for the weights w (d*K, feature-major) and intercepts b (K, or
// nil). Cost O(nnz K + d K).
func (e *Evaluator) Scores(z, w, b []float64) {
	e.fold(w, b)
	n := e.ds.n
	nc := min(nChunks, n)
	parallel(nc, e.threads, func(ci int) {
		lo, hi := ci*n/nc, (ci+1)*n/nc
		if e.ds.v8 != nil {
			decision(e, e.ds.v8, lo, hi, z)
		} else {
			decision(e, e.ds.v64, lo, hi, z)
		}
	})
}

// decision stores the decision values of rows lo:hi into z (row-major).
func decision[T uint8 | float64](e *Evaluator, vals []T, lo, hi int, z []float64) {
	k := e.k
	for i := lo; i < hi; i++ {
		cols, xs := rowEntries(e.ds, vals, i)
		gemvRowK(z[i*k:i*k+k], e.c, e.v, cols, xs)
	}
}

// parallel runs work(0..n-1) on up to threads goroutines and waits.
func parallel(n, threads int, work func(i int)) {
	if threads <= 1 || n <= 1 {
		for i := 0; i < n; i++ {
			work(i)
		}
		return
	}
	threads = min(threads, n)
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
