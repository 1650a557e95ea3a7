package softmax

import (
	"math"
	"time"
)

// sgdChunks is the number of row blocks of a mini-batch gradient.
const sgdChunks = 2

// fitSGD runs mini-batch stochastic gradient descent with heavy-ball
// momentum on the objective divided by n*C,
//
//	F(W, b) = (1/n) sum_i CE_i + penalty(W)/(n*C),
//
// whose minimiser is Fit's. Each epoch visits the samples in a new random
// order in batches of BatchSize; a step is
//
//	vel <- Momentum*vel - lr_t * grad_batch,  (W, b) <- (W, b) + vel
//
// with grad_batch the batch's mean cross-entropy gradient plus the penalty
// gradient W/(n*C) (L2), and lr_t decaying linearly from LearningRate to
// LearningRate/(number of steps) over the MaxIter epochs. A step costs one
// sparse pass over the batch (O(nnz K)) plus O(d K).
func fitSGD(p *problem) (*result, error) {
	ds, k, cf := p.ds, p.k, p.cf
	n, d := ds.n, ds.d
	e := newEvaluator(ds, p.y, k, cf.threads)
	w := make([]float64, d*k)
	var b []float64
	if cf.intercept {
		b = make([]float64, k)
	}
	gw := make([]float64, d*k)
	gb := make([]float64, k)
	vw := make([]float64, d*k)
	vb := make([]float64, k)
	prev := make([]float64, d*k)
	l2 := 0.0
	if cf.Penalty == L2 {
		l2 = cf.alpha / float64(n)
	}
	batch := min(cf.batch, n)
	steps := cf.maxIter * ((n + batch - 1) / batch)
	rng := newRand(cf.Seed)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	res := &result{}
	step := 0
	for epoch := 0; epoch < cf.maxIter; epoch++ {
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		ce := 0.0
		for lo := 0; lo < n; lo += batch {
			rows := order[lo:min(lo+batch, n)]
			ce += e.evalChunks(w, b, gw, gb, rows, sgdChunks)
			lr := cf.lr * (1 - float64(step)/float64(steps))
			step++
			scale := 1 / float64(len(rows))
			mu := cf.momentum
			for i, g := range gw {
				v := mu*vw[i] - lr*(g*scale+l2*w[i])
				vw[i] = v
				w[i] += v
			}
			if b != nil {
				for i, g := range gb {
					v := mu*vb[i] - lr*g*scale
					vb[i] = v
					b[i] += v
				}
			}
		}
		res.nIter = epoch + 1
		for _, x := range w {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, errDiverged(cf.Solver, epoch+1)
			}
		}
		rel, _, _ := relChange(w, prev)
		res.converged = rel <= cf.tol
		if cf.Progress != nil {
			cf.Progress(Progress{
				Solver: cf.Solver, Iter: epoch + 1, Loss: ce / float64(n),
				Objective: math.NaN(), RelChange: rel, Elapsed: time.Since(p.start),
			})
		}
	}
	res.w = w
	res.b = b
	if b == nil {
		res.b = make([]float64, k)
	}
	return res, nil
}
