package softmax

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/floats"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// The full-batch solvers, LBFGS and NewtonCG, are batchMethods run by
// minimize, in the manner of gonum's optimize: the method says where to go
// from a point, minimize counts the passes over the data, reports
// progress, detects divergence and applies the stopping rules.

// fullBatch is the objective the full-batch solvers minimise, as
// scikit-learn 1.2 hands it to scipy:
//
//	f(W, b) = sum_i CE_i + ||W||^2/(2C)    (the objective divided by C)
//
// with ||W||^2/(2C) only for the L2 penalty. A parameter vector x holds W
// (d*K, feature-major) followed, with an intercept, by b (K). It counts
// the passes over the data, gradients and Hessian-vector products alike.
type fullBatch struct {
	e         *kernel.Evaluator
	nw        int     // number of weights, d*K
	k         int     // number of classes
	intercept bool    // whether x holds b after W
	l2        float64 // 1/C for the L2 penalty, else 0

	passes int     // full passes over the data so far
	lastCE float64 // sum_i CE_i at the last point evaluated
}

func newFullBatch(p *problem) *fullBatch {
	_, d := p.ds.Dims()
	o := &fullBatch{
		e:         kernel.NewEvaluator(p.ds, p.y, p.k, p.cf.threads),
		nw:        d * p.k,
		k:         p.k,
		intercept: p.cf.intercept,
	}
	if p.cf.Penalty == L2 {
		o.l2 = 1 / p.cf.c
	}
	return o
}

// dim returns the length of a parameter vector.
func (o *fullBatch) dim() int {
	if o.intercept {
		return o.nw + o.k
	}
	return o.nw
}

// split returns the weights and intercepts (nil without an intercept) of x.
func (o *fullBatch) split(x []float64) (w, b []float64) {
	if o.intercept {
		return x[:o.nw], x[o.nw:]
	}
	return x[:o.nw], nil
}

// fg returns f at x and stores its gradient in g and, if probs is not nil
// (n*K), the softmax probabilities at x: one pass over the data.
func (o *fullBatch) fg(x, g, probs []float64) float64 {
	o.passes++
	w, b := o.split(x)
	gw, gb := o.split(g)
	ce := o.e.ObjGrad(w, b, gw, gb, probs)
	o.lastCE = ce
	f := ce
	if o.l2 != 0 {
		sq := 0.0
		for i, v := range w {
			sq += v * v
			gw[i] += o.l2 * v
		}
		f += 0.5 * o.l2 * sq
	}
	return f
}

// hv stores in out the Hessian of f times v, at the point whose softmax
// probabilities are probs: one pass over the data.
func (o *fullBatch) hv(probs, v, out []float64) {
	o.passes++
	vw, vb := o.split(v)
	ow, ob := o.split(out)
	o.e.HessVec(probs, vw, vb, ow, ob)
	if o.l2 != 0 {
		for i, x := range vw {
			ow[i] += o.l2 * x
		}
	}
}

// batchMethod is a full-batch minimiser run by minimize (gonum's
// optimize.Method): it says where to go next, minimize decides when to
// stop.
type batchMethod interface {
	// init prepares the method for o, the objective, before the first
	// evaluation, at W = 0, b = 0; it returns the buffer (n*K) that is to
	// receive the probabilities at that point, or nil.
	init(o *fullBatch) (probs []float64)
	// iterate looks for the next point from x, with objective f and
	// gradient g, evaluating o; it stores that point and its gradient in
	// xNew and gNew and returns its objective. It returns errStalled if
	// it found no point to move to. It may return a non-finite objective,
	// which minimize reports as divergence (L-BFGS stops at the first one
	// it meets; Newton-CG backtracks past it instead).
	iterate(iter int, x []float64, f float64, g, xNew, gNew []float64) (float64, error)
}

// errStalled is returned by batchMethod.iterate when its line search
// failed: minimize stops, not converged.
var errStalled = errors.New("softmax: line search failed")

// stopRules are the stopping rules of minimize (gonum's Converger and
// Settings).
type stopRules struct {
	// gtol: converged when max|grad f| <= gtol.
	gtol float64
	// ftol, if positive: converged when the relative reduction of f in an
	// iteration, (f_k - f_k+1)/max(|f_k|, |f_k+1|, 1), is at most ftol.
	ftol float64
	// maxIter: stop after that many iterations.
	maxIter int
	// maxPasses, if positive: stop at an iteration's start once that many
	// passes over the data are done.
	maxPasses int
}

// minimize minimises o from W = 0, b = 0 with the method m and the rules
// stop, reporting every iteration to the progress hook of p. It returns
// ErrDiverged when an accepted point has a non-finite objective.
func minimize(p *problem, o *fullBatch, m batchMethod, stop stopRules) (*result, error) {
	dim := o.dim()
	x, g := make([]float64, dim), make([]float64, dim)
	f := o.fg(x, g, m.init(o))
	xNew, gNew := make([]float64, dim), make([]float64, dim)
	prevW := make([]float64, o.nw)
	res := &result{}
	for iter := 0; ; iter++ {
		if floats.Norm(g, math.Inf(1)) <= stop.gtol {
			res.converged = true
			break
		}
		if iter >= stop.maxIter || (stop.maxPasses > 0 && o.passes >= stop.maxPasses) {
			break
		}
		fNew, err := m.iterate(iter, x, f, g, xNew, gNew)
		if err == errStalled {
			break
		}
		if err != nil {
			return nil, err
		}
		if math.IsNaN(fNew) || math.IsInf(fNew, 0) {
			return nil, errDiverged(p.cf.Solver, iter+1)
		}
		copy(prevW, x[:o.nw])
		copy(x, xNew)
		copy(g, gNew)
		fOld := f
		f = fNew
		res.nIter = iter + 1
		o.report(p, iter+1, f, x, prevW)
		if err := p.stopped(iter + 1); err != nil {
			return nil, err
		}
		if stop.ftol > 0 && (fOld-f)/math.Max(math.Max(math.Abs(fOld), math.Abs(f)), 1) <= stop.ftol {
			res.converged = true
			break
		}
	}
	res.w, res.b = o.result(x)
	return res, nil
}

// report calls the progress hook of p, if any, after iteration iter at x
// with f = f(x); prevW holds the weights of the previous iteration.
func (o *fullBatch) report(p *problem, iter int, f float64, x, prevW []float64) {
	if p.cf.Progress == nil {
		return
	}
	obj := f * p.cf.c // the objective itself, C*sum CE + penalty
	if p.cf.Penalty == NoPenalty {
		obj = f
	}
	n, _ := p.ds.Dims()
	p.record(Progress{
		Iter: iter, Loss: o.lastCE / float64(n), Objective: obj,
		RelChange: relChange(x[:o.nw], prevW), Passes: o.passes,
	})
}

// result returns copies of the weights and the intercepts (zeros without
// an intercept) of x.
func (o *fullBatch) result(x []float64) (w, b []float64) {
	w, b = o.split(x)
	return append([]float64(nil), w...), append([]float64(nil), b...)
}
