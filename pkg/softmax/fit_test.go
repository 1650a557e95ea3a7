package softmax

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// TestSolversReachSameOptimum checks that SAG, SAGA, LBFGS and NewtonCG converge to
// the same L2 optimum (and, without a penalty on a non-separable problem,
// the same minimum), and that the optimum has a zero gradient.
func TestSolversReachSameOptimum(t *testing.T) {
	const n, d, k = 120, 10, 3
	pix, y := synthPixels(n, d, k, 21, 6)
	sc := scaler(pix, d)
	x := Pixels(pix, d, sc.Mean, sc.Scale)
	for _, c := range []float64{0.05, 1} {
		var models []*Model
		solvers := []Solver{LBFGS, SAG, SAGA, NewtonCG}
		for _, solver := range solvers {
			s := &Settings{C: c, Solver: solver, Tol: 1e-12, MaxIter: 20000, Seed: 1}
			if solver == LBFGS || solver == NewtonCG {
				s.Tol = 1e-10
			}
			m := mustFit(t, x, y, s)
			if !m.Converged {
				t.Errorf("C=%g %v: not converged after %d iterations", c, solver, m.NIter)
			}
			models = append(models, m)
		}
		obj := func(m *Model) float64 {
			yi, err := ClassIndex(y, m.Classes)
			if err != nil {
				t.Fatal(err)
			}
			return Loss(x, yi, m.Coef, m.Intercept, &Settings{C: c})
		}
		ref := obj(models[0])
		var g mat.Dense
		gb := make([]float64, k)
		Gradient(&g, gb, x, y, models[0].Coef, models[0].Intercept, &Settings{C: c})
		// LBFGS stops on scipy's relative reduction rule (2.2e-9) before
		// its gradient reaches Tol: the objective is then exact to about
		// 1e-9 and the coefficients to about 1e-4.
		if gm := math.Max(floats.Norm(flat(&g), math.Inf(1)), floats.Norm(gb, math.Inf(1))); gm > 1e-3*c*float64(n) {
			t.Errorf("C=%g: LBFGS gradient at the optimum %g", c, gm)
		}
		for i, m := range models[1:] {
			name := solvers[i+1]
			if o := obj(m); math.Abs(o-ref) > 1e-8*math.Abs(ref) {
				t.Errorf("C=%g %v: objective %.15g, LBFGS %.15g", c, name, o, ref)
			}
			if diff := maxRelDiff(flat(m.Coef), flat(models[0].Coef)); diff > 1e-3 {
				t.Errorf("C=%g %v: coef rel diff %g from LBFGS", c, name, diff)
			}
			if diff := maxRelDiff(m.Intercept, models[0].Intercept); diff > 1e-2 {
				t.Errorf("C=%g %v: intercept rel diff %g from LBFGS", c, name, diff)
			}
			Gradient(&g, gb, x, y, m.Coef, m.Intercept, &Settings{C: c})
			if gm := math.Max(floats.Norm(flat(&g), math.Inf(1)), floats.Norm(gb, math.Inf(1))); gm > 1e-7*c*float64(n) {
				t.Errorf("C=%g %v: gradient at the optimum %g", c, name, gm)
			}
		}
		// SAG and SAGA, run to Tol = 1e-12, agree tightly.
		if diff := maxRelDiff(flat(models[1].Coef), flat(models[2].Coef)); diff > 1e-8 {
			t.Errorf("C=%g: SAG and SAGA coef rel diff %g", c, diff)
		}
	}
}

