package preprocess

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// close reports whether a and b agree within the absolute or relative
// tolerance tol.
func close(a, b, tol float64) bool { return scalar.EqualWithinAbsOrRel(a, b, tol, tol) }

func TestStandardScalerGolden(t *testing.T) {
	t.Parallel()
	for _, test := range loadGolden(t).Scaler {
		x := mat.NewDense(test.Rows, test.Cols, test.X)
		var s StandardScaler
		s.Fit(x)
		if s.NSamples != test.NSamples {
			t.Errorf("%s: NSamples %d, want %d", test.Name, s.NSamples, test.NSamples)
		}
		for j := range test.Cols {
			// The mean and variance must be as accurate as the exact
			// (rational) values allow, and agree with scikit-learn.
			if !close(s.Mean[j], test.ExactMean[j], 1e-15) || !close(s.Mean[j], test.Mean[j], 1e-15) {
				t.Errorf("%s: Mean[%d] = %v, want %v (exact %v)", test.Name, j, s.Mean[j], test.Mean[j], test.ExactMean[j])
			}
			if !close(s.Var[j], test.ExactVar[j], 1e-12) || !close(s.Var[j], test.Var[j], 1e-12) {
				t.Errorf("%s: Var[%d] = %v, want %v (exact %v)", test.Name, j, s.Var[j], test.Var[j], test.ExactVar[j])
			}
			// Constant features must be identified exactly as scikit-learn
			// does: a scale of exactly 1 where scikit-learn has 1.
			if (s.Scale[j] == 1) != (test.Scale[j] == 1) || !close(s.Scale[j], test.Scale[j], 1e-12) {
				t.Errorf("%s: Scale[%d] = %v, want %v", test.Name, j, s.Scale[j], test.Scale[j])
			}
		}
		var z mat.Dense
		s.Transform(&z, x)
		want := mat.NewDense(test.Rows, test.Cols, test.Transform)
		if !mat.EqualApprox(&z, want, 1e-9) {
			t.Errorf("%s: Transform differs from scikit-learn:\n got %v\nwant %v", test.Name,
				mat.Formatted(&z, mat.Squeeze()), mat.Formatted(want, mat.Squeeze()))
		}
	}
}

func TestStandardScalerHugeMean(t *testing.T) {
	t.Parallel()
	// Values 1e9 + k/8, k = 0..7: exact mean 1e9 + 7/16, exact variance
	// (64-1)/12/64 = 21/256. A one-pass sum of squares loses every digit.
	x := mat.NewDense(8, 1, nil)
	for k := range 8 {
		x.Set(k, 0, 1e9+float64(k)/8)
	}
	var s StandardScaler
	s.Fit(x)
	if s.Mean[0] != 1e9+7.0/16 {
		t.Errorf("Mean = %v, want %v", s.Mean[0], 1e9+7.0/16)
	}
	if s.Var[0] != 21.0/256 {
		t.Errorf("Var = %v, want %v", s.Var[0], 21.0/256)
	}
}

func TestConstantFeatures(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name  string
		col   []float64
		scale float64 // 0: sqrt(Var)
	}{
		{"zeros", []float64{0, 0, 0}, 1},
		{"constant", []float64{-3.5, -3.5, -3.5, -3.5}, 1},
		{"one row", []float64{42}, 1},
		{"one ulp of 1e8", []float64{1e8, math.Nextafter(1e8, 2e8), 1e8, math.Nextafter(1e8, 2e8)}, 1},
		{"tiny but real", []float64{0, 1e-150}, 0},
		{"one nonzero pixel", append(make([]float64, 69999), 1), 0},
	} {
		x := mat.NewDense(len(test.col), 1, test.col)
		var s StandardScaler
		s.Fit(x)
		want := test.scale
		if want == 0 {
			want = math.Sqrt(s.Var[0])
			if want == 0 || want == 1 {
				t.Fatalf("%s: bad test, variance %v", test.name, s.Var[0])
			}
		}
		if s.Scale[0] != want {
			t.Errorf("%s: Scale = %v, want %v", test.name, s.Scale[0], want)
		}
		var z mat.Dense
		s.Transform(&z, x)
		if test.scale == 1 && test.col[0] == test.col[len(test.col)-1] {
			for i := range len(test.col) {
				if z.At(i, 0) != 0 {
					t.Errorf("%s: constant feature transformed to %v, want 0", test.name, z.At(i, 0))
				}
			}
		}
	}
}

