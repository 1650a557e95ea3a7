package softmax

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/preprocess"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/fixture"
)

// synthPixels is fixture.Pixels.
func synthPixels(n, d, k int, seed uint64, zero ...int) (pix []uint8, y []int) {
	return fixture.Pixels(n, d, k, seed, zero...)
}

// scaler is fixture.Scaler.
func scaler(pix []uint8, d int) *preprocess.StandardScaler { return fixture.Scaler(pix, d) }

// standardise is fixture.Standardise.
func standardise(pix []uint8, d int, mean, scale []float64) *mat.Dense {
	return fixture.Standardise(pix, d, mean, scale)
}

// pixelsAndDense returns the pixels as Data two ways, "pixels" (Pixels with
// the scaler folded in) and "dense" (Dense of the standardised values,
// also returned), which must give the same results.
func pixelsAndDense(pix []uint8, d int) (datas map[string]Data, xs *mat.Dense) {
	sc := scaler(pix, d)
	xs = standardise(pix, d, sc.Mean, sc.Scale)
	return map[string]Data{"pixels": Pixels(pix, d, sc.Mean, sc.Scale), "dense": Dense(xs)}, xs
}

// maxRelDiff is fixture.MaxRelDiff.
func maxRelDiff(a, b []float64) float64 { return fixture.MaxRelDiff(a, b) }

func flat(m *mat.Dense) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		out = append(out, m.RawRowView(i)...)
	}
	return out
}

func mustFit(t *testing.T, x Data, y []int, s *Settings) *Model {
	t.Helper()
	m, err := Fit(x, y, s)
	if err != nil {
		t.Fatalf("Fit: %v", err)
	}
	return m
}
