package display_test

import (
	"fmt"
	"log"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/display"
	"github.com/mlphys/softmax-mnist/pkg/plots"
)

// Show the weights figure: inline in a notebook, as a file outside one.
func ExampleFigure() {
	coef := mat.NewDense(10, 784, nil) // a model's Coef
	if err := display.Figure(plots.Weights(coef, nil)); err != nil {
		log.Fatal(err)
	}
}

// Outside a notebook a table is printed as text.
func ExampleTable() {
	err := display.Table("protocol run", []string{"quantity", "value"}, [][]string{
		{"test score", "0.8998"},
		{"sparsity", "8.93%"},
		{"epochs", "5"},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// protocol run
	// quantity    value
	// test score  0.8998
	// sparsity     8.93%
	// epochs           5
}

func ExampleConfusion() {
	if err := display.Confusion([][]int{{925, 3}, {2, 1093}}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// confusion matrix (rows: true class, columns: predicted class)
	// true \ pred    0     1
	//           0  925     3
	//           1    2  1093
}

// A progress bar fed by a model's per-epoch hook; with pkg/softmax the hook
// is Settings.Progress, func(softmax.Progress).
func ExampleBar() {
	const maxIter = 100
	bar := display.NewBar("fit")
	hook := func(iter int, loss float64) { // e.g. from softmax.Progress{Iter, Loss}
		bar.Update(iter, maxIter, fmt.Sprintf("loss %.4f", loss))
	}
	for i := 1; i <= 5; i++ {
		hook(i, 1/float64(i))
	}
	if err := bar.Finish("converged after 5 epochs"); err != nil {
		log.Fatal(err)
	}
}
