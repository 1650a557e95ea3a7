package softmax

import (
	"math"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// TestPreconditionSettings checks that only LBFGS with the L2 penalty
// accepts Precondition.
func TestPreconditionSettings(t *testing.T) {
	for _, sv := range []Solver{SAG, SAGA, SGD, NewtonCG} {
		if err := (&Settings{Solver: sv, Precondition: true}).Validate(); err == nil {
			t.Errorf("%v with Precondition: no error", sv)
		}
	}
	if err := (&Settings{Precondition: true}).Validate(); err != nil {
		t.Errorf("LBFGS with Precondition: %v", err)
	}
	if err := (&Settings{Precondition: true, Penalty: NoPenalty}).Validate(); err == nil {
		t.Error("LBFGS with Precondition and no penalty: no error")
	}
}

// TestPreconditionSameOptimum checks that the preconditioned LBFGS reaches
// the optimum that NewtonCG (an independent second-order method, run to a
// gradient of 1e-10) reaches, to 1e-8 of the objective (LBFGS also stops
// on scipy's relative reduction rule, 2.2e-9 per iteration) and 1e-3 of
// the coefficients, for K = 3 and K = 10, Pixels and Dense data, with and
// without an intercept, with the preconditioner built at iteration 5, with
// and without the start preconditioner before it.
func TestPreconditionSameOptimum(t *testing.T) {
	defer func(f func(*kernel.Design, int) int) { precondAt = f }(precondAt)
	precondAt = func(*kernel.Design, int) int { return 5 }
	defer func(f func(*kernel.Design) bool) { startBlocksAt = f }(startBlocksAt)
	for _, k := range []int{3, 10} {
		const n, d = 300, 16
		pix, y := synthPixels(n, d, k, 23, 2)
		datas, _ := pixelsAndDense(pix, d)
		for name, x := range datas {
			ref := map[bool]*Model{}
			for _, noIntercept := range []bool{false, true} {
				ref[noIntercept] = mustFit(t, x, y, &Settings{C: 0.5, Tol: 1e-10, MaxIter: 1000, NoIntercept: noIntercept, Solver: NewtonCG})
			}
			for _, start := range []bool{false, true} {
				startBlocksAt = func(*kernel.Design) bool { return start }
				for _, noIntercept := range []bool{false, true} {
					s := &Settings{C: 0.5, Tol: 1e-10, MaxIter: 1000, NoIntercept: noIntercept, Precondition: true}
					pre := mustFit(t, x, y, s)
					r := ref[noIntercept]
					fp := Loss(x, y, pre.Coef, pre.Intercept, s)
					fr := Loss(x, y, r.Coef, r.Intercept, s)
					if math.Abs(fp-fr) > 1e-8*fr {
						t.Errorf("K=%d %s start=%v noIntercept=%v: objective %.12g preconditioned LBFGS, %.12g NewtonCG", k, name, start, noIntercept, fp, fr)
					}
					if diff := maxRelDiff(flat(pre.Coef), flat(r.Coef)); diff > 1e-3 {
						t.Errorf("K=%d %s start=%v noIntercept=%v: coef differs by %g of max|coef|", k, name, start, noIntercept, diff)
					}
				}
			}
		}
	}
}
