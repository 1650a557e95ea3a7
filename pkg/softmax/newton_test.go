package softmax

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// TestHessVecFiniteDifferences checks the Hessian-vector product of
// NewtonCG against central differences of the analytic gradient (Gradient
// with NoPenalty is the gradient of sum_i CE_i): H v = (g(x + h v) -
// g(x - h v)) / 2h up to O(h^2), for K = 3 (generic kernel) and K = 10
// (gemv/ger kernels, assembly and pure Go), Pixels and Dense data, with and
// without an intercept.
func TestHessVecFiniteDifferences(t *testing.T) {
	for _, k := range []int{3, 10} {
		const n, d = 70, 13
		pix, y := synthPixels(n, d, k, 31, 5)
		datas, _ := pixelsAndDense(pix, d)
		rng := rand.New(rand.NewPCG(uint64(k), 3))
		coef := mat.NewDense(k, d, nil)
		dirW := mat.NewDense(k, d, nil)
		for i := 0; i < k; i++ {
			for j := 0; j < d; j++ {
				coef.Set(i, j, 0.3*rng.NormFloat64())
				dirW.Set(i, j, rng.NormFloat64())
			}
		}
		b0 := make([]float64, k)
		dirB := make([]float64, k)
		for i := range b0 {
			b0[i] = 0.5 * rng.NormFloat64()
			dirB[i] = rng.NormFloat64()
		}
		asms := []bool{false}
		if asm.Enabled {
			asms = append(asms, true)
		}
		for name, x := range datas {
			for _, intercept := range []bool{true, false} {
				for _, withAsm := range asms {
					b, vb := b0, dirB
					if !intercept {
						b, vb = nil, nil
					}
					got, gotB := hessVecForTest(x, y, k, coef, b, dirW, vb, withAsm)
					want, wantB := fdHessVec(x, y, k, coef, b, dirW, vb)
					if diff := maxRelDiff(got, want); diff > 1e-6 {
						t.Errorf("K=%d %s intercept=%v asm=%v: H v (weights) differs from finite differences by %g", k, name, intercept, withAsm, diff)
					}
					if intercept {
						if diff := maxRelDiff(gotB, wantB); diff > 1e-6 {
							t.Errorf("K=%d %s asm=%v: H v (intercepts) differs from finite differences by %g", k, name, withAsm, diff)
						}
					}
				}
			}
		}
	}
}

// hessVecForTest returns the weight (feature-major) and intercept parts of
// the Hessian of sum_i CE_i at (coef, b) times (dirW, vb), computed by the
// evaluator.
func hessVecForTest(x Data, y []int, k int, coef *mat.Dense, b []float64, dirW *mat.Dense, vb []float64, withAsm bool) (hw, hb []float64) {
	defer func(old bool) { asm.Enabled = old }(asm.Enabled)
	asm.Enabled = withAsm
	ds, err := x.design(true)
	if err != nil {
		panic(err)
	}
	e := newEvaluator(ds, y, k, 2)
	e.probs = make([]float64, ds.n*k)
	w := toFeatureMajor(coef)
	e.eval(w, b, make([]float64, len(w)), nil, nil)
	hw = make([]float64, len(w))
	if vb != nil {
		hb = make([]float64, k)
	}
	e.hessVec(toFeatureMajor(dirW), vb, hw, hb)
	return hw, hb
}

// fdHessVec returns the central difference of Gradient (NoPenalty) along
// the direction, feature-major as hessVecForTest.
func fdHessVec(x Data, y []int, k int, coef *mat.Dense, b []float64, dirW *mat.Dense, vb []float64) (hw, hb []float64) {
	const h = 1e-4
	s := &Settings{Penalty: NoPenalty}
	grad := func(sign float64) ([]float64, []float64) {
		var c mat.Dense
		c.Scale(sign*h, dirW)
		c.Add(&c, coef)
		var bb, gb []float64
		if b != nil {
			bb = make([]float64, k)
			gb = make([]float64, k)
			for i := range bb {
				bb[i] = b[i] + sign*h*vb[i]
			}
		}
		var g mat.Dense
		Gradient(&g, gb, x, y, &c, bb, s)
		return toFeatureMajor(&g), gb
	}
	gp, gbp := grad(1)
	gm, gbm := grad(-1)
	hw = make([]float64, len(gp))
	for i := range hw {
		hw[i] = (gp[i] - gm[i]) / (2 * h)
	}
	if b != nil {
		hb = make([]float64, k)
		for i := range hb {
			hb[i] = (gbp[i] - gbm[i]) / (2 * h)
		}
	}
	return hw, hb
}

// TestNewtonCGStopsOnGradient checks NewtonCG's stopping rule: converged
// means max|gradient| <= Tol for the objective divided by C, as in
// scikit-learn's _newton_cg, and it needs few Newton iterations.
func TestNewtonCGStopsOnGradient(t *testing.T) {
	const n, d, k = 150, 12, 4
	pix, y := synthPixels(n, d, k, 5, 3)
	sc := scaler(pix, d)
	x := Pixels(pix, d, sc.Mean, sc.Scale)
	for _, tc := range []struct {
		c   float64
		pen Penalty
	}{{0.1, L2}, {10, L2}, {1, NoPenalty}} {
		tol := 1e-6
		s := &Settings{C: tc.c, Penalty: tc.pen, Solver: NewtonCG, Tol: tol}
		m := mustFit(t, x, y, s)
		if !m.Converged || m.NIter == 0 || m.NIter > 50 {
			t.Errorf("C=%g %v: converged %v after %d iterations", tc.c, tc.pen, m.Converged, m.NIter)
		}
		var g mat.Dense
		gb := make([]float64, k)
		Gradient(&g, gb, x, y, m.Coef, m.Intercept, s)
		scale := tc.c
		if tc.pen == NoPenalty {
			scale = 1
		}
		if gm := math.Max(maxAbs(flat(&g)), maxAbs(gb)) / scale; gm > tol {
			t.Errorf("C=%g %v: max|gradient|/C = %g > Tol %g", tc.c, tc.pen, gm, tol)
		}
	}
}
