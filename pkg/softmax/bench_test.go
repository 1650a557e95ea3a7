package softmax

import (
	"runtime"
	"testing"
)

// BenchmarkEval times one full-batch loss and gradient pass (K = 10) over
// 20000 synthetic 784-pixel rows folded with their scaler, as L-BFGS runs
// it on MNIST.
func BenchmarkEval(b *testing.B) {
	const n, d, k = 20000, 784, 10
	pix, y := synthPixels(n, d, k, 3)
	// Make the rows about as sparse as MNIST (19% nonzero).
	for t := range pix {
		if t%3 != 0 {
			pix[t] = 0
		}
	}
	sc := scaler(pix, d)
	ds, err := Pixels(pix, d, sc.Mean, sc.Scale).design(true)
	if err != nil {
		b.Fatal(err)
	}
	e := newEvaluator(ds, y, k, 2)
	w := make([]float64, d*k)
	for i := range w {
		w[i] = 1e-3 * float64(i%17-8)
	}
	bias := make([]float64, k)
	gw := make([]float64, d*k)
	gb := make([]float64, k)
	b.SetBytes(int64(ds.ptr[n]))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.eval(w, bias, gw, gb, nil)
	}
}

// BenchmarkEvalMNIST times one full-batch loss and gradient pass over the
// notebook's 50000 standardised MNIST training rows (7.5 million nonzero
// pixels), the unit of work of L-BFGS and Newton-CG. It is skipped when
// the MNIST files are not available offline.
func BenchmarkEvalMNIST(b *testing.B) {
	e, w, bias := mnistEvaluator(b, false)
	gw := make([]float64, len(w))
	gb := make([]float64, len(bias))
	b.SetBytes(int64(e.ds.ptr[e.ds.n]))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.eval(w, bias, gw, gb, nil)
	}
}

// mnistEvaluator returns an evaluator over the notebook's 50000
// standardised MNIST training rows (K = 10), keeping the softmax
// probabilities if probs, and a fixed point, at which it has evaluated the
// gradient once (building the column blocks).
func mnistEvaluator(b *testing.B, probs bool) (e *evaluator, w, bias []float64) {
	all, _, train := notebookTrainRows(b)
	sub := all.Subset(train)
	ds, err := standardPixels(sub).design(true)
	if err != nil {
		b.Fatal(err)
	}
	const k = 10
	e = newEvaluator(ds, sub.Ints(), k, runtime.GOMAXPROCS(0))
	if probs {
		e.probs = make([]float64, ds.n*k)
	}
	w = make([]float64, ds.d*k)
	for i := range w {
		w[i] = 1e-2 * float64(i%17-8)
	}
	bias = make([]float64, k)
	e.eval(w, bias, make([]float64, ds.d*k), make([]float64, k), nil)
	return e, w, bias
}

// mnistProbs returns the design of mnistEvaluator and the probabilities
// of its rows, from which the preconditioner is built.
func mnistProbs(b *testing.B) (*design, []float64) {
	e, _, _ := mnistEvaluator(b, true)
	return e.ds, e.probs
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
			if _, err := newClassBlocks(ds, probs, 10, 1, true, runtime.GOMAXPROCS(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("start", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := newStartBlocks(ds, 10, 1, true, runtime.GOMAXPROCS(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkClassBlocksApply times applying them to one and to two
// parameter vectors (L-BFGS applies them to two per iteration).
func BenchmarkClassBlocksApply(b *testing.B) {
	ds, probs := mnistProbs(b)
	pcs := map[string]func() (*classBlocks, error){
		"probs": func() (*classBlocks, error) { return newClassBlocks(ds, probs, 10, 1, true, runtime.GOMAXPROCS(0)) },
		"start": func() (*classBlocks, error) { return newStartBlocks(ds, 10, 1, true, runtime.GOMAXPROCS(0)) },
	}
	for _, name := range []string{"probs", "start"} {
		pc, err := pcs[name]()
		if err != nil {
			b.Fatal(err)
		}
		v := make([]float64, ds.d*10+10)
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
				pc.apply([][]float64{dst}, [][]float64{v}, runtime.GOMAXPROCS(0))
			}
		})
		b.Run(name+"/2", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				pc.apply([][]float64{dst, dst2}, [][]float64{v, v2}, runtime.GOMAXPROCS(0))
			}
		})
	}
}
