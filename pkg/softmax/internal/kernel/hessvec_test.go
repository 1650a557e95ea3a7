package kernel

import (
	"math/rand/v2"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/fixture"
)

// TestHessVecFiniteDifferences checks HessVec against central differences
// of the gradient of ObjGrad (itself checked against differences of the
// objective by softmax's TestGradientFiniteDifferences): H v = (g(x + h v)
// - g(x - h v)) / 2h up to O(h^2), for K = 3 (generic kernel) and K = 10
// (the asm kernels, assembly and Go twins), Pixels and Dense data, with and
// without an intercept.
func TestHessVecFiniteDifferences(t *testing.T) {
	modes := asmModes()
	defer func(old bool) { asm.Enabled = old }(asm.Enabled)
	for _, k := range []int{3, 10} {
		const n, d = 70, 13
		pix, y := fixture.Pixels(n, d, k, 31, 5)
		dss, _ := designs(t, pix, d)
		rng := rand.New(rand.NewPCG(uint64(k), 3))
		w, dirW := normals(rng, d*k, 0.3), normals(rng, d*k, 1)
		b0, dirB := normals(rng, k, 0.5), normals(rng, k, 1)
		for name, ds := range dss {
			for _, intercept := range []bool{true, false} {
				for _, withAsm := range modes {
					asm.Enabled = withAsm
					b, vb := b0, dirB
					if !intercept {
						b, vb = nil, nil
					}
					got, gotB := hessVec(ds, y, k, w, b, dirW, vb)
					want, wantB := fdHessVec(ds, y, k, w, b, dirW, vb)
					if diff := fixture.MaxRelDiff(got, want); diff > 1e-6 {
						t.Errorf("K=%d %s intercept=%v asm=%v: H v (weights) differs from finite differences by %g", k, name, intercept, withAsm, diff)
					}
					if diff := fixture.MaxRelDiff(gotB, wantB); intercept && diff > 1e-6 {
						t.Errorf("K=%d %s asm=%v: H v (intercepts) differs from finite differences by %g", k, name, withAsm, diff)
					}
				}
			}
		}
	}
}

// normals returns n normal deviates times scale.
func normals(rng *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * rng.NormFloat64()
	}
	return v
}

// hessVec returns the weight and intercept parts of the Hessian of sum_i
// CE_i at (w, b) times (vw, vb), computed by HessVec at the probabilities
// that ObjGrad stores.
func hessVec(ds *Design, y []int, k int, w, b, vw, vb []float64) (hw, hb []float64) {
	n, _ := ds.Dims()
	e := NewEvaluator(ds, y, k, 2)
	probs := make([]float64, n*k)
	e.ObjGrad(w, b, make([]float64, len(w)), nil, probs)
	hw = make([]float64, len(w))
	if vb != nil {
		hb = make([]float64, k)
	}
	e.HessVec(probs, vw, vb, hw, hb)
	return hw, hb
}

// fdHessVec returns the central difference of the gradient of ObjGrad
// along (vw, vb).
func fdHessVec(ds *Design, y []int, k int, w, b, vw, vb []float64) (hw, hb []float64) {
	const h = 1e-4
	e := NewEvaluator(ds, y, k, 2)
	grad := func(sign float64) (gw, gb []float64) {
		ws := make([]float64, len(w))
		for i := range ws {
			ws[i] = w[i] + sign*h*vw[i]
		}
		var bs []float64
		if b != nil {
			bs, gb = make([]float64, k), make([]float64, k)
			for i := range bs {
				bs[i] = b[i] + sign*h*vb[i]
			}
		}
		gw = make([]float64, len(w))
		e.ObjGrad(ws, bs, gw, gb, nil)
		return gw, gb
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
