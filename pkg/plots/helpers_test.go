package plots

import (
	"encoding/json"
	"os"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// fitted is testdata/model.json, written by testdata/genmodel from a real fit
// of pkg/softmax to MNIST with the original notebook's protocol.
type fitted struct {
	Protocol      string      `json:"protocol"`
	TestScore     float64     `json:"test_score"`
	Sparsity      float64     `json:"sparsity"`
	Coef          [][]float64 `json:"coef"`
	Confusion     [][]int     `json:"confusion"`
	Misclassified []struct {
		Index, True, Pred int
		P                 float64
	} `json:"misclassified"`
	Training struct {
		Iter     []int     `json:"iter"`
		Loss     []float64 `json:"loss"`
		Accuracy []float64 `json:"accuracy"`
	} `json:"training"`
	Learning []LearningPoint `json:"learning"`
	Path     []PathPoint     `json:"path"`
}

var (
	modelOnce sync.Once
	model     fitted
	modelErr  error
)

// loadModel returns testdata/model.json.
func loadModel(tb testing.TB) *fitted {
	tb.Helper()
	modelOnce.Do(func() {
		b, err := os.ReadFile("testdata/model.json")
		if err != nil {
			modelErr = err
			return
		}
		modelErr = json.Unmarshal(b, &model)
	})
	if modelErr != nil {
		tb.Fatal(modelErr)
	}
	return &model
}

// coef returns the fitted weights as a 10 x 784 matrix.
func (f *fitted) coef() *mat.Dense {
	m := mat.NewDense(len(f.Coef), len(f.Coef[0]), nil)
	for i, row := range f.Coef {
		m.SetRow(i, row)
	}
	return m
}

// mnistSet returns the 70000 MNIST images in OpenML order from the local
// sources (no network); it skips or fails tb as mnisttest.Check does when
// they are not available.
func mnistSet(tb testing.TB) *mnist.Set {
	tb.Helper()
	return mnisttest.Set(tb)
}
