package experiment_test

import (
	"fmt"
	"log"

	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
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
