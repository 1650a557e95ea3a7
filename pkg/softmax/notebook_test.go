package softmax

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/preprocess"
)

// notebookResultsFile holds the notebooks' expected results, shared with
// scripts/check-notebooks.py and the browser test.
const notebookResultsFile = "../../testdata/notebook_results.json"

// expected is a pinned quantity: |got - Value| <= Tolerance.
type expected struct {
	Value     float64 `json:"value"`
	Tolerance float64 `json:"tolerance"`
}

func (e expected) holds(got float64) bool { return math.Abs(got-e.Value) <= e.Tolerance }

// notebookResults is the part of notebookResultsFile that the fits check.
type notebookResults struct {
	Data struct {
		TrainSize    int    `json:"train_size"`
		TestSize     int    `json:"test_size"`
		ShuffleSeed  uint32 `json:"shuffle_seed"`
		SplitSeed    uint32 `json:"split_seed"`
		DeadPixels   int    `json:"dead_pixels"`
		Coefficients int    `json:"coefficients"`
	} `json:"data"`
	Fits map[string]struct {
		Settings struct {
			Solver, Penalty string
			C               float64 `json:"C"`
			Tol             float64 `json:"tol"`
		} `json:"settings"`
		Epochs          expected `json:"epochs"`
		SparsityPercent expected `json:"sparsity_percent"`
		TestScore       expected `json:"test_score"`
	} `json:"fits"`
}

// TestNotebookResults runs the notebooks' fits on the real data with the
// original's protocol (numpy's shuffle, scikit-learn's split, a scaler on
// the training pixels; about 2 s) and checks them against
// testdata/notebook_results.json: the number of epochs and the sparsity
// exactly, the test score within its band. The sparsity of the L2 fit must
// also be the dead pixels, counted here in the training pixels, times the
// 10 classes over the 7840 weights. It runs under -short (it is how a
// stopping rule off by a factor catches the eye); the race detector's
// tenfold slowdown skips it.
func TestNotebookResults(t *testing.T) {
	if raceEnabled {
		t.Skip("the notebook's fits take 20 s under the race detector; the race stage runs the solvers on small data")
	}
	b, err := os.ReadFile(notebookResultsFile)
	if err != nil {
		t.Fatal(err)
	}
	var want notebookResults
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", notebookResultsFile, err)
	}
	if len(want.Fits) != 2 {
		t.Fatalf("%s: %d fits, want the L2 and the L1 fit", notebookResultsFile, len(want.Fits))
	}
	all := mnisttest.Set(t)
	d := want.Data
	shuffled := all.Subset(preprocess.NewRandomState(d.ShuffleSeed).Permutation(all.Len()))
	trainRows, testRows, err := preprocess.TrainTestSplit(all.Len(), d.TrainSize, d.TestSize, d.SplitSeed)
	if err != nil {
		t.Fatal(err)
	}
	train, test := shuffled.Subset(trainRows), shuffled.Subset(testRows)
	dead := deadPixels(train)
	if dead != d.DeadPixels || d.Coefficients != mnist.Classes*mnist.Pixels {
		t.Fatalf("%d pixels are 0 in every training image and the model has %d weights; the file says %d and %d",
			dead, mnist.Classes*mnist.Pixels, d.DeadPixels, d.Coefficients)
	}
	sc := scaler(train.Images, mnist.Pixels)
	x := Pixels(train.Images, mnist.Pixels, sc.Mean, sc.Scale)
	xTest := Pixels(test.Images, mnist.Pixels, sc.Mean, sc.Scale)
	for name, fit := range want.Fits {
		solver, err := ParseSolver(fit.Settings.Solver)
		if err != nil {
			t.Fatal(err)
		}
		penalty, err := ParsePenalty(fit.Settings.Penalty)
		if err != nil {
			t.Fatal(err)
		}
		m := mustFit(t, x, train.Ints(), &Settings{C: fit.Settings.C, Penalty: penalty, Solver: solver, Tol: fit.Settings.Tol})
		if !fit.Epochs.holds(float64(m.NIter)) || !m.Converged {
			t.Errorf("%s: %d epochs (converged %v), want %v", name, m.NIter, m.Converged, fit.Epochs.Value)
		}
		if got := m.Sparsity(); !fit.SparsityPercent.holds(got) {
			t.Errorf("%s: sparsity %.17g%%, want %.17g%%", name, got, fit.SparsityPercent.Value)
		}
		if got := m.Score(xTest, test.Ints()); !fit.TestScore.holds(got) {
			t.Errorf("%s: test score %.4f, want %.4f +- %g", name, got, fit.TestScore.Value, fit.TestScore.Tolerance)
		}
		if penalty == L2 {
			if s := 100 * float64(dead*mnist.Classes) / float64(d.Coefficients); s != fit.SparsityPercent.Value {
				t.Errorf("%s: the file's sparsity %.17g%% is not the %d dead pixels' %.17g%%", name, fit.SparsityPercent.Value, dead, s)
			}
		}
	}
}

// deadPixels returns the number of pixels that are 0 in every image of s.
func deadPixels(s *mnist.Set) int {
	var lit [mnist.Pixels]bool
	for i, p := range s.Images {
		if p != 0 {
			lit[i%mnist.Pixels] = true
		}
	}
	dead := 0
	for _, l := range lit {
		if !l {
			dead++
		}
	}
	return dead
}
