package softmax

import "time"

// batchObjective is the full-batch objective that the L-BFGS and Newton-CG
// solvers minimise, as scikit-learn 1.2 hands it to scipy:
//
//	f(W, b) = sum_i CE_i + ||W||^2/(2C)    (the objective divided by C)
//
// with ||W||^2/(2C) only for the L2 penalty. A parameter vector x holds W
// (K x d, row-major) followed, with an intercept, by b (K).
type batchObjective struct {
	e         *evaluator
	nw        int     // number of weights, K*d
	intercept bool    // whether x holds b after W
	l2        float64 // 1/C for the L2 penalty, else 0

	passes int     // full passes over the data so far
	lastCE float64 // sum_i CE_i at the last point evaluated
}

func newBatchObjective(p *problem) *batchObjective {
	o := &batchObjective{
		e:         newEvaluator(p.ds, p.y, p.k, p.cf.threads),
		nw:        p.ds.d * p.k,
		intercept: p.cf.intercept,
	}
	if p.cf.Penalty == L2 {
		o.l2 = 1 / p.cf.c
	}
	return o
}

// dim returns the length of a parameter vector.
func (o *batchObjective) dim() int {
	if o.intercept {
		return o.nw + o.e.k
	}
	return o.nw
}

// split returns the weights and intercepts (nil without an intercept) of x.
func (o *batchObjective) split(x []float64) (w, b []float64) {
	if o.intercept {
		return x[:o.nw], x[o.nw:]
	}
	return x[:o.nw], nil
}

// fg returns f at x and stores its gradient in g, in one parallel sparse
// pass over the data.
func (o *batchObjective) fg(x, g []float64) float64 {
	o.passes++
	w, b := o.split(x)
	_, gb := o.split(g)
	ce := o.e.eval(w, b, g[:o.nw], gb, nil)
	o.lastCE = ce
	f := ce
	if o.l2 != 0 {
		sq := 0.0
		for i, v := range w {
			sq += v * v
			g[i] += o.l2 * v
		}
		f += 0.5 * o.l2 * sq
	}
	return f
}

// report calls the progress hook of p, if any, after iteration iter at x
// with f = f(x); prevW holds the weights of the previous iteration.
func (o *batchObjective) report(p *problem, solver Solver, iter int, f float64, x, prevW []float64) {
	cf := p.cf
	if cf.Progress == nil {
		return
	}
	obj := f * cf.c // the objective itself, C*sum CE + penalty
	if cf.Penalty == NoPenalty {
		obj = f
	}
	rel, _, _ := relChange(x[:o.nw], prevW)
	cf.Progress(Progress{
		Solver: solver, Iter: iter, Loss: o.lastCE / float64(p.ds.n),
		Objective: obj, RelChange: rel, Passes: o.passes, Elapsed: time.Since(p.start),
	})
}

// result returns copies of the weights and the intercepts (zeros without
// an intercept) of x.
func (o *batchObjective) result(x []float64) (w, b []float64) {
	w = append([]float64(nil), x[:o.nw]...)
	b = make([]float64, o.e.k)
	if o.intercept {
		copy(b, x[o.nw:])
	}
	return w, b
}
