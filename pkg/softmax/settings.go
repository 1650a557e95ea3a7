package softmax

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"
)

// Penalty is the regularisation term of the objective. Its zero value is L2,
// scikit-learn's default.
type Penalty int

const (
	// L2 adds 0.5*||W||_F^2 (scikit-learn's penalty='l2').
	L2 Penalty = iota
	// L1 adds ||W||_1 (penalty='l1'); only the SAGA solver supports it.
	L1
	// ElasticNet adds L1Ratio*||W||_1 + 0.5*(1-L1Ratio)*||W||_F^2
	// (penalty='elasticnet'); only the SAGA solver supports it.
	ElasticNet
	// NoPenalty leaves the weights unregularised (penalty=None); C is ignored.
	NoPenalty
)

// String returns scikit-learn's name of the penalty.
func (p Penalty) String() string {
	switch p {
	case L2:
		return "l2"
	case L1:
		return "l1"
	case ElasticNet:
		return "elasticnet"
	case NoPenalty:
		return "none"
	}
	return fmt.Sprintf("Penalty(%d)", int(p))
}

// Solver is the optimisation algorithm. Its zero value is LBFGS,
// scikit-learn's default.
type Solver int

const (
	// LBFGS is limited-memory BFGS on the full-batch objective (L2 or
	// NoPenalty), scikit-learn's solver='lbfgs'.
	LBFGS Solver = iota
	// SAG is the stochastic average gradient method of scikit-learn's
	// solver='sag' (L2 or NoPenalty).
	SAG
	// SAGA is scikit-learn's solver='saga', the only solver supporting L1
	// and ElasticNet.
	SAGA
	// SGD is mini-batch stochastic gradient descent with momentum, the fast
	// path to a good model (not a scikit-learn solver; all penalties except
	// L1 and ElasticNet).
	SGD
	// NewtonCG is the truncated Newton method of scikit-learn's
	// solver='newton-cg' on the full-batch objective (L2 or NoPenalty):
	// conjugate gradients on Hessian-vector products, then a line search.
	NewtonCG
)

// String returns scikit-learn's name of the solver ("sgd" for SGD).
func (s Solver) String() string {
	switch s {
	case LBFGS:
		return "lbfgs"
	case SAG:
		return "sag"
	case SAGA:
		return "saga"
	case SGD:
		return "sgd"
	case NewtonCG:
		return "newton-cg"
	}
	return fmt.Sprintf("Solver(%d)", int(s))
}

