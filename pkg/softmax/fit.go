package softmax

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// ErrDiverged is returned (wrapped) by Fit when the weights or the
// objective stop being finite, as scikit-learn's "Floating-point
// under-/overflow occurred"; the error names the solver and the epoch or
// iteration.
var ErrDiverged = errors.New("softmax: floating-point overflow, the fit diverged")

// Fit fits a multinomial logistic regression to the samples x with labels
// y, minimising C*sum_i CE_i + penalty(W) (see Loss) with the solver of s.
// A nil s means the zero Settings, scikit-learn's defaults.
//
// The labels may be any non-negative integers; Model.Classes lists them in
// sorted order. Fit returns an error for invalid settings, an unsupported
// penalty and solver combination (L1 or ElasticNet with anything but SAGA),
// an empty training set, a label count that differs from the number of
// samples, a negative label, a single class, non-finite features (Dense) or
// a non-finite mean or non-positive scale (Pixels), and when the fit
// diverges (ErrDiverged). Reaching MaxIter is not an error: the model has
// Converged == false.
//
// Fit reads x once, O(n d) for Dense and O(n d / 8 + nnz) for Pixels, and
// keeps its nonzero entries for the fit; the cost of the solvers is in the
// package documentation. Fit does not modify x or y.
func Fit(x Data, y []int, s *Settings) (*Model, error) {
	return FitContext(context.Background(), x, y, s)
}

// FitContext is Fit that stops when ctx is done: it checks ctx before the
// fit and after every epoch or iteration (so it returns within one of
// them, and within the preconditioner's build for a preconditioned
// L-BFGS), and then returns an error that wraps ctx.Err() and names the
// solver and the iterations run. Otherwise it is Fit, bit for bit.
func FitContext(ctx context.Context, x Data, y []int, s *Settings) (*Model, error) {
	start := time.Now()
	cf, err := validate(s)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("softmax: %v fit not started: %w", cf.Solver, err)
	}
	n, d := x.Dims()
	if n == 0 || d == 0 {
		return nil, fmt.Errorf("softmax: empty training set (%d samples, %d features)", n, d)
	}
	if len(y) != n {
		return nil, fmt.Errorf("softmax: %d labels for %d samples", len(y), n)
	}
	classes, yi, err := encodeLabels(y)
	if err != nil {
		return nil, err
	}
	ds, err := x.design(true)
	if err != nil {
		return nil, err
	}
	k := len(classes)
	p := &problem{ctx: ctx, ds: ds, y: yi, k: k, cf: cf, start: start}
	var res *result
	switch cf.Solver {
	case SAG, SAGA:
		res, err = fitSAG(p)
	case LBFGS:
		res, err = fitLBFGS(p)
	case SGD:
		res, err = fitSGD(p)
	case NewtonCG:
		res, err = fitNewtonCG(p)
	}
	if err != nil {
		return nil, err
	}
	m := &Model{
		Coef:      mat.NewDense(k, d, nil),
		Intercept: make([]float64, k),
		Classes:   classes,
		NIter:     res.nIter,
		Converged: res.converged,
	}
	if s != nil {
		m.Settings = *s
	}
	fromFeatureMajor(m.Coef, res.w, k, d)
	if cf.intercept {
		copy(m.Intercept, res.b)
	}
	return m, nil
}

// problem is a validated fitting problem.
type problem struct {
	ctx   context.Context
	ds    *kernel.Design
	y     []int // class indices
	k     int
	cf    *config
	start time.Time
}

// record calls the progress hook, if any, with pr completed by the solver
// and the time since Fit started.
func (p *problem) record(pr Progress) {
	if p.cf.Progress == nil {
		return
	}
	pr.Solver = p.cf.Solver
	pr.Elapsed = time.Since(p.start)
	p.cf.Progress(pr)
}

// stopped returns nil while the context of p is not done, and otherwise
// an error wrapping its error that says the fit stopped after iter
// epochs or iterations.
func (p *problem) stopped(iter int) error {
	if err := p.ctx.Err(); err != nil {
		return fmt.Errorf("softmax: %v fit stopped after %d iterations: %w", p.cf.Solver, iter, err)
	}
	return nil
}

// result is the outcome of a solver.
type result struct {
	w         []float64 // d*K feature-major
	b         []float64 // K
	nIter     int
	converged bool
}

// newRand returns the generator of the sample draws for a seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// relChange returns max|w-prev|/max|w| (0 if both are 0, +Inf if only w
// is 0), the quantity of the stochastic solvers' stopping rule, and copies
// w into prev.
func relChange(w, prev []float64) float64 {
	var maxChange, maxW float64
	for i, x := range w {
		if a := math.Abs(x); a > maxW {
			maxW = a
		}
		if c := math.Abs(x - prev[i]); c > maxChange {
			maxChange = c
		}
		prev[i] = x
	}
	switch {
	case maxW != 0:
		return maxChange / maxW
	case maxChange == 0:
		return 0
	}
	return math.Inf(1)
}

// allFinite reports whether every value of xs is finite.
func allFinite(xs ...[]float64) bool {
	for _, x := range xs {
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}

// errDiverged returns ErrDiverged for solver s, whose iteration (epoch
// for the stochastic solvers) iter gave non-finite weights or objective.
func errDiverged(s Solver, iter int) error {
	switch s {
	case SAG, SAGA:
		return fmt.Errorf("%w (%v, epoch %d): scale the features", ErrDiverged, s, iter)
	case SGD:
		return fmt.Errorf("%w (%v, epoch %d): scale the features or lower the learning rate", ErrDiverged, s, iter)
	}
	return fmt.Errorf("%w (%v, iteration %d): scale the features", ErrDiverged, s, iter)
}

// Kernels names the kernels that Fit and the model's methods run in this
// process: "assembly (AVX2, FMA)" on amd64 CPUs with AVX2 and FMA, unless
// built with the noasm tag, and "pure Go" otherwise. Results agree to the
// last few bits between the two, not bit for bit, so a cache of fitted
// models keys on it.
func Kernels() string {
	if asm.Enabled {
		return "assembly (AVX2, FMA)"
	}
	return "pure Go"
}
