package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// lengths and offsets are the sizes of the index slices and the offsets of
// every slice and row in its backing array that the kernels are tested
// on: empty, single, odd and even lengths around the assembly's unrolling
// (2, 4 and 8), and starts off the 32-byte alignment of the vector loads.
var (
	lengths = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100}
	offsets = []int{0, 1, 3}
)

// gen draws the inputs of one test case. With dyadic set the values are
// multiples of 1/8 of at most 8 in magnitude, so that every product and
// sum of the kernels is exact and the assembly, its twin and the reference
// loop must agree bit for bit; otherwise they are normal deviates.
type gen struct {
	rng    *rand.Rand
	off    int
	dyadic bool
}

func (g gen) value() float64 {
	if g.dyadic {
		return float64(g.rng.IntN(129)-64) / 8
	}
	return g.rng.NormFloat64()
}

// floats returns n values starting at offset g.off of their backing array.
func (g gen) floats(n int) []float64 {
	s := make([]float64, n+g.off)[g.off:]
	for i := range s {
		s[i] = g.value()
	}
	return s
}

// bytes returns n uint8 values (a quarter of them 0, some 255).
func (g gen) bytes(n int) []uint8 {
	s := make([]uint8, n+g.off)[g.off:]
	for i := range s {
		switch g.rng.IntN(8) {
		case 0, 1:
		case 2:
			s[i] = 255
		default:
			s[i] = uint8(g.rng.IntN(256))
		}
	}
	return s
}

// row returns a row of 10 values off the alignment of its backing array.
func (g gen) row() *[10]float64 {
	return (*[10]float64)(g.floats(10))
}

// index returns n indices in [0, below), repeats allowed.
func (g gen) index(n, below int) []int32 {
	s := make([]int32, n+g.off)[g.off:]
	for i := range s {
		s[i] = int32(g.rng.IntN(below))
	}
	return s
}

// kernelCase sets up one call of an exported kernel on the inputs of g. It
// returns call, which runs the kernel on fresh copies of its inputs and
// returns every output in one slice, and ref, which computes the same
// outputs with the reference loop of the assembly's doc.
type kernelCase func(g gen, n int) (call, ref func() []float64)

var kernelCases = map[string]kernelCase{
	"Gemv10/u8/stride10":  gemvCase[uint8](10),
	"Gemv10/f64/stride10": gemvCase[float64](10),
	"Gemv10/f64/stride20": gemvCase[float64](20),
	"Ger10/u8":            gerCase[uint8],
	"Ger10/f64":           gerCase[float64],
	"Col2x10/u8":          colCase[uint8],
	"Col2x10/f64":         colCase[float64],
	"SAGPredict10":        sagPredictCase,
	"SAGUpdate10":         sagUpdateCase,
	"ProxStep10":          proxCase,
	"Gram10":              gramCase(false),
	"Gram10x2":            gramCase(true),
	"Gram1":               gram1Case(false),
	"Gram1x2":             gram1Case(true),
	"Dot2":                dot2Case,
	"Axpy2":               axpy2Case,
}

// values returns n values of type T from g.
func values[T uint8 | float64](g gen, n int) []T {
	var s []T
	switch p := any(&s).(type) {
	case *[]uint8:
		*p = g.bytes(n)
	case *[]float64:
		*p = g.floats(n)
	}
	return s
}

func gemvCase[T uint8 | float64](stride int) kernelCase {
	return func(g gen, n int) (call, ref func() []float64) {
		const rows = 13
		z0, v := *g.row(), g.floats(rows*stride)
		cols, xs := g.index(n, rows), values[T](g, n)
		call = func() []float64 {
			z := z0
			Gemv10(&z, v, stride, cols, xs)
			return z[:]
		}
		ref = func() []float64 {
			z := z0
			for t, j := range cols {
				for k := range z {
					z[k] += float64(xs[t]) * v[int(j)*stride+k]
				}
			}
			return z[:]
		}
		return call, ref
	}
}

func gerCase[T uint8 | float64](g gen, n int) (call, ref func() []float64) {
	const rows = 13
	g0, d := g.floats(rows*10), g.row()
	cols, xs := g.index(n, rows), values[T](g, n)
	call = func() []float64 {
		gw := append([]float64(nil), g0...)
		Ger10(gw, cols, xs, d)
		return gw
	}
	ref = func() []float64 {
		gw := append([]float64(nil), g0...)
		for t, j := range cols {
			for k := range d {
				gw[int(j)*10+k] += float64(xs[t]) * d[k]
			}
		}
		return gw
	}
	return call, ref
}