func TestFitPixelsGolden(t *testing.T) {
	t.Parallel()
	g := loadGolden(t).Pixels
	var s StandardScaler
	s.FitPixels(g.Pix, g.Features)
	if s.NSamples != g.Rows {
		t.Errorf("NSamples = %d, want %d", s.NSamples, g.Rows)
	}
	for j := range g.Features {
		// The integer sums make the variance correctly rounded: equal to
		// float(Fraction(exact variance)).
		if s.Var[j] != g.ExactVar[j] || !close(s.Var[j], g.Var[j], 1e-12) {
			t.Errorf("Var[%d] = %v, want %v (exact %v)", j, s.Var[j], g.Var[j], g.ExactVar[j])
		}
		if !close(s.Mean[j], g.Mean[j], 1e-15) {
			t.Errorf("Mean[%d] = %v, want %v", j, s.Mean[j], g.Mean[j])
		}
		if (s.Scale[j] == 1) != (g.Scale[j] == 1) || !close(s.Scale[j], g.Scale[j], 1e-12) {
			t.Errorf("Scale[%d] = %v, want %v", j, s.Scale[j], g.Scale[j])
		}
	}
	var z mat.Dense
	s.TransformPixels(&z, g.Pix)
	if want := mat.NewDense(g.Rows, g.Features, g.Transform); !mat.EqualApprox(&z, want, 1e-12) {
		t.Errorf("TransformPixels differs from scikit-learn")
	}
}

// pixelData returns rows x features random pixels, about a fifth of them
// nonzero like MNIST's, with feature 0 always 0 and feature 1 always 255.
func pixelData(rows, features int, seed uint64) []uint8 {
	rnd := rand.New(rand.NewPCG(seed, 1))
	pix := make([]uint8, rows*features)
	for i := range rows {
		for j := range features {
			var v uint8
			switch {
			case j == 0:
			case j == 1:
				v = 255
			case rnd.IntN(5) == 0:
				v = uint8(1 + rnd.IntN(255))
			}
			pix[i*features+j] = v
		}
	}
	return pix
}

func pixelDense(pix []uint8, features int) *mat.Dense {
	x := mat.NewDense(len(pix)/features, features, nil)
	for i, p := range pix {
		x.Set(i/features, i%features, float64(p))
	}
	return x
}

func TestFitPixelsMatchesFit(t *testing.T) {
	t.Parallel()
	// 70000 rows cross the 65536-row block of the uint32 accumulators.
	for _, test := range []struct{ rows, features int }{
		{1, 5}, {2, 3}, {1000, 784}, {70000, 7},
	} {
		pix := pixelData(test.rows, test.features, uint64(test.rows))
		x := pixelDense(pix, test.features)
		var sp, sd StandardScaler
		sp.FitPixels(pix, test.features)
		sd.Fit(x)
		if sp.NSamples != sd.NSamples {
			t.Errorf("%dx%d: NSamples %d vs %d", test.rows, test.features, sp.NSamples, sd.NSamples)
		}
		for j := range test.features {
			if !close(sp.Mean[j], sd.Mean[j], 1e-15) || !close(sp.Var[j], sd.Var[j], 1e-12) ||
				!close(sp.Scale[j], sd.Scale[j], 1e-12) || (sp.Scale[j] == 1) != (sd.Scale[j] == 1) {
				t.Errorf("%dx%d feature %d: FitPixels mean %v var %v scale %v; Fit mean %v var %v scale %v",
					test.rows, test.features, j, sp.Mean[j], sp.Var[j], sp.Scale[j], sd.Mean[j], sd.Var[j], sd.Scale[j])
			}
		}
		if sp.Scale[0] != 1 || sp.Mean[0] != 0 || sp.Var[0] != 0 {
			t.Errorf("%dx%d: all-zero feature: mean %v var %v scale %v", test.rows, test.features, sp.Mean[0], sp.Var[0], sp.Scale[0])
		}
		if sp.Scale[1] != 1 || sp.Mean[1] != 255 || sp.Var[1] != 0 {
			t.Errorf("%dx%d: all-255 feature: mean %v var %v scale %v", test.rows, test.features, sp.Mean[1], sp.Var[1], sp.Scale[1])
		}

		// With the same fitted state, TransformPixels equals Transform of
		// the float64 copy bit for bit.
		var zp, zd mat.Dense
		sp.TransformPixels(&zp, pix)
		sp.Transform(&zd, x)
		if !mat.Equal(&zp, &zd) {
			t.Errorf("%dx%d: TransformPixels differs from Transform", test.rows, test.features)
		}
	}
}

