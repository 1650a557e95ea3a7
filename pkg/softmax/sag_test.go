package softmax

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// refSAG is a direct, dense implementation of scikit-learn's SAG/SAGA
// update (sag_fast.pyx) on explicitly standardised data: every step updates
// every weight. It draws the same samples as the lazy solver for a seed.
func refSAG(x *mat.Dense, y []int, k int, saga bool, C, l1ratio float64, pen Penalty, intercept bool, epochs int, seed uint64) (w [][]float64, b []float64) {
	n, d := x.Dims()
	var alpha, beta float64
	switch pen {
	case L2:
		alpha = 1 / C
	case L1:
		beta = 1 / C
	case ElasticNet:
		alpha, beta = (1-l1ratio)/C, l1ratio/C
	}
	alpha /= float64(n)
	beta /= float64(n)
	maxSq := 0.0
	for i := 0; i < n; i++ {
		s := 0.0
		for _, v := range x.RawRowView(i) {
			s += v * v
		}
		maxSq = math.Max(maxSq, s)
	}
	fi := 0.0
	if intercept {
		fi = 1
	}
	L := 0.25*(maxSq+fi) + alpha
	eta := 1 / L
	if saga {
		eta = 1 / (2*L + math.Min(2*float64(n)*alpha, L))
	}
	w = make([][]float64, d)
	S := make([][]float64, d)
	for j := range w {
		w[j] = make([]float64, k)
		S[j] = make([]float64, k)
	}
	b = make([]float64, k)
	T := make([]float64, k)
	mem := make([][]float64, n)
	for i := range mem {
		mem[i] = make([]float64, k)
	}
	seen := make([]bool, n)
	m := 0
	rng := newRand(seed)
	z := make([]float64, k)
	delta := make([]float64, k)
	for ep := 0; ep < epochs; ep++ {
		for it := 0; it < n; it++ {
			i := rng.IntN(n)
			if !seen[i] {
				seen[i] = true
				m++
			}
			xi := x.RawRowView(i)
			for kk := range z {
				z[kk] = b[kk]
				for j := 0; j < d; j++ {
					z[kk] += w[j][kk] * xi[j]
				}
			}
			kernel.Softmax(z)
			z[y[i]] -= 1
			for kk := range z {
				delta[kk] = z[kk] - mem[i][kk]
			}
			fm := float64(m)
			for j := 0; j < d; j++ {
				for kk := 0; kk < k; kk++ {
					w[j][kk] *= 1 - eta*alpha
					if saga {
						w[j][kk] -= eta * (1 - 1/fm) * delta[kk] * xi[j]
					}
					S[j][kk] += delta[kk] * xi[j]
					w[j][kk] -= eta / fm * S[j][kk]
					if beta > 0 && saga {
						w[j][kk] = asm.SoftThreshold(w[j][kk], eta*beta)
					}
				}
			}
			for kk := range T {
				T[kk] += delta[kk]
				if intercept {
					b[kk] -= eta * T[kk] / fm
					if saga {
						b[kk] -= eta * (1 - 1/fm) * delta[kk]
					}
				}
			}
			copy(mem[i], z)
		}
	}
	return w, b
}

// TestSAGLazyMatchesDense checks the lazy (just-in-time, scaler-folded)
// SAG and SAGA against the dense reference with the same draws.
func TestSAGLazyMatchesDense(t *testing.T) {
	for _, k := range []int{3, 10} {
		t.Run(fmt.Sprintf("K=%d", k), func(t *testing.T) { testSAGLazy(t, k) })
	}
}

func testSAGLazy(t *testing.T, k int) {
	const n, d = 80, 14
	pix, y := synthPixels(n, d, k, 1, 3, 9)
	// Make feature 5 nonzero in a single row, a rare pixel with a tiny
	// scale and a large standardised value.
	for i := 0; i < n; i++ {
		pix[i*d+5] = 0
	}
	pix[17*d+5] = 200
	sc := scaler(pix, d)
	xs := standardise(pix, d, sc.Mean, sc.Scale)
	type tc struct {
		solver    Solver
		pen       Penalty
		C, l1     float64
		intercept bool
		epochs    int
	}
	var cases []tc
	for _, ic := range []bool{true, false} {
		cases = append(cases,
			tc{SAG, L2, 1, 0, ic, 6},
			tc{SAG, L2, 1e5, 0, ic, 4},
			tc{SAG, NoPenalty, 1, 0, ic, 3},
			tc{SAGA, L2, 0.5, 0, ic, 5},
			tc{SAGA, L1, 0.05, 0, ic, 5},
			tc{SAGA, L1, 0.5, 0, ic, 5},
			tc{SAGA, L1, 1e5, 0, ic, 3},
			tc{SAGA, ElasticNet, 0.1, 0.5, ic, 4},
		)
	}
	// A small C makes wscale = (1 - eta*alpha)^steps drop below 1e-9
	// within an epoch, exercising the mid-epoch rescaling.
	cases = append(cases, tc{SAG, L2, 1e-4, 0, true, 3})
	for _, c := range cases {
		name := fmt.Sprintf("%v/%v/C=%g/intercept=%v", c.solver, c.pen, c.C, c.intercept)
		t.Run(name, func(t *testing.T) {
			s := &Settings{Solver: c.solver, Penalty: c.pen, C: c.C, L1Ratio: c.l1,
				NoIntercept: !c.intercept, MaxIter: c.epochs, Tol: 1e-300, Seed: 42}
			for _, data := range []struct {
				name string
				x    Data
			}{
				{"pixels", Pixels(pix, d, sc.Mean, sc.Scale)},
				{"dense", Dense(xs)},
			} {
				m := mustFit(t, data.x, y, s)
				t.Logf("%s: sparsity %.1f%%", data.name, m.Sparsity())
				// The run stops early only when every weight is 0 after
				// two epochs (max|dW| = max|W| = 0), as scikit-learn's.
				if (m.NIter != c.epochs || m.Converged) && m.Sparsity() != 100 {
					t.Errorf("%s: NIter = %d, Converged = %v; want %d, false", data.name, m.NIter, m.Converged, c.epochs)
				}
				wantW, wantB := refSAG(xs, y, k, c.solver == SAGA, c.C, c.l1, c.pen, c.intercept, m.NIter, 42)
				var got, want []float64
				for kk := 0; kk < k; kk++ {
					for j := 0; j < d; j++ {
						got = append(got, m.Coef.At(kk, j))
						want = append(want, wantW[j][kk])
					}
				}
				if diff := maxRelDiff(got, want); diff > 1e-10 {
					t.Errorf("%s: coef max rel diff %g", data.name, diff)
				}
				if diff := maxRelDiff(m.Intercept, wantB); diff > 1e-10 {
					t.Errorf("%s: intercept max rel diff %g (got %v want %v)", data.name, diff, m.Intercept, wantB)
				}
				// Zero pattern must agree exactly (L1 zeros and the
				// all-zero pixels).
				for i := range got {
					if (got[i] == 0) != (want[i] == 0) {
						t.Errorf("%s: zero pattern differs at %d: %g vs %g", data.name, i, got[i], want[i])
						break
					}
				}
				for kk := 0; kk < k; kk++ {
					if m.Coef.At(kk, 3) != 0 || m.Coef.At(kk, 9) != 0 {
						t.Errorf("%s: all-zero pixel weights not exactly 0: %g %g", data.name, m.Coef.At(kk, 3), m.Coef.At(kk, 9))
					}
				}
			}
		})
	}
}
