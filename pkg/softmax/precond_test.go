package softmax

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

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

// TestPreconditionRealSchedule runs the preconditioned LBFGS with the
// package's own scheduling rules, precondIteration and startBlocksPay (the
// other tests replace them), on two small problems where they trigger
// before convergence: one dense enough that 6 (d+1)^2 <= nnz, so that the
// start blocks run until the class blocks are built, and one where they do
// not. The rules' values are checked against the documented formulas,
// computed here from the pixels; the fit must be the one with the schedule
// forced to those values, differ from the ones with the other start
// decision and from plain LBFGS (the blocks were used), and reach the
// optimum of NewtonCG to 1e-8 of the objective and 1e-3 of the
// coefficients.
func TestPreconditionRealSchedule(t *testing.T) {
	for _, tc := range []struct {
		n, d, k int
		start   bool
	}{
		{300, 8, 3, true},
		{300, 30, 3, false},
	} {
		pix, y := synthPixels(tc.n, tc.d, tc.k, 41)
		sc := scaler(pix, tc.d)
		x := Pixels(pix, tc.d, sc.Mean, sc.Scale)
		ds, err := x.design(true)
		if err != nil {
			t.Fatal(err)
		}
		at, start := documentedSchedule(pix, tc.d)
		if got := precondIteration(ds, tc.k); got != at {
			t.Errorf("d=%d: precondIteration = %d, the formula gives %d", tc.d, got, at)
		}
		if got := startBlocksPay(ds); got != start || start != tc.start {
			t.Fatalf("d=%d: startBlocksPay = %v, the formula gives %v, want %v", tc.d, got, start, tc.start)
		}
		s := &Settings{C: 0.5, Tol: 1e-10, MaxIter: 1000, Precondition: true}
		pre := mustFit(t, x, y, s)
		if pre.NIter <= at {
			t.Fatalf("d=%d: converged after %d iterations, before the blocks (iteration %d)", tc.d, pre.NIter, at)
		}
		forced := func(start bool) *Model {
			defer func(f func(*kernel.Design, int) int) { precondAt = f }(precondAt)
			defer func(f func(*kernel.Design) bool) { startBlocksAt = f }(startBlocksAt)
			precondAt = func(*kernel.Design, int) int { return at }
			startBlocksAt = func(*kernel.Design) bool { return start }
			return mustFit(t, x, y, s)
		}
		if m := forced(tc.start); !mat.Equal(m.Coef, pre.Coef) || m.NIter != pre.NIter {
			t.Errorf("d=%d: the fit differs from the one with the schedule forced to its rules", tc.d)
		}
		if m := forced(!tc.start); mat.Equal(m.Coef, pre.Coef) {
			t.Errorf("d=%d: the same fit with the start blocks %v", tc.d, !tc.start)
		}
		plain := mustFit(t, x, y, &Settings{C: 0.5, Tol: 1e-10, MaxIter: 1000})
		if mat.Equal(plain.Coef, pre.Coef) {
			t.Errorf("d=%d: the same fit as plain LBFGS (no preconditioner used)", tc.d)
		}
		ref := mustFit(t, x, y, &Settings{C: 0.5, Tol: 1e-10, MaxIter: 1000, Solver: NewtonCG})
		fp, fr := Loss(x, y, pre.Coef, pre.Intercept, s), Loss(x, y, ref.Coef, ref.Intercept, s)
		if math.Abs(fp-fr) > 1e-8*fr {
			t.Errorf("d=%d: objective %.12g preconditioned LBFGS, %.12g NewtonCG", tc.d, fp, fr)
		}
		if diff := maxRelDiff(flat(pre.Coef), flat(ref.Coef)); diff > 1e-3 {
			t.Errorf("d=%d: coef differs from NewtonCG's by %g of max|coef|", tc.d, diff)
		}
		t.Logf("d=%d: blocks at iteration %d, start blocks %v, %d iterations (plain %d)", tc.d, at, start, pre.NIter, plain.NIter)
	}
}

// documentedSchedule returns the iteration at which Settings.Precondition
// builds the class blocks, ceil(1.5 P) with P = sum_i nnz_i (nnz_i+1) /
// (2 nnz) + (d+1)^3 / (12 nnz), and whether the start blocks run before
// it, 6 (d+1)^2 <= nnz, for rows of d pixels.
func documentedSchedule(pix []uint8, d int) (at int, start bool) {
	var pairs, nnz float64
	for i := 0; i < len(pix)/d; i++ {
		m := 0.0
		for _, v := range pix[i*d : (i+1)*d] {
			if v != 0 {
				m++
			}
		}
		pairs += m * (m + 1) / 2
		nnz += m
	}
	size := float64(d + 1)
	p := pairs/nnz + size*size*size/(12*nnz)
	return int(math.Ceil(1.5 * p)), 6*size*size <= nnz
}
