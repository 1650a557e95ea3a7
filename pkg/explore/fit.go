package explore

import (
	"context"
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
// It is sp.Fit: with a split from experiment.Load the model comes from the
// cache on disk when it holds it (a millisecond), else it is fitted and
// stored there. It returns sp.Fit's errors.
func PortModel(sp *experiment.Split) (*softmax.Model, error) {
	return sp.Fit(&softmax.Settings{C: 1e5, Penalty: softmax.L2, Solver: softmax.SAG, Tol: 0.1})
}

// fitUnless is softmax.FitContext(ctx, x, y, &s) that also stops at the
// end of the first epoch (or iteration) after which stop returns true. It
// returns ErrSuperseded when it stopped for either reason. s.Progress, if
// set, is still called after every epoch.
//
// This is the one place that stops a fit from outside: stop is asked from
// the Progress hook, which softmax calls after every epoch, just before it
// checks its context; a true answer cancels that context.
func fitUnless(ctx context.Context, x softmax.Data, y []int, s softmax.Settings, stop func() bool) (*softmax.Model, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := s.Progress
	s.Progress = func(p softmax.Progress) {
		if progress != nil {
			progress(p)
		}
		if stop() {
			cancel()
		}
	}
	m, err := softmax.FitContext(ctx, x, y, &s)
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return nil, ErrSuperseded
	}
	return m, err
}
