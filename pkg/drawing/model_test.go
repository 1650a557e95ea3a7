package drawing_test

import (
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// The port's L2 model (the original notebook's protocol: SAG, C=1e5,
// tol=0.1 on 50000 training images) classifies test digits drawn on a
// canvas and normalised as it classifies the digits themselves.
func TestModelAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("fits the port's model on 50000 images")
	}
	sp, err := experiment.PrepareSet(mnisttest.Set(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := softmax.Fit(sp.TrainData(), sp.Train.Ints(), &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	test := sp.Test.Subset(seq(n))
	for _, tc := range []struct {
		name  string
		draw  func(pix []uint8) []uint8
		agree float64 // minimum fraction of equal predictions
	}{
		{"unchanged", func(pix []uint8) []uint8 { return normalize(t, grey(pix), nil) }, 1},
		{"pen x10", func(pix []uint8) []uint8 {
			return normalize(t, canvas(pix, xdraw.CatmullRom, 280, 20, true), nil)
		}, 0.93},
		{"smooth x10", func(pix []uint8) []uint8 {
			return normalize(t, canvas(pix, xdraw.CatmullRom, 280, 20, false), nil)
		}, 0.93},
		{"pen x10, subpixel", func(pix []uint8) []uint8 {
			return normalize(t, canvas(pix, xdraw.CatmullRom, 280, 20, true), subpixel)
		}, 0.93},
	} {
		drawn := &mnist.Set{Images: make([]uint8, 0, n*mnist.Pixels), Labels: test.Labels}
		for i := range n {
			drawn.Images = append(drawn.Images, tc.draw(test.Image(i))...)
		}
		want, got := m.Predict(sp.Data(test)), m.Predict(sp.Data(drawn))
		same := 0
		for i := range want {
			if got[i] == want[i] {
				same++
			}
		}
		scoreWant, scoreGot := m.Score(sp.Data(test), test.Ints()), m.Score(sp.Data(drawn), test.Ints())
		t.Logf("%-18s %d of %d predictions the same; accuracy %.3f, %.3f on the digits themselves", tc.name, same, n, scoreGot, scoreWant)
		if float64(same) < tc.agree*n || scoreGot < scoreWant-0.03 {
			t.Errorf("%s: %d of %d predictions the same, accuracy %.3f against %.3f; want at least %.0f%% and within 0.03",
				tc.name, same, n, scoreGot, scoreWant, 100*tc.agree)
		}
	}
}

func seq(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
