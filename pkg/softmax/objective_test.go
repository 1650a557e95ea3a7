package softmax

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// flatParams packs coef (K x d) and intercept into one vector and back.
func flatParams(coef *mat.Dense, b []float64) []float64 {
	return append(flat(coef), b...)
}

func unflat(x []float64, k, d int, intercept bool) (*mat.Dense, []float64) {
	coef := mat.NewDense(k, d, append([]float64(nil), x[:k*d]...))
	if !intercept {
		return coef, nil
	}
	return coef, append([]float64(nil), x[k*d:]...)
}

// TestGradientFiniteDifferences checks Gradient against central finite
// differences of Loss (gonum/diff/fd) on Dense and Pixels data.
func TestGradientFiniteDifferences(t *testing.T) {
	const n, d, k = 30, 9, 4
	pix, y := synthPixels(n, d, k, 3, 2)
	sc := scaler(pix, d)
	xs := standardise(pix, d, sc.Mean, sc.Scale)
	rawDense := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			rawDense.Set(i, j, float64(pix[i*d+j])/255)
		}
	}
	data := []struct {
		name string
		x    Data
	}{
		{"pixels", Pixels(pix, d, sc.Mean, sc.Scale)},
		{"dense-standardised", Dense(xs)},
		{"dense-raw", Dense(rawDense)},
	}
	settings := []*Settings{
		{C: 0.7},
		{Penalty: NoPenalty},
		{C: 3, Penalty: L1, Solver: SAGA},
		{C: 2, Penalty: ElasticNet, L1Ratio: 0.3, Solver: SAGA},
	}
	for _, dt := range data {
		for _, s := range settings {
			for _, intercept := range []bool{true, false} {
				name := fmt.Sprintf("%s/%v/intercept=%v", dt.name, s.Penalty, intercept)
				t.Run(name, func(t *testing.T) {
					// A point away from 0 so that |W| is differentiable.
					x0 := make([]float64, k*d+k)
					for i := range x0 {
						x0[i] = 0.3*math.Sin(float64(3*i+1)) + 0.05
					}
					if !intercept {
						x0 = x0[:k*d]
					}
					f := func(x []float64) float64 {
						coef, b := unflat(x, k, d, intercept)
						return Loss(dt.x, y, coef, b, s)
					}
					want := fd.Gradient(nil, f, x0, &fd.Settings{Formula: fd.Central})
					coef, b := unflat(x0, k, d, intercept)
					var dc mat.Dense
					var db []float64
					if intercept {
						db = make([]float64, k)
					}
					loss := Gradient(&dc, db, dt.x, y, coef, b, s)
					if fl := f(x0); math.Abs(loss-fl) > 1e-12*math.Abs(fl) {
						t.Errorf("Gradient returned loss %v, Loss %v", loss, fl)
					}
					got := flatParams(&dc, db)
					for i := range got {
						if math.Abs(got[i]-want[i]) > 1e-6*math.Max(1, math.Abs(want[i])) {
							t.Fatalf("grad[%d] = %v, finite differences %v", i, got[i], want[i])
						}
					}
				})
			}
		}
	}
}

// TestLossByHand checks Loss on a tiny problem against a direct evaluation
// of the formula.
func TestLossByHand(t *testing.T) {
	x := mat.NewDense(3, 2, []float64{1, 0, 0, 2, -1, 1})
	y := []int{0, 1, 2}
	coef := mat.NewDense(3, 2, []float64{0.5, -0.2, 0.1, 0.3, -0.4, 0.0})
	b := []float64{0.1, -0.1, 0.05}
	want := 0.0
	for i := 0; i < 3; i++ {
		var z [3]float64
		for c := 0; c < 3; c++ {
			z[c] = b[c] + coef.At(c, 0)*x.At(i, 0) + coef.At(c, 1)*x.At(i, 1)
		}
		lse := math.Log(math.Exp(z[0]) + math.Exp(z[1]) + math.Exp(z[2]))
		want += lse - z[y[i]]
	}
	sq := 0.0
	for _, v := range coef.RawMatrix().Data {
		sq += v * v
	}
	if got := Loss(Dense(x), y, coef, b, &Settings{C: 2}); math.Abs(got-(2*want+0.5*sq)) > 1e-12 {
		t.Errorf("L2 loss %v, want %v", got, 2*want+0.5*sq)
	}
	if got := Loss(Dense(x), y, coef, b, &Settings{Penalty: NoPenalty}); math.Abs(got-want) > 1e-12 {
		t.Errorf("no-penalty loss %v, want %v", got, want)
	}
}

