package softmax

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
)

const (
	// lbfgsMemory is the number of correction pairs kept by L-BFGS.
	// scipy's L-BFGS-B, which scikit-learn uses, keeps 10; more pairs cost
	// O(memory*d*K) per iteration, small next to a gradient, and save
	// iterations on this ill-conditioned problem (on the MNIST benchmark,
	// C=1, tol=1e-4: 878 iterations with 10 pairs, 816 with 20, 642 with
	// 50, 643 with 100).
	lbfgsMemory = 50
	// lbfgsFtol is scipy's default relative reduction tolerance of f,
	// factr*eps = 1e7*2.2e-16: L-BFGS-B also stops when
	// (f_k - f_k+1)/max(|f_k|, |f_k+1|, 1) <= lbfgsFtol.
	lbfgsFtol = 2.220446049250313e-09
	// lbfgsMaxFun is scipy's default limit on function evaluations.
	lbfgsMaxFun = 15000
)

// fitLBFGS minimises, as scikit-learn 1.2 does with scipy's L-BFGS-B,
//
//	f(W, b) = sum_i CE_i + ||W||^2/(2C)    (the objective divided by C)
//
// with limited-memory BFGS (Nocedal and Wright, Numerical Optimization,
// algorithm 7.4, two-loop recursion) and a Moré-Thuente line search
// (sufficient decrease 1e-3, curvature 0.9, as L-BFGS-B's dcsrch). It stops
// when max|grad f| <= Tol (scikit-learn's gtol=tol), when the relative
// reduction of f in an iteration is at most 2.2e-9 (scipy's default ftol),
// or after MaxIter iterations. Each evaluation of f and its gradient is one
// parallel sparse pass over the data, O(nnz K); an iteration usually needs
// one evaluation.
//
// With Settings.Precondition, the initial matrix of the two-loop recursion
// becomes gamma M instead of gamma I, M the class-block preconditioner
// (classBlocks) built once, at iteration precondIteration, from the
// probabilities there; gamma = s.y / y.My of the newest pair. Before it,
// where applying it is cheap against a pass (startBlocksPay), M is the
// inverse Hessian at the start (newStartBlocks), and the first step is
// that Newton step. The stored pairs are dropped when a new M arrives
// (they were gathered under the old initial matrix); the first direction
// after it is scaled by the gamma of the newest of them. With an M the
// line search is Armijo backtracking from the step 1 (sufficient decrease
// 1e-4, halving): the objective is convex, so every step gives a pair with
// s.y >= 0 without the curvature condition, which cost passes here (on the
// MNIST benchmark, before the start preconditioner, 249 passes against
// 275 with Moré-Thuente).
func fitLBFGS(p *problem) (*result, error) {
	cf := p.cf
	full := newBatchObjective(p)
	nw, dim := full.nw, full.dim()
	fg := full.fg
	pcAt := -1
	if cf.Precondition {
		pcAt = precondAt(p.ds, p.k)
	}
	// The evaluator keeps the probabilities of the evaluations of the
	// iteration before pcAt: the last of them is the point of iteration
	// pcAt.
	keepProbs := func() { full.e.probs = make([]float64, p.ds.n*p.k) }
	if pcAt == 0 {
		keepProbs()
	}
	x := make([]float64, dim)
	g := make([]float64, dim)
	f := fg(x, g)
	dir := make([]float64, dim)
	xNew := make([]float64, dim)
	gNew := make([]float64, dim)
	prevW := make([]float64, nw)
	hist := newLBFGSHistory(lbfgsMemory, dim)
	res := &result{}
	var ls optimize.Linesearcher = &optimize.MoreThuente{DecreaseFactor: 1e-3, CurvatureFactor: 0.9}
	// install makes pc the initial matrix, with Armijo backtracking; a
	// block that is not numerically positive definite (err) leaves the
	// initial matrix as it was.
	install := func(pc *classBlocks, err error) {
		if err == nil {
			hist.precondition(pc, cf.threads)
			ls = &optimize.Backtracking{DecreaseFactor: 1e-4, ContractionFactor: 0.5}
		}
	}
	if pcAt > 0 && startBlocksAt(p.ds) {
		// Until M is built, the inverse Hessian at the start.
		install(newStartBlocks(p.ds, p.k, full.l2, full.intercept, cf.threads))
	}
	for iter := 0; ; iter++ {
		if maxAbs(g) <= cf.tol {
			res.converged = true
			break
		}
		if iter >= cf.maxIter || full.passes >= lbfgsMaxFun {
			break
		}
		if iter+1 == pcAt {
			keepProbs()
		}
		if iter == pcAt {
			install(newClassBlocks(p.ds, full.e.probs, p.k, full.l2, full.intercept, cf.threads))
			full.e.probs = nil
		}
		hist.direction(dir, g)
		dg := floats.Dot(dir, g)
		// The first step of plain L-BFGS is steepest descent of length 1;
		// the preconditioned direction has its own scale.
		steepest := hist.len() == 0 && hist.pc == nil
		if !(dg < 0) {
			// Not a descent direction (numerical trouble): restart.
			hist.reset()
			for i, v := range g {
				dir[i] = -v
			}
			dg = floats.Dot(dir, g)
			steepest = true
		}
		step := 1.0
		if steepest {
			step = 1 / floats.Norm(dir, 2)
		}
		// Line search along dir.
		fNew := f
		op := ls.Init(f, dg, step)
		var err error
		for {
			if op&optimize.MajorIteration != 0 || err != nil {
				break
			}
			for i := range x {
				xNew[i] = x[i] + step*dir[i]
			}
			fNew = fg(xNew, gNew)
			if math.IsNaN(fNew) || math.IsInf(fNew, 0) {
				return nil, fmt.Errorf("%w (lbfgs, iteration %d)", ErrDiverged, iter+1)
			}
			op, step, err = ls.Iterate(fNew, floats.Dot(gNew, dir))
			if full.passes >= lbfgsMaxFun {
				break
			}
		}
		if err != nil && fNew >= f {
			// The line search failed without progress (the step is below
			// machine precision): stop, as L-BFGS-B reports ABNORMAL.
			res.nIter = iter
			break
		}
		// Accept xNew (MoreThuente leaves the last evaluated point at step).
		hist.update(xNew, x, gNew, g)
		copy(prevW, x[:nw])
		copy(x, xNew)
		copy(g, gNew)
		fOld := f
		f = fNew
		res.nIter = iter + 1
		full.report(p, LBFGS, iter+1, f, x, prevW)
		if (fOld-f)/math.Max(math.Max(math.Abs(fOld), math.Abs(f)), 1) <= lbfgsFtol {
			res.converged = true
			break
		}
	}
	res.w, res.b = full.result(x)
	return res, nil
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// lbfgsHistory holds the last correction pairs s = x_k+1 - x_k,
// y = g_k+1 - g_k of L-BFGS in a ring, and the preconditioner, if any.
type lbfgsHistory struct {
	s, y  [][]float64
	rho   []float64
	alpha []float64
	n     int // number of stored pairs
	next  int // ring index of the next pair

	pc      *classBlocks
	threads int       // goroutines of pc.apply
	gamma0  float64   // scale of M while no pair is stored
	q, my   []float64 // scratch for M q and M y
}

func newLBFGSHistory(m, dim int) *lbfgsHistory {
	h := &lbfgsHistory{s: make([][]float64, m), y: make([][]float64, m), rho: make([]float64, m), alpha: make([]float64, m)}
	for i := range h.s {
		h.s[i] = make([]float64, dim)
		h.y[i] = make([]float64, dim)
	}
	return h
}

func (h *lbfgsHistory) len() int { return h.n }
func (h *lbfgsHistory) reset()   { h.n, h.next = 0, 0 }

// precondition makes gamma M the initial matrix from now on and drops the
// stored pairs, keeping the gamma s.y/y.My of the newest as gamma0 (1 if
// there is none).
func (h *lbfgsHistory) precondition(pc *classBlocks, threads int) {
	h.pc, h.threads = pc, threads
	dim := len(h.s[0])
	h.q = make([]float64, dim)
	h.my = make([]float64, dim)
	h.gamma0 = 1
	if h.n > 0 {
		m := len(h.s)
		j := (h.next - 1 + m) % m
		pc.apply([][]float64{h.my}, [][]float64{h.y[j]}, threads)
		if yMy := floats.Dot(h.y[j], h.my); yMy > 0 {
			h.gamma0 = 1 / (h.rho[j] * yMy)
		}
	}
	h.reset()
}

// update stores the pair (xNew-x, gNew-g) unless its curvature s.y is not
// positive enough, as L-BFGS-B skips such pairs.
func (h *lbfgsHistory) update(xNew, x, gNew, g []float64) {
	s, y := h.s[h.next], h.y[h.next]
	floats.SubTo(s, xNew, x)
	floats.SubTo(y, gNew, g)
	sy := floats.Dot(s, y)
	yy := floats.Dot(y, y)
	if !(sy > 2.220446049250313e-16*yy) {
		return
	}
	h.rho[h.next] = 1 / sy
	h.next = (h.next + 1) % len(h.s)
	if h.n < len(h.s) {
		h.n++
	}
}

// direction stores -H g in dir, with H the L-BFGS inverse Hessian
// approximation from the initial matrix gamma I, gamma = s.y/y.y of the
// newest pair, or with a preconditioner gamma M, gamma = s.y/y.My.
func (h *lbfgsHistory) direction(dir, g []float64) {
	copy(dir, g)
	m := len(h.s)
	for i := 0; i < h.n; i++ {
		j := (h.next - 1 - i + m) % m
		a := h.rho[j] * floats.Dot(h.s[j], dir)
		h.alpha[j] = a
		floats.AddScaled(dir, -a, h.y[j])
	}
	switch {
	case h.pc != nil && h.n > 0:
		j := (h.next - 1 + m) % m
		copy(h.q, dir)
		h.pc.apply([][]float64{dir, h.my}, [][]float64{h.q, h.y[j]}, h.threads)
		floats.Scale(1/(h.rho[j]*floats.Dot(h.y[j], h.my)), dir)
	case h.pc != nil:
		copy(h.q, dir)
		h.pc.apply([][]float64{dir}, [][]float64{h.q}, h.threads)
		floats.Scale(h.gamma0, dir)
	case h.n > 0:
		j := (h.next - 1 + m) % m
		floats.Scale(1/(h.rho[j]*floats.Dot(h.y[j], h.y[j])), dir)
	}
	for i := h.n - 1; i >= 0; i-- {
		j := (h.next - 1 - i + m) % m
		b := h.rho[j] * floats.Dot(h.y[j], dir)
		floats.AddScaled(dir, h.alpha[j]-b, h.s[j])
	}
	floats.Scale(-1, dir)
}

// precondAt is precondIteration; tests replace it to build the
// preconditioner early on small problems.
var precondAt = precondIteration

// startBlocksAt is startBlocksPay; tests replace it to use the start
// preconditioner on small problems, or not.
var startBlocksAt = startBlocksPay

// startBlocksPay reports whether Precondition starts L-BFGS with the start
// preconditioner (newStartBlocks): when applying it, 2 (d+1)^2 K
// multiply-adds for the two vectors of an iteration, costs at most a sixth
// of a pass over the data (2 K nnz), (d+1)^2 <= nnz/6. Where it costs
// more, plain L-BFGS was as fast or faster until M arrived. On subsets of
// the MNIST benchmark (C=1, tol=1e-4; 784 features, about 150 nonzeros a
// row), medians of three runs with and without it: 50000 rows (cost ratio
// 0.08) 3.15 s against 3.78 s, 40000 (0.10) 2.77 s against 3.50 s, 30000
// (0.14) 2.45 s against 2.52 s, 20000 (0.21) 1.72 s against 1.62 s, 5000
// (0.82) 1.05 s against 0.85 s.
func startBlocksPay(ds *design) bool {
	size := float64(ds.d + 1)
	return 6*size*size <= float64(ds.ptr[ds.n])
}

// precondIteration returns the L-BFGS iteration at which Precondition
// builds the preconditioner: 1.5 times its estimated cost in passes over
// the data, so that problems that converge sooner never pay for it. The
// estimate counts one K-lane multiply-add of the Gram matrices per pair of
// nonzero entries of a row as one nonzero entry of a pass, and K Cholesky
// factorisations of order d+1, K (d+1)^3/6 multiply-adds, against the
// 2 K nnz of a pass. On the MNIST benchmark (50000 rows, 7.5 million
// nonzeros, 6.1e8 pairs) it is 130; building took about 0.7 s there,
// some 70 passes.
func precondIteration(ds *design, k int) int {
	nnz := float64(max(ds.ptr[ds.n], 1))
	size := float64(ds.d + 1)
	passes := gramPairs(ds)/nnz + size*size*size/(12*nnz)
	return int(math.Ceil(1.5 * passes))
}
