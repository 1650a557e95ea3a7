// Package softmax fits multinomial (softmax) logistic regression with the
// semantics of scikit-learn's LogisticRegression(multi_class='multinomial'),
// on sparse data (uint8 pixels standardised on the fly, or a float64
// matrix), with the solvers of scikit-learn and mini-batch SGD.
//
// # Model and objective
//
// For K classes and d features the model has one weight row per class,
// Coef (K x d), and K intercepts b. The class probabilities of a sample x are
//
//	P(y = k | x) = exp(w_k.x + b_k) / sum_j exp(w_j.x + b_j)
//
// and Fit minimises scikit-learn's objective
//
//	C * sum_i CE_i + penalty(W),   CE_i = -log P(y_i | x_i),
//
// with penalty 0.5*||W||_F^2 (L2, the default), ||W||_1 (L1),
// L1Ratio*||W||_1 + 0.5*(1-L1Ratio)*||W||_F^2 (ElasticNet) or none; the
// intercepts are not penalised. Its gradient with respect to w_k is
// C * sum_i (P(y = k | x_i) - [y_i = k]) x_i plus the penalty's; Loss and
// Gradient compute both, for checks against finite differences.
//
// The zero Settings are scikit-learn's defaults: C=1, L2, tol=1e-4,
// max_iter=100, an intercept, the lbfgs solver. Every field keeps
// scikit-learn's meaning, so that
//
//	LogisticRegression(C=1e5, multi_class='multinomial', penalty='l2', solver='sag', tol=0.1)
//
// is Settings{C: 1e5, Penalty: L2, Solver: SAG, Tol: 0.1}.
//
// # Solvers
//
// Below, n is the number of samples and nnz the number of nonzero raw
// features in them; a full pass over the data costs O(nnz K + d K).
//
//   - SAG and SAGA follow scikit-learn's sag_fast: n draws per epoch with
//     replacement, its step sizes, the gradient sum divided by the number
//     of samples seen, the stopping rule max|W - W_prev|/max|W| <= Tol after
//     each epoch, NIter = epochs. SAGA supports L1 and ElasticNet through a
//     proximal step. The steps are lazy ("just in time"): a step costs
//     O(nnz_i K) for a sample with nnz_i nonzero raw features (with L1, plus
//     O(K) per feature that is nonzero somewhere), an epoch O(nnz K + d K);
//     the gradient memory takes n*K float64.
//   - LBFGS is limited-memory BFGS (50 pairs) on the full-batch objective
//     (L2 or none), stopping as scikit-learn 1.2's scipy L-BFGS-B call
//     does: max|gradient| <= Tol for the objective divided by C, or a
//     relative reduction of at most 2.2e-9; NIter counts iterations. An
//     iteration costs one pass, occasionally a few (the line search).
//   - LBFGS with Settings.Precondition (not in scikit-learn; L2 only) gives
//     the two-loop recursion an initial matrix built from the diagonal class
//     blocks of the Hessian, sum_i p_ik (1 - p_ik) x_i x_i^T + I/C for each
//     class k, on the directions where the K weights of a feature sum to
//     zero. The objective, the stopping rules and the optimum are those of
//     LBFGS; see Settings.Precondition for when the blocks are built, what
//     they cost and where they pay.
//   - NewtonCG is scikit-learn's solver='newton-cg' (L2 or none): a
//     truncated Newton method (Nocedal and Wright, Numerical Optimization,
//     algorithm 7.1; scikit-learn's _newton_cg). Each Newton iteration
//     solves the Newton system by conjugate gradients on exact
//     Hessian-vector products, stopped by the forcing term
//     ||r|| <= min(0.5, sqrt(||g||)) ||g|| or after 200 products, then
//     backtracks from the full step to sufficient decrease. A
//     Hessian-vector product is one pass, as a gradient is: for sample i
//     with probabilities p_i and logit change u_i along the direction, it
//     adds (p_i .* u_i - p_i (p_i . u_i)) x_i^T. It stops as scikit-learn's
//     does: max|gradient| <= Tol for the objective divided by C; NIter
//     counts Newton iterations. On ill-conditioned problems such as MNIST
//     it needs more passes than LBFGS; it is mainly a check of the optimum
//     by an independent second-order method.
//   - SGD is mini-batch stochastic gradient descent with momentum, not a
//     scikit-learn solver: a fast path to a good model that runs MaxIter
//     epochs (3 by default) of O(nnz K + (n/BatchSize) d K) each.
//
// L1 and ElasticNet with any solver but SAGA are errors, as in
// scikit-learn. Progress reports every epoch or iteration to
// Settings.Progress.
//
// # Data
//
// Dense wraps a float64 matrix. Pixels wraps rows of uint8 values with the
// mean and scale of a StandardScaler (preprocess.StandardScaler): the model
// is fitted on the standardised features (x - mean)/scale, and Coef is for
// them, as scikit-learn's coef_ after a StandardScaler, but the standardised
// matrix is never built. The scaler is folded into the weights,
//
//	W z + b = V x + c,   V = W/scale (per feature),   c = b - V.mean,
//
// and the gradient is unfolded exactly, dW = ((P-Y)^T x - s mean^T)/scale
// with s the column sums of P-Y, so the kernels touch only the nonzero raw
// pixels. A feature that is 0 in every training sample (mean 0, scale 1)
// has a zero gradient and keeps a weight of exactly 0 with every solver:
// the always-blank border pixels of MNIST give the notebook's sparsity.
// Fit stores the nonzero entries once per call, in compressed rows (5
// bytes per nonzero for Pixels, 12 for Dense), and the full-batch solvers
// with K = 10 keep a compressed-column copy of the same size.
//
// # Determinism and concurrency
//
// The full-batch passes run on Settings.Threads goroutines over fixed row
// blocks reduced in order, so results do not depend on the number of
// threads; SAG, SAGA and SGD draw samples from Settings.Seed. A fit is
// deterministic for given data and Settings on a given machine: on amd64
// with AVX2 and FMA the K = 10 kernels run in assembly, which rounds fused
// multiply-adds once, elsewhere (and with the noasm build tag) in pure Go,
// so the two agree to rounding, not bit for bit. Fit may be called from
// several goroutines at once; a Model may be used by several goroutines
// once fitted.
//
// # Errors
//
// Invalid settings, data that do not fit the model (non-finite features,
// labels and samples of different counts, a single class) and a diverging
// fit (ErrDiverged) are errors returned by Fit; reaching MaxIter is not an
// error (Model.Converged is false). Shapes that do not match in Loss,
// Gradient and the Model's methods are programmer errors and panic with a
// message prefixed "softmax: ".
//
// # Saving models
//
// Model.Save and Model.SaveFile write a versioned binary format that stores
// every float64 by its bits (Load returns an identical model); SaveFile
// replaces its file atomically. Load and LoadFile report files that are not
// models, of another format version, truncated or corrupt (ErrFormat).
//
// # Implementation
//
// The solvers (this package) are clients of internal/kernel, which holds
// the design matrix and the passes over it (objective and gradient,
// Hessian-vector products, the stochastic steps, the preconditioner); its
// K = 10 inner loops are in internal/asm. The figures of the project's
// benchmarks are in the README's speed section and scripts/bench/README.md.
package softmax
