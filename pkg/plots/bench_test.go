package plots

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// synthWeights returns a k x 784 matrix of smooth random weights.
func synthWeights(k int, seed uint64) *mat.Dense {
	r := rand.New(rand.NewPCG(seed, 7))
	w := mat.NewDense(k, Side*Side, nil)
	for i := range k {
		for j := range Side * Side {
			w.Set(i, j, r.NormFloat64())
		}
	}
	return w
}

func BenchmarkWeightsPNG(b *testing.B) {
	w := synthWeights(10, 1)
	for _, bc := range []struct {
		name string
		s    *Settings
	}{{"Greys", nil}, {"RdBu", &Settings{ColorMap: RdBu}}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Weights(w, bc.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// synthDigits returns six synthetic digits: pixel ramps, a constant image,
// a cross and float images with negative values.
func synthDigits() []Digit {
	ramp := make([]uint8, Side*Side)
	cross := make([]uint8, Side*Side)
	vals := make([]float64, Side*Side)
	for r := range Side {
		for c := range Side {
			ramp[r*Side+c] = uint8(255 * c / (Side - 1))
			if r == c || r+c == Side-1 {
				cross[r*Side+c] = 255
			}
			vals[r*Side+c] = float64(r-c) / 10
		}
	}
	return []Digit{
		{Pixels: ramp, Caption: "ramp 0..255"},
		{Pixels: make([]uint8, Side*Side), Caption: "blank"},
		{Pixels: cross, Caption: Caption(4, 9, 0.81)},
		{Values: vals, Caption: "values (r-c)/10"},
		{Values: make([]float64, Side*Side), Caption: "constant values"},
		{Pixels: cross},
	}
}
