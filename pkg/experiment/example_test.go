package experiment_test

import (
	"fmt"
	"log"

	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// The original notebook's data: 50000 training and 10000 test images,
// shuffled and split as scikit-learn does with seeds 0 and 0.
func ExamplePrepare() {
	sp, err := experiment.Prepare(&experiment.Settings{MNIST: &mnist.Options{Source: mnist.Module}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("train", sp.Train.Len(), "test", sp.Test.Len())
	fmt.Println("first training rows", sp.TrainRows[:3])
	constant := 0
	for _, s := range sp.Scaler.Var {
		if s == 0 {
			constant++
		}
	}
	fmt.Println("pixels 0 in every training image:", constant)
	// Output:
	// train 50000 test 10000
	// first training rows [46212 12960 55117]
	// pixels 0 in every training image: 70
}

// The notebooks' cells get the data and the models from the cache on disk:
// the first call prepares or fits and stores, later ones, also in later
// processes, read. Here the original notebook's model.
func ExampleSplit_Fit() {
	sp, err := experiment.Load(nil)
	if err != nil {
		log.Fatal(err)
	}
	m, err := sp.Fit(&softmax.Settings{C: 1e5, Penalty: softmax.L2, Solver: softmax.SAG, Tol: 0.1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Sparsity with L2 penalty: %.2f%%\n", m.Sparsity())
	fmt.Printf("Test score with L2 penalty: %.4f\n", m.Score(sp.TestData(), sp.Test.Ints()))
	// Output:
	// Sparsity with L2 penalty: 8.93%
	// Test score with L2 penalty: 0.8998
}