func TestFitPixelsLargeCounts(t *testing.T) {
	t.Parallel()
	// 70000 rows, all 255 but every 1000th: sum(x^2) = 69930*255^2 > 2^32,
	// so this checks that the uint32 block accumulators are flushed in time.
	// With p = 69930/70000: mean = 255p, var = 255^2 p(1-p).
	const rows = 70000
	pix := make([]uint8, 2*rows)
	for i := range rows {
		if i%1000 != 0 {
			pix[2*i] = 255
		}
		pix[2*i+1] = uint8(i % 2) // mean 1/2, var 1/4
	}
	var s StandardScaler
	s.FitPixels(pix, 2)
	p := 69930.0 / 70000
	if !close(s.Mean[0], 255*p, 1e-15) || !close(s.Var[0], 255*255*p*(1-p), 1e-14) {
		t.Errorf("feature 0: mean %v var %v, want %v and %v", s.Mean[0], s.Var[0], 255*p, 255*255*p*(1-p))
	}
	if s.Mean[1] != 0.5 || s.Var[1] != 0.25 || s.Scale[1] != 0.5 {
		t.Errorf("feature 1: mean %v var %v scale %v, want 0.5, 0.25, 0.5", s.Mean[1], s.Var[1], s.Scale[1])
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(40, 6, nil)
	for i := range 40 {
		for j := range 6 {
			x.Set(i, j, float64(j)*1e3+rnd.NormFloat64()*math.Pow(10, float64(j-3)))
		}
		x.Set(i, 2, 5) // constant
	}
	var s StandardScaler
	s.Fit(x)

	var z, back mat.Dense
	s.Transform(&z, x)
	s.InverseTransform(&back, &z)
	if !mat.EqualApprox(&back, x, 1e-12) {
		t.Errorf("InverseTransform(Transform(x)) != x")
	}
	// Standardised columns have mean 0 and variance 1 (0 for the constant
	// one), up to the conditioning of x - Mean: column j has values near
	// 1e3*j with spread 1e(j-3), so the absolute error of the mean is about
	// eps*1e3*j/1e(j-3) <= 1e-11.
	var sz StandardScaler
	sz.Fit(&z)
	for j := range 6 {
		wantVar := 1.0
		if j == 2 {
			wantVar = 0
		}
		if !close(sz.Mean[j], 0, 1e-10) || !close(sz.Var[j], wantVar, 1e-12) {
			t.Errorf("column %d of Transform(x): mean %v var %v", j, sz.Mean[j], sz.Var[j])
		}
	}

	// In place: dst == x.
	y := mat.DenseCopyOf(x)
	s.Transform(y, y)
	if !mat.Equal(y, &z) {
		t.Errorf("in-place Transform differs")
	}
	s.InverseTransform(y, y)
	if !mat.EqualApprox(y, x, 1e-12) {
		t.Errorf("in-place InverseTransform differs")
	}

	// A non-Dense matrix (a transpose) and a strided view give the same
	// results as the Dense copy.
	xt := mat.DenseCopyOf(x.T())
	var st StandardScaler
	st.Fit(xt.T())
	var zt mat.Dense
	st.Transform(&zt, xt.T())
	if !mat.Equal(&zt, &z) {
		t.Errorf("Transform of a transpose view differs")
	}
	wide := mat.NewDense(40, 9, nil)
	view := wide.Slice(0, 40, 2, 8).(*mat.Dense)
	view.Copy(x)
	var sv StandardScaler
	sv.Fit(view)
	var zv mat.Dense
	sv.Transform(&zv, view)
	if !mat.Equal(&zv, &z) {
		t.Errorf("Transform of a strided view differs")
	}

	// A non-empty dst of the right shape is reused.
	dst := mat.NewDense(40, 6, nil)
	s.Transform(dst, x)
	if !mat.Equal(dst, &z) {
		t.Errorf("Transform into a preallocated dst differs")
	}
}

func TestRefit(t *testing.T) {
	t.Parallel()
	var s StandardScaler
	s.Fit(mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6}))
	s.Fit(mat.NewDense(2, 2, []float64{1, 1, 3, 1}))
	if len(s.Mean) != 2 || s.Mean[0] != 2 || s.Var[0] != 1 || s.Scale[1] != 1 || s.NSamples != 2 {
		t.Errorf("refit: %+v", s)
	}
	old := s.Mean
	s.FitPixels([]uint8{0, 10, 20}, 1)
	if old[0] != 2 || old[1] != 1 {
		t.Errorf("refit modified the Mean slice of the earlier fit: %v", old)
	}
	if len(s.Mean) != 1 || s.Mean[0] != 10 || s.NSamples != 3 {
		t.Errorf("refit with pixels: %+v", s)
	}
}