func colCase[T uint8 | float64](g gen, n int) (call, ref func() []float64) {
	const rows = 11
	ga0, gb0, res := *g.row(), *g.row(), g.floats(rows*10)
	nb := n / 2 // the second column shorter, or empty
	ra, xa := g.index(n, rows), values[T](g, n)
	rb, xb := g.index(nb, rows), values[T](g, nb)
	call = func() []float64 {
		ga, gb := ga0, gb0
		Col2x10(&ga, &gb, res, ra, xa, rb, xb)
		return append(ga[:], gb[:]...)
	}
	ref = func() []float64 {
		ga, gb := ga0, gb0
		for t, r := range ra {
			for k := range ga {
				ga[k] += float64(xa[t]) * res[int(r)*10+k]
			}
		}
		for t, r := range rb {
			for k := range gb {
				gb[k] += float64(xb[t]) * res[int(r)*10+k]
			}
		}
		return append(ga[:], gb[:]...)
	}
	return call, ref
}

func sagPredictCase(g gen, n int) (call, ref func() []float64) {
	const rows = 9
	z0, wr, c := *g.row(), g.floats(rows*20), g.value()
	cols, vals := g.index(n, rows), g.floats(n)
	call = func() []float64 {
		z := z0
		SAGPredict10(&z, wr, cols, vals, c)
		return z[:]
	}
	ref = func() []float64 {
		var z [10]float64
		for t, j := range cols {
			for k := range z {
				w, r := wr[int(j)*20+k], wr[int(j)*20+10+k]
				z[k] += vals[t] * (w - c*r)
			}
		}
		return z[:]
	}
	return call, ref
}

func sagUpdateCase(g gen, n int) (call, ref func() []float64) {
	const rows = 9
	wr0, d, f := g.floats(rows*20), g.row(), g.value()
	cols, vals := g.index(n, rows), g.floats(n)
	call = func() []float64 {
		wr := append([]float64(nil), wr0...)
		SAGUpdate10(wr, cols, vals, f, d)
		return wr
	}
	ref = func() []float64 {
		wr := append([]float64(nil), wr0...)
		for t, j := range cols {
			for k := range d {
				wr[int(j)*20+k] += f * vals[t] * d[k]
				wr[int(j)*20+10+k] += vals[t] * d[k]
			}
		}
		return wr
	}
	return call, ref
}

func proxCase(g gen, n int) (call, ref func() []float64) {
	const rows = 9
	wr0, m := g.floats(rows*20), g.floats(rows)
	c, p := g.value(), math.Abs(g.value())
	a, acc0 := g.row(), *g.row()
	feats := g.index(n, rows)
	call = func() []float64 {
		wr, acc := append([]float64(nil), wr0...), acc0
		ProxStep10(wr, m, feats, c, p, a, &acc)
		return append(wr, acc[:]...)
	}
	ref = func() []float64 {
		wr, acc := append([]float64(nil), wr0...), acc0
		for _, j := range feats {
			for k := range a {
				w, r := wr[int(j)*20+k], wr[int(j)*20+10+k]
				x := SoftThreshold(w-(c*r-m[j]*a[k]), p)
				wr[int(j)*20+k] = x
				acc[k] += m[j] * x
			}
		}
		return append(wr, acc[:]...)
	}
	return call, ref
}

func gramCase(two bool) kernelCase {
	return func(g gen, n int) (call, ref func() []float64) {
		const feats = 12
		ra0, rb0 := g.floats(feats*10), g.floats(feats*10)
		va, vb := g.row(), g.row()
		offs, xs := g.index(n, feats), g.floats(n)
		for i := range offs {
			offs[i] *= 10
		}
		call = func() []float64 {
			ra, rb := append([]float64(nil), ra0...), append([]float64(nil), rb0...)
			if two {
				Gram10x2(ra, rb, offs, xs, va, vb)
			} else {
				Gram10(ra, offs, xs, va)
			}
			return append(ra, rb...)
		}
		ref = func() []float64 {
			ra, rb := append([]float64(nil), ra0...), append([]float64(nil), rb0...)
			for t, o := range offs {
				for c := range va {
					ra[int(o)+c] += xs[t] * va[c]
					if two {
						rb[int(o)+c] += xs[t] * vb[c]
					}
				}
			}
			return append(ra, rb...)
		}
		return call, ref
	}
}

