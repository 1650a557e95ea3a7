package kernel

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/fixture"
)

// TestClassBlocksMatchesDenseOperator checks the preconditioner against an
// independent dense construction: with X the standardised rows (and a
// column of ones with an intercept), w_ic = p_ic (1 - p_ic) and
//
//	G_c = sum_i w_ic x_i x_i^T + l2 I (but on the intercept),
//	M = P G^-1 P + (I - P)/l2,
//
// P removing the class means of each feature and G^-1 from a dense LU
// solve, for random v; and the start preconditioner, G = sum_i x_i x_i^T/K
// + l2 I for every class, likewise. It covers K = 3 (generic Gram loop) and
// K = 10 (assembly and pure Go, and the shared solve of the start
// preconditioner), Pixels with the scaler folded in and Dense data, with
// and without an intercept, and a feature that is 0 in every row.
func TestClassBlocksMatchesDenseOperator(t *testing.T) {
	for _, k := range []int{3, 10} {
		const n, d = 80, 9
		pix, _ := fixture.Pixels(n, d, k, 17, 4)
		dss, xs := designs(t, pix, d)
		rng := rand.New(rand.NewPCG(uint64(k), 5))
		probs := make([]float64, n*k)
		for i := 0; i < n; i++ {
			z := make([]float64, k)
			for c := range z {
				z[c] = 3 * rng.NormFloat64()
			}
			Softmax(z)
			copy(probs[i*k:], z)
		}
		varWeight := func(i, c int) float64 { return probs[i*k+c] * (1 - probs[i*k+c]) }
		startWeight := func(int, int) float64 { return 1 / float64(k) }
		forBlockCases(dss, func(name string, ds *Design, intercept bool, l2 float64) {
			at := fmt.Sprintf("K=%d %s intercept=%v l2=%g", k, name, intercept, l2)
			checkPreconditioner(t, at, func() (*ClassBlocks, error) {
				return NewClassBlocks(ds, probs, k, l2, intercept, 2)
			}, densePreconditioner(t, xs, varWeight, k, l2, intercept), rng)
			checkPreconditioner(t, at+" start", func() (*ClassBlocks, error) {
				return NewStartBlocks(ds, k, l2, intercept, 2)
			}, densePreconditioner(t, xs, startWeight, k, l2, intercept), rng)
		})
	}
}

// forBlockCases calls f for each design of dss (by name), with and
// without an intercept, for l2 = 1 and 0.01.
func forBlockCases(dss map[string]*Design, f func(name string, ds *Design, intercept bool, l2 float64)) {
	for name, ds := range dss {
		for _, intercept := range []bool{true, false} {
			for _, l2 := range []float64{1, 0.01} {
				f(name, ds, intercept, l2)
			}
		}
	}
}

// checkPreconditioner checks that the preconditioner that build returns,
// with the assembly kernels and without, applied to one random vector and
// to two at once (the solves of L-BFGS), gives m v.
func checkPreconditioner(t *testing.T, at string, build func() (*ClassBlocks, error), m *mat.Dense, rng *rand.Rand) {
	t.Helper()
	modes := asmModes()
	defer func(old bool) { asm.Enabled = old }(asm.Enabled)
	dim, _ := m.Dims()
	for _, withAsm := range modes {
		asm.Enabled = withAsm
		pc, err := build()
		if err != nil {
			t.Fatalf("%s asm=%v: %v", at, withAsm, err)
		}
		for _, nv := range []int{1, 2, 1, 2} {
			vs, gots := make([][]float64, nv), make([][]float64, nv)
			for q := range vs {
				vs[q] = make([]float64, dim)
				for i := range vs[q] {
					vs[q][i] = rng.NormFloat64()
				}
				gots[q] = make([]float64, dim)
			}
			pc.Apply(gots, vs)
			for q, v := range vs {
				want := make([]float64, dim)
				mat.NewVecDense(dim, want).MulVec(m, mat.NewVecDense(dim, v))
				if diff := fixture.MaxRelDiff(gots[q], want); diff > 1e-9 {
					t.Errorf("%s asm=%v: vector %d of %d: M v differs from the dense construction by %g", at, withAsm, q, nv, diff)
				}
			}
		}
	}
}

