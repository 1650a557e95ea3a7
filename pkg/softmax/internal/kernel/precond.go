package kernel

import (
	"errors"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/lapack/lapack64"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// ClassBlocks is the preconditioner of softmax's Settings.Precondition: an
// approximation M of the inverse Hessian of the batch objective
//
//	f(W, b) = sum_i CE_i + (l2/2) ||W||^2
//
// at the point whose softmax probabilities p built it. The Hessian is
// sum_i (diag p_i - p_i p_i^T) (x) [x_i; 1][x_i; 1]^T + l2 D (class by
// class blocks of features; D is I on the weights and 0 on the
// intercepts, which the objective does not penalise); ClassBlocks keeps
// its K diagonal blocks
//
//	G_k = sum_i p_ik (1 - p_ik) [x_i; 1] [x_i; 1]^T + l2 D    (d+1 x d+1)
//
// (the intercept's diagonal gets a ridge of 1e-10 times the block's mean
// diagonal instead of l2) and drops the coupling between classes. The
// Hessian's data part vanishes on the directions that add the same vector
// to the weights of every class (the softmax is invariant to them), where
// the Hessian is l2 D, and the dropped coupling matters most next to them,
// so M works on the two parts separately: on a vector v with class means
// m_j = mean_k v_jk,
//
//	M v = P G^-1 P v + (1/l2) m,   P the projection v -> v - m,
//
// with G^-1 applied block by block, each by its Cholesky factor. At the
// MNIST optimum, conjugate gradients preconditioned with M need a small
// fraction of the iterations of plain conjugate gradients
// (scripts/bench/precond_check.py; its figures are in scripts/bench's
// README).
//
// Building it costs one weighted Gram matrix per class, sum_i nnz_i^2/2
// fused multiply-adds of K lanes over the nonzero raw features (the
// scaler is folded in afterwards, as in the gradient), and K Cholesky
// factorisations of order d+1; applying it costs K pairs of triangular
// solves.
//
// At the starting point W = 0, b = 0 of the solvers every p_ik is 1/K,
// the Hessian is (1/K) P (x) sum_i [x_i; 1][x_i; 1]^T + l2 D, and the K
// blocks are one, G = (1/K) sum_i [x_i; 1][x_i; 1]^T + l2 D: NewStartBlocks
// builds that M, the inverse of the Hessian at the start (on all but the
// class means of the intercepts, where the Hessian is 0), from one
// unweighted Gram matrix and one factorisation; applying it reads the
// factor once for the K classes. At the optimum it is a poor
// preconditioner, but it speeds up the first iterations of L-BFGS, far
// from the optimum.
type ClassBlocks struct {
	k         int
	threads   int       // goroutines of Apply
	meanScale float64   // M on the class means: 1/l2
	offs      []int     // offset in a parameter vector of each block row
	size      int       // len(offs), the order of the blocks
	nf        int       // number of factors: K, or 1 shared by the classes
	l         []float64 // nf Cholesky factors, lower, row-major size x size each
	rc, means [][]float64

	// For applyShared: the factor's transpose (upper, row-major), 0, 1,
	// ..., size-1 as block rows for asm.Gemv10, and scratch.
	lt    []float64
	iota  []int32
	bs    [][]float64 // size*K: the block rows of a vector, K classes each
	bmean [][]float64 // size: the class means of the block rows
}

// factor returns the Cholesky factor of the block of class c.
func (pc *ClassBlocks) factor(c int) []float64 {
	f, n := c%pc.nf, pc.size*pc.size
	return pc.l[f*n : (f+1)*n]
}

// ErrNotPositive reports a block that Cholesky could not factorise.
var ErrNotPositive = errors.New("softmax: preconditioner block not positive definite")

// NewClassBlocks builds the preconditioner from the probabilities probs
// (n*K, row-major, as Evaluator.ObjGrad stores them) of the rows of ds, on
// up to threads goroutines (also those of Apply). l2 > 0 is the L2 weight
// of the objective divided by C, 1/C; intercept says whether parameter
// vectors hold the K intercepts after the d*K weights. It returns
// ErrNotPositive if a block is numerically singular. Cost O(K (GramPairs +
// (d+1)^3/6)) time and O(K d^2) memory.
func NewClassBlocks(ds *Design, probs []float64, k int, l2 float64, intercept bool, threads int) (*ClassBlocks, error) {
	w := make([]float64, ds.n*k) // w_ik = p_ik (1 - p_ik)
	for i, p := range probs[:ds.n*k] {
		w[i] = p * (1 - p)
	}
	return buildClassBlocks(ds, w, k, k, l2, intercept, threads)
}

// NewStartBlocks builds the preconditioner at W = 0, b = 0 for K classes:
// one block shared by the classes, from the weights 1/K. The arguments and
// errors are as for NewClassBlocks. Cost O(GramPairs + (d+1)^3/6) time
// and O(d^2) memory.
func NewStartBlocks(ds *Design, k int, l2 float64, intercept bool, threads int) (*ClassBlocks, error) {
	w := make([]float64, ds.n)
	for i := range w {
		w[i] = 1 / float64(k)
	}
	return buildClassBlocks(ds, w, 1, k, l2, intercept, threads)
}

// buildClassBlocks builds the preconditioner for K classes from nf blocks
// (K, or 1 shared by the classes) with the row weights w (n*nf,
// row-major): G_f = sum_i w_if [x_i; 1][x_i; 1]^T + l2 D.
func buildClassBlocks(ds *Design, w []float64, nf, k int, l2 float64, intercept bool, threads int) (*ClassBlocks, error) {
	pc := &ClassBlocks{k: k, nf: nf, meanScale: 1 / l2, threads: threads}
	// A feature that is 0 in every row has the block row l2 e_j, so M is
	// 1/l2 there: it is left out of the blocks.
	var feats []int // the features in the blocks, ascending
	for j, used := range ds.Used() {
		if used {
			feats = append(feats, j)
			pc.offs = append(pc.offs, j*k)
		}
	}
	if intercept {
		pc.offs = append(pc.offs, k*ds.d) // the intercepts follow W
	}
	size := len(pc.offs)
	pc.size = size
	g := rawGrams(ds, w, nf, threads)
	pc.l = make([]float64, nf*size*size)
	errs := make([]error, nf)
	parallel(nf, threads, func(c int) {
		l := pc.l[c*size*size : (c+1)*size*size]
		g.standard(l, size, ds, feats, c, intercept)
		addRidge(l, size, len(feats), l2, intercept)
		if !cholesky(l, size) {
			errs[c] = ErrNotPositive
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if pc.shared() {
		pc.lt = make([]float64, size*size)
		for i := 0; i < size; i++ {
			for j := i; j < size; j++ {
				pc.lt[i*size+j] = pc.l[j*size+i]
			}
		}
		pc.iota = make([]int32, size)
		for i := range pc.iota {
			pc.iota[i] = int32(i)
		}
	}
	return pc, nil
}

// standard stores in the lower triangle of l (size x size, size =
// len(feats), plus 1 with an intercept) the Gram matrix of lane c of the
// standardised features feats of ds, G = T^T R T with x_j = raw_j inv_j -
// m_j and the constant 1 as the last feature.
func (g *grams) standard(l []float64, size int, ds *Design, feats []int, c int, intercept bool) {
	d, nf, r, s := ds.d, g.k, g.r, g.s
	tc := g.t[c]
	for ai, a := range feats {
		ia, ma, sa := ds.inv[a], ds.m[a], s[a*nf+c]
		la := l[ai*size:]
		for bi, b := range feats[:ai+1] {
			ib, mb := ds.inv[b], ds.m[b]
			la[bi] = ia*ib*r[(a*d+b)*nf+c] - ia*mb*sa - ma*ib*s[b*nf+c] + ma*mb*tc
		}
		if intercept {
			l[(size-1)*size+ai] = ia*sa - ma*tc
		}
	}
	if intercept {
		l[(size-1)*size+size-1] = tc
	}
}

// addRidge adds l2 to the diagonal of the first nw rows of l (size x
// size), the weights, and 1e-10 of the mean diagonal to the intercept's,
// which the objective does not penalise.
func addRidge(l []float64, size, nw int, l2 float64, intercept bool) {
	tr := 0.0
	for a := 0; a < size; a++ {
		tr += l[a*size+a]
	}
	for a := 0; a < nw; a++ {
		l[a*size+a] += l2
	}
	if intercept {
		l[size*size-1] += 1e-10 * tr / float64(size)
	}
}

// grams holds the weighted Gram matrices of the raw features of a design
// for k lanes (classes, or 1 shared) at once, with row weights w (n*k):
//
//	r[(a*d+b)*k+c] = sum_i w_ic raw_ia raw_ib   (b <= a; 0 above the diagonal)
//	s[a*k+c]       = sum_i w_ic raw_ia
//	t[c]           = sum_i w_ic
type grams struct {
	k       int
	r, s, t []float64
}

// rawGrams returns the grams of ds with the row weights w (n*k). The
// features are cut into bands of about equal work (entry pairs);
// goroutines take the bands in turn and sweep the rows for each, so that
// no two write the same row of r and a band's rows of r are reused while
// they are cached.
func rawGrams(ds *Design, w []float64, k, threads int) *grams {
	d, n := ds.d, ds.n
	g := &grams{k: k, r: make([]float64, d*d*k), s: make([]float64, d*k), t: make([]float64, k)}
	for i, v := range w[:n*k] {
		g.t[i%k] += v
	}
	cut := bandCuts(ds, k, threads)
	bands := len(cut) - 1
	start := rowStarts(ds, cut, threads)
	th := min(threads, bands)
	parallel(th, th, func(id int) {
		sw := newSweep(ds, k)
		for band := id; band < bands; band += th {
			for i := 0; i < n; i++ {
				st := start[i*(bands+1) : (i+1)*(bands+1)]
				if lo, hi := int(st[band]), int(st[band+1]); lo < hi {
					sw.row(g, w[i*k:i*k+k], i, lo, hi)
				}
			}
		}
	})
	return g
}

// bandCuts returns the bands of features of rawGrams, band b being the
// features cut[b]:cut[b+1]: four per goroutine for K lanes (a row of r is
// 8Kd bytes), one for a single lane, whose r (8d^2 bytes) is small enough
// that a sweep per band costs more than it saves (both measured on MNIST).
func bandCuts(ds *Design, k, threads int) []int {
	d := ds.d
	work := make([]float64, d)
	for i := 0; i < ds.n; i++ {
		for t, j := range ds.col[ds.ptr[i]:ds.ptr[i+1]] {
			work[j] += float64(t + 1)
		}
	}
	perThread := 4
	if k == 1 {
		perThread = 1
	}
	bands := min(perThread*threads, d)
	cut := make([]int, 0, bands+1)
	cut = append(cut, 0)
	total, acc := floats.Sum(work), 0.0
	for j, v := range work {
		acc += v
		if len(cut) < bands && acc >= total*float64(len(cut))/float64(bands) {
			cut = append(cut, j+1)
		}
	}
	for len(cut) <= bands {
		cut = append(cut, d)
	}
	return cut
}

// rowStarts returns, at i*(bands+1)+b, the position in row i of its first
// entry in band b or later.
func rowStarts(ds *Design, cut []int, threads int) []int32 {
	n, bands := ds.n, len(cut)-1
	start := make([]int32, n*(bands+1))
	parallel(threads, threads, func(th int) {
		for i := th * n / threads; i < (th+1)*n/threads; i++ {
			st := start[i*(bands+1) : (i+1)*(bands+1)]
			p, end := ds.ptr[i], ds.ptr[i+1]
			for band := 0; band <= bands; band++ {
				for p < end && int(ds.col[p]) < cut[band] {
					p++
				}
				st[band] = int32(p - ds.ptr[i])
			}
		}
	})
	return start
}

// sweep is the scratch of one goroutine of rawGrams.
type sweep struct {
	ds     *Design
	va, vb []float64
	offs   []int32
	xs     []float64
}

func newSweep(ds *Design, k int) *sweep {
	return &sweep{ds: ds, va: make([]float64, k), vb: make([]float64, k), offs: make([]int32, ds.d), xs: make([]float64, ds.d)}
}

// row adds to g the pairs of entries lo:hi of row i (those in one band)
// with the entries before them, with the row's weights wi.
func (sw *sweep) row(g *grams, wi []float64, i, lo, hi int) {
	ds, k := sw.ds, g.k
	d, r, s := ds.d, g.r, g.s
	va, vb, offs, xs := sw.va, sw.vb, sw.offs, sw.xs
	a0 := ds.ptr[i]
	// The row up to its last entry in the band: offsets into a row of r
	// and the values.
	for t := 0; t < hi; t++ {
		offs[t] = ds.col[a0+t] * int32(k)
		xs[t] = ds.value(a0 + t)
	}
	// Entries t and t+1 share the pairs with entries 0..t.
	for t := lo; t < hi; t += 2 {
		a := int(ds.col[a0+t])
		sa := s[a*k : a*k+k]
		for c, v := range wi {
			va[c] = v * xs[t]
			sa[c] += va[c]
		}
		if t+1 == hi {
			gramRow(r[a*d*k:(a+1)*d*k], offs[:t+1], xs[:t+1], va)
			break
		}
		b := int(ds.col[a0+t+1])
		sb := s[b*k : b*k+k]
		for c, v := range wi {
			vb[c] = v * xs[t+1]
			sb[c] += vb[c]
		}
		rb := r[b*d*k : (b+1)*d*k]
		gramRow2(r[a*d*k:(a+1)*d*k], rb, offs[:t+1], xs[:t+1], va, vb)
		gramRow(rb, offs[t+1:t+2], xs[t+1:t+2], vb)
	}
}

// gramRow adds xs[t]*va to row[offs[t] : +K] for every t, K = len(va).
func gramRow(row []float64, offs []int32, xs []float64, va []float64) {
	switch k := len(va); k {
	case 10:
		asm.Gram10(row, offs, xs, (*[10]float64)(va))
	case 1:
		asm.Gram1(row, offs, xs, va[0])
	default:
		for t, o := range offs {
			x := xs[t]
			rj := row[o : int(o)+k]
			for c, v := range va {
				rj[c] += x * v
			}
		}
	}
}

// gramRow2 is gramRow for two rows and their vectors over the same
// entries.
func gramRow2(ra, rb []float64, offs []int32, xs []float64, va, vb []float64) {
	switch len(va) {
	case 10:
		asm.Gram10x2(ra, rb, offs, xs, (*[10]float64)(va), (*[10]float64)(vb))
	case 1:
		asm.Gram1x2(ra, rb, offs, xs, va[0], vb[0])
	default:
		gramRow(ra, offs, xs, va)
		gramRow(rb, offs, xs, vb)
	}
}

// cholesky overwrites the lower triangle of a (n x n, row-major) with its
// Cholesky factor L, a = L L^T (LAPACK's blocked dpotrf), and reports
// whether a is numerically positive definite.
func cholesky(a []float64, n int) bool {
	_, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Lower, N: n, Stride: n, Data: a})
	return ok
}

// Apply stores M v in dst for each pair (dst[i], v[i]) of parameter
// vectors (W feature-major, then b, of length d*K or d*K + K); dst[i] and
// v[i] may not overlap. Solving the vectors together reads each Cholesky
// factor once. Cost O(K (d+1)^2) per vector (two triangular solves per
// class).
func (pc *ClassBlocks) Apply(dst, v [][]float64) {
	if pc.shared() {
		pc.applyShared(dst, v)
		return
	}
	k, size := pc.k, pc.size
	nv := len(v)
	if len(pc.rc) < k*nv {
		pc.rc = make([][]float64, k*nv)
		for i := range pc.rc {
			pc.rc[i] = make([]float64, size)
		}
		pc.means = make([][]float64, nv)
		for q := range pc.means {
			pc.means[q] = make([]float64, size)
		}
	}
	// rc[c*nv+q] holds class c of vector q without its class means,
	// means[q] the means, block row by block row.
	for q, vq := range v {
		for bi, o := range pc.offs {
			s := vq[o : o+k]
			m := floats.Sum(s) / float64(k)
			pc.means[q][bi] = m
			for c, x := range s {
				pc.rc[c*nv+q][bi] = x - m
			}
		}
	}
	parallel(k, pc.threads, func(c int) {
		cholSolve(pc.factor(c), pc.rc[c*nv:(c+1)*nv])
	})
	for q, vq := range v {
		dq := dst[q]
		// Features outside the blocks: 1/l2.
		for i, x := range vq {
			dq[i] = pc.meanScale * x
		}
		// The blocks' solutions without their class means, plus the class
		// means times 1/l2.
		for bi, o := range pc.offs {
			zm := 0.0
			for c := 0; c < k; c++ {
				zm += pc.rc[c*nv+q][bi]
			}
			zm /= float64(k)
			for c := 0; c < k; c++ {
				dq[o+c] = pc.rc[c*nv+q][bi] - zm + pc.meanScale*pc.means[q][bi]
			}
		}
	}
}

// shared reports whether Apply solves the classes together (applyShared):
// one factor shared by K = 10 classes.
func (pc *ClassBlocks) shared() bool { return pc.nf == 1 && pc.k == 10 }

// applyShared is Apply for one factor shared by K = 10 classes: the 10
// classes of a block row are solved together (asm.Gemv10), so that each row
// of the factor and of its transpose is read once per vector, not once
// per class; the vectors are solved in parallel.
func (pc *ClassBlocks) applyShared(dst, v [][]float64) {
	const k = 10
	size := pc.size
	for len(pc.bs) < len(v) {
		pc.bs = append(pc.bs, make([]float64, size*k))
		pc.bmean = append(pc.bmean, make([]float64, size))
	}
	l, lt := pc.l, pc.lt
	parallel(len(v), pc.threads, func(q int) {
		vq, dq, b, means := v[q], dst[q], pc.bs[q], pc.bmean[q]
		for bi, o := range pc.offs {
			s := vq[o : o+k]
			m := floats.Sum(s) / k
			means[bi] = m
			for c, x := range s {
				b[bi*k+c] = x - m
			}
		}
		// L L^T x = b, block row by block row: forward with the rows of L,
		// backward with the rows of L^T.
		for i := 0; i < size; i++ {
			var z [k]float64
			asm.Gemv10(&z, b, k, pc.iota[:i], l[i*size:i*size+i])
			lii := l[i*size+i]
			for c, zc := range z {
				b[i*k+c] = (b[i*k+c] - zc) / lii
			}
		}
		for i := size - 1; i >= 0; i-- {
			var z [k]float64
			asm.Gemv10(&z, b, k, pc.iota[i+1:], lt[i*size+i+1:(i+1)*size])
			lii := l[i*size+i]
			for c, zc := range z {
				b[i*k+c] = (b[i*k+c] - zc) / lii
			}
		}
		for i, x := range vq {
			dq[i] = pc.meanScale * x
		}
		for bi, o := range pc.offs {
			row := b[bi*k : bi*k+k]
			zm := floats.Sum(row) / k
			for c, x := range row {
				dq[o+c] = x - zm + pc.meanScale*means[bi]
			}
		}
	})
}

// cholSolve solves L L^T x = b in place for each b in bs, L lower and
// row-major n x n with n = len(b). Two vectors are solved together
// (asm.Dot2 and asm.Axpy2 read each row of L once for both).
func cholSolve(l []float64, bs [][]float64) {
	n := len(bs[0])
	if len(bs) == 2 {
		x, y := bs[0], bs[1]
		for i := 0; i < n; i++ {
			sx, sy := 0.0, 0.0
			if i > 0 {
				sx, sy = asm.Dot2(l[i*n:i*n+i], x, y)
			}
			lii := l[i*n+i]
			x[i] = (x[i] - sx) / lii
			y[i] = (y[i] - sy) / lii
		}
		for i := n - 1; i >= 0; i-- {
			lii := l[i*n+i]
			x[i] /= lii
			y[i] /= lii
			if i > 0 {
				asm.Axpy2(l[i*n:i*n+i], x, y, -x[i], -y[i])
			}
		}
		return
	}
	for i := 0; i < n; i++ {
		li, lii := l[i*n:i*n+i], l[i*n+i]
		for _, b := range bs {
			b[i] = (b[i] - floats.Dot(li, b[:i])) / lii
		}
	}
	for i := n - 1; i >= 0; i-- {
		li, lii := l[i*n:i*n+i], l[i*n+i]
		for _, b := range bs {
			b[i] /= lii
			floats.AddScaled(b[:i], -b[i], li)
		}
	}
}
