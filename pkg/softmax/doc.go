// Package softmax fits multinomial (softmax) logistic regression with the
// semantics of scikit-learn's LogisticRegression(multi_class='multinomial'),
// fast enough to train on MNIST in well under a second.
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
//   - SAG and SAGA follow scikit-learn's sag_fast: n draws per epoch with
//     replacement, its step sizes, the gradient sum divided by the number
//     of samples seen, the stopping rule max|W - W_prev|/max|W| <= Tol after
//     each epoch, NIter = epochs. SAGA supports L1 and ElasticNet through a
//     proximal step. The steps are lazy ("just in time"): a step costs
//     O(nnz K) for a sample with nnz nonzero raw features.
//   - LBFGS is limited-memory BFGS on the full-batch objective (L2 or
//     none), stopping as scikit-learn 1.2's scipy L-BFGS-B call does:
//     max|gradient| <= Tol for the objective divided by C, or a relative
//     reduction of at most 2.2e-9. With Settings.Precondition (not in
//     scikit-learn; L2 penalty only) its initial matrix becomes a preconditioner built once
//     from the diagonal class blocks of the Hessian, sum_i p_ik (1 - p_ik)
//     x_i x_i^T + I/C for each class k, on the directions where the K
//     weights of a feature sum to zero: the same objective, stopping rules
//     and optimum in about a quarter of the passes on MNIST (C=1,
//     tol=1e-4: 171 passes against 661). Building it costs about 70 passes
//     there, so it is built only after as many iterations as 1.5 times its
//     estimated cost; before that, on problems with many nonzeros per
//     parameter, the initial matrix is the inverse Hessian at the start
//     (one shared block, about 20 passes to build on MNIST), and small
//     fits that converge sooner are plain LBFGS.
//   - NewtonCG is scikit-learn's solver='newton-cg' (L2 or none): a
//     truncated Newton method (Nocedal and Wright, Numerical Optimization,
//     algorithm 7.1; scikit-learn's _newton_cg). Each Newton iteration
//     solves the Newton system by conjugate gradients on exact
//     Hessian-vector products, stopped by the forcing term
//     ||r|| <= min(0.5, sqrt(||g||)) ||g|| or after 200 products, then
//     backtracks from the full step to sufficient decrease. A
//     Hessian-vector product is one parallel sparse pass over the data, as
//     a gradient is: for sample i with probabilities p_i and logit change
//     u_i along the direction, it adds (p_i .* u_i - p_i (p_i . u_i)) x_i^T.
//     It stops as scikit-learn's does: max|gradient| <= Tol for the
//     objective divided by C; NIter counts Newton iterations. On this
//     ill-conditioned problem it needs more passes over the data than
//     LBFGS (MNIST, C=1, tol=1e-4: 2500-3000 passes in 41-47 Newton
//     iterations against 650-730 for LBFGS) and is mainly a check of the
//     optimum by an independent second-order method.
//   - SGD is mini-batch stochastic gradient descent with momentum, not a
//     scikit-learn solver: the fast path to a good model (about 0.92 test
//     accuracy on MNIST in 3 epochs).
//
// L1 and ElasticNet with any solver but SAGA are errors, as in
// scikit-learn. The full-batch kernels run on Settings.Threads goroutines
// over fixed row blocks reduced in order, so results do not depend on the
// number of threads; SAG, SAGA and SGD draw samples from Settings.Seed.
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
// pixels (19% of MNIST's). A feature that is 0 in every training sample
// (mean 0, scale 1) has a zero gradient and keeps a weight of exactly 0
// with every solver: the 72-odd always-blank pixels of MNIST give the
// notebook's sparsity of about 9%.
//
// On amd64 with AVX2 and FMA the K = 10 kernels run in assembly, with a
// pure Go fallback elsewhere (and with the noasm build tag). A full pass
// (loss and gradient) costs about 20 fused multiply-adds per nonzero: the
// logits row by row over the compressed rows, the softmax of a row in
// vector registers (exponentials bit for bit as math.Exp), and the gradient
// column by column over blocks of a compressed-column copy of the design
// that the first full pass builds (5 bytes per nonzero for Pixels, 37 MB
// for MNIST's 50000 training rows), with the same operations in the same
// order as row by row, so the results do not depend on the path taken. On
// MNIST (50000 x 784, 7.5 million nonzeros) a pass takes about 12 ms on two
// shared cores.
//
// # Saving models
//
// Model.Save and Model.SaveFile write a versioned binary format that stores
// every float64 by its bits (Load returns an identical model); SaveFile
// replaces its file atomically. Load and LoadFile report files that are not
// models, of another format version, truncated or corrupt (ErrFormat).
package softmax
