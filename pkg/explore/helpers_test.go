package explore

import (
	"sync"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

var shared struct {
	split     sync.Once
	sp        *experiment.Split
	spErr     error
	model     sync.Once
	port      *softmax.Model
	portError error
}

// realSplit returns the port notebook's data (experiment.PrepareSet on the
// real MNIST), made once per test binary; mnisttest decides when a test
// may skip for want of MNIST.
func realSplit(t testing.TB) *experiment.Split {
	t.Helper()
	all := mnisttest.Set(t)
	shared.split.Do(func() { shared.sp, shared.spErr = experiment.PrepareSet(all, nil) })
	if shared.spErr != nil {
		t.Fatal(shared.spErr)
	}
	return shared.sp
}

// testReader returns a reader with PortModel on the port's data, fitted
// once per test binary.
func testReader(t testing.TB) reader {
	t.Helper()
	sp := realSplit(t)
	shared.model.Do(func() { shared.port, shared.portError = PortModel(sp) })
	if shared.portError != nil {
		t.Fatal(shared.portError)
	}
	return reader{model: shared.port, scaler: &sp.Scaler}
}

// never is a stop function that never stops a fit.
func never() bool { return false }
