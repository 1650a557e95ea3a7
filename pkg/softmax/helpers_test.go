package softmax

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/preprocess"
)

// synthPixels returns n rows of d uint8 "pixels" with k classes: each class
// lights a different band of features, about 30% of the pixels are nonzero,
// and the features listed in zero are 0 in every row.
func synthPixels(n, d, k int, seed uint64, zero ...int) (pix []uint8, y []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	pix = make([]uint8, n*d)
	y = make([]int, n)
	isZero := make(map[int]bool)
	for _, j := range zero {
		isZero[j] = true
	}
	for i := 0; i < n; i++ {
		c := i % k
		y[i] = c
		for j := 0; j < d; j++ {
			if isZero[j] {
				continue
			}
			p := 0.15
			if j%k == c {
				p = 0.6
			}
			if rng.Float64() < p {
				pix[i*d+j] = uint8(1 + rng.IntN(255))
			}
		}
	}
	return pix, y
}

// scaler returns the StandardScaler fitted on the pixels.
func scaler(pix []uint8, d int) *preprocess.StandardScaler {
	var s preprocess.StandardScaler
	s.FitPixels(pix, d)
	return &s
}

// standardise returns (pix - mean)/scale as a dense matrix.
func standardise(pix []uint8, d int, mean, scale []float64) *mat.Dense {
	n := len(pix) / d
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			x.Set(i, j, (float64(pix[i*d+j])-mean[j])/scale[j])
		}
	}
	return x
}

// pixelsAndDense returns the pixels as Data two ways, "pixels" (Pixels with
// the scaler folded in) and "dense" (Dense of the standardised values,
// also returned), which must give the same results.
func pixelsAndDense(pix []uint8, d int) (datas map[string]Data, xs *mat.Dense) {
	sc := scaler(pix, d)
	xs = standardise(pix, d, sc.Mean, sc.Scale)
	return map[string]Data{"pixels": Pixels(pix, d, sc.Mean, sc.Scale), "dense": Dense(xs)}, xs
}

// maxRelDiff returns max|a-b| / max(max|b|, tiny).
func maxRelDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var d, m float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
		m = math.Max(m, math.Abs(b[i]))
	}
	if m == 0 {
		return d
	}
	return d / m
}

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
