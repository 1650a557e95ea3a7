package softmax

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

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
		if gm := math.Max(floats.Norm(flat(&g), math.Inf(1)), floats.Norm(gb, math.Inf(1))) / scale; gm > tol {
			t.Errorf("C=%g %v: max|gradient|/C = %g > Tol %g", tc.c, tc.pen, gm, tol)
		}
	}
}
