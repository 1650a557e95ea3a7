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
	// C=1, tol=1e-4: 891 iterations with 10 pairs, 789 with 20, 711 with
	// 50, 634 with 100).
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
func fitLBFGS(p *problem) (*result, error) {
	cf := p.cf
	full := newBatchObjective(p)
	nw, dim := full.nw, full.dim()
	fg := full.fg
	x := make([]float64, dim)
	g := make([]float64, dim)
	f := fg(x, g)
	dir := make([]float64, dim)
	xNew := make([]float64, dim)
	gNew := make([]float64, dim)
	prevW := make([]float64, nw)
	hist := newLBFGSHistory(lbfgsMemory, dim)
	res := &result{}
	ls := &optimize.MoreThuente{DecreaseFactor: 1e-3, CurvatureFactor: 0.9}
	for iter := 0; ; iter++ {
		if maxAbs(g) <= cf.tol {
			res.converged = true
			break
		}
		if iter >= cf.maxIter || full.passes >= lbfgsMaxFun {
			break
		}
		hist.direction(dir, g)
		dg := floats.Dot(dir, g)
		if !(dg < 0) {
			// Not a descent direction (numerical trouble): restart.
			hist.reset()
			for i, v := range g {
				dir[i] = -v
			}
			dg = floats.Dot(dir, g)
		}
		step := 1.0
		if hist.len() == 0 {
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
// y = g_k+1 - g_k of L-BFGS in a ring.
type lbfgsHistory struct {
	s, y  [][]float64
	rho   []float64
	alpha []float64
	n     int // number of stored pairs
	next  int // ring index of the next pair
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
// approximation scaled by gamma = s.y/y.y of the newest pair.
func (h *lbfgsHistory) direction(dir, g []float64) {
	copy(dir, g)
	m := len(h.s)
	for i := 0; i < h.n; i++ {
		j := (h.next - 1 - i + m) % m
		a := h.rho[j] * floats.Dot(h.s[j], dir)
		h.alpha[j] = a
		floats.AddScaled(dir, -a, h.y[j])
	}
	if h.n > 0 {
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