// TestPixelsMatchesDense checks that the folded Pixels path computes the
// same loss, gradient and predictions as Dense on explicitly standardised
// data.
func TestPixelsMatchesDense(t *testing.T) {
	for _, k := range []int{3, 10} {
		const n, d = 50, 13
		pix, y := synthPixels(n, d, k, 5, 0, 7)
		sc := scaler(pix, d)
		xs := standardise(pix, d, sc.Mean, sc.Scale)
		xp, xd := Pixels(pix, d, sc.Mean, sc.Scale), Dense(xs)
		coef := mat.NewDense(k, d, nil)
		b := make([]float64, k)
		for i := 0; i < k; i++ {
			b[i] = 0.1 * float64(i)
			for j := 0; j < d; j++ {
				coef.Set(i, j, math.Cos(float64(i*d+j)))
			}
		}
		s := &Settings{C: 1.5}
		var gp, gd mat.Dense
		bp, bd := make([]float64, k), make([]float64, k)
		lp := Gradient(&gp, bp, xp, y, coef, b, s)
		ld := Gradient(&gd, bd, xd, y, coef, b, s)
		if math.Abs(lp-ld) > 1e-12*math.Abs(ld) {
			t.Errorf("K=%d: loss %v (pixels) vs %v (dense)", k, lp, ld)
		}
		if diff := maxRelDiff(flat(&gp), flat(&gd)); diff > 1e-12 {
			t.Errorf("K=%d: gradient rel diff %g", k, diff)
		}
		if diff := maxRelDiff(bp, bd); diff > 1e-12 {
			t.Errorf("K=%d: intercept gradient rel diff %g", k, diff)
		}
		m := &Model{Coef: coef, Intercept: b, Classes: make([]int, k)}
		for i := range m.Classes {
			m.Classes[i] = 10 + i
		}
		if diff := maxRelDiff(flat(m.DecisionFunction(xp)), flat(m.DecisionFunction(xd))); diff > 1e-12 {
			t.Errorf("K=%d: decision rel diff %g", k, diff)
		}
		if diff := maxRelDiff(flat(m.PredictProba(xp)), flat(m.PredictProba(xd))); diff > 1e-12 {
			t.Errorf("K=%d: probability rel diff %g", k, diff)
		}
		pp, pd := m.Predict(xp), m.Predict(xd)
		for i := range pp {
			if pp[i] != pd[i] {
				t.Errorf("K=%d: prediction %d: %d vs %d", k, i, pp[i], pd[i])
			}
		}
		// The pixels path must also agree with a direct computation.
		z := m.DecisionFunction(xp)
		for i := 0; i < n; i++ {
			for c := 0; c < k; c++ {
				want := b[c]
				for j := 0; j < d; j++ {
					want += coef.At(c, j) * (float64(pix[i*d+j]) - sc.Mean[j]) / sc.Scale[j]
				}
				if math.Abs(z.At(i, c)-want) > 1e-12*math.Max(1, math.Abs(want)) {
					t.Fatalf("K=%d: z[%d,%d] = %v, want %v", k, i, c, z.At(i, c), want)
				}
			}
		}
	}
}

// TestKernelsAsmMatchGo checks the assembly kernels against the pure Go
// ones (the test is a no-op where there is no assembly).
func TestKernelsAsmMatchGo(t *testing.T) {
	if !asm.Enabled {
		t.Skip("no assembly kernels on this machine")
	}
	const n, d, k = 60, 23, 10
	pix, y := synthPixels(n, d, k, 11, 4)
	sc := scaler(pix, d)
	for _, x := range []Data{Pixels(pix, d, sc.Mean, sc.Scale), Dense(standardise(pix, d, sc.Mean, sc.Scale))} {
		coef := mat.NewDense(k, d, nil)
		for i := 0; i < k; i++ {
			for j := 0; j < d; j++ {
				coef.Set(i, j, math.Sin(float64(i+7*j)))
			}
		}
		b := make([]float64, k)
		run := func(withAsm bool) (float64, []float64, []float64) {
			defer func(old bool) { asm.Enabled = old }(asm.Enabled)
			asm.Enabled = withAsm
			var g mat.Dense
			gb := make([]float64, k)
			l := Gradient(&g, gb, x, y, coef, b, nil)
			return l, flat(&g), gb
		}
		la, ga, ba := run(true)
		lg, gg, bg := run(false)
		if math.Abs(la-lg) > 1e-12*math.Abs(lg) || maxRelDiff(ga, gg) > 1e-12 || maxRelDiff(ba, bg) > 1e-12 {
			t.Errorf("assembly and Go kernels differ: loss %v vs %v, grad %g, intercept %g", la, lg, maxRelDiff(ga, gg), maxRelDiff(ba, bg))
		}
		for _, s := range []*Settings{
			{Solver: SAG, MaxIter: 4, Tol: 1e-300, Seed: 3},
			{Solver: SAGA, Penalty: L1, C: 0.5, MaxIter: 4, Tol: 1e-300, Seed: 3},
			{Solver: SGD, MaxIter: 2, BatchSize: 7},
			{Solver: LBFGS, MaxIter: 10},
			{Solver: NewtonCG, MaxIter: 5},
		} {
			fit := func(withAsm bool) *Model {
				defer func(old bool) { asm.Enabled = old }(asm.Enabled)
				asm.Enabled = withAsm
				return mustFit(t, x, y, s)
			}
			ma, mg := fit(true), fit(false)
			if diff := maxRelDiff(flat(ma.Coef), flat(mg.Coef)); diff > 1e-10 {
				t.Errorf("%v/%v with assembly and Go kernels: coef rel diff %g", s.Solver, s.Penalty, diff)
			}
			if ma.Sparsity() != mg.Sparsity() {
				t.Errorf("%v/%v: sparsity %v (assembly) vs %v (Go)", s.Solver, s.Penalty, ma.Sparsity(), mg.Sparsity())
			}
		}
	}
}
