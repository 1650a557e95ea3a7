package explore

import (
	"context"
	"errors"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// Left alone, fitUnless is softmax.Fit: the same model, bit for bit.
func TestFitUnlessNeverStopped(t *testing.T) {
	sp := realSplit(t)
	small, err := sp.Subsample(1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := Choice{LogC: -1, Penalty: softmax.L1, Size: 1000}.Settings()
	want, err := softmax.Fit(small.TrainData(), small.Train.Ints(), &s)
	if err != nil {
		t.Fatal(err)
	}
	epochs := 0
	s.Progress = func(softmax.Progress) { epochs++ }
	got, err := fitUnless(context.Background(), small.TrainData(), small.Train.Ints(), s, never)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got.Coef, want.Coef) || got.NIter != want.NIter {
		t.Errorf("fitUnless gave another model than softmax.Fit (%d epochs against %d)", got.NIter, want.NIter)
	}
	if epochs != got.NIter {
		t.Errorf("the caller's Progress was called %d times in %d epochs", epochs, got.NIter)
	}
}

// Stopped after its second epoch, a fit that would run 30 returns
// ErrSuperseded at once, having called Progress twice.
func TestFitUnlessStops(t *testing.T) {
	sp := realSplit(t)
	small, err := sp.Subsample(1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := softmax.Settings{C: 1, Solver: softmax.SAG, Tol: 1e-300, MaxIter: 30}
	epochs := 0
	s.Progress = func(softmax.Progress) { epochs++ }
	m, err := fitUnless(context.Background(), small.TrainData(), small.Train.Ints(), s, func() bool { return epochs >= 2 })
	if !errors.Is(err, ErrSuperseded) || m != nil {
		t.Fatalf("fitUnless = %v, %v; want nil, ErrSuperseded", m, err)
	}
	if epochs != 2 {
		t.Errorf("Progress called %d times, want 2", epochs)
	}
}

// A context that has ended stops the fit before its first epoch.
func TestFitUnlessContext(t *testing.T) {
	sp := realSplit(t)
	small, err := sp.Subsample(1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	epochs := 0
	s := softmax.Settings{Solver: softmax.SAG, Progress: func(softmax.Progress) { epochs++ }}
	if m, err := fitUnless(ctx, small.TrainData(), small.Train.Ints(), s, never); !errors.Is(err, ErrSuperseded) || m != nil {
		t.Errorf("fitUnless with an ended context = %v, %v; want nil, ErrSuperseded", m, err)
	}
	if epochs != 0 {
		t.Errorf("%d epochs run", epochs)
	}
}
