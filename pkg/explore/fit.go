package explore

import (
	"errors"

	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// ErrSuperseded is returned for a fit abandoned because the reader made a
// newer choice (or stopped the panel) while it ran.
var ErrSuperseded = errors.New("explore: fit superseded by a newer choice")

// PortModel fits the port's model on the training images of sp: softmax
// regression with the L2 penalty, C = 1e5, the SAG solver and tol = 0.1,
// the original notebook's settings (about half a second on 50000 images).
// The draw panel classifies with it, using sp's scaler.
//
// It is the one place the notebook gets its model from: a persistent model
// cache can replace this call. It returns softmax.Fit's error.
func PortModel(sp *experiment.Split) (*softmax.Model, error) {
	return softmax.Fit(sp.TrainData(), sp.Train.Ints(), &softmax.Settings{
		C: 1e5, Penalty: softmax.L2, Solver: softmax.SAG, Tol: 0.1,
	})
}

// superseded is the value fitUnless panics with to leave softmax.Fit.
type superseded struct{}

// fitUnless is softmax.Fit(x, y, &s) that stops at the end of the first
// epoch (or iteration) after which stop returns true, and then returns
// ErrSuperseded. s.Progress, if set, is still called after every epoch.
//
// pkg/softmax has no cancellation, so this is the one place that stops a
// fit from outside, and the one to change when it gets one (a context in
// Settings, or a Progress that can return an error): it panics from the
// Progress hook and recovers here. That is sound because softmax.Fit calls
// Progress on the goroutine that called Fit, between epochs, when the
// goroutines of its parallel kernels have joined (softmax.Settings.Progress
// documents the goroutine; sag.go, batch.go and sgd.go call it after the
// epoch's work), so nothing is left running and only the fit's own
// allocations are dropped. Any other panic is passed on.
func fitUnless(x softmax.Data, y []int, s softmax.Settings, stop func() bool) (m *softmax.Model, err error) {
	progress := s.Progress
	s.Progress = func(p softmax.Progress) {
		if progress != nil {
			progress(p)
		}
		if stop() {
			panic(superseded{})
		}
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(superseded); !ok {
				panic(r)
			}
			m, err = nil, ErrSuperseded
		}
	}()
	return softmax.Fit(x, y, &s)
}
