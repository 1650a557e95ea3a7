// Command genmodel fits the port's softmax model to MNIST and writes
// model.json, the real data behind the package's README pictures and golden
// images: the weights of the original notebook's protocol, its confusion
// matrix and misclassified test digits, a training curve, a learning curve
// and an L1 regularisation path. The plots tests read only model.json (and
// MNIST for the digit images), so they do not depend on pkg/softmax.
//
// Run from pkg/plots (takes a minute or two on 2 cores):
//
//	go run ./testdata/genmodel > testdata/model.json
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// f6 is a float64 written with 6 significant digits.
type f6 float64

func (f f6) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(f), 'g', 6, 64)), nil
}

type output struct {
	Protocol      string          `json:"protocol"`
	TestScore     f6              `json:"test_score"`
	Sparsity      f6              `json:"sparsity"`
	NIter         int             `json:"n_iter"`
	Coef          [][]f6          `json:"coef"`
	Confusion     [][]int         `json:"confusion"`
	Misclassified []miss          `json:"misclassified"`
	Training      training        `json:"training"`
	Learning      []learningPoint `json:"learning"`
	Path          []pathPoint     `json:"path"`
}

type miss struct {
	Index int `json:"index"` // row of mnist.Load (OpenML order)
	True  int `json:"true"`
	Pred  int `json:"pred"`
	P     f6  `json:"p"`
}

type training struct {
	Note     string `json:"note"`
	Iter     []int  `json:"iter"`
	Loss     []f6   `json:"loss"`
	Accuracy []f6   `json:"accuracy"`
}

type learningPoint struct {
	Size  int  `json:"size"`
	Test  []f6 `json:"test"`
	Train []f6 `json:"train"`
}

type pathPoint struct {
	C        f6 `json:"c"`
	Accuracy f6 `json:"accuracy"`
	Sparsity f6 `json:"sparsity"`
}

// gen holds the data of a run and the start time for the log.
type gen struct {
	all *mnist.Set
	t0  time.Time
}

// prepare returns the split of ps, or stops the program.
func (g *gen) prepare(ps *experiment.Settings) *experiment.Split {
	sp, err := experiment.PrepareSet(g.all, ps)
	if err != nil {
		log.Fatal(err)
	}
	return sp
}

// fit fits set on sp's training images, or stops the program.
func fit(sp *experiment.Split, set *softmax.Settings) *softmax.Model {
	m, err := softmax.Fit(sp.TrainData(), sp.Train.Ints(), set)
	if err != nil {
		log.Fatal(err)
	}
	return m
}

func main() {
	all, err := mnist.Load(&mnist.Options{Offline: true})
	if err != nil {
		log.Fatal(err)
	}
	g := &gen{all: all, t0: time.Now()}
	// The original: X = X[RandomState(0).permutation(70000)], then
	// train_test_split(train_size=50000, test_size=10000), seeded here.
	sp := g.prepare(nil)

	var out output
	g.protocol(sp, &out)
	g.trainingCurve(sp.Test.Ints(), &out.Training)
	g.learningCurve(sp, &out)
	g.regularizationPath(sp.Test.Ints(), &out)

	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		log.Fatal(err)
	}
	if math.IsNaN(float64(out.TestScore)) {
		fmt.Fprintln(os.Stderr, "NaN score")
		os.Exit(1)
	}
}

// protocol fits the original notebook's protocol on sp and records its
// score, sparsity, weights, confusion matrix and first misclassified
// digits.
func (g *gen) protocol(sp *experiment.Split, out *output) {
	xt, yt := sp.TestData(), sp.Test.Ints()
	out.Protocol = "sag, L2, C=1e5, tol=0.1, 50000/10000 split (shuffle seed 0, split seed 0)"
	m := fit(sp, &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1})
	out.TestScore = f6(m.Score(xt, yt))
	out.Sparsity = f6(m.Sparsity())
	out.NIter = m.NIter
	k, d := m.Coef.Dims()
	for i := range k {
		row := make([]f6, d)
		for j := range d {
			row[j] = f6(m.Coef.At(i, j))
		}
		out.Coef = append(out.Coef, row)
	}
	out.Confusion = m.ConfusionMatrix(xt, yt)
	pred := m.Predict(xt)
	proba := m.PredictProba(xt)
	for i, p := range pred {
		if p != yt[i] && len(out.Misclassified) < 15 {
			out.Misclassified = append(out.Misclassified, miss{Index: sp.TestRows[i], True: yt[i], Pred: p, P: f6(proba.At(i, p))})
		}
	}
	log.Printf("protocol fit: %d epochs, test score %.4f, sparsity %.2f%% (%v)", m.NIter, m.Score(xt, yt), m.Sparsity(), time.Since(g.t0))
}

// trainingCurve records SAG on the first 10000 training rows, 12 epochs;
// the fit with MaxIter e is the first e epochs of the longer run (same
// seed), so refitting gives the test accuracy after each epoch. yt are the
// test labels.
func (g *gen) trainingCurve(yt []int, tr *training) {
	small := g.prepare(&experiment.Settings{TrainSize: 10000})
	tr.Note = "sag, L2, C=1e5, first 10000 training rows, tol 0 (runs to MaxIter); test accuracy on the 10000 test rows"
	const epochs = 12
	fit(small, &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 1e-300, MaxIter: epochs,
		Progress: func(p softmax.Progress) {
			tr.Iter = append(tr.Iter, p.Iter)
			tr.Loss = append(tr.Loss, f6(p.Loss))
		}})
	for e := 1; e <= epochs; e++ {
		me := fit(small, &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 1e-300, MaxIter: e})
		tr.Accuracy = append(tr.Accuracy, f6(me.Score(small.TestData(), yt)))
	}
	log.Printf("training curve done (%v)", time.Since(g.t0))
}

// learningCurve records the protocol on random subsets of sp's training
// rows, three seeds per size.
func (g *gen) learningCurve(sp *experiment.Split, out *output) {
	yt := sp.Test.Ints()
	for _, n := range []int{300, 1000, 3000, 10000, 30000, 50000} {
		lp := learningPoint{Size: n}
		for seed := range uint32(3) {
			sub, err := sp.Subsample(n, seed)
			if err != nil {
				log.Fatal(err)
			}
			ms := fit(sub, &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1, Seed: uint64(seed)})
			lp.Test = append(lp.Test, f6(ms.Score(sub.TestData(), yt)))
			lp.Train = append(lp.Train, f6(ms.Score(sub.TrainData(), sub.Train.Ints())))
		}
		out.Learning = append(out.Learning, lp)
		log.Printf("learning curve n=%d done (%v)", n, time.Since(g.t0))
	}
}

// regularizationPath records the L1 path: scikit-learn's example setting
// (5000 training samples, saga, tol 0.1) over a range of C around its
// C = 50/5000. yt are the test labels.
func (g *gen) regularizationPath(yt []int, out *output) {
	five := g.prepare(&experiment.Settings{TrainSize: 5000})
	for _, c := range []float64{1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 3e-2, 0.1, 0.3, 1} {
		mc := fit(five, &softmax.Settings{C: c, Penalty: softmax.L1, Solver: softmax.SAGA, Tol: 0.1})
		acc := mc.Score(five.TestData(), yt)
		out.Path = append(out.Path, pathPoint{C: f6(c), Accuracy: f6(acc), Sparsity: f6(mc.Sparsity())})
		log.Printf("L1 C=%g: accuracy %.4f sparsity %.1f%% (%v)", c, acc, mc.Sparsity(), time.Since(g.t0))
	}
}
