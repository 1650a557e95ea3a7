package softmax

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

const (
	// eps is the float64 machine epsilon.
	eps = 2.220446049250313e-16
	// newtonMaxInner is the limit on conjugate gradient iterations
	// (Hessian-vector products) per Newton iteration, about scikit-learn's
	// maxinner (200; its loop allows 201).
	newtonMaxInner = 200
	// newtonEta is the largest forcing term: CG stops when
	// ||r|| <= min(newtonEta, sqrt(||g||)) ||g|| (Euclidean norms, scipy's
	// fmin_ncg rule).
	newtonEta = 0.5
	// newtonArmijo is the sufficient decrease constant of the backtracking
	// line search (Nocedal and Wright's c1).
	newtonArmijo = 1e-4
	// newtonMaxBacktrack is the number of step reductions after which the
	// line search gives up.
	newtonMaxBacktrack = 40
)

// fitNewtonCG minimises, as scikit-learn 1.2's solver='newton-cg' does, the
// full-batch objective f (fullBatch) with a truncated (line search) Newton
// method, Nocedal and Wright, Numerical Optimization, algorithm 7.1, as
// scikit-learn's _newton_cg: each Newton iteration solves H p = -g by
// conjugate gradients started from 0, stopped when ||r|| <= min(0.5,
// sqrt(||g||)) ||g||, on non-positive curvature, or after 200
// Hessian-vector products; then a backtracking line search from the step
// 1 enforces the sufficient decrease condition (Armijo, c1 = 1e-4,
// quadratic interpolation), or, where the change of f is below its
// rounding error, a smaller gradient. It stops when max|grad f| <= Tol
// (scikit-learn's rule, converged), after MaxIter Newton iterations, or
// when the line search fails (not converged).
//
// The forcing term uses Euclidean norms, as scipy's fmin_ncg; scikit-learn
// 1.2's _cg uses sum|r| <= min(0.5, sqrt(sum|g|)) sum|g|, which on the MNIST
// benchmark needed more Newton iterations and several times the
// Hessian-vector products for the same optimum.
//
// A Hessian-vector product costs one parallel sparse pass over the data,
// as a gradient does (kernel.Evaluator.HessVec), at the probabilities of
// the current point, which every evaluation of f stores.
func fitNewtonCG(p *problem) (*result, error) {
	return minimize(p, newFullBatch(p), &newtonCG{p: p}, stopRules{gtol: p.cf.tol, maxIter: p.cf.maxIter})
}

// newtonCG is the method of fitNewtonCG.
type newtonCG struct {
	p              *problem
	o              *fullBatch
	probs          []float64 // the probabilities at the last point evaluated
	dir, r, pd, hp []float64 // scratch
}

func (m *newtonCG) init(o *fullBatch) []float64 {
	n, _ := m.p.ds.Dims()
	dim := o.dim()
	m.o = o
	m.probs = make([]float64, n*m.p.k)
	m.dir, m.r, m.pd, m.hp = make([]float64, dim), make([]float64, dim), make([]float64, dim), make([]float64, dim)
	return m.probs
}

func (m *newtonCG) iterate(_ int, x []float64, f float64, g, xNew, gNew []float64) (float64, error) {
	dir := m.dir
	m.solve(g)
	gd := floats.Dot(g, dir)
	if !(gd < 0) {
		// No descent direction (CG stopped at once): steepest descent.
		for j, v := range g {
			dir[j] = -v
		}
		gd = -floats.Dot(g, g)
	}
	return m.lineSearch(x, f, g, gd, xNew, gNew)
}

// solve stores in m.dir an approximate solution of H dir = -g by
// conjugate gradients from dir = 0 (scikit-learn's _cg), H the Hessian at
// the current point, whose probabilities are m.probs.
func (m *newtonCG) solve(g []float64) {
	dir, r, pd, hp := m.dir, m.r, m.pd, m.hp
	gn := floats.Norm(g, 2)
	term := math.Min(newtonEta, math.Sqrt(gn)) * gn
	clear(dir)
	copy(r, g)
	for i, v := range g {
		pd[i] = -v
	}
	rr := gn * gn
	for i := 0; i < newtonMaxInner; i++ {
		if math.Sqrt(rr) <= term {
			break
		}
		m.o.hv(m.probs, pd, hp)
		curv := floats.Dot(pd, hp)
		if curv <= 3*eps {
			if i == 0 && curv < 0 {
				// Negative curvature at once: steepest descent.
				for j, v := range g {
					dir[j] = -v
				}
			}
			break
		}
		a := rr / curv
		floats.AddScaled(dir, a, pd)
		floats.AddScaled(r, a, hp)
		rrNew := floats.Dot(r, r)
		beta := rrNew / rr
		rr = rrNew
		for j, v := range r {
			pd[j] = -v + beta*pd[j]
		}
	}
}

// lineSearch backtracks along m.dir from x, where the objective is f, the
// gradient g and the directional derivative gd, from the Newton step; it
// returns errStalled when the step falls below machine precision along
// m.dir, as scikit-learn's "Line Search failed".
func (m *newtonCG) lineSearch(x []float64, f float64, g []float64, gd float64, xNew, gNew []float64) (float64, error) {
	dir := m.dir
	step := 1.0
	for bt := 0; bt <= newtonMaxBacktrack; bt++ {
		floats.AddScaledTo(xNew, x, step, dir)
		fNew := m.o.fg(xNew, gNew, m.probs)
		if fNew-f <= newtonArmijo*step*gd {
			return fNew, nil
		}
		// Near the optimum the decrease of f is below its rounding
		// error: accept the step if f did not measurably increase and
		// the gradient shrank (scikit-learn >= 1.4's rule).
		if math.Abs(fNew-f) <= 16*eps*math.Abs(f) && floats.Norm(gNew, 1) < floats.Norm(g, 1) {
			return fNew, nil
		}
		// Minimiser of the quadratic through f, gd and fNew, kept in
		// [0.1, 0.5] times the step (non-finite fNew: 0.1).
		next := 0.1 * step
		if q := -gd * step * step / (2 * (fNew - f - gd*step)); q > next {
			next = math.Min(q, 0.5*step)
		}
		step = next
	}
	return math.NaN(), errStalled
}
