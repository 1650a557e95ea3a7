package explore

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/plots"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// The explorer fits what the exercises notebook fits by hand: a subsample
// of 5000 training images (seed 0) with its own scaler, scored on the 10000
// test images, and draws its weights as plots.Weights does.
func TestExplorerFit(t *testing.T) {
	sp := realSplit(t)
	e, err := newExplorer(sp)
	if err != nil {
		t.Fatal(err)
	}
	small, err := sp.Subsample(5000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sparsity [2]float64
	for i, ch := range []Choice{DefaultChoice, {LogC: -2, Penalty: softmax.L1, Size: 5000}} {
		r, err := e.fit(context.Background(), ch, never, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := ch.Settings()
		m, err := softmax.Fit(small.TrainData(), small.Train.Ints(), &s)
		if err != nil {
			t.Fatal(err)
		}
		if r.Sparsity != m.Sparsity() || r.Accuracy != m.Score(small.TestData(), small.Test.Ints()) || r.Epochs != m.NIter {
			t.Errorf("%v: sparsity %v, accuracy %v, %d epochs; fitted by hand: %v, %v, %d", ch,
				r.Sparsity, r.Accuracy, r.Epochs, m.Sparsity(), m.Score(small.TestData(), small.Test.Ints()), m.NIter)
		}
		ps := &plots.Settings{Title: "weights, " + ch.String(), ColorBar: plots.ColorBarOn}
		if ch.Penalty == softmax.L1 {
			ps.ColorMap = plots.RdBu
		}
		want, err := encode(plots.Weights(m.Coef, ps))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Weights, want) {
			t.Errorf("%v: the weights figure is not plots.Weights of the model fitted by hand (map %v)", ch, ps.ColorMap)
		}
		sparsity[i] = r.Sparsity
		t.Logf("%v: sparsity %.2f%%, test accuracy %.4f, %d epochs, fit %v", ch, r.Sparsity, r.Accuracy, r.Epochs, r.Fit)
	}
	// scikit-learn's L1 example (C = 50/5000 = 0.01 on 5000 images) reports
	// about 80% zero weights; L2 zeroes only the dead pixels (17% here).
	if sparsity[0] > 20 || sparsity[1] < 75 {
		t.Errorf("sparsity L2 %.1f%%, L1 at C=0.01 %.1f%%; want L2 below 20%% and L1 above 75%%", sparsity[0], sparsity[1])
	}
}

// The path keeps one point per value of C for each penalty and size, the
// last one fitted, and is drawn from its second point on.
func TestExplorerPath(t *testing.T) {
	sp := realSplit(t)
	e, err := newExplorer(sp)
	if err != nil {
		t.Fatal(err)
	}
	l1 := func(logC float64) Choice { return Choice{LogC: logC, Penalty: softmax.L1, Size: 1000} }
	for i, tc := range []struct {
		ch     Choice
		points int
	}{
		{l1(0), 1},
		{l1(-1), 2},
		{l1(0.0000001), 2}, // the same slider step as 0
		{Choice{LogC: -1, Penalty: softmax.L2, Size: 1000}, 1},
		{Choice{LogC: -1, Penalty: softmax.L1, Size: 5000}, 1},
		{l1(2), 3},
	} {
		r, err := e.fit(context.Background(), tc.ch, never, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Points != tc.points || (r.Path != nil) != (tc.points > 1) {
			t.Errorf("fit %d (%v): %d points, path drawn %v; want %d", i, tc.ch, r.Points, r.Path != nil, tc.points)
		}
		if r.Path != nil {
			if _, err := png.Decode(bytes.NewReader(r.Path)); err != nil {
				t.Errorf("fit %d: the path is not a PNG: %v", i, err)
			}
		}
	}
	pts := e.path(pathKey{softmax.L1, 1000})
	for i := 1; i < len(pts); i++ {
		if pts[i].C <= pts[i-1].C {
			t.Errorf("path not in increasing C: %v", pts)
		}
	}
	if e.fits != 6 {
		t.Errorf("%d fits counted, want 6", e.fits)
	}
}

func TestExplorerBadChoice(t *testing.T) {
	e, err := newExplorer(realSplit(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.fit(context.Background(), Choice{LogC: 0, Penalty: softmax.L2, Size: 123}, never, nil); err == nil {
		t.Error("a size not offered was fitted")
	}
	if sp := e.sets[50000]; sp == nil || sp.Train.Len() != 50000 {
		t.Error("no set of 50000 images")
	}
}
