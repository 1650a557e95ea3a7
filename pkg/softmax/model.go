package softmax

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// Model is a fitted multinomial logistic regression, the counterpart of a
// fitted scikit-learn LogisticRegression(multi_class='multinomial').
type Model struct {
	// Coef holds one row of weights per class, K x d: scikit-learn's coef_.
	// For a model fitted on Pixels it is the weight of the standardised
	// features, as coef_ after a StandardScaler.
	Coef *mat.Dense
	// Intercept holds the K intercepts (zeros without an intercept),
	// scikit-learn's intercept_.
	Intercept []float64
	// Classes holds the sorted distinct training labels: row k of Coef is
	// the class Classes[k]. It is scikit-learn's classes_.
	Classes []int
	// NIter is the number of epochs (SAG, SAGA, SGD), L-BFGS iterations
	// (LBFGS) or Newton iterations (NewtonCG) run, scikit-learn's n_iter_.
	NIter int
	// Converged reports whether the stopping rule was met before the
	// iteration limit.
	Converged bool
	// Settings are the settings the model was fitted with, as given to Fit
	// (zero fields keep their meaning of "the default").
	Settings Settings
}

// dims returns K and d and panics if x does not have d features.
func (m *Model) dims(x Data) (k, d int) {
	k, d = m.Coef.Dims()
	if _, f := x.Dims(); f != d {
		panic(fmt.Sprintf("softmax: data has %d features, model has %d", f, d))
	}
	return k, d
}

func (m *Model) threads() int {
	cf, err := validate(&Settings{Threads: m.Settings.Threads})
	if err != nil {
		return 1
	}
	return cf.threads
}

// scores returns the n*K decision values of x, row-major.
func (m *Model) scores(x Data) (z []float64, n, k int) {
	k, _ = m.dims(x)
	ds, _ := x.design(false)
	n, _ = ds.Dims()
	z = make([]float64, n*k)
	kernel.NewEvaluator(ds, nil, k, m.threads()).Scores(z, toFeatureMajor(m.Coef), m.Intercept)
	return z, n, k
}

// DecisionFunction returns the n x K matrix of class scores W x_i + b of the
// samples of x. It panics if x does not have the model's number of features.
// It costs one pass over the nonzero entries of x, O(nnz K + d K), on
// Settings.Threads goroutines; so do PredictProba, Predict, Score and
// ConfusionMatrix.
func (m *Model) DecisionFunction(x Data) *mat.Dense {
	z, n, k := m.scores(x)
	if n == 0 {
		return &mat.Dense{}
	}
	return mat.NewDense(n, k, z)
}

// PredictProba returns the n x K matrix of class probabilities, the softmax
// of the decision values (computed after subtracting the row maximum).
// It panics as DecisionFunction.
func (m *Model) PredictProba(x Data) *mat.Dense {
	z, n, k := m.scores(x)
	if n == 0 {
		return &mat.Dense{}
	}
	for i := 0; i < n; i++ {
		kernel.Softmax(z[i*k : i*k+k])
	}
	return mat.NewDense(n, k, z)
}

// Predict returns the predicted label of each sample: the class with the
// largest decision value, the first one on ties. It panics as
// DecisionFunction.
func (m *Model) Predict(x Data) []int {
	pred := m.predictIndex(x)
	for i, c := range pred {
		pred[i] = m.Classes[c]
	}
	return pred
}

// predictIndex returns the index in Classes of the predicted class of each
// sample.
func (m *Model) predictIndex(x Data) []int {
	z, n, k := m.scores(x)
	pred := make([]int, n)
	for i := range pred {
		pred[i] = argmax(z[i*k : i*k+k])
	}
	return pred
}

func argmax(z []float64) int {
	best := 0
	for i, v := range z {
		if v > z[best] {
			best = i
		}
	}
	return best
}

// Score returns the mean accuracy of Predict(x) against the labels y,
// scikit-learn's score. A label that is not one of Classes counts as an
// error. It panics if len(y) is not the number of samples of x, or as
// DecisionFunction.
func (m *Model) Score(x Data, y []int) float64 {
	if n, _ := x.Dims(); n != len(y) {
		panic(fmt.Sprintf("softmax: Score: %d labels for %d samples", len(y), n))
	}
	if len(y) == 0 {
		return 0
	}
	pred := m.Predict(x)
	ok := 0
	for i, p := range pred {
		if p == y[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(y))
}

// Sparsity returns the percentage of Coef entries that are exactly zero,
// the notebook's np.mean(clf.coef_ == 0) * 100.
func (m *Model) Sparsity() float64 {
	k, d := m.Coef.Dims()
	if k*d == 0 {
		return 0
	}
	zeros := 0
	for kk := 0; kk < k; kk++ {
		for j := 0; j < d; j++ {
			if m.Coef.At(kk, j) == 0 {
				zeros++
			}
		}
	}
	return 100 * float64(zeros) / float64(k*d)
}

// ConfusionMatrix returns the K x K counts c[t][p] of samples of class
// Classes[t] predicted as Classes[p] (rows: true class, columns: predicted
// class, as scikit-learn's confusion_matrix). It panics if len(y) is not the
// number of samples, if a label is not one of Classes, or as
// DecisionFunction.
func (m *Model) ConfusionMatrix(x Data, y []int) [][]int {
	if n, _ := x.Dims(); n != len(y) {
		panic(fmt.Sprintf("softmax: ConfusionMatrix: %d labels for %d samples", len(y), n))
	}
	truth, bad := classIndex(y, m.Classes)
	if bad >= 0 {
		panic(fmt.Sprintf("softmax: ConfusionMatrix: y[%d] = %d is not one of the model's classes", bad, y[bad]))
	}
	k := len(m.Classes)
	cm := make([][]int, k)
	for i := range cm {
		cm[i] = make([]int, k)
	}
	for i, p := range m.predictIndex(x) {
		cm[truth[i]][p]++
	}
	return cm
}