// ParsePenalty returns the Penalty named by scikit-learn's string
// ("l2", "l1", "elasticnet", "none").
func ParsePenalty(s string) (Penalty, error) {
	for p := L2; p <= NoPenalty; p++ {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("softmax: unknown penalty %q (want l2, l1, elasticnet or none)", s)
}

// ParseSolver returns the Solver named by the string ("lbfgs", "sag",
// "saga", "sgd", "newton-cg").
func ParseSolver(s string) (Solver, error) {
	for v := LBFGS; v <= NewtonCG; v++ {
		if v.String() == s {
			return v, nil
		}
	}
	return 0, fmt.Errorf("softmax: unknown solver %q (want lbfgs, sag, saga, sgd or newton-cg)", s)
}

// Defaults of the SGD solver, used when the corresponding Settings field is
// zero; they were chosen on standardised MNIST.
const (
	DefaultSGDEpochs       = 3
	DefaultSGDBatchSize    = 250
	DefaultSGDLearningRate = 0.05
	DefaultSGDMomentum     = 0.9
)

// Settings configures Fit. The zero value means scikit-learn's defaults for
// LogisticRegression(multi_class='multinomial'): C=1, L2 penalty, tol=1e-4,
// max_iter=100, an intercept, the lbfgs solver.
type Settings struct {
	// C is the inverse regularisation strength: the objective is
	// C*sum_i CE_i + penalty(W). 0 means 1; a negative, infinite or NaN
	// C is an error.
	// It is ignored with NoPenalty.
	C float64
	// Penalty is the regularisation term, L2 by default.
	Penalty Penalty
	// L1Ratio is the elastic-net mixing parameter in [0, 1], used only with
	// ElasticNet (scikit-learn's l1_ratio).
	L1Ratio float64
	// Tol is the stopping tolerance; 0 means 1e-4 and it must not be
	// negative. LBFGS and NewtonCG stop when max|gradient| <= Tol for the
	// objective divided by C (scikit-learn 1.2's gtol and newton-cg's
	// tol); SAG and SAGA stop after an
	// epoch when max|W - W_prev| / max|W| <= Tol (intercepts excluded). SGD
	// always runs MaxIter epochs (its learning rate decays to zero over
	// them) and sets Model.Converged if its last epoch met that rule.
	// A tiny positive Tol such as 1e-300 runs until MaxIter.
	Tol float64
	// MaxIter is the iteration limit: epochs for SAG, SAGA and SGD,
	// L-BFGS iterations for LBFGS, Newton iterations for NewtonCG. Zero
	// means 100 (DefaultSGDEpochs for SGD).
	MaxIter int
	// NoIntercept disables the intercept (fit_intercept=False).
	NoIntercept bool
	// Solver is the optimisation algorithm, LBFGS by default.
	Solver Solver
	// Seed seeds the sample draws of SAG, SAGA and SGD. A fit is
	// deterministic for a given Seed on a given machine (the assembly
	// kernels round differently from the pure Go ones); results do not
	// depend on Threads.
	Seed uint64
	// BatchSize is the SGD mini-batch size; 0 means DefaultSGDBatchSize.
	BatchSize int
	// LearningRate is the SGD step size on the mean cross-entropy of a
	// batch; 0 means DefaultSGDLearningRate. The rate decays linearly towards
	// zero over MaxIter epochs.
	LearningRate float64
	// Momentum is the SGD heavy-ball momentum in [0, 1); 0 means
	// DefaultSGDMomentum. Use NoMomentum for plain SGD.
	Momentum float64
	// Precondition gives LBFGS an initial matrix built from the diagonal
	// class blocks of the Hessian (not in scikit-learn): the same
	// objective, stopping rules and optimum as LBFGS, in fewer passes over
	// the data on large ill-conditioned problems. NIter then differs from
	// scikit-learn's n_iter_.
	//
	// The K blocks, of order d+1, are built once, from the probabilities
	// at iteration ceil(1.5 P), P = sum_i nnz_i (nnz_i+1) / (2 nnz) +
	// (d+1)^3 / (12 nnz) their estimated cost in passes (nnz_i the nonzero
	// features of sample i, nnz their sum), so that fits that converge
	// sooner never build them. Building costs O(K (sum_i nnz_i^2 + d^3))
	// time and O(K d^2) memory, kept for the rest of the fit; applying
	// them costs O(K d^2) per iteration. Before that iteration, where
	// 6 (d+1)^2 <= nnz (applying one block costs at most a sixth of a
	// pass), the initial matrix is the inverse Hessian at the start, one
	// block shared by the classes, built before the first iteration for
	// O(sum_i nnz_i^2 + d^3); elsewhere it is the identity. A block that
	// is not numerically positive definite leaves the initial matrix as
	// it was.
	//
	// Only LBFGS with the L2 penalty accepts it (Fit and Validate return
	// an error otherwise): without a penalty the blocks are near singular
	// on rarely nonzero features. It pays where the penalty keeps the
	// curvature well away from zero; with weak regularisation (large C) an
	// iteration can cost more passes than plain LBFGS saves.
	Precondition bool
	// Threads is the number of goroutines of the full-batch kernels (LBFGS,
	// NewtonCG, SGD, predictions); 0 means runtime.GOMAXPROCS(0).
	Threads int
	// Progress, if not nil, is called after every epoch (SAG, SAGA, SGD)
	// or iteration (LBFGS, NewtonCG) from the goroutine that called Fit.
	Progress func(Progress)
}

// NoMomentum is the Settings.Momentum value that requests plain SGD, since
// the zero value means DefaultSGDMomentum.
const NoMomentum = -1.0

// Progress reports the state of a fit after an epoch or iteration.
type Progress struct {
	// Solver is the solver running.
	Solver Solver
	// Iter counts epochs (SAG, SAGA, SGD) or iterations (LBFGS, NewtonCG)
	// from 1.
	Iter int
	// Loss is the mean cross-entropy of the training samples (no penalty).
	// LBFGS and NewtonCG report the exact full-batch value; SAG, SAGA and
	// SGD report the mean over the samples drawn during the epoch, each
	// evaluated when it was drawn, which costs nothing extra.
	Loss float64
	// Objective is the objective minimised, C*sum_i CE_i + penalty(W), for
	// LBFGS and NewtonCG; NaN for the stochastic solvers.
	Objective float64
	// Passes counts the full-batch passes over the data since Fit started,
	// each costing about one gradient: evaluations of the objective and
	// gradient (LBFGS), plus Hessian-vector products (NewtonCG); 0 for the
	// stochastic solvers.
	Passes int
	// RelChange is max|W - W_prev| / max|W| over the last epoch or
	// iteration (intercepts excluded), the quantity the stopping rule of
	// SAG and SAGA compares with Tol.
	RelChange float64
	// Elapsed is the time since Fit started.
	Elapsed time.Duration
}

// Validate returns the error Fit would return for these settings, or nil.
// It checks the ranges of the parameters and the penalty and solver
// combination, not the data.
func (s *Settings) Validate() error {
	_, err := validate(s)
	return err
}

// config is the validated, defaulted form of Settings.
type config struct {
	Settings
	c         float64 // effective C (math.Inf(1) for NoPenalty)
	alpha     float64 // L2 strength, 1/C * (1-l1ratio)
	beta      float64 // L1 strength, 1/C * l1ratio
	tol       float64
	maxIter   int
	threads   int
	batch     int
	lr        float64
	momentum  float64
	intercept bool
}

// validate checks s and returns its defaulted form. A nil s means the zero
// Settings.
func validate(s *Settings) (*config, error) {
	var cf config
	if s != nil {
		cf.Settings = *s
	}
	for _, check := range []func(*config) error{(*config).limits, (*config).penalty, (*config).sgd} {
		if err := check(&cf); err != nil {
			return nil, err
		}
	}
	if cf.Threads < 0 {
		return nil, fmt.Errorf("softmax: Threads = %d: must not be negative", cf.Threads)
	}
	cf.threads = cf.Threads
	if cf.threads == 0 {
		cf.threads = runtime.GOMAXPROCS(0)
	}
	cf.intercept = !cf.NoIntercept
	return &cf, nil
}

// limits checks and defaults C, Tol, MaxIter and Solver.
func (cf *config) limits() error {
	st := &cf.Settings
	if math.IsNaN(st.C) || st.C < 0 || math.IsInf(st.C, 0) {
		return fmt.Errorf("softmax: C = %v: must be positive and finite", st.C)
	}
	cf.c = st.C
	if cf.c == 0 {
		cf.c = 1
	}
	if math.IsNaN(st.Tol) || st.Tol < 0 || math.IsInf(st.Tol, 0) {
		return fmt.Errorf("softmax: Tol = %v: must be non-negative and finite", st.Tol)
	}
	cf.tol = st.Tol
	if cf.tol == 0 {
		cf.tol = 1e-4
	}
	if st.MaxIter < 0 {
		return fmt.Errorf("softmax: MaxIter = %d: must not be negative", st.MaxIter)
	}
	cf.maxIter = st.MaxIter
	if cf.maxIter == 0 {
		cf.maxIter = 100
		if st.Solver == SGD {
			cf.maxIter = DefaultSGDEpochs
		}
	}
	if st.Solver < LBFGS || st.Solver > NewtonCG {
		return fmt.Errorf("softmax: unknown solver %v", st.Solver)
	}
	return nil
}

// penalty checks Penalty, L1Ratio and Precondition against the solver and
// sets the penalty strengths.
func (cf *config) penalty() error {
	st := &cf.Settings
	switch st.Penalty {
	case L2:
		cf.alpha = 1 / cf.c
	case L1:
		cf.beta = 1 / cf.c
	case ElasticNet:
		if math.IsNaN(st.L1Ratio) || st.L1Ratio < 0 || st.L1Ratio > 1 {
			return fmt.Errorf("softmax: L1Ratio = %v: must be in [0, 1]", st.L1Ratio)
		}
		cf.alpha = (1 - st.L1Ratio) / cf.c
		cf.beta = st.L1Ratio / cf.c
	case NoPenalty:
		cf.c = math.Inf(1)
	default:
		return fmt.Errorf("softmax: unknown penalty %v", st.Penalty)
	}
	if (st.Penalty == L1 || st.Penalty == ElasticNet) && st.Solver != SAGA {
		return fmt.Errorf("softmax: penalty %v is not supported by solver %v (use SAGA)", st.Penalty, st.Solver)
	}
	if st.Precondition && st.Solver != LBFGS {
		return fmt.Errorf("softmax: Precondition is not supported by solver %v (use LBFGS)", st.Solver)
	}
	if st.Precondition && st.Penalty == NoPenalty {
		return errors.New("softmax: Precondition needs the L2 penalty (without it the preconditioner's blocks are near singular on rarely nonzero features)")
	}
	return nil
}

// sgd checks and defaults BatchSize, LearningRate and Momentum.
func (cf *config) sgd() error {
	st := &cf.Settings
	if st.BatchSize < 0 {
		return fmt.Errorf("softmax: BatchSize = %d: must not be negative", st.BatchSize)
	}
	cf.batch = st.BatchSize
	if cf.batch == 0 {
		cf.batch = DefaultSGDBatchSize
	}
	if math.IsNaN(st.LearningRate) || st.LearningRate < 0 || math.IsInf(st.LearningRate, 0) {
		return fmt.Errorf("softmax: LearningRate = %v: must be positive and finite", st.LearningRate)
	}
	cf.lr = st.LearningRate
	if cf.lr == 0 {
		cf.lr = DefaultSGDLearningRate
	}
	switch {
	case st.Momentum == NoMomentum:
		cf.momentum = 0
	case math.IsNaN(st.Momentum) || st.Momentum < 0 || st.Momentum >= 1:
		return fmt.Errorf("softmax: Momentum = %v: must be in [0, 1)", st.Momentum)
	case st.Momentum == 0:
		cf.momentum = DefaultSGDMomentum
	default:
		cf.momentum = st.Momentum
	}
	return nil
}