func gram1Case(two bool) kernelCase {
	return func(g gen, n int) (call, ref func() []float64) {
		const feats = 12
		ra0, rb0 := g.floats(feats), g.floats(feats)
		va, vb := g.value(), g.value()
		offs, xs := g.index(n, feats), g.floats(n)
		call = func() []float64 {
			ra, rb := append([]float64(nil), ra0...), append([]float64(nil), rb0...)
			if two {
				Gram1x2(ra, rb, offs, xs, va, vb)
			} else {
				Gram1(ra, offs, xs, va)
			}
			return append(ra, rb...)
		}
		ref = func() []float64 {
			ra, rb := append([]float64(nil), ra0...), append([]float64(nil), rb0...)
			for t, o := range offs {
				ra[o] += xs[t] * va
				if two {
					rb[o] += xs[t] * vb
				}
			}
			return append(ra, rb...)
		}
		return call, ref
	}
}

func dot2Case(g gen, n int) (call, ref func() []float64) {
	l, x, y := g.floats(n), g.floats(n), g.floats(n)
	call = func() []float64 {
		sx, sy := Dot2(l, x, y)
		return []float64{sx, sy}
	}
	ref = func() []float64 {
		var sx, sy float64
		for t, v := range l {
			sx += x[t] * v
			sy += y[t] * v
		}
		return []float64{sx, sy}
	}
	return call, ref
}

func axpy2Case(g gen, n int) (call, ref func() []float64) {
	l, x0, y0 := g.floats(n), g.floats(n), g.floats(n)
	a, b := g.value(), g.value()
	call = func() []float64 {
		x, y := append([]float64(nil), x0...), append([]float64(nil), y0...)
		Axpy2(l, x, y, a, b)
		return append(x, y...)
	}
	ref = func() []float64 {
		x, y := append([]float64(nil), x0...), append([]float64(nil), y0...)
		for t, v := range l {
			x[t] += a * v
			y[t] += b * v
		}
		return append(x, y...)
	}
	return call, ref
}

// implementations returns the settings of Enabled to test: the Go twins,
// and the assembly where the CPU runs it.
func implementations() []bool {
	if Enabled {
		return []bool{false, true}
	}
	return []bool{false}
}

// TestKernels runs every kernel, as assembly (where the CPU has AVX2 and
// FMA) and as its Go twin, against the reference loop of its doc, on every
// length and offset: bit for bit on dyadic values, where no operation
// rounds, and to 1e-12 of the largest magnitude on normal deviates, where
// the fused multiply-adds of the assembly and the split sums of Gemv10 and
// Dot2 round differently. On the same deviates the assembly and the twin
// are compared with each other to the same tolerance.
func TestKernels(t *testing.T) {
	defer func(old bool) { Enabled = old }(Enabled)
	for name, kc := range kernelCases {
		for _, n := range lengths {
			for _, off := range offsets {
				for _, dyadic := range []bool{true, false} {
					g := gen{rng: rand.New(rand.NewPCG(uint64(n), uint64(off))), off: off, dyadic: dyadic}
					call, ref := kc(g, n)
					want := ref()
					var outs [][]float64
					for _, enabled := range implementations() {
						Enabled = enabled
						got := call()
						at := fmt.Sprintf("%s n=%d off=%d dyadic=%v asm=%v", name, n, off, dyadic, enabled)
						compare(t, at, got, want, dyadic)
						outs = append(outs, got)
					}
					if len(outs) == 2 {
						compare(t, fmt.Sprintf("%s n=%d off=%d dyadic=%v: asm against Go", name, n, off, dyadic), outs[1], outs[0], dyadic)
					}
				}
			}
		}
	}
}

// compare reports the first element where got and want differ: at all if
// exact, else by more than 1e-12 of max(1, max|want|).
func compare(t *testing.T, at string, got, want []float64, exact bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d outputs, want %d", at, len(got), len(want))
	}
	scale := 1.0
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); (exact && got[i] != want[i]) || !(d <= 1e-12*scale) {
			t.Fatalf("%s: output %d = %v, want %v", at, i, got[i], want[i])
		}
	}
}

