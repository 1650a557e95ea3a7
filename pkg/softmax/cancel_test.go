package softmax

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestFitContextStops checks that every solver stops after the epoch or
// iteration during which its context is cancelled, with an error wrapping
// the context's, and that a context that is done before the fit stops it
// before the first epoch.
func TestFitContextStops(t *testing.T) {
	pix, y := synthPixels(300, 20, 4, 7)
	sc := scaler(pix, 20)
	x := Pixels(pix, 20, sc.Mean, sc.Scale)
	for _, solver := range []Solver{SAG, SAGA, LBFGS, SGD, NewtonCG} {
		t.Run(solver.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var iters []int
			s := &Settings{Solver: solver, C: 1e4, Tol: 1e-12, MaxIter: 50, Progress: func(p Progress) {
				iters = append(iters, p.Iter)
				if p.Iter == 2 {
					cancel()
				}
			}}
			m, err := FitContext(ctx, x, y, s)
			if !errors.Is(err, context.Canceled) || m != nil {
				t.Fatalf("cancelled at iteration 2: model %v, error %v; want no model and context.Canceled", m, err)
			}
			if len(iters) != 2 || iters[1] != 2 {
				t.Errorf("progress after the cancel: iterations %v, want [1 2]", iters)
			}

			// The same settings without a cancel run past iteration 2, so
			// the stop above is the context's doing.
			iters = iters[:0]
			s.Progress = func(p Progress) { iters = append(iters, p.Iter) }
			if _, err := FitContext(context.Background(), x, y, s); err != nil {
				t.Fatal(err)
			}
			if len(iters) <= 2 {
				t.Errorf("without a cancel the fit ran %d iterations; the test needs more than 2", len(iters))
			}

			done, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			defer stop()
			iters = iters[:0]
			if _, err := FitContext(done, x, y, s); !errors.Is(err, context.DeadlineExceeded) || len(iters) != 0 {
				t.Errorf("expired context: error %v after %d iterations; want context.DeadlineExceeded before the first", err, len(iters))
			}
		})
	}
}
