package kernel

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/fixture"
)

// TestObjGradExtremeLogits checks the K = 10 pass on logits that span up
// to some 10^4, beyond the 700 that asm.Softmax10 takes, so that rows take
// the scalar fallback: the cross-entropy sum of ObjGrad and the
// probabilities it stores equal those computed row by row from Scores with
// the generic Softmax, to 1e-12, with the assembly kernels and without.
func TestObjGradExtremeLogits(t *testing.T) {
	const n, d, k = 200, 12, 10
	pix, y := fixture.Pixels(n, d, k, 13)
	dss, _ := designs(t, pix, d)
	modes := asmModes()
	defer func(old bool) { asm.Enabled = old }(asm.Enabled)
	for name, ds := range dss {
		for _, scale := range []float64{1, 300} {
			w := normals(rand.New(rand.NewPCG(7, 1)), d*k, scale)
			b := normals(rand.New(rand.NewPCG(8, 1)), k, scale)
			for _, withAsm := range modes {
				asm.Enabled = withAsm
				e := NewEvaluator(ds, y, k, 2)
				probs := make([]float64, n*k)
				ce := e.ObjGrad(w, b, make([]float64, d*k), make([]float64, k), probs)
				z := make([]float64, n*k)
				e.Scores(z, w, b)
				want, wide := 0.0, 0
				for i := 0; i < n; i++ {
					row := z[i*k : i*k+k]
					zy := row[y[i]]
					if span(row) > 700 {
						wide++
					}
					want += Softmax(row) - zy
					if diff := fixture.MaxRelDiff(probs[i*k:i*k+k], row); diff > 1e-12 {
						t.Fatalf("%s scale=%g asm=%v: row %d: probabilities differ by %g", name, scale, withAsm, i, diff)
					}
				}
				if math.Abs(ce-want) > 1e-12*want {
					t.Errorf("%s scale=%g asm=%v: cross-entropy %v, row by row %v", name, scale, withAsm, ce, want)
				}
				if scale > 1 && wide < n/2 {
					t.Fatalf("%s: only %d of %d rows span more than 700", name, wide, n)
				}
			}
		}
	}
}

// span returns max(z) - min(z).
func span(z []float64) float64 {
	lo, hi := z[0], z[0]
	for _, x := range z {
		lo, hi = min(lo, x), max(hi, x)
	}
	return hi - lo
}
