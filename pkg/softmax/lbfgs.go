package softmax

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

const (
	// lbfgsMemory is the number of correction pairs kept by L-BFGS.
	// scipy's L-BFGS-B, which scikit-learn uses, keeps 10; more pairs cost
	// O(memory*d*K) per iteration, small next to a gradient, and save
	// iterations on this ill-conditioned problem (on the MNIST benchmark
	// 50 pairs took markedly fewer iterations than 10 or 20, and 100 no
	// fewer than 50).
	lbfgsMemory = 50
	// lbfgsFtol is scipy's default relative reduction tolerance of f,
	// factr*eps = 1e7*2.2e-16: L-BFGS-B also stops when
	// (f_k - f_k+1)/max(|f_k|, |f_k+1|, 1) <= lbfgsFtol.
	lbfgsFtol = 2.220446049250313e-09
	// lbfgsMaxFun is scipy's default limit on function evaluations.
	lbfgsMaxFun = 15000
)

// fitLBFGS minimises, as scikit-learn 1.2 does with scipy's L-BFGS-B, the
// full-batch objective f (fullBatch) with limited-memory BFGS (Nocedal and
// Wright, Numerical Optimization, algorithm 7.4, two-loop recursion) and a
// Moré-Thuente line search (sufficient decrease 1e-3, curvature 0.9, as
// L-BFGS-B's dcsrch). It stops when max|grad f| <= Tol (scikit-learn's
// gtol=tol), when the relative reduction of f in an iteration is at most
// 2.2e-9 (scipy's default ftol), after MaxIter iterations or 15000
// evaluations. Each evaluation of f and its gradient is one parallel
// sparse pass over the data, O(nnz K); an iteration usually needs one.
func fitLBFGS(p *problem) (*result, error) {
	stop := stopRules{gtol: p.cf.tol, ftol: lbfgsFtol, maxIter: p.cf.maxIter, maxPasses: lbfgsMaxFun}
	return minimize(p, newFullBatch(p), &lbfgs{p: p}, stop)
}

// lbfgs is the L-BFGS method of fitLBFGS.
//
// With Settings.Precondition, the initial matrix of the two-loop recursion
// becomes gamma M instead of gamma I, M the class-block preconditioner
// (kernel.ClassBlocks) built once, at iteration pcAt (precondIteration),
// from the probabilities there; gamma = s.y / y.My of the newest pair.
// Before it, where applying it is cheap against a pass (startBlocksPay), M
// is the inverse Hessian at the start (kernel.NewStartBlocks), and the
// first step is that Newton step. The stored pairs are dropped when a new
// M arrives (they were gathered under the old initial matrix); the first
// direction after it is scaled by the gamma of the newest of them. With an
// M the line search is Armijo backtracking from the step 1 (sufficient
// decrease 1e-4, halving): the objective is convex, so every step gives a
// pair with s.y >= 0 without the curvature condition, which cost passes
// on the MNIST benchmark.
type lbfgs struct {
	p     *problem
	o     *fullBatch
	hist  *lbfgsHistory
	ls    optimize.Linesearcher
	dir   []float64
	pcAt  int       // iteration at which M is built, -1 for none
	probs []float64 // the probabilities of the evaluations, in iteration pcAt-1
}

func (m *lbfgs) init(o *fullBatch) []float64 {
	p := m.p
	m.o = o
	m.hist = newLBFGSHistory(lbfgsMemory, o.dim())
	m.ls = &optimize.MoreThuente{DecreaseFactor: 1e-3, CurvatureFactor: 0.9}
	m.dir = make([]float64, o.dim())
	m.pcAt = -1
	if p.cf.Precondition {
		m.pcAt = precondAt(p.ds, p.k)
	}
	if m.pcAt == 0 {
		m.keepProbs()
	}
	if m.pcAt > 0 && startBlocksAt(p.ds) {
		// Until M is built, the inverse Hessian at the start.
		m.install(kernel.NewStartBlocks(p.ds, p.k, o.l2, o.intercept, p.cf.threads))
	}
	return m.probs
}

// keepProbs makes the evaluations from now on store their probabilities.
func (m *lbfgs) keepProbs() {
	n, _ := m.p.ds.Dims()
	m.probs = make([]float64, n*m.p.k)
}

// install makes pc the initial matrix, with Armijo backtracking; a block
// that is not numerically positive definite (err) leaves the initial
// matrix as it was.
func (m *lbfgs) install(pc *kernel.ClassBlocks, err error) {
	if err == nil {
		m.hist.precondition(pc)
		m.ls = &optimize.Backtracking{DecreaseFactor: 1e-4, ContractionFactor: 0.5}
	}
}

