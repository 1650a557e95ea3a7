package softmax

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/preprocess"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// golden is testdata/sklearn_reference.json.gz, written by
// scripts/sklearn_reference.py (scikit-learn 1.2.1).
type golden struct {
	SklearnVersion string `json:"sklearn_version"`
	NTrain         int    `json:"n_train"`
	FirstPerm      []int  `json:"first_perm"`
	LabelsHead     []int  `json:"labels_head"`
	LabelCounts    []int  `json:"label_counts"`
	ZeroFeatures   int    `json:"zero_features"`
	L2, L1         struct {
		C              float64     `json:"C"`
		Objective      float64     `json:"objective"`
		MaxAbsGradient float64     `json:"max_abs_gradient"`
		NIter          int         `json:"n_iter"`
		SparsityPct    float64     `json:"sparsity_pct"`
		Coef           [][]float64 `json:"coef"`
		Intercept      []float64   `json:"intercept"`
	}
}

func readGolden(t *testing.T) *golden {
	t.Helper()
	f, err := os.Open("testdata/sklearn_reference.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.NewDecoder(zr).Decode(&g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// goldenSubset rebuilds the golden subset with the project's loader and
// preprocessing: the notebook's shuffle and split, first NTrain training
// rows, standardised.
func goldenSubset(t *testing.T, g *golden) (x Data, y []int) {
	t.Helper()
	all, perm, train := notebookTrainRows(t)
	for i, v := range g.FirstPerm {
		if perm[i] != v {
			t.Fatalf("permutation[%d] = %d, golden %d", i, perm[i], v)
		}
	}
	sub := all.Subset(train[:g.NTrain])
	y = sub.Ints()
	for i, v := range g.LabelsHead {
		if y[i] != v {
			t.Fatalf("label %d = %d, golden %d: not the same subset", i, y[i], v)
		}
	}
	return standardPixels(sub), y
}

// notebookTrainRows loads the 70000 MNIST images from offline sources and
// returns them, numpy's RandomState(0) permutation of them and the
// notebook's 50000 training rows in order (train_test_split with
// test_size 10000 and random_state preprocess.SplitSeed of the permuted
// images). It skips or fails tb as mnisttest.Check does when the files are
// not available offline; all is shared and must not be modified.
func notebookTrainRows(tb testing.TB) (all *mnist.Set, perm, train []int) {
	tb.Helper()
	all = mnisttest.Set(tb)
	perm = preprocess.NewRandomState(0).Permutation(all.Len())
	split, _, err := preprocess.TrainTestSplit(all.Len(), 50000, 10000, preprocess.SplitSeed)
	if err != nil {
		tb.Fatal(err)
	}
	train = make([]int, len(split))
	for i, r := range split {
		train[i] = perm[r]
	}
	return all, perm, train
}

// standardPixels returns the images of set as Pixels standardised by a
// StandardScaler fitted on them.
func standardPixels(set *mnist.Set) Data {
	sc := scaler(set.Images, mnist.Pixels)
	return Pixels(set.Images, mnist.Pixels, sc.Mean, sc.Scale)
}

func goldenCoef(rows [][]float64) *mat.Dense {
	k, d := len(rows), len(rows[0])
	m := mat.NewDense(k, d, nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// TestGoldenL2 checks LBFGS and NewtonCG against scikit-learn's L2 optimum (lbfgs,
// tol 1e-12, which stops on scipy's relative reduction rule at max|grad|
// about 3e-4) on 1000 standardised MNIST images: the same objective to
// 1e-6 relative, coefficients to 1e-3 and intercepts to 1e-2 of their
// largest magnitude. (SAG and SAGA reach the same optimum too, see
// TestSolversReachSameOptimum, but need some 10^5 epochs on this
// ill-conditioned subset, as scikit-learn's would.)
func TestGoldenL2(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("long test: skipped with -short and -race")
	}
	g := readGolden(t)
	x, y := goldenSubset(t, g)
	want := goldenCoef(g.L2.Coef)
	s := &Settings{C: g.L2.C}
	// scikit-learn's own solution, evaluated by this package's Loss.
	if got := Loss(x, y, want, g.L2.Intercept, s); math.Abs(got-g.L2.Objective) > 1e-9*g.L2.Objective {
		t.Errorf("Loss of scikit-learn's solution %.12g, scikit-learn %.12g", got, g.L2.Objective)
	}
	// The preconditioned L-BFGS builds its preconditioner at iteration 20
	// here (its own rule would wait until iteration 527 on this small set,
	// where the Cholesky factorisations alone cost some 270 passes), with
	// and without the start preconditioner before it (which its own rule
	// leaves out on this small set).
	defer func(f func(*kernel.Design, int) int) { precondAt = f }(precondAt)
	precondAt = func(*kernel.Design, int) int { return 20 }
	defer func(f func(*kernel.Design) bool) { startBlocksAt = f }(startBlocksAt)
	iters := map[string]int{}
	for _, fit := range []struct {
		s     *Settings
		start bool
	}{
		{&Settings{C: g.L2.C, Tol: 1e-9, MaxIter: 100000}, false},
		{&Settings{C: g.L2.C, Tol: 1e-9, MaxIter: 100000, Precondition: true}, false},
		{&Settings{C: g.L2.C, Tol: 1e-9, MaxIter: 100000, Precondition: true}, true},
		{&Settings{C: g.L2.C, Solver: NewtonCG, Tol: 1e-9, MaxIter: 1000}, false},
	} {
		fs := fit.s
		startBlocksAt = func(*kernel.Design) bool { return fit.start }
		m := mustFit(t, x, y, fs)
		obj := Loss(x, y, m.Coef, m.Intercept, s)
		t.Logf("%v (precondition %v, start %v): objective %.12g (scikit-learn %.12g), %d iterations (scikit-learn %d)", fs.Solver, fs.Precondition, fit.start, obj, g.L2.Objective, m.NIter, g.L2.NIter)
		if fs.Solver == LBFGS {
			iters[fmt.Sprint(fs.Precondition, fit.start)] = m.NIter
		}
		if rel := math.Abs(obj-g.L2.Objective) / g.L2.Objective; rel > 1e-6 {
			t.Errorf("%v: objective %.12g, scikit-learn %.12g (rel %g)", fs.Solver, obj, g.L2.Objective, rel)
		}
		if diff := maxRelDiff(flat(m.Coef), flat(want)); diff > 1e-3 {
			t.Errorf("%v: coef differs from scikit-learn's by %g of max|coef|", fs.Solver, diff)
		}
		if diff := maxRelDiff(m.Intercept, g.L2.Intercept); diff > 1e-2 {
			t.Errorf("%v: intercept differs by %g", fs.Solver, diff)
		}
		// The constant pixels of the subset keep exactly zero weights.
		if zeros := int(math.Round(m.Sparsity() * 7840 / 100)); zeros != 10*g.ZeroFeatures {
			t.Errorf("%v: %d zero weights, want %d", fs.Solver, zeros, 10*g.ZeroFeatures)
		}
	}
	for _, start := range []bool{false, true} {
		if pre, plain := iters[fmt.Sprint(true, start)], iters["false false"]; pre >= plain {
			t.Errorf("preconditioned L-BFGS (start %v) took %d iterations, plain %d", start, pre, plain)
		}
	}
}

// TestGoldenL1 checks SAGA with an L1 penalty against scikit-learn's saga
// solution (tol 1e-6, 11104 epochs, 96.15% zeros). To keep the test short
// SAGA runs to tol 1e-4 (about 2000 epochs): the objective must agree to
// 1e-4 relative, the zero pattern on at least 99.5% of the weights, and the
// coefficients to 0.15 of max|coef| (the L1 optimum is flat along some
// directions; run to tol 1e-6, SAGA here matches scikit-learn's objective
// to 1e-9, its sparsity exactly and its zero pattern on 100% of the
// weights, in 11108 epochs).
func TestGoldenL1(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("long test: skipped with -short and -race")
	}
	g := readGolden(t)
	x, y := goldenSubset(t, g)
	want := goldenCoef(g.L1.Coef)
	s := &Settings{C: g.L1.C, Penalty: L1, Solver: SAGA, Tol: 1e-4, MaxIter: 20000}
	if got := Loss(x, y, want, g.L1.Intercept, s); math.Abs(got-g.L1.Objective) > 1e-9*g.L1.Objective {
		t.Errorf("Loss of scikit-learn's solution %.12g, scikit-learn %.12g", got, g.L1.Objective)
	}
	m := mustFit(t, x, y, s)
	obj := Loss(x, y, m.Coef, m.Intercept, s)
	t.Logf("saga l1: objective %.10g (scikit-learn %.10g), %d epochs (scikit-learn %d), sparsity %.2f%% (scikit-learn %.2f%%)",
		obj, g.L1.Objective, m.NIter, g.L1.NIter, m.Sparsity(), g.L1.SparsityPct)
	if rel := math.Abs(obj-g.L1.Objective) / g.L1.Objective; rel > 1e-4 {
		t.Errorf("objective %.10g, scikit-learn %.10g (rel %g)", obj, g.L1.Objective, rel)
	}
	if diff := maxRelDiff(flat(m.Coef), flat(want)); diff > 0.15 {
		t.Errorf("coef differs from scikit-learn's by %g of max|coef|", diff)
	}
	agree := 0
	got, ref := flat(m.Coef), flat(want)
	for i := range got {
		if (got[i] == 0) == (ref[i] == 0) {
			agree++
		}
	}
	frac := float64(agree) / float64(len(got))
	t.Logf("zero pattern agreement %.4f", frac)
	if frac < 0.995 {
		t.Errorf("zero pattern agrees on %.4f of the weights, want >= 0.995", frac)
	}
}
