package softmax

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// Loss returns the objective that Fit minimises, scikit-learn's
//
//	C * sum_i CE_i + penalty(W),  CE_i = log(sum_k exp(z_ik)) - z_i,y_i,  z_i = W x_i + b,
//
// with penalty(W) = 0.5*||W||_F^2 (L2), ||W||_1 (L1),
// L1Ratio*||W||_1 + 0.5*(1-L1Ratio)*||W||_F^2 (ElasticNet); with NoPenalty
// it returns sum_i CE_i. The intercept b is not penalised. Only C, Penalty
// and L1Ratio of s are used (nil s means the defaults).
//
// coef is K x d (d the number of features of x), y holds class indices in
// [0, K), and intercept is nil (no intercept) or of length K. Loss panics if
// the shapes do not match, if a label is out of range, or if s is invalid.
// It costs one pass over the nonzero entries of x, O(nnz K + d K).
func Loss(x Data, y []int, coef *mat.Dense, intercept []float64, s *Settings) float64 {
	return objective(nil, nil, x, y, coef, intercept, s)
}

// Gradient stores in dCoef (K x d) and dIntercept (length K, or nil) the
// gradient of Loss with respect to coef and intercept, and returns Loss.
// The gradient of the data term is C * sum_i (p_i - y_i) x_i^T, the softmax
// probabilities minus the one-hot labels times the features; with L1 it
// uses the subgradient sign(W) (0 at 0). A zero-sized dCoef is resized;
// otherwise Gradient panics if its shape is not K x d. Other panics are as
// for Loss.
func Gradient(dCoef *mat.Dense, dIntercept []float64, x Data, y []int, coef *mat.Dense, intercept []float64, s *Settings) float64 {
	if dCoef == nil {
		panic("softmax: Gradient: nil dCoef")
	}
	return objective(dCoef, dIntercept, x, y, coef, intercept, s)
}

func objective(dCoef *mat.Dense, dIntercept []float64, x Data, y []int, coef *mat.Dense, intercept []float64, s *Settings) float64 {
	cf, err := validate(s)
	if err != nil {
		panic(err.Error())
	}
	k, d := coef.Dims()
	n, f := x.Dims()
	if f != d {
		panic(fmt.Sprintf("softmax: coef has %d columns, data has %d features", d, f))
	}
	if len(y) != n {
		panic(fmt.Sprintf("softmax: %d labels for %d samples", len(y), n))
	}
	if intercept != nil && len(intercept) != k {
		panic(fmt.Sprintf("softmax: len(intercept) = %d, want %d", len(intercept), k))
	}
	for i, c := range y {
		if c < 0 || c >= k {
			panic(fmt.Sprintf("softmax: y[%d] = %d: class index out of range [0, %d)", i, c, k))
		}
	}
	if dCoef != nil {
		if dCoef.IsEmpty() {
			dCoef.ReuseAs(k, d)
		} else if r, c := dCoef.Dims(); r != k || c != d {
			panic(fmt.Sprintf("softmax: dCoef is %dx%d, want %dx%d", r, c, k, d))
		}
	}
	if dIntercept != nil && len(dIntercept) != k {
		panic(fmt.Sprintf("softmax: len(dIntercept) = %d, want %d", len(dIntercept), k))
	}
	ds, _ := x.design(false)
	w := toFeatureMajor(coef)
	e := kernel.NewEvaluator(ds, y, k, cf.threads)
	var gw, gb []float64
	if dCoef != nil {
		gw = make([]float64, d*k)
	}
	if dIntercept != nil {
		gb = make([]float64, k)
	}
	ce := e.ObjGrad(w, intercept, gw, gb, nil)
	scale, a, b := cf.c, cf.alpha*cf.c, cf.beta*cf.c
	if cf.Penalty == NoPenalty {
		scale, a, b = 1, 0, 0
	}
	obj := scale*ce + penalty(w, a, b)
	if dCoef != nil {
		addPenaltyGrad(gw, w, scale, a, b)
		fromFeatureMajor(dCoef, gw, k, d)
	}
	for kk := range dIntercept {
		dIntercept[kk] = scale * gb[kk]
	}
	return obj
}

// penalty returns a*0.5*||w||^2 + b*||w||_1.
func penalty(w []float64, a, b float64) float64 {
	var sq, abs float64
	for _, x := range w {
		sq += x * x
		abs += math.Abs(x)
	}
	p := 0.0
	if a != 0 {
		p += 0.5 * a * sq
	}
	if b != 0 {
		p += b * abs
	}
	return p
}

// addPenaltyGrad sets g = scale*g + a*w + b*sign(w).
func addPenaltyGrad(g, w []float64, scale, a, b float64) {
	for i, x := range w {
		v := scale * g[i]
		if a != 0 {
			v += a * x
		}
		if b != 0 && x != 0 {
			v += math.Copysign(b, x)
		}
		g[i] = v
	}
}

// toFeatureMajor returns the d*K feature-major copy of the K x d coef.
func toFeatureMajor(coef mat.Matrix) []float64 {
	k, d := coef.Dims()
	w := make([]float64, d*k)
	for kk := 0; kk < k; kk++ {
		for j := 0; j < d; j++ {
			w[j*k+kk] = coef.At(kk, j)
		}
	}
	return w
}

// fromFeatureMajor stores the d*K feature-major w into the K x d dst.
func fromFeatureMajor(dst *mat.Dense, w []float64, k, d int) {
	for kk := 0; kk < k; kk++ {
		for j := 0; j < d; j++ {
			dst.Set(kk, j, w[j*k+kk])
		}
	}
}