func (m *lbfgs) iterate(iter int, x []float64, f float64, g, xNew, gNew []float64) (float64, error) {
	p, h, dir := m.p, m.hist, m.dir
	if iter+1 == m.pcAt {
		// The last evaluation of this iteration is the point of
		// iteration pcAt.
		m.keepProbs()
	}
	if iter == m.pcAt {
		m.install(kernel.NewClassBlocks(p.ds, m.probs, p.k, m.o.l2, m.o.intercept, p.cf.threads))
		m.probs = nil
	}
	h.direction(dir, g)
	dg := floats.Dot(dir, g)
	// The first step of plain L-BFGS is steepest descent of length 1;
	// the preconditioned direction has its own scale.
	steepest := h.len() == 0 && h.pc == nil
	if !(dg < 0) {
		// Not a descent direction (numerical trouble): restart.
		h.reset()
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
	return m.lineSearch(x, f, g, dg, step, xNew, gNew)
}

// lineSearch searches along m.dir from x, where the objective is f, the
// gradient g and the directional derivative dg, from the step step; it
// stores the accepted pair of points in the history.
func (m *lbfgs) lineSearch(x []float64, f float64, g []float64, dg, step float64, xNew, gNew []float64) (float64, error) {
	dir := m.dir
	fNew := f
	op := m.ls.Init(f, dg, step)
	var err error
	for op&optimize.MajorIteration == 0 && err == nil {
		floats.AddScaledTo(xNew, x, step, dir)
		fNew = m.o.fg(xNew, gNew, m.probs)
		if math.IsNaN(fNew) || math.IsInf(fNew, 0) {
			return fNew, nil // diverged: minimize reports it
		}
		op, step, err = m.ls.Iterate(fNew, floats.Dot(gNew, dir))
		if m.o.passes >= lbfgsMaxFun {
			break
		}
	}
	if err != nil && fNew >= f {
		// The line search failed without progress (the step is below
		// machine precision): stop, as L-BFGS-B reports ABNORMAL.
		return fNew, errStalled
	}
	// Accept xNew (the line searches leave the last evaluated point at
	// step).
	m.hist.update(xNew, x, gNew, g)
	return fNew, nil
}

// lbfgsHistory holds the last correction pairs s = x_k+1 - x_k,
// y = g_k+1 - g_k of L-BFGS in a ring, and the preconditioner, if any.
type lbfgsHistory struct {
	s, y  [][]float64
	rho   []float64
	alpha []float64
	n     int // number of stored pairs
	next  int // ring index of the next pair

	pc     *kernel.ClassBlocks
	gamma0 float64   // scale of M while no pair is stored
	q, my  []float64 // scratch for M q and M y
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
func (h *lbfgsHistory) precondition(pc *kernel.ClassBlocks) {
	h.pc = pc
	dim := len(h.s[0])
	h.q = make([]float64, dim)
	h.my = make([]float64, dim)
	h.gamma0 = 1
	if h.n > 0 {
		m := len(h.s)
		j := (h.next - 1 + m) % m
		pc.Apply([][]float64{h.my}, [][]float64{h.y[j]})
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
		h.pc.Apply([][]float64{dir, h.my}, [][]float64{h.q, h.y[j]})
		floats.Scale(1/(h.rho[j]*floats.Dot(h.y[j], h.my)), dir)
	case h.pc != nil:
		copy(h.q, dir)
		h.pc.Apply([][]float64{dir}, [][]float64{h.q})
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
// preconditioner (kernel.NewStartBlocks): when applying it, 2 (d+1)^2 K
// multiply-adds for the two vectors of an iteration, costs at most a sixth
// of a pass over the data (2 K nnz), (d+1)^2 <= nnz/6. Where it costs
// more, plain L-BFGS was as fast or faster until M arrived (measured on
// subsets of the MNIST benchmark: the start blocks paid on the larger
// subsets, whose cost ratio (d+1)^2 / nnz is below about 0.15, and not on
// the smaller ones).
func startBlocksPay(ds *kernel.Design) bool {
	_, d := ds.Dims()
	size := float64(d + 1)
	return 6*size*size <= float64(ds.NNZ())
}

// precondIteration returns the L-BFGS iteration at which Precondition
// builds the preconditioner: 1.5 times its estimated cost in passes over
// the data, so that problems that converge sooner never pay for it. The
// estimate counts one K-lane multiply-add of the Gram matrices per pair of
// nonzero entries of a row as one nonzero entry of a pass, and K Cholesky
// factorisations of order d+1, K (d+1)^3/6 multiply-adds, against the
// 2 K nnz of a pass.
func precondIteration(ds *kernel.Design, k int) int {
	_, d := ds.Dims()
	nnz := float64(max(ds.NNZ(), 1))
	size := float64(d + 1)
	passes := ds.GramPairs()/nnz + size*size*size/(12*nnz)
	return int(math.Ceil(1.5 * passes))
}