// TestExp10 checks Exp10 bit for bit against math.Exp over its documented
// range, as assembly and as its twin: special values, and random rows of
// logits as Softmax10 sees them.
func TestExp10(t *testing.T) {
	defer func(old bool) { Enabled = old }(Enabled)
	check := func(z [10]float64, m float64) {
		t.Helper()
		for _, enabled := range implementations() {
			Enabled = enabled
			got := z
			Exp10(&got, m)
			for k, x := range z {
				if want := math.Exp(x - m); math.Float64bits(got[k]) != math.Float64bits(want) {
					t.Fatalf("asm=%v: Exp10(%v - %v) = %v, want math.Exp = %v", enabled, x, m, got[k], want)
				}
			}
		}
	}
	for _, x := range []float64{0, -0.5, -1, -math.Ln2, -1e-300, -5e-324, -700, -708, -707.9999, -20.5, -1e-17, -0.0625} {
		var z [10]float64
		for k := range z {
			z[k] = x
		}
		check(z, 0)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 200000; it++ {
		var z [10]float64
		scale := math.Pow(10, float64(rng.IntN(6)-2))
		m := rng.NormFloat64() * 30
		for k := range z {
			z[k] = m - rng.Float64()*scale
		}
		m = z[0]
		for _, x := range z {
			m = max(m, x)
		}
		if it%2 == 1 {
			m += rng.Float64() // arguments all negative
		}
		ok := true
		for _, x := range z {
			ok = ok && x-m >= -700
		}
		if ok {
			check(z, m)
		}
	}
}

// TestSoftmax10 checks Softmax10's assembly against its twin bit for bit
// (probabilities, sum, maximum and ok), on random rows of which some are
// out of its range, and that both refuse rows with NaNs and infinities
// and leave them alone. The twin is checked against the definition
// exp(z_k - m)/sum_j exp(z_j - m) to 4 ulps.
func TestSoftmax10(t *testing.T) {
	defer func(old bool) { Enabled = old }(Enabled)
	rng := rand.New(rand.NewPCG(3, 4))
	nok := 0
	for it := 0; it < 20000; it++ {
		var z [10]float64
		for k := range z {
			z[k] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(4)))
		}
		var outs [][10]float64
		var sums, ms []float64
		var oks []bool
		for _, enabled := range implementations() {
			Enabled = enabled
			c := z
			sum, m, ok := Softmax10(&c)
			if !ok && c != z {
				t.Fatalf("asm=%v: Softmax10(%v) changed z to %v and failed", enabled, z, c)
			}
			outs, sums, ms, oks = append(outs, c), append(sums, sum), append(ms, m), append(oks, ok)
		}
		if oks[0] {
			nok++
			checkSoftmax(t, z, outs[0], sums[0], ms[0])
		}
		if len(outs) == 2 && (outs[0] != outs[1] || oks[0] != oks[1] ||
			oks[0] && (math.Float64bits(sums[0]) != math.Float64bits(sums[1]) || math.Float64bits(ms[0]) != math.Float64bits(ms[1]))) {
			t.Fatalf("Softmax10(%v): asm %v %v %v %v, Go %v %v %v %v", z, outs[1], sums[1], ms[1], oks[1], outs[0], sums[0], ms[0], oks[0])
		}
	}
	if nok < 1000 || nok > 19000 {
		t.Errorf("Softmax10 took %d of 20000 rows, want both outcomes exercised", nok)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for k := 0; k < 10; k++ {
			for _, enabled := range implementations() {
				Enabled = enabled
				z := [10]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
				z[k] = bad
				if _, _, ok := Softmax10(&z); ok {
					t.Errorf("asm=%v: Softmax10 took a row with z[%d] = %v", enabled, k, bad)
				}
			}
		}
	}
}

// checkSoftmax checks the outputs of Softmax10 on the row z against the
// definition.
func checkSoftmax(t *testing.T, z, p [10]float64, sum, m float64) {
	t.Helper()
	wantM := z[0]
	for _, x := range z {
		wantM = max(wantM, x)
	}
	wantSum := 0.0
	for _, x := range z {
		wantSum += math.Exp(x - wantM)
	}
	if m != wantM || math.Abs(sum-wantSum) > 1e-15*wantSum {
		t.Fatalf("Softmax10(%v): m %v sum %v, want %v %v", z, m, sum, wantM, wantSum)
	}
	for k, x := range z {
		if want := math.Exp(x-wantM) / wantSum; math.Abs(p[k]-want) > 1e-15*want {
			t.Fatalf("Softmax10(%v)[%d] = %v, want %v", z, k, p[k], want)
		}
	}
}