// TestZeroPixelsStayZero checks that the weights of pixels that are 0 in
// every training image stay exactly 0 with every solver, as the 72 pixels
// of MNIST do in the original notebook (sparsity 9.18%).
func TestZeroPixelsStayZero(t *testing.T) {
	const n, d, k = 90, 16, 10
	zero := []int{0, 1, 15}
	pix, y := synthPixels(n, d, k, 8, zero...)
	sc := scaler(pix, d)
	x := Pixels(pix, d, sc.Mean, sc.Scale)
	for _, s := range []*Settings{
		{Solver: SAG, C: 1e5, Tol: 0.1},
		{Solver: SAGA, C: 1e5, Tol: 0.1},
		{Solver: SAGA, C: 1e5, Penalty: L1, Tol: 0.1},
		{Solver: SAGA, C: 1, Penalty: ElasticNet, L1Ratio: 0.5, Tol: 0.01},
		{Solver: LBFGS},
		{Solver: LBFGS, Penalty: NoPenalty, MaxIter: 50},
		{Solver: NewtonCG},
		{Solver: NewtonCG, Penalty: NoPenalty, MaxIter: 20},
		{Solver: SGD},
	} {
		m := mustFit(t, x, y, s)
		nonzero := 0
		for c := 0; c < k; c++ {
			for _, j := range zero {
				if m.Coef.At(c, j) != 0 {
					t.Errorf("%v/%v: coef[%d,%d] = %g, want exactly 0", s.Solver, s.Penalty, c, j, m.Coef.At(c, j))
				}
			}
			for j := 0; j < d; j++ {
				if m.Coef.At(c, j) != 0 {
					nonzero++
				}
			}
		}
		want := 100 * float64(len(zero)) / float64(d)
		if s.Penalty != L1 && s.Penalty != ElasticNet && math.Abs(m.Sparsity()-want) > 1e-9 {
			t.Errorf("%v/%v: sparsity %v%%, want %v%%", s.Solver, s.Penalty, m.Sparsity(), want)
		}
	}
}

// TestDeterministic checks that a fit depends only on the data and the
// settings: repeated fits and different thread counts agree exactly.
func TestDeterministic(t *testing.T) {
	const n, d, k = 200, 12, 10
	pix, y := synthPixels(n, d, k, 4)
	sc := scaler(pix, d)
	x := Pixels(pix, d, sc.Mean, sc.Scale)
	for _, solver := range []Solver{SAG, SAGA, LBFGS, SGD, NewtonCG} {
		var ref *Model
		for _, threads := range []int{1, 2, 1} {
			m := mustFit(t, x, y, &Settings{Solver: solver, Seed: 9, Threads: threads, MaxIter: 5, BatchSize: 32})
			if ref == nil {
				ref = m
				continue
			}
			if !mat.Equal(m.Coef, ref.Coef) || !slices.Equal(m.Intercept, ref.Intercept) || m.NIter != ref.NIter {
				t.Errorf("%v: fits differ (threads %d)", solver, threads)
			}
		}
		m := mustFit(t, x, y, &Settings{Solver: solver, Seed: 10, MaxIter: 5, BatchSize: 32})
		if solver != LBFGS && solver != NewtonCG && mat.Equal(m.Coef, ref.Coef) {
			t.Errorf("%v: a different seed gives the same fit", solver)
		}
	}
	// The preconditioned LBFGS, built at iteration 3, with and without the
	// start preconditioner: the bands of the Gram matrices follow the
	// thread count, the sums in them must not.
	defer func(f func(*kernel.Design, int) int) { precondAt = f }(precondAt)
	precondAt = func(*kernel.Design, int) int { return 3 }
	defer func(f func(*kernel.Design) bool) { startBlocksAt = f }(startBlocksAt)
	plain := mustFit(t, x, y, &Settings{MaxIter: 8})
	fits := map[bool]*Model{}
	for _, start := range []bool{false, true} {
		startBlocksAt = func(*kernel.Design) bool { return start }
		var ref *Model
		for _, threads := range []int{1, 2, 3} {
			m := mustFit(t, x, y, &Settings{Precondition: true, Threads: threads, MaxIter: 8})
			if ref == nil {
				ref = m
				continue
			}
			if !mat.Equal(m.Coef, ref.Coef) || !slices.Equal(m.Intercept, ref.Intercept) || m.NIter != ref.NIter {
				t.Errorf("preconditioned lbfgs (start %v): fits differ (threads %d)", start, threads)
			}
		}
		if mat.Equal(plain.Coef, ref.Coef) {
			t.Errorf("preconditioned lbfgs (start %v): the same fit as plain lbfgs (preconditioner not used)", start)
		}
		fits[start] = ref
	}
	if mat.Equal(fits[false].Coef, fits[true].Coef) {
		t.Error("preconditioned lbfgs: the same fit with and without the start preconditioner")
	}
}

// TestSGDLearns checks that the SGD fast path fits a separable-ish problem
// and reports progress.
func TestSGDLearns(t *testing.T) {
	const n, d, k = 400, 20, 4
	pix, y := synthPixels(n, d, k, 12)
	sc := scaler(pix, d)
	x := Pixels(pix, d, sc.Mean, sc.Scale)
	var prog []Progress
	m := mustFit(t, x, y, &Settings{Solver: SGD, MaxIter: 8, BatchSize: 20, Progress: func(p Progress) { prog = append(prog, p) }})
	if len(prog) != 8 || prog[7].Iter != 8 || !(prog[7].Loss < prog[0].Loss) {
		t.Errorf("progress: %+v", prog)
	}
	ref := mustFit(t, x, y, &Settings{Solver: LBFGS, C: 1e5})
	if s, r := m.Score(x, y), ref.Score(x, y); s < r-0.05 {
		t.Errorf("SGD training accuracy %v, LBFGS %v", s, r)
	}
}

