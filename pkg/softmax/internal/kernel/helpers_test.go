package kernel

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/fixture"
)

// designs returns the pixels (rows of d) two ways, "pixels" (FromPixels
// with their scaler folded in) and "dense" (FromDense of the standardised
// values, also returned), which must give the same results.
func designs(t testing.TB, pix []uint8, d int) (ds map[string]*Design, xs *mat.Dense) {
	t.Helper()
	sc := fixture.Scaler(pix, d)
	xs = fixture.Standardise(pix, d, sc.Mean, sc.Scale)
	p, err := FromPixels(pix, d, sc.Mean, sc.Scale, true)
	if err != nil {
		t.Fatal(err)
	}
	q, err := FromDense(xs, true)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*Design{"pixels": p, "dense": q}, xs
}

// asmModes returns the values of asm.Enabled to test with: true where the
// CPU runs the assembly kernels, and false. Call it before changing
// asm.Enabled.
func asmModes() []bool {
	if asm.Enabled {
		return []bool{true, false}
	}
	return []bool{false}
}