// densePreconditioner returns M of TestClassBlocksMatchesDenseOperator,
// with the row weights w(i, c), as a dense matrix over parameter vectors
// (weights feature-major, then the intercepts).
func densePreconditioner(t *testing.T, xs *mat.Dense, w func(i, c int) float64, k int, l2 float64, intercept bool) *mat.Dense {
	n, d := xs.Dims()
	size := d
	if intercept {
		size++
	}
	idx := func(j, c int) int { // parameter index of feature j, class c
		if j == d {
			return k*d + c
		}
		return j*k + c
	}
	row := func(i int) []float64 {
		r := make([]float64, size)
		mat.Row(r[:d], i, xs)
		if intercept {
			r[d] = 1
		}
		return r
	}
	dim := k * size
	g := mat.NewDense(dim, dim, nil) // G as blocks of classes, in parameter order
	for i := 0; i < n; i++ {
		r := row(i)
		for c := 0; c < k; c++ {
			wic := w(i, c)
			for a := 0; a < size; a++ {
				for b := 0; b < size; b++ {
					g.Set(idx(a, c), idx(b, c), g.At(idx(a, c), idx(b, c))+wic*r[a]*r[b])
				}
			}
		}
	}
	for c := 0; c < k; c++ {
		// l2 on the weights; on the intercept, which the objective does
		// not penalise, 1e-10 of the block's mean diagonal.
		tr := 0.0
		for a := 0; a < size; a++ {
			tr += g.At(idx(a, c), idx(a, c))
		}
		for a := 0; a < d; a++ {
			g.Set(idx(a, c), idx(a, c), g.At(idx(a, c), idx(a, c))+l2)
		}
		if intercept {
			g.Set(idx(d, c), idx(d, c), g.At(idx(d, c), idx(d, c))+1e-10*tr/float64(size))
		}
	}
	// P: remove the class means of each feature.
	p := mat.NewDense(dim, dim, nil)
	for j := 0; j < size; j++ {
		for c := 0; c < k; c++ {
			for e := 0; e < k; e++ {
				v := -1 / float64(k)
				if c == e {
					v += 1
				}
				p.Set(idx(j, c), idx(j, e), v)
			}
		}
	}
	var gi, m mat.Dense
	if err := gi.Inverse(g); err != nil {
		t.Fatal(err)
	}
	m.Product(p, &gi, p)
	// (I - P)/l2 on the class means.
	for i := 0; i < dim; i++ {
		for j := 0; j < dim; j++ {
			id := 0.0
			if i == j {
				id = 1
			}
			m.Set(i, j, m.At(i, j)+(id-p.At(i, j))/l2)
		}
	}
	return &m
}

// TestStartBlocksInvertHessian checks that the start preconditioner is the
// inverse of the Hessian of f = sum_i CE_i + (l2/2)||W||^2 at W = 0, b = 0,
// with the Hessian-vector products of HessVec (checked against finite
// differences in TestHessVecFiniteDifferences): H (M v) = v for random v,
// but for the class means of the intercepts, where H is 0 (the softmax
// ignores them) and M v is v/l2, so they are left out of v. K = 3 and 10,
// Pixels and Dense, with and without an intercept.
func TestStartBlocksInvertHessian(t *testing.T) {
	for _, k := range []int{3, 10} {
		const n, d = 120, 9
		pix, y := fixture.Pixels(n, d, k, 29, 4)
		dss, _ := designs(t, pix, d)
		rng := rand.New(rand.NewPCG(uint64(k), 9))
		forBlockCases(dss, func(name string, ds *Design, intercept bool, l2 float64) {
			pc, err := NewStartBlocks(ds, k, l2, intercept, 2)
			if err != nil {
				t.Fatal(err)
			}
			dim := d * k
			var b []float64
			if intercept {
				dim += k
				b = make([]float64, k)
			}
			v := normals(rng, dim, 1)
			if intercept {
				vb := v[d*k:]
				m := floats.Sum(vb) / float64(k)
				for c := range vb {
					vb[c] -= m
				}
			}
			mv := make([]float64, dim)
			pc.Apply([][]float64{mv}, [][]float64{v})
			var vb []float64
			if intercept {
				vb = mv[d*k:]
			}
			hw, hb := hessVec(ds, y, k, make([]float64, d*k), b, mv[:d*k], vb)
			floats.AddScaled(hw, l2, mv[:d*k])
			if diff := fixture.MaxRelDiff(append(hw, hb...), v); diff > 1e-8 {
				t.Errorf("K=%d %s intercept=%v l2=%g: H M v differs from v by %g", k, name, intercept, l2, diff)
			}
		})
	}
}

// TestClassBlocksNotPositive checks that a block Cholesky cannot factorise
// is reported as ErrNotPositive (LBFGS then keeps its plain initial
// matrix) rather than giving a preconditioner: here a row whose
// probabilities are NaN.
func TestClassBlocksNotPositive(t *testing.T) {
	const n, d, k = 30, 5, 3
	pix, _ := fixture.Pixels(n, d, k, 9)
	dss, _ := designs(t, pix, d)
	ds := dss["pixels"]
	probs := make([]float64, n*k)
	for i := range probs {
		probs[i] = 1 / float64(k)
	}
	if _, err := NewClassBlocks(ds, probs, k, 1, true, 1); err != nil {
		t.Fatalf("uniform probabilities: %v", err)
	}
	probs[7*k+1] = math.NaN()
	if _, err := NewClassBlocks(ds, probs, k, 1, true, 1); !errors.Is(err, ErrNotPositive) {
		t.Errorf("NaN probability: err = %v, want ErrNotPositive", err)
	}
}
