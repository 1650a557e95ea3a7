// Package kernel is the computational layer of pkg/softmax: the design
// matrix of a fit and the passes over it that the solvers are clients of.
//
// The solvers use four things, each taking its points, directions and
// outputs as arguments:
//
//   - the objective and its gradient: Evaluator.ObjGrad over all rows
//     (also storing the softmax probabilities when asked) and
//     Evaluator.Rows over a mini-batch;
//   - Hessian-vector products at given probabilities: Evaluator.HessVec;
//   - the stochastic step of SAG and SAGA: SAG.Epoch;
//   - the class-block preconditioner of L-BFGS: ClassBlocks.
//
// Evaluator.Scores gives the decision values of a model.
//
// # Data layout
//
// A Design holds the nonzero raw entries row by row (compressed sparse
// rows) with uint8 values (pixels) or float64 values (dense data) and a
// per-feature affine map, the folded standard scaler: the model sees
// raw*inv - m. Weights are d*K, feature-major (w[j*K+k]), so that the K
// weights of one feature are contiguous; intercepts are K. The scaler is
// folded into the weights before a pass (v = w*inv, c = b - m.w) and the
// gradient is unfolded after it (dW = G_raw*inv - m s^T, s the column sums
// of P-Y), so a pass touches only the nonzero raw entries.
//
// # Determinism
//
// A full pass cuts the rows into 8 fixed blocks, accumulates each on its
// own and reduces them in order, so results do not depend on the number of
// goroutines. For K = 10 the per-row work runs in the kernels of
// internal/asm (assembly where the CPU has AVX2 and FMA), and the
// gradient of a full pass is accumulated column by column over blocks of
// a compressed-column copy of the design built at the first such pass, with
// the same multiply-adds in the same order as row by row.
//
// # Errors
//
// FromDense and FromPixels return errors for non-finite data, worded for
// the user of pkg/softmax; everything else panics on shapes that do not
// match, which are programmer errors of pkg/softmax.
package kernel
