package explore

import (
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// prepared is the port notebook's data (experiment.Prepare on the real
// MNIST), made once per test binary.
var prepared = sync.OnceValues(func() (*experiment.Split, error) { return experiment.Prepare(nil) })

// realSplit returns the port's data. It skips the test only if MNIST is not
// found, and never when CI=true, where a missing MNIST is a failure.
func realSplit(t testing.TB) *experiment.Split {
	t.Helper()
	sp, err := prepared()
	if errors.Is(err, mnist.ErrNotFound) && os.Getenv("CI") != "true" {
		t.Skipf("MNIST is not available: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// never is a stop function that never stops a fit.
func never() bool { return false }
