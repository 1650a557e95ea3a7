package softmax

import (
	"runtime"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// BenchmarkEvalMNIST times one full-batch loss and gradient pass over the
// notebook's 50000 standardised MNIST training rows (7.5 million nonzero
// pixels), the unit of work of L-BFGS and Newton-CG. It is skipped when
// the MNIST files are not available offline.
func BenchmarkEvalMNIST(b *testing.B) {
	ds, e, w, bias, _ := mnistEvaluator(b, false)
	gw := make([]float64, len(w))
	gb := make([]float64, len(bias))
	b.SetBytes(int64(ds.NNZ()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.ObjGrad(w, bias, gw, gb, nil)
	}
}

// mnistEvaluator returns the design of the notebook's 50000 standardised
// MNIST training rows (K = 10), an evaluator over it, and a fixed point,
// at which it has evaluated the gradient once (building the column
// blocks), storing the probabilities there if probs.
func mnistEvaluator(b *testing.B, probs bool) (ds *kernel.Design, e *kernel.Evaluator, w, bias, p []float64) {
	all, _, train := notebookTrainRows(b)
	sub := all.Subset(train)
	ds, err := standardPixels(sub).design(true)
	if err != nil {
		b.Fatal(err)
	}
	const k = 10
	n, d := ds.Dims()
	e = kernel.NewEvaluator(ds, sub.Ints(), k, runtime.GOMAXPROCS(0))
	if probs {
		p = make([]float64, n*k)
	}
	w = make([]float64, d*k)
	for i := range w {
		w[i] = 1e-2 * float64(i%17-8)
	}
	bias = make([]float64, k)
	e.ObjGrad(w, bias, make([]float64, d*k), make([]float64, k), p)
	return ds, e, w, bias, p
}

// mnistProbs returns the design of mnistEvaluator and the probabilities
// of its rows, from which the preconditioner is built.
func mnistProbs(b *testing.B) (*kernel.Design, []float64) {
	ds, _, _, _, p := mnistEvaluator(b, true)
	return ds, p
}

// BenchmarkClassBlocksBuild times building the preconditioner of
// Settings.Precondition on MNIST: from probabilities (6.1e8 entry pairs of
// ten lanes, ten Cholesky factorisations of order 785) and the start
// preconditioner (one lane, one factorisation); BenchmarkEvalMNIST is the
// unit they are measured against.
func BenchmarkClassBlocksBuild(b *testing.B) {
	ds, probs := mnistProbs(b)
	b.Run("probs", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := kernel.NewClassBlocks(ds, probs, 10, 1, true, runtime.GOMAXPROCS(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("start", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := kernel.NewStartBlocks(ds, 10, 1, true, runtime.GOMAXPROCS(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkClassBlocksApply times applying them to one and to two
// parameter vectors (L-BFGS applies them to two per iteration).
func BenchmarkClassBlocksApply(b *testing.B) {
	ds, probs := mnistProbs(b)
	pcs := map[string]func() (*kernel.ClassBlocks, error){
		"probs": func() (*kernel.ClassBlocks, error) {
			return kernel.NewClassBlocks(ds, probs, 10, 1, true, runtime.GOMAXPROCS(0))
		},
		"start": func() (*kernel.ClassBlocks, error) {
			return kernel.NewStartBlocks(ds, 10, 1, true, runtime.GOMAXPROCS(0))
		},
	}
	for _, name := range []string{"probs", "start"} {
		pc, err := pcs[name]()
		if err != nil {
			b.Fatal(err)
		}
		_, d := ds.Dims()
		v := make([]float64, d*10+10)
		for i := range v {
			v[i] = float64(i%13) - 6
		}
		v2 := append([]float64(nil), v...)
		for i := range v2 {
			v2[i] *= float64(i%5) - 2
		}
		dst, dst2 := make([]float64, len(v)), make([]float64, len(v))
		b.Run(name+"/1", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				pc.Apply([][]float64{dst}, [][]float64{v})
			}
		})
		b.Run(name+"/2", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				pc.Apply([][]float64{dst, dst2}, [][]float64{v, v2})
			}
		})
	}
}