// TestProgress checks the progress hook of the other solvers.
func TestProgress(t *testing.T) {
	const n, d, k = 100, 8, 3
	pix, y := synthPixels(n, d, k, 2)
	sc := scaler(pix, d)
	x := Pixels(pix, d, sc.Mean, sc.Scale)
	for _, solver := range []Solver{SAG, SAGA, LBFGS, NewtonCG} {
		var prog []Progress
		m := mustFit(t, x, y, &Settings{Solver: solver, MaxIter: 6, Tol: 1e-300, Progress: func(p Progress) { prog = append(prog, p) }})
		if len(prog) != m.NIter || m.NIter == 0 {
			t.Errorf("%v: %d progress calls for %d iterations", solver, len(prog), m.NIter)
			continue
		}
		for i, p := range prog {
			if p.Iter != i+1 || p.Solver != solver || !(p.Loss > 0) || p.Elapsed <= 0 || math.IsNaN(p.RelChange) {
				t.Errorf("%v: bad progress %+v", solver, p)
			}
			if (solver == LBFGS || solver == NewtonCG) && (!(p.Objective > 0) || p.Passes < p.Iter) {
				t.Errorf("%v: objective %v, %d passes", solver, p.Objective, p.Passes)
			}
		}
	}
}

func TestFitErrors(t *testing.T) {
	pix, y := synthPixels(20, 5, 2, 1)
	sc := scaler(pix, 5)
	good := Pixels(pix, 5, sc.Mean, sc.Scale)
	nan := mat.NewDense(2, 2, []float64{1, math.NaN(), 0, 1})
	inf := mat.NewDense(2, 2, []float64{1, 0, math.Inf(-1), 1})
	badScale := append([]float64(nil), sc.Scale...)
	badScale[2] = 0
	badMean := append([]float64(nil), sc.Mean...)
	badMean[1] = math.NaN()
	neg := append([]int(nil), y...)
	neg[3] = -1
	one := make([]int, 20)
	for _, tc := range []struct {
		name string
		x    Data
		y    []int
		s    *Settings
		want string
	}{
		{"nan feature", Dense(nan), []int{0, 1}, nil, "x[0,1] = NaN"},
		{"inf feature", Dense(inf), []int{0, 1}, nil, "x[1,0] = -Inf"},
		{"zero scale", Pixels(pix, 5, sc.Mean, badScale), y, nil, "scale[2] = 0"},
		{"nan mean", Pixels(pix, 5, badMean, sc.Scale), y, nil, "mean[1] = NaN"},
		{"count mismatch", good, y[:19], nil, "19 labels for 20 samples"},
		{"empty", Pixels(nil, 5, nil, nil), nil, nil, "empty training set"},
		{"negative label", good, neg, nil, "y[3] = -1"},
		{"single class", good, one, nil, "single class"},
		{"C negative", good, y, &Settings{C: -1}, "C = -1"},
		{"C NaN", good, y, &Settings{C: math.NaN()}, "C = NaN"},
		{"C Inf", good, y, &Settings{C: math.Inf(1)}, "C = +Inf"},
		{"tol negative", good, y, &Settings{Tol: -1e-3}, "Tol = -0.001"},
		{"l1 ratio", good, y, &Settings{Penalty: ElasticNet, Solver: SAGA, L1Ratio: 1.5}, "L1Ratio = 1.5"},
		{"l1 lbfgs", good, y, &Settings{Penalty: L1}, "penalty l1 is not supported by solver lbfgs"},
		{"l1 sag", good, y, &Settings{Penalty: L1, Solver: SAG}, "penalty l1 is not supported by solver sag"},
		{"elasticnet sag", good, y, &Settings{Penalty: ElasticNet, Solver: SAG}, "penalty elasticnet is not supported by solver sag"},
		{"l1 sgd", good, y, &Settings{Penalty: L1, Solver: SGD}, "penalty l1 is not supported by solver sgd"},
		{"l1 newton-cg", good, y, &Settings{Penalty: L1, Solver: NewtonCG}, "penalty l1 is not supported by solver newton-cg"},
		{"elasticnet newton-cg", good, y, &Settings{Penalty: ElasticNet, Solver: NewtonCG}, "penalty elasticnet is not supported by solver newton-cg"},
		{"max iter", good, y, &Settings{MaxIter: -2}, "MaxIter = -2"},
		{"momentum", good, y, &Settings{Solver: SGD, Momentum: 1}, "Momentum = 1"},
		{"batch", good, y, &Settings{Solver: SGD, BatchSize: -1}, "BatchSize = -1"},
		{"solver", good, y, &Settings{Solver: Solver(9)}, "unknown solver"},
		{"penalty", good, y, &Settings{Penalty: Penalty(9)}, "unknown penalty"},
	} {
		m, err := Fit(tc.x, tc.y, tc.s)
		if err == nil || m != nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "softmax: ") {
			t.Errorf("%s: error %q, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestDiverged(t *testing.T) {
	// Huge unscaled features make SGD overflow.
	x := mat.NewDense(4, 2, []float64{1e300, 0, 0, 1e300, -1e300, 0, 0, -1e300})
	_, err := Fit(Dense(x), []int{0, 1, 1, 0}, &Settings{Solver: SGD, LearningRate: 1})
	if !errors.Is(err, ErrDiverged) {
		t.Errorf("err = %v, want ErrDiverged", err)
	}
}

func TestPanics(t *testing.T) {
	m := &Model{Coef: mat.NewDense(2, 3, nil), Intercept: make([]float64, 2), Classes: []int{0, 1}}
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"pixels length", func() { Pixels(make([]uint8, 7), 3, nil, nil) }},
		{"pixels features", func() { Pixels(nil, 0, nil, nil) }},
		{"pixels mean", func() { Pixels(make([]uint8, 6), 3, []float64{1}, nil) }},
		{"predict features", func() { m.Predict(Dense(mat.NewDense(1, 4, nil))) }},
		{"score labels", func() { m.Score(Dense(mat.NewDense(2, 3, nil)), []int{1}) }},
		{"confusion label", func() { m.ConfusionMatrix(Dense(mat.NewDense(1, 3, nil)), []int{5}) }},
		{"loss label", func() { Loss(Dense(mat.NewDense(1, 3, nil)), []int{2}, m.Coef, nil, nil) }},
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Errorf("%s: no panic", tc.name)
				} else if s, ok := r.(string); !ok || !strings.HasPrefix(s, "softmax: ") {
					t.Errorf("%s: panic %v without the package prefix", tc.name, r)
				}
			}()
			tc.f()
		}()
	}
}

