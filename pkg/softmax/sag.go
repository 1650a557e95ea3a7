package softmax

import (
	"math"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// fitSAG runs SAG or SAGA (kernel.SAG, scikit-learn's sag_fast) epoch by
// epoch: each epoch draws n samples uniformly with replacement from the
// generator of Settings.Seed and takes a lazy step on each, O(nnz_i K).
// After each epoch it stops when max|W - W_prev| / max|W| <= Tol
// (intercepts excluded), as scikit-learn's; NIter counts epochs.
func fitSAG(p *problem) (*result, error) {
	cf := p.cf
	n, d := p.ds.Dims()
	s := kernel.NewSAG(p.ds, p.y, p.k, kernel.SAGSettings{
		Alpha: cf.alpha, Beta: cf.beta, SAGA: cf.Solver == SAGA, Intercept: cf.intercept,
	})
	rng := newRand(cf.Seed)
	w, prev := make([]float64, d*p.k), make([]float64, d*p.k)
	res := &result{}
	for epoch := 1; epoch <= cf.maxIter; epoch++ {
		ce := s.Epoch(rng)
		res.nIter = epoch
		if !s.Finite() {
			return nil, errDiverged(cf.Solver, epoch)
		}
		s.Weights(w)
		rel := relChange(w, prev)
		p.record(Progress{Iter: epoch, Loss: ce / float64(n), Objective: math.NaN(), RelChange: rel})
		if err := p.stopped(epoch); err != nil {
			return nil, err
		}
		if rel <= cf.tol {
			res.converged = true
			break
		}
	}
	res.w, res.b = w, s.Intercepts()
	return res, nil
}
