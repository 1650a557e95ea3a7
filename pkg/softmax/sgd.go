package softmax

import (
	"math"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
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
// sparse pass over the batch (kernel.Evaluator.Rows, O(nnz K)) plus
// O(d K).
func fitSGD(p *problem) (*result, error) {
	cf := p.cf
	n, d := p.ds.Dims()
	k := p.k
	e := kernel.NewEvaluator(p.ds, p.y, k, cf.threads)
	w, prev := make([]float64, d*k), make([]float64, d*k)
	var b []float64
	if cf.intercept {
		b = make([]float64, k)
	}
	m := &momentum{cf: cf, w: w, b: b, gw: make([]float64, d*k), gb: make([]float64, k), vw: make([]float64, d*k), vb: make([]float64, k)}
	if cf.Penalty == L2 {
		m.l2 = cf.alpha / float64(n)
	}
	batch := min(cf.batch, n)
	m.steps = cf.maxIter * ((n + batch - 1) / batch)
	rng := newRand(cf.Seed)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	res := &result{}
	for epoch := 1; epoch <= cf.maxIter; epoch++ {
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		ce := 0.0
		for lo := 0; lo < n; lo += batch {
			rows := order[lo:min(lo+batch, n)]
			ce += e.Rows(rows, sgdChunks, w, b, m.gw, m.gb)
			m.step(len(rows))
		}
		res.nIter = epoch
		if !allFinite(w, b) {
			return nil, errDiverged(cf.Solver, epoch)
		}
		rel := relChange(w, prev)
		res.converged = rel <= cf.tol
		p.record(Progress{Iter: epoch, Loss: ce / float64(n), Objective: math.NaN(), RelChange: rel})
		if err := p.stopped(epoch); err != nil {
			return nil, err
		}
	}
	res.w, res.b = w, b
	return res, nil
}

// momentum is the heavy-ball step of fitSGD on the weights w and
// intercepts b (nil without), from the batch gradients gw and gb.
type momentum struct {
	cf     *config
	l2     float64 // L2 strength on the mean cross-entropy, alpha/n
	steps  int     // steps of the run, over which the rate decays
	step0  int     // steps taken
	w, b   []float64
	gw, gb []float64
	vw, vb []float64 // velocities
}

// step takes one step from the gradient of a batch of size samples.
func (m *momentum) step(size int) {
	lr := m.cf.lr * (1 - float64(m.step0)/float64(m.steps))
	m.step0++
	scale := 1 / float64(size)
	mu := m.cf.momentum
	for i, g := range m.gw {
		v := mu*m.vw[i] - lr*(g*scale+m.l2*m.w[i])
		m.vw[i] = v
		m.w[i] += v
	}
	if m.b != nil {
		for i, g := range m.gb {
			v := mu*m.vb[i] - lr*g*scale
			m.vb[i] = v
			m.b[i] += v
		}
	}
}