func TestPredictions(t *testing.T) {
	// Two features, three classes; the last row ties classes 0 and 2.
	m := &Model{
		Coef:      mat.NewDense(3, 2, []float64{1, 0, 0, 1, 1, 0}),
		Intercept: []float64{0, 0, 0},
		Classes:   []int{3, 5, 7},
	}
	x := Dense(mat.NewDense(3, 2, []float64{0, 2, 800, 0, -1, -2}))
	if got := m.Predict(x); got[0] != 5 || got[1] != 3 || got[2] != 3 {
		t.Errorf("Predict = %v, want [5 3 3]", got)
	}
	p := m.PredictProba(x)
	for i := 0; i < 3; i++ {
		s := 0.0
		for c := 0; c < 3; c++ {
			v := p.At(i, c)
			if math.IsNaN(v) || v < 0 || v > 1 {
				t.Errorf("proba[%d,%d] = %v", i, c, v)
			}
			s += v
		}
		if math.Abs(s-1) > 1e-15 {
			t.Errorf("row %d sums to %v", i, s)
		}
	}
	// Row 1 has z = (800, 0, 800): without subtracting the max, exp overflows.
	if math.Abs(p.At(1, 0)-0.5) > 1e-15 || math.Abs(p.At(1, 2)-0.5) > 1e-15 {
		t.Errorf("row 1 probabilities %v", mat.Row(nil, 1, p))
	}
	tie := Dense(mat.NewDense(1, 2, []float64{1, 0}))
	if got := m.Predict(tie); got[0] != 3 {
		t.Errorf("tie: Predict = %v, want the first class 3", got)
	}
	if s := m.Score(x, []int{5, 3, 9}); math.Abs(s-2.0/3) > 1e-15 {
		t.Errorf("Score = %v", s)
	}
	cm := m.ConfusionMatrix(x, []int{5, 3, 7})
	want := [][]int{{1, 0, 0}, {0, 1, 0}, {1, 0, 0}}
	for i := range want {
		for j := range want[i] {
			if cm[i][j] != want[i][j] {
				t.Fatalf("ConfusionMatrix = %v, want %v", cm, want)
			}
		}
	}
	if s := m.Sparsity(); math.Abs(s-50) > 1e-12 {
		t.Errorf("Sparsity = %v, want 50", s)
	}
}

