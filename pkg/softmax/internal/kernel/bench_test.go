package kernel

import (
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/fixture"
)

// BenchmarkEval times one full-batch loss and gradient pass (K = 10) over
// 20000 synthetic 784-pixel rows folded with their scaler, as L-BFGS runs
// it on MNIST.
func BenchmarkEval(b *testing.B) {
	const n, d, k = 20000, 784, 10
	pix, y := fixture.Pixels(n, d, k, 3)
	// Make the rows about as sparse as MNIST (19% nonzero).
	for t := range pix {
		if t%3 != 0 {
			pix[t] = 0
		}
	}
	sc := fixture.Scaler(pix, d)
	ds, err := FromPixels(pix, d, sc.Mean, sc.Scale, true)
	if err != nil {
		b.Fatal(err)
	}
	e := NewEvaluator(ds, y, k, 2)
	w := make([]float64, d*k)
	for i := range w {
		w[i] = 1e-3 * float64(i%17-8)
	}
	bias := make([]float64, k)
	gw := make([]float64, d*k)
	gb := make([]float64, k)
	b.SetBytes(int64(ds.NNZ()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.ObjGrad(w, bias, gw, gb, nil)
	}
}