func TestScalerPanics(t *testing.T) {
	t.Parallel()
	fitted := func(c int) *StandardScaler {
		var s StandardScaler
		s.Fit(mat.NewDense(2, c, nil))
		return &s
	}
	x3 := mat.NewDense(2, 3, nil)
	for _, test := range []struct {
		name string
		f    func()
		want string
	}{
		{"Transform unfitted", func() { var s StandardScaler; s.Transform(&mat.Dense{}, x3) }, "preprocess: scaler not fitted"},
		{"InverseTransform unfitted", func() { var s StandardScaler; s.InverseTransform(&mat.Dense{}, x3) }, "preprocess: scaler not fitted"},
		{"TransformPixels unfitted", func() { var s StandardScaler; s.TransformPixels(&mat.Dense{}, []uint8{1}) }, "preprocess: scaler not fitted"},
		{"Transform features", func() { fitted(4).Transform(&mat.Dense{}, x3) }, "preprocess: feature count mismatch"},
		{"InverseTransform features", func() { fitted(2).InverseTransform(&mat.Dense{}, x3) }, "preprocess: feature count mismatch"},
		{"Transform dst rows", func() { fitted(3).Transform(mat.NewDense(3, 3, nil), x3) }, "preprocess: dst shape mismatch"},
		{"Transform dst cols", func() { fitted(3).Transform(mat.NewDense(2, 4, nil), x3) }, "preprocess: dst shape mismatch"},
		{"InverseTransform dst", func() { fitted(3).InverseTransform(mat.NewDense(1, 3, nil), x3) }, "preprocess: dst shape mismatch"},
		{"TransformPixels dst", func() { fitted(3).TransformPixels(mat.NewDense(1, 3, nil), make([]uint8, 6)) }, "preprocess: dst shape mismatch"},
		{"TransformPixels length", func() { fitted(3).TransformPixels(&mat.Dense{}, make([]uint8, 7)) }, "preprocess: pixel length not a multiple of features"},
		{"TransformPixels empty", func() { fitted(3).TransformPixels(&mat.Dense{}, nil) }, "preprocess: no pixel rows"},
		{"Mean Scale lengths", func() { s := fitted(3); s.Scale = s.Scale[:2]; s.Transform(&mat.Dense{}, x3) }, "preprocess: Mean and Scale lengths differ"},
		{"FitPixels features 0", func() { var s StandardScaler; s.FitPixels(make([]uint8, 4), 0) }, "preprocess: non-positive number of features"},
		{"FitPixels empty", func() { var s StandardScaler; s.FitPixels(nil, 784) }, "preprocess: no pixel rows"},
		{"FitPixels length", func() { var s StandardScaler; s.FitPixels(make([]uint8, 785), 784) }, "preprocess: pixel length not a multiple of features"},
		{"Fit empty", func() { var s StandardScaler; s.Fit(emptyMatrix{}) }, "preprocess: fit on an empty matrix"},
	} {
		assertPanics(t, test.name, test.want, test.f)
	}
}

// emptyMatrix is a 0x0 mat.Matrix; gonum's own types cannot be empty.
type emptyMatrix struct{}

func (emptyMatrix) Dims() (int, int)    { return 0, 0 }
func (emptyMatrix) At(i, j int) float64 { panic("unreachable") }
func (m emptyMatrix) T() mat.Matrix     { return m }

func BenchmarkFitPixels(b *testing.B) {
	pix := pixelData(50000, 784, 1)
	var s StandardScaler
	b.SetBytes(int64(len(pix)))
	for b.Loop() {
		s.FitPixels(pix, 784)
	}
}

func BenchmarkTransformPixels(b *testing.B) {
	pix := pixelData(10000, 784, 1)
	var s StandardScaler
	s.FitPixels(pix, 784)
	dst := mat.NewDense(10000, 784, nil)
	b.SetBytes(int64(len(pix)))
	for b.Loop() {
		s.TransformPixels(dst, pix)
	}
}