func TestSaveLoad(t *testing.T) {
	pix, y := synthPixels(60, 7, 3, 5)
	for i := range y {
		y[i] = []int{2, 4, 9}[y[i]]
	}
	sc := scaler(pix, 7)
	m := mustFit(t, Pixels(pix, 7, sc.Mean, sc.Scale), y, &Settings{Solver: SAGA, Penalty: ElasticNet, L1Ratio: 0.25, C: 0.3, Seed: 77, MaxIter: 7, Tol: 1e-3})
	m.Intercept[1] = math.Copysign(0, -1)
	m.Coef.Set(0, 0, math.SmallestNonzeroFloat64)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	got, err := Load(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b *Model) bool {
		if !mat.Equal(a.Coef, b.Coef) || len(a.Intercept) != len(b.Intercept) || a.NIter != b.NIter || a.Converged != b.Converged {
			return false
		}
		for i := range a.Intercept {
			if math.Float64bits(a.Intercept[i]) != math.Float64bits(b.Intercept[i]) || a.Classes[i] != b.Classes[i] {
				return false
			}
		}
		sa, sb := a.Settings, b.Settings
		sa.Progress, sb.Progress = nil, nil
		return fmt.Sprintf("%+v", sa) == fmt.Sprintf("%+v", sb)
	}
	if !same(m, got) {
		t.Fatalf("round trip differs:\n%+v\n%+v", m, got)
	}
	path := filepath.Join(t.TempDir(), "model.bin")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveFile(path); err != nil { // overwrite
		t.Fatal(err)
	}
	got, err = LoadFile(path)
	if err != nil || !same(m, got) {
		t.Fatalf("file round trip: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("SaveFile left %d files", len(entries))
	}
	if err := m.SaveFile(filepath.Join(t.TempDir(), "missing", "m.bin")); err == nil {
		t.Error("SaveFile into a missing directory: no error")
	}

	bad := func(name string, b []byte, want string) {
		t.Helper()
		_, err := Load(bytes.NewReader(b))
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want ErrFormat with %q", name, err, want)
		}
	}
	bad("empty", nil, "bad magic")
	bad("other file", []byte("PNG\x89 not a model"), "bad magic")
	for _, cut := range []int{len(data) - 1, len(data) / 2, 10, 20} {
		bad("truncated", data[:cut], "truncated")
	}
	v2 := append([]byte(nil), data...)
	v2[8] = 2
	bad("version", v2, "unsupported format version 2")
	flip := append([]byte(nil), data...)
	flip[100] ^= 1
	bad("corrupt", flip, "checksum mismatch")
	bad("trailing", append(append([]byte(nil), data...), 0), "trailing")
	huge := append([]byte(nil), data...)
	huge[12], huge[13], huge[14], huge[15] = 0xff, 0xff, 0xff, 0x7f
	bad("dimensions", huge, "bad dimensions")
	if err := os.WriteFile(path, data[:50], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path); err == nil || !strings.Contains(err.Error(), path) || !errors.Is(err, ErrFormat) {
		t.Errorf("LoadFile of a truncated file: %v", err)
	}
	if _, err := LoadFile(path + ".missing"); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile of a missing file: %v", err)
	}
}

func TestParse(t *testing.T) {
	for _, s := range []Solver{LBFGS, SAG, SAGA, SGD, NewtonCG} {
		if got, err := ParseSolver(s.String()); err != nil || got != s {
			t.Errorf("ParseSolver(%q) = %v, %v", s, got, err)
		}
	}
	for _, p := range []Penalty{L2, L1, ElasticNet, NoPenalty} {
		if got, err := ParsePenalty(p.String()); err != nil || got != p {
			t.Errorf("ParsePenalty(%q) = %v, %v", p, got, err)
		}
	}
	if _, err := ParseSolver("liblinear"); err == nil {
		t.Error("ParseSolver(liblinear): no error")
	}
	if _, err := ParsePenalty("l3"); err == nil {
		t.Error("ParsePenalty(l3): no error")
	}
}
